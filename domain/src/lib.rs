//! Pure rules of the EIA domain: identifiers, money, roles, the ledger's vocabulary and the
//! acceptance-rate arithmetic. Nothing here touches the database or HTTP.
pub mod calendar;
pub mod classification;
pub mod exemption;
pub mod filing;
pub mod identifiers;
pub mod ledger;
pub mod money;
pub mod names;
pub mod point_to_point;
pub mod publication;
pub mod report;
pub mod role;

/// One problem with one input field, in words a user understands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

//! Pure rules of the EIA domain: classification, the filing state machine and its clocks, the
//! working-day calendar, identifiers, money, roles, the ledger's vocabulary and the
//! acceptance-rate arithmetic. A crate of its own, so nothing here can reach the database or
//! HTTP; the optional `sea-orm` feature only lets entity columns hold these enums.
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
pub mod sort_key;

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

use domain::filing::StopReason;
use sea_orm::entity::prelude::*;

/// A period a filing's decision clock does not run (expert review, hearing).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clock_stop")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub filing_id: i64,
    pub reason: StopReason,
    pub from_on: Date,
    pub to_on: Option<Date>,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub created_by: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    /// Who set `to_on` on a stop opened without an end, and when.
    pub closed_by: Option<i64>,
    pub closed_at: Option<DateTimeUtc>,
    /// A stop entered by mistake: it stays, marked void, and stops nothing.
    pub voided_at: Option<DateTimeUtc>,
    pub voided_by: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub void_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::filing::Entity",
        from = "Column::FilingId",
        to = "super::filing::Column::Id"
    )]
    Filing,
}

impl Related<super::filing::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Filing.def()
    }
}

crate::created_versioned!();

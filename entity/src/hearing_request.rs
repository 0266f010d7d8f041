use domain::filing::{HearingParty, HearingStatus};
use sea_orm::entity::prelude::*;

/// A hearing asked for during a filing's pre-decision notice (听证申请).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hearing_request")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub filing_id: i64,
    pub party: HearingParty,
    pub requester: String,
    pub requested_on: Date,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub status: HearingStatus,
    pub closed_on: Option<Date>,
    #[sea_orm(column_type = "Text", nullable)]
    pub outcome: Option<String>,
    /// The clock stop the hearing holds open (行政许可法 Art. 45: hearing time is not counted).
    pub clock_stop_id: Option<i64>,
    pub recorded_by: Option<i64>,
    pub version: i32,
    pub created_at: DateTimeUtc,
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

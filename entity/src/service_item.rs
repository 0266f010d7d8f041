use domain::point_to_point::{ItemKind, ItemStatus};
use sea_orm::entity::prelude::*;

/// One promised service on a sheet, with its escalation dates.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sheet_id: i64,
    pub kind: ItemKind,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub promised_on: Date,
    pub status: ItemStatus,
    #[sea_orm(column_type = "Text", nullable)]
    pub evidence: Option<String>,
    pub done_on: Option<Date>,
    /// 催办 — when the officer was urged.
    pub urged_on: Option<Date>,
    /// 督办 — when it went to the officer's leader.
    pub supervised_on: Option<Date>,
    /// Why the item was cancelled; required for `cancelled`.
    #[sea_orm(column_type = "Text", nullable)]
    pub cancel_reason: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::service_sheet::Entity",
        from = "Column::SheetId",
        to = "super::service_sheet::Column::Id"
    )]
    Sheet,
}

impl Related<super::service_sheet::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sheet.def()
    }
}

crate::versioned!();

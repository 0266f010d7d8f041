use sea_orm::entity::prelude::*;

/// Who was responsible for a service sheet, and since when.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sheet_assignment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sheet_id: i64,
    pub officer_id: i64,
    pub previous_officer_id: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    pub assigned_by: Option<i64>,
    pub assigned_at: DateTimeUtc,
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

crate::stamped!(assigned_at);

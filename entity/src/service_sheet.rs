use sea_orm::entity::prelude::*;

/// 服务单 — the point-to-point service plan of one key project.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_sheet")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub project_id: i64,
    pub officer_id: i64,
    pub bureau_contact_name: Option<String>,
    pub bureau_contact_phone: Option<String>,
    pub owner_contact_name: Option<String>,
    pub owner_contact_phone: Option<String>,
    pub owner_contact_email: Option<String>,
    pub signed_off_at: Option<DateTimeUtc>,
    pub signed_off_by: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub sign_off_note: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::project::Entity",
        from = "Column::ProjectId",
        to = "super::project::Column::Id"
    )]
    Project,
    #[sea_orm(has_many = "super::service_item::Entity")]
    Item,
    #[sea_orm(has_many = "super::sheet_assignment::Entity")]
    Assignment,
}

impl Related<super::project::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Project.def()
    }
}

impl Related<super::service_item::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Item.def()
    }
}

impl Related<super::sheet_assignment::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Assignment.def()
    }
}

crate::versioned!();

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
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

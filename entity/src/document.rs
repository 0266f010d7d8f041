use sea_orm::entity::prelude::*;

/// An EIA document uploaded to a filing; the bytes live under the data directory.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "document")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub filing_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    /// Path relative to the data directory.
    pub stored_as: String,
    pub uploaded_by: Option<i64>,
    pub uploaded_at: DateTimeUtc,
    /// Which required material it is (`domain::filing::Material` code), if any.
    pub material: Option<domain::filing::Material>,
    /// The copy for public disclosure (环评文件公开版): downloadable from the public register.
    pub public_disclosure: bool,
    /// Set when the document was withdrawn before acceptance: the row stays, out of the
    /// filing's list by default.
    pub withdrawn_at: Option<DateTimeUtc>,
    pub withdrawn_by: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub withdraw_reason: Option<String>,
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

crate::stamped!(uploaded_at);

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "auth_token")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    /// When the token was last used, to end a session after inactivity (`auth.idle_minutes`).
    pub last_seen_at: Option<DateTimeUtc>,
    /// A digest of the password hash the token was issued against: once the password changes,
    /// the token no longer opens a session. `None` on tokens older than the column.
    pub credential_stamp: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::app_user::Entity",
        from = "Column::UserId",
        to = "super::app_user::Column::Id"
    )]
    User,
}

impl Related<super::app_user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

crate::stamped!(created_at);

use sea_orm::entity::prelude::*;

/// One sign-in attempt, written before its password is checked and removed when it succeeds:
/// what the sign-in limits count, shared by every server on the database.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sign_in_attempt")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The user name as typed, trimmed and in lower case; known or not.
    pub username: String,
    /// The client's address, `-` when unknown.
    pub client: String,
    pub attempted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

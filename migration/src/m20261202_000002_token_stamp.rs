//! Sessions end with the password they were opened by: each token keeps a digest of the
//! password hash it was issued against, so a sign-in that checked the old password while an
//! administrator reset it cannot leave a token that outlives the reset. Tokens issued before
//! this migration have none and stay valid until they expire or are revoked.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("auth_token")
                    .add_column(string_null("credential_stamp"))
                    .to_owned(),
            )
            .await
    }
}

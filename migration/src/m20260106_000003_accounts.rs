//! Accounts: an administrator's password reset obliges the user to choose a new password at
//! their next sign-in.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("app_user")
                    .add_column(boolean("must_change_password").default(false))
                    .to_owned(),
            )
            .await
    }
}

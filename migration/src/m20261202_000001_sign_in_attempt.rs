//! Sign-in attempts, counted in the database so that every server sees the same counts: one row
//! per attempt, written before its password is checked and removed when the attempt succeeds;
//! rows older than the counting window are deleted as new attempts come.
use sea_orm_migration::{prelude::*, schema::*};

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("sign_in_attempt")
                    .col(big_pk_auto("id"))
                    // The user name as typed (trimmed, lower case), known or not.
                    .col(string("username"))
                    // The client's address, or "-" when unknown.
                    .col(string("client"))
                    .col(timestamp_with_time_zone("attempted_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "sign_in_attempt",
                &["username", "client", "attempted_at"],
                false,
            ))
            .await?;
        manager
            .create_index(index("sign_in_attempt", &["client", "attempted_at"], false))
            .await?;
        manager
            .create_index(index("sign_in_attempt", &["attempted_at"], false))
            .await
    }
}

use sea_orm::entity::prelude::*;

/// One notice to one recipient: shown in the app and delivered by mail through the outbox.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Makes a retried change or a repeated scheduler tick write the row once.
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub template: String,
    #[sea_orm(column_type = "Text")]
    pub subject: String,
    #[sea_orm(column_type = "Text")]
    pub body_text: String,
    #[sea_orm(column_type = "Text")]
    pub body_html: String,
    pub link: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub status: Status,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub locked_until: Option<DateTimeUtc>,
    pub locked_by: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    pub read_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
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

/// Where a notification stands in the outbox.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, serde::Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for the worker (again, after a failed attempt, at `next_attempt_at`).
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Claimed by a worker until `locked_until`.
    #[sea_orm(string_value = "sending")]
    Sending,
    #[sea_orm(string_value = "sent")]
    Sent,
    /// Parked after the last attempt; an administrator may resend it.
    #[sea_orm(string_value = "failed")]
    Failed,
    /// Nothing to deliver by mail (no address); shown in the app only.
    #[sea_orm(string_value = "skipped")]
    Skipped,
}

impl Status {
    /// The stored code, read back by the derived `ActiveEnum`.
    pub fn from_code(code: &str) -> Option<Status> {
        Status::try_from_value(&code.to_owned()).ok()
    }

    /// The stored code, for messages and metrics labels.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Sending => "sending",
            Status::Sent => "sent",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    #[test]
    fn the_label_is_the_stored_code() {
        for status in Status::iter() {
            assert_eq!(status.as_str(), status.to_value());
            assert_eq!(Status::from_code(status.as_str()), Some(status));
        }
        assert_eq!(Status::from_code("lost"), None);
    }
}

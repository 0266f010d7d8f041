//! Notifications: written in the same transaction as the change they tell of (the outbox), one
//! row per recipient under an idempotency key, then delivered by the worker in `notify/`. Also
//! each user's in-app list, and the administrators' view of failed mail.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, Set, Statement, TransactionTrait,
    sea_query::{Expr, OnConflict},
};
use serde::{Deserialize, Serialize};

use super::paging::{Page, Paging};
use super::{Actor, now};
use crate::config::Settings;
use crate::domain::role::Role;
use crate::error::{Error, ErrorCode, Result};
use crate::links::Links;
use crate::notify::messages::{self, Letterhead, Message};
use crate::notify::worker::Claimed;
use entity::notification::Status;
use entity::{app_user, notification, organization};

/// Who a notification is for: an account (in-app, and mail if it has an address), or only an
/// address (an organisation's contact, the province).
#[derive(Debug, Clone)]
pub enum Recipient {
    User {
        id: i64,
        name: String,
        email: Option<String>,
    },
    Address {
        name: String,
        email: String,
    },
}

impl Recipient {
    pub fn user(u: &app_user::Model) -> Recipient {
        Recipient::User {
            id: u.id,
            name: u.display_name.clone(),
            email: u.email.clone().filter(|e| !e.trim().is_empty()),
        }
    }

    fn key(&self) -> String {
        match self {
            Recipient::User { id, .. } => format!("user:{id}"),
            Recipient::Address { email, .. } => format!("mail:{}", email.to_lowercase()),
        }
    }
}

/// What a notification is about: the key of the occasion it tells of (a retried change or a
/// repeated tick writes nothing twice) and the record it concerns.
pub struct Occasion<'a> {
    pub key: String,
    pub entity: Option<(&'a str, i64)>,
}

/// How the service signs its messages and links its pages, from the settings.
pub fn letterhead(settings: &Settings) -> Letterhead {
    Letterhead {
        bureau: settings.bureau.name.clone(),
        links: Links::new(&settings.server.public_url),
    }
}

/// Writes the message once per recipient, composed for each (`notify::messages` has the words);
/// a key seen before writes nothing. Returns the rows written.
#[tracing::instrument(name = "notifications::enqueue", skip_all, fields(key = %occasion.key, template = M::TEMPLATE, recipients = recipients.len()))]
pub async fn enqueue<C: ConnectionTrait, M: Message>(
    db: &C,
    settings: &Settings,
    occasion: Occasion<'_>,
    message: &M,
    recipients: &[Recipient],
) -> Result<u64> {
    let head = letterhead(settings);
    let link = messages::link(message, &head);
    let mut written = 0;
    let mut seen = std::collections::HashSet::new();
    for r in recipients {
        let key = format!("{}:{}", occasion.key, r.key());
        if !seen.insert(key.clone()) {
            continue;
        }
        let (user_id, name, email) = match r {
            Recipient::User { id, name, email } => (Some(*id), name.clone(), email.clone()),
            Recipient::Address { name, email } => (None, name.clone(), Some(email.clone())),
        };
        let rendered = messages::compose(message, &head, &name)
            .map_err(|e| anyhow::anyhow!("composing {}: {e}", M::TEMPLATE))?;
        let row = notification::ActiveModel {
            idempotency_key: Set(key),
            user_id: Set(user_id),
            status: Set(if email.is_some() {
                Status::Pending
            } else {
                Status::Skipped
            }),
            email: Set(email),
            template: Set(M::TEMPLATE.to_owned()),
            subject: Set(rendered.subject),
            body_text: Set(rendered.text),
            body_html: Set(rendered.html),
            link: Set(link.clone()),
            entity: Set(occasion.entity.map(|(e, _)| e.to_owned())),
            entity_id: Set(occasion.entity.map(|(_, id)| id)),
            attempts: Set(0),
            next_attempt_at: Set(now()),
            locked_until: Set(None),
            locked_by: Set(None),
            last_error: Set(None),
            sent_at: Set(None),
            read_at: Set(None),
            created_at: Set(now()),
            ..Default::default()
        };
        written += notification::Entity::insert(row)
            .on_conflict(
                OnConflict::column(notification::Column::IdempotencyKey)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(written)
}

/// The owner accounts of an organisation, or its contact address when it has no account.
pub async fn owners_of<C: ConnectionTrait>(db: &C, organization_id: i64) -> Result<Vec<Recipient>> {
    let users = app_user::Entity::find()
        .filter(app_user::Column::OrganizationId.eq(organization_id))
        .filter(app_user::Column::Role.eq(Role::Owner.as_str()))
        .filter(app_user::Column::Active.eq(true))
        .all(db)
        .await?;
    if !users.is_empty() {
        return Ok(users.iter().map(Recipient::user).collect());
    }
    let org = organization::Entity::find_by_id(organization_id)
        .one(db)
        .await?;
    Ok(org
        .and_then(|o| {
            Some(Recipient::Address {
                name: o.contact_name.clone().unwrap_or_else(|| o.name.clone()),
                email: o.contact_email.clone().filter(|e| !e.trim().is_empty())?,
            })
        })
        .into_iter()
        .collect())
}

/// Active accounts with a role.
pub async fn users_with_role<C: ConnectionTrait>(db: &C, role: Role) -> Result<Vec<Recipient>> {
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Role.eq(role.as_str()))
        .filter(app_user::Column::Active.eq(true))
        .order_by_asc(app_user::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(Recipient::user)
        .collect())
}

/// One active account, if it is one.
pub async fn user<C: ConnectionTrait>(db: &C, id: i64) -> Result<Option<Recipient>> {
    Ok(app_user::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|u| u.active)
        .map(|u| Recipient::user(&u)))
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NotificationView {
    pub id: i64,
    pub template: String,
    pub subject: String,
    pub body: String,
    pub link: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    /// Delivery by mail: pending, sending, sent, failed, or skipped (no address).
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub read_at: Option<DateTime<Utc>>,
}

impl From<notification::Model> for NotificationView {
    fn from(n: notification::Model) -> Self {
        NotificationView {
            id: n.id,
            template: n.template,
            subject: n.subject,
            body: n.body_text,
            link: n.link,
            entity: n.entity,
            entity_id: n.entity_id,
            status: n.status.as_str().to_owned(),
            attempts: n.attempts,
            last_error: n.last_error,
            email: n.email,
            created_at: n.created_at,
            sent_at: n.sent_at,
            read_at: n.read_at,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct NotificationQuery {
    /// Only unread ones.
    pub unread: Option<bool>,
    /// Page number, from 1.
    pub page: Option<u64>,
    /// Items per page, 1–200 (default 50).
    pub per_page: Option<u64>,
}

/// The signed-in user's notifications, newest first.
#[tracing::instrument(name = "notifications::mine", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id))]
pub async fn mine<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    q: NotificationQuery,
) -> Result<Page<NotificationView>> {
    let mut errors = Vec::new();
    let paging = Paging::check(q.page, q.per_page, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let Some(user_id) = actor.id else {
        return Ok(paging.slice(Vec::new()));
    };
    let mut select = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .order_by_desc(notification::Column::Id);
    if q.unread == Some(true) {
        select = select.filter(notification::Column::ReadAt.is_null());
    }
    Ok(paging.fetch(db, select).await?.map(Into::into))
}

#[tracing::instrument(name = "notifications::mark_read", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id, notification_id = id))]
pub async fn mark_read<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
) -> Result<NotificationView> {
    let row = notification::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|n| n.user_id.is_some() && n.user_id == actor.id)
        .ok_or_else(|| Error::not_found("通知"))?;
    if row.read_at.is_none() {
        notification::Entity::update_many()
            .col_expr(notification::Column::ReadAt, Expr::value(now()))
            .filter(notification::Column::Id.eq(id))
            .filter(notification::Column::ReadAt.is_null())
            .exec(db)
            .await?;
    }
    let row = notification::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("通知"))?;
    Ok(row.into())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// pending, sending, sent, failed or skipped; default failed.
    #[serde(default, deserialize_with = "super::blank_is_none")]
    #[param(value_type = Option<String>)]
    pub status: Option<super::Code<Status>>,
    /// Page number, from 1.
    pub page: Option<u64>,
    /// Items per page, 1–200 (default 50).
    pub per_page: Option<u64>,
}

/// The outbox as administrators see it: by default the parked failures with their last error.
#[tracing::instrument(name = "notifications::outbox", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id))]
pub async fn outbox<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    q: OutboxQuery,
) -> Result<Page<NotificationView>> {
    require_admin(actor)?;
    let mut errors = Vec::new();
    let paging = Paging::check(q.page, q.per_page, &mut errors);
    let status = super::Code::check(
        q.status,
        "status",
        "应为 pending、sending、sent、failed 或 skipped",
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let status = status.unwrap_or(Status::Failed);
    let select = notification::Entity::find()
        .filter(notification::Column::Status.eq(status))
        .order_by_desc(notification::Column::Id);
    Ok(paging.fetch(db, select).await?.map(Into::into))
}

/// Puts a failed message back in the queue with a fresh count of attempts.
#[tracing::instrument(name = "notifications::resend", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id, notification_id = id))]
pub async fn resend(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<NotificationView> {
    require_admin(actor)?;
    let row = notification::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("通知"))?;
    let not_failed = |status: Status| Error::Conflict {
        code: ErrorCode::InvalidState,
        message: format!("只能重发发送失败的邮件（当前状态：{}）", status.as_str()),
        fields: Vec::new(),
    };
    if row.status != Status::Failed {
        return Err(not_failed(row.status));
    }
    // The update names the state it read, and the audit row goes with it: two admins resending
    // at once, or a resend racing a worker, put the message back once and record it once.
    let txn = db.begin().await?;
    let updated = notification::Entity::update_many()
        .col_expr(notification::Column::Status, Expr::value(Status::Pending))
        .col_expr(notification::Column::Attempts, Expr::value(0))
        .col_expr(notification::Column::NextAttemptAt, Expr::value(now()))
        .col_expr(
            notification::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            notification::Column::LockedBy,
            Expr::value(Option::<String>::None),
        )
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::Status.eq(Status::Failed))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        let now_status = notification::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .map_or(Status::Pending, |r| r.status);
        return Err(not_failed(now_status));
    }
    super::audit::record(
        &txn,
        actor,
        "notification",
        id,
        "resend",
        serde_json::json!({"attempts_before": row.attempts}),
    )
    .await?;
    txn.commit().await?;
    let row = notification::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("通知"))?;
    Ok(row.into())
}

fn require_admin(actor: &Actor) -> Result<()> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(Error::Forbidden("只有管理员可以查看邮件发送队列".into()))
    }
}

/// Claims up to `batch` messages that are due (or whose sender's lease ran out) for `worker`.
/// On PostgreSQL `FOR UPDATE SKIP LOCKED` lets several senders claim side by side without
/// taking the same row; SQLite has one writer, so its plain UPDATE is already exclusive.
pub async fn claim(
    db: &DatabaseConnection,
    worker: &str,
    at: DateTime<Utc>,
    lease: Duration,
    batch: u64,
) -> Result<Vec<notification::Model>> {
    let backend = db.get_database_backend();
    let until = at + lease;
    let (sql, values): (&str, Vec<sea_orm::Value>) = match backend {
        DbBackend::Postgres => (
            "UPDATE notification SET status = 'sending', locked_by = $1, locked_until = $2, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM notification \
                          WHERE (status = 'pending' AND next_attempt_at <= $3) \
                             OR (status = 'sending' AND locked_until < $3) \
                          ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED) \
             RETURNING *",
            vec![
                worker.into(),
                until.into(),
                at.into(),
                (batch as i64).into(),
            ],
        ),
        _ => (
            "UPDATE notification SET status = 'sending', locked_by = ?, locked_until = ?, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM notification \
                          WHERE (status = 'pending' AND next_attempt_at <= ?) \
                             OR (status = 'sending' AND locked_until < ?) \
                          ORDER BY id LIMIT ?) \
             RETURNING *",
            vec![
                worker.into(),
                until.into(),
                at.into(),
                at.into(),
                (batch as i64).into(),
            ],
        ),
    };
    let mut rows = notification::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(backend, sql, values))
        .all(db)
        .await?;
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

/// The worker's outbox is the notification table.
impl crate::notify::worker::Outbox for DatabaseConnection {
    async fn claim(
        &self,
        worker: &str,
        at: DateTime<Utc>,
        lease: Duration,
        batch: u64,
    ) -> Result<Vec<Claimed>> {
        let mut claimed = Vec::new();
        for row in claim(self, worker, at, lease, batch).await? {
            // A row naming a record that carries a file (the approved monthly report) is sent
            // with it; the file is stored, so every attempt sends the same bytes.
            let attachments = super::monthly_reports::attachments_of(
                self,
                &row.template,
                row.entity.as_deref(),
                row.entity_id,
            )
            .await?;
            claimed.push(Claimed {
                id: row.id,
                template: row.template,
                to: row.email,
                subject: row.subject,
                text: row.body_text,
                html: row.body_html,
                attempts: row.attempts,
                attachments,
            });
        }
        Ok(claimed)
    }

    async fn mark_sent(&self, id: i64, worker: &str) -> Result<()> {
        mark_sent(self, id, worker).await
    }

    async fn mark_failed(
        &self,
        message: &Claimed,
        worker: &str,
        error: &str,
        max_attempts: i32,
        backoff: Duration,
    ) -> Result<()> {
        mark_failed(
            self,
            message.id,
            message.attempts,
            worker,
            error,
            max_attempts,
            backoff,
        )
        .await
    }
}

/// Marks a claimed message sent, if this worker still holds it; the record it delivered (the
/// province's monthly report) is marked sent in the same transaction.
pub async fn mark_sent(db: &DatabaseConnection, id: i64, worker: &str) -> Result<()> {
    let txn = db.begin().await?;
    let updated = notification::Entity::update_many()
        .col_expr(notification::Column::Status, Expr::value(Status::Sent))
        .col_expr(notification::Column::SentAt, Expr::value(now()))
        .col_expr(
            notification::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            notification::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::LockedBy.eq(worker))
        .filter(notification::Column::Status.eq(Status::Sending))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 1
        && let Some(row) = notification::Entity::find_by_id(id).one(&txn).await?
        && row.entity.as_deref() == Some(super::monthly_reports::ENTITY)
        && row.template == crate::notify::messages::ProvinceMonthlyReport::TEMPLATE
        && let Some(report_id) = row.entity_id
    {
        super::monthly_reports::delivered(&txn, report_id).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Records a failed send: back to pending after an exponential backoff, or parked as failed
/// once `max_attempts` is reached.
pub async fn mark_failed(
    db: &DatabaseConnection,
    id: i64,
    attempts: i32,
    worker: &str,
    error: &str,
    max_attempts: i32,
    backoff: Duration,
) -> Result<()> {
    let parked = attempts >= max_attempts;
    let exponent = (attempts - 1).clamp(0, 16) as u32;
    let delay = (backoff * 2i32.pow(exponent)).min(Duration::hours(6));
    notification::Entity::update_many()
        .col_expr(
            notification::Column::Status,
            Expr::value(if parked {
                Status::Failed
            } else {
                Status::Pending
            }),
        )
        .col_expr(
            notification::Column::NextAttemptAt,
            Expr::value(now() + delay),
        )
        .col_expr(
            notification::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            notification::Column::LastError,
            Expr::value(error.chars().take(2000).collect::<String>()),
        )
        .filter(notification::Column::Id.eq(id))
        .filter(notification::Column::LockedBy.eq(worker))
        .filter(notification::Column::Status.eq(Status::Sending))
        .exec(db)
        .await?;
    Ok(())
}

/// Counts by status, for tests and the admin view.
pub async fn count_by_status<C: ConnectionTrait>(db: &C, status: &str) -> Result<u64> {
    use sea_orm::PaginatorTrait;
    let status = Status::from_code(status)
        .ok_or_else(|| anyhow::anyhow!("no notification status {status}"))?;
    Ok(notification::Entity::find()
        .filter(Condition::all().add(notification::Column::Status.eq(status)))
        .count(db)
        .await?)
}

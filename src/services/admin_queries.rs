//! Read-only queries behind the administrators' pages that the API does not offer: accounts
//! filtered by role, state and a search; the whole audit trail searched by record, person,
//! action and date range; the counts of the overview.

use chrono::{Duration, NaiveDate, TimeZone};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};

use super::audit::TrailItem;
use super::paging::{Page, Paging};
use super::projects::like_pattern;
use super::users::UserView;
use super::{Actor, shanghai};
use crate::domain::FieldError;
use crate::domain::role::Role;
use crate::error::{Error, Result};
use entity::notification::Status;
use entity::{app_user, audit_event, notification};

fn require_admin(actor: &Actor) -> Result<()> {
    if actor.role == Role::Admin {
        Ok(())
    } else {
        Err(Error::Forbidden("只有管理员可以查看此内容".into()))
    }
}

/// Which accounts to list.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub active: Option<bool>,
    /// Part of the username, display name or email.
    pub q: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// Accounts matching `filter`, by id.
#[tracing::instrument(name = "admin_queries::users", skip_all, fields(actor_id = actor.id))]
pub async fn users<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: UserFilter,
) -> Result<Page<UserView>> {
    require_admin(actor)?;
    let mut errors = Vec::new();
    let paging = Paging::check(filter.page, filter.per_page, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let mut select = app_user::Entity::find().order_by_asc(app_user::Column::Id);
    if let Some(role) = filter.role {
        select = select.filter(app_user::Column::Role.eq(role.as_str()));
    }
    if let Some(active) = filter.active {
        select = select.filter(app_user::Column::Active.eq(active));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = like_pattern(q);
        select = select.filter(
            Condition::any()
                .add(Expr::col(app_user::Column::Username).like(pattern.clone()))
                .add(Expr::col(app_user::Column::DisplayName).like(pattern.clone()))
                .add(Expr::col(app_user::Column::Email).like(pattern)),
        );
    }
    paging
        .fetch(db, select)
        .await?
        .try_map(|u| UserView::of(&u))
}

/// Every account, by id, for choosing one (a supervisor, an officer, a person in the trail).
pub async fn all_users<C: ConnectionTrait>(db: &C, actor: &Actor) -> Result<Vec<UserView>> {
    require_admin(actor)?;
    app_user::Entity::find()
        .order_by_asc(app_user::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(UserView::of)
        .collect()
}

/// What the audit search asks for.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// `project`, `user`, `filing`, … (the trail's entity names).
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    /// The person who acted.
    pub actor_id: Option<i64>,
    pub action: Option<String>,
    /// First and last day (Asia/Shanghai), both included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

fn start_of(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight");
    shanghai()
        .from_local_datetime(&midnight)
        .single()
        .expect("UTC+8 has no gaps")
        .with_timezone(&chrono::Utc)
}

/// The audit trail, newest first, narrowed by `filter`.
#[tracing::instrument(name = "admin_queries::audit", skip_all, fields(actor_id = actor.id))]
pub async fn audit<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: AuditFilter,
) -> Result<Page<TrailItem>> {
    require_admin(actor)?;
    let mut errors = Vec::new();
    let paging = Paging::check(filter.page, filter.per_page, &mut errors);
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from > to
    {
        errors.push(FieldError::new("to", "结束日期不能早于开始日期"));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let mut select = audit_event::Entity::find()
        .order_by_desc(audit_event::Column::RecordedAt)
        .order_by_desc(audit_event::Column::Id);
    if let Some(entity) = filter
        .entity
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        select = select.filter(audit_event::Column::Entity.eq(entity));
    }
    if let Some(id) = filter.entity_id {
        select = select.filter(audit_event::Column::EntityId.eq(id));
    }
    if let Some(id) = filter.actor_id {
        select = select.filter(audit_event::Column::ActorId.eq(id));
    }
    if let Some(action) = filter
        .action
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        select = select.filter(audit_event::Column::Action.eq(action));
    }
    if let Some(from) = filter.from {
        select = select.filter(audit_event::Column::RecordedAt.gte(start_of(from)));
    }
    if let Some(to) = filter.to {
        select =
            select.filter(audit_event::Column::RecordedAt.lt(start_of(to + Duration::days(1))));
    }
    let page = paging.fetch(db, select).await?;
    let items = super::audit::items_of_events(db, page.items).await?;
    Ok(Page {
        items,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    })
}

/// The overview's counts.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub users: u64,
    pub active_users: u64,
    /// Mail by delivery state, in `Status` order: pending, sending, sent, failed, skipped.
    pub mail: Vec<(Status, u64)>,
}

impl Counts {
    pub fn mail(&self, status: Status) -> u64 {
        self.mail
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(0, |(_, n)| *n)
    }
}

#[tracing::instrument(name = "admin_queries::counts", skip_all, fields(actor_id = actor.id))]
pub async fn counts<C: ConnectionTrait>(db: &C, actor: &Actor) -> Result<Counts> {
    require_admin(actor)?;
    let users = app_user::Entity::find().count(db).await?;
    let active_users = app_user::Entity::find()
        .filter(app_user::Column::Active.eq(true))
        .count(db)
        .await?;
    let mut mail = Vec::new();
    for status in [
        Status::Pending,
        Status::Sending,
        Status::Sent,
        Status::Failed,
        Status::Skipped,
    ] {
        let n = notification::Entity::find()
            .filter(notification::Column::Status.eq(status))
            .count(db)
            .await?;
        mail.push((status, n));
    }
    Ok(Counts {
        users,
        active_users,
        mail,
    })
}

/// One account, for its edit page.
pub async fn user<C: ConnectionTrait>(db: &C, actor: &Actor, id: i64) -> Result<UserView> {
    require_admin(actor)?;
    let row = app_user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("用户"))?;
    UserView::of(&row)
}

/// Every organisation as `(id, name)`, by name, for the owner account's select.
pub async fn organization_names<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> Result<Vec<(i64, String)>> {
    require_admin(actor)?;
    Ok(entity::organization::Entity::find()
        .order_by_asc(entity::organization::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}

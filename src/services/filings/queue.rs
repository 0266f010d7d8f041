//! The work queue: the filings an actor may see, filtered by state, tier, county, officer and
//! how soon they fall due, most urgent first.
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;

use super::views::{Context, FilingView};
use crate::config::Settings;
use crate::domain::FieldError;
use crate::domain::filing::{ClockStatus, FilingState, Tier};
use crate::error::{Error, Result};
use crate::services::paging::{Page, Paging};
use crate::services::projects::like_pattern;
use crate::services::{Actor, Code};
use entity::{county, filing, project};

/// Which deadlines the queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueFilter {
    /// Past their deadline.
    Overdue,
    /// Due within `clocks.due_soon_working_days` working days.
    Soon,
}

/// Whose filings the queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignedFilter {
    /// Those assigned to the reader.
    Me,
    /// The shared queue: submitted, not settled, nobody assigned yet; an officer claims them.
    None,
}

/// The work queue and filing list filters; a blank value is no filter, an unknown code a 422
/// naming the parameter (with the other filters' problems).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FilingQuery {
    #[serde(default, deserialize_with = "crate::services::blank_is_none")]
    #[param(value_type = Option<String>)]
    pub state: Option<Code<FilingState>>,
    /// `report`, `report_form` or `registration_form`.
    #[serde(default, deserialize_with = "crate::services::blank_is_none")]
    #[param(value_type = Option<String>)]
    pub tier: Option<Code<Tier>>,
    /// County code (GB/T 2260).
    pub county: Option<String>,
    pub officer_id: Option<i64>,
    pub project_id: Option<i64>,
    /// `overdue`, or `soon` (due within `clocks.due_soon_working_days` working days).
    #[serde(default, deserialize_with = "crate::services::blank_is_none")]
    #[param(value_type = Option<String>)]
    pub due: Option<Code<DueFilter>>,
    /// Part of the project's name or of its project code (投资项目统一代码).
    pub q: Option<String>,
    /// Page number, from 1.
    pub page: Option<u64>,
    /// Items per page, 1–200 (default 50).
    pub per_page: Option<u64>,
    /// `me` (assigned to the reader) or `none` (the shared queue, to claim).
    #[serde(default, deserialize_with = "crate::services::blank_is_none")]
    #[param(value_type = Option<String>)]
    pub assigned: Option<Code<AssignedFilter>>,
}

/// The work queue: filings the actor may see, filtered, most urgent first.
#[tracing::instrument(name = "filings::list", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id))]
pub async fn list<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    actor: &Actor,
    query: FilingQuery,
) -> Result<Page<FilingView>> {
    let mut errors = Vec::new();
    let paging = Paging::check(query.page, query.per_page, &mut errors);
    let mut select = filing::Entity::find().order_by_asc(filing::Column::Id);
    let states: Vec<&str> = FilingState::ALL.iter().map(|s| s.as_str()).collect();
    let state_message = format!("未知的申报状态，应为以下之一：{}", states.join("、"));
    if let Some(state) = Code::check(query.state, "state", &state_message, &mut errors) {
        select = select.filter(filing::Column::State.eq(state));
    }
    let tier_message = "应为 report、report_form 或 registration_form";
    if let Some(tier) = Code::check(query.tier, "tier", tier_message, &mut errors) {
        select = select.filter(filing::Column::Tier.eq(tier));
    }
    if let Some(officer) = query.officer_id {
        select = select.filter(filing::Column::OfficerId.eq(officer));
    }
    match Code::check(query.assigned, "assigned", "应为 me 或 none", &mut errors) {
        Some(AssignedFilter::Me) => {
            select = select.filter(filing::Column::OfficerId.eq(actor.id.unwrap_or(-1)));
        }
        Some(AssignedFilter::None) => {
            select = select
                .filter(filing::Column::OfficerId.is_null())
                .filter(filing::Column::State.is_in(super::assignment::claimable_states()));
        }
        None => {}
    }
    if let Some(project) = query.project_id {
        select = select.filter(filing::Column::ProjectId.eq(project));
    }
    let due = Code::check(query.due, "due", "应为 overdue 或 soon", &mut errors)
        .map(|due| due == DueFilter::Overdue);
    // A removed project's (draft) filings leave the queue with it.
    let mut project_filter = project::Entity::find().filter(project::Column::RemovedAt.is_null());
    if let Some(code) = query.county.as_deref() {
        match county::Entity::find()
            .filter(county::Column::Code.eq(code))
            .one(db)
            .await?
        {
            Some(c) => project_filter = project_filter.filter(project::Column::CountyId.eq(c.id)),
            None => errors.push(FieldError::new("county", "未知的行政区划代码")),
        }
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = like_pattern(q);
        project_filter = project_filter.filter(
            Condition::any()
                .add(Expr::col(project::Column::Name).like(pattern.clone()))
                .add(Expr::col(project::Column::ProjectCode).like(pattern)),
        );
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if !actor.role.sees_all_projects() {
        project_filter = project_filter
            .filter(project::Column::OrganizationId.eq(actor.organization_id.unwrap_or(-1)));
    }
    let allowed_projects: std::collections::HashSet<i64> = project_filter
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let filings: Vec<filing::Model> = select
        .all(db)
        .await?
        .into_iter()
        .filter(|f| allowed_projects.contains(&f.project_id))
        .collect();
    let ctx = Context::load(db, &filings).await?;
    let mut views = filings
        .iter()
        .map(|f| ctx.view(settings, actor, f))
        .collect::<Result<Vec<_>>>()?;
    if let Some(overdue) = due {
        let soon = i64::from(settings.clocks.due_soon_working_days);
        views.retain(|v| {
            v.clock.as_ref().is_some_and(|c| {
                let open = matches!(c.status, ClockStatus::Running | ClockStatus::Stopped);
                if overdue {
                    open && c.overdue
                } else {
                    open && !c.overdue && c.days_left <= soon
                }
            })
        });
        views.sort_by_key(|v| v.clock.as_ref().map(|c| c.days_left).unwrap_or(i64::MAX));
    }
    Ok(paging.slice(views))
}

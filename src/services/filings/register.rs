//! The notices a filing gives rise to (受理公示, 拟审批公示, 审批决定公告) and the public register
//! of those up today, which anyone may read without signing in.
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::views::Context;
use super::visible;
use crate::config::Settings;
use crate::domain::filing::{Action, FilingState};
use crate::domain::publication::{self, Notice, NoticeFacts};
use crate::error::{Error, Result};
use crate::services::{Actor, today};
use entity::filing;

/// The notices a filing has given rise to.
#[tracing::instrument(name = "filings::notices_of", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id, filing_id = id))]
pub async fn notices_of<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    actor: &Actor,
    id: i64,
) -> Result<Vec<Notice>> {
    let (f, _) = visible(db, actor, id).await?;
    let ctx = Context::load(db, std::slice::from_ref(&f)).await?;
    ctx.notices(settings, &f)
}

impl Context {
    fn notices(&self, settings: &Settings, f: &filing::Model) -> Result<Vec<Notice>> {
        let p = self
            .projects
            .get(&f.project_id)
            .ok_or_else(|| anyhow::anyhow!("filing {} has no project", f.id))?;
        let events = self
            .events
            .get(&f.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let on = |action: Action| {
            events
                .iter()
                .rev()
                .find(|e| e.action == action)
                .map(|e| e.effective_on)
        };
        let decision = events
            .iter()
            .rev()
            .find(|e| matches!(e.action, Action::Approve | Action::Disapprove))
            .map(|e| publication::Decision {
                on: e.effective_on,
                number: f.decision_no.clone(),
                approved: e.action == Action::Approve,
                grounds: e.detail.grounds.clone(),
            });
        let facts = NoticeFacts {
            bureau: settings.bureau.name.clone(),
            project_name: p.name.clone(),
            project_code: p.project_code.clone(),
            owner_name: self.names.organization_name(p.organization_id),
            county_name: self.names.county_name(p.county_id),
            tier: f.tier,
            accepted_on: on(Action::Accept),
            pre_decision_on: on(Action::FinishEvaluation),
            decision,
        };
        publication::notices(&facts, &self.calendar)
            .map_err(|e| Error::Internal(anyhow::anyhow!(e)))
    }
}

/// A notice on the public register.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicNotice {
    pub filing_id: i64,
    pub project_name: String,
    pub county_name: String,
    #[serde(flatten)]
    pub notice: Notice,
}

/// Every notice up today, for the public register (no sign-in).
#[tracing::instrument(name = "filings::public_register", skip_all)]
pub async fn public_register<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
) -> Result<Vec<PublicNotice>> {
    let filings = filing::Entity::find()
        .filter(filing::Column::State.is_in(FilingState::PUBLISHED))
        .order_by_asc(filing::Column::Id)
        .all(db)
        .await?;
    let ctx = Context::load(db, &filings).await?;
    let day = today();
    let mut out = Vec::new();
    for f in &filings {
        let Some(p) = ctx.projects.get(&f.project_id) else {
            continue;
        };
        // Notices whose window the calendar cannot reach yet are left out by the notices themselves.
        let notices = ctx.notices(settings, f)?;
        for notice in notices.into_iter().filter(|n| n.current(day)) {
            out.push(PublicNotice {
                filing_id: f.id,
                project_name: p.name.clone(),
                county_name: ctx.names.county_name(p.county_id),
                notice,
            });
        }
    }
    out.sort_by_key(|n| std::cmp::Reverse(n.notice.posted_on));
    Ok(out)
}

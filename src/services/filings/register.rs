//! The notices a filing gives rise to (受理公示, 拟审批公示, 审批决定公告) and the public register
//! of those up today, which anyone may read without signing in.
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::views::Context;
use super::visible;
use crate::config::Settings;
use crate::domain::filing::{Action, FilingState};
use crate::domain::publication::{self, Notice, NoticeFacts, NoticeKind, VoidedNotice};
use crate::error::Result;
use crate::services::{Actor, shanghai, today};
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
        let voided = self
            .voided
            .get(&f.id)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|e| {
                let kind = notice_of(e.action)?;
                let at = e.voided_at?;
                Some(VoidedNotice {
                    kind,
                    posted_on: e.effective_on,
                    voided_on: at.with_timezone(&shanghai()).date_naive(),
                    reason: e.void_reason.clone().unwrap_or_default(),
                })
            })
            .collect();
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
            voided,
        };
        let mut notices = publication::notices(&facts, &self.calendar);
        for notice in &mut notices {
            notice.followed_by = followed_by(notice, events, f);
        }
        Ok(notices)
    }
}

/// The notice a step posts, if it posts one.
fn notice_of(action: Action) -> Option<NoticeKind> {
    match action {
        Action::Accept => Some(NoticeKind::Acceptance),
        Action::FinishEvaluation => Some(NoticeKind::PreDecision),
        Action::Approve | Action::Disapprove => Some(NoticeKind::Decision),
        _ => None,
    }
}

/// What happened after a notice was posted: the latest step since, as the register shows it
/// ("2023-05-20 已批复（商环批复〔2023〕12号）", "2023-03-02 申请已撤回").
fn followed_by(
    notice: &Notice,
    events: &[entity::filing_event::Model],
    f: &filing::Model,
) -> Option<String> {
    if matches!(notice.kind, NoticeKind::Decision | NoticeKind::Correction) {
        return None;
    }
    let posting = events.iter().position(|e| {
        notice_of(e.action) == Some(notice.kind) && e.effective_on == notice.posted_on
    })?;
    let later = events[posting + 1..].last()?;
    let number = match later.action {
        Action::Approve | Action::Disapprove => f
            .decision_no
            .as_deref()
            .map(|n| format!("（{n}）"))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let what = match later.to_state {
        FilingState::Withdrawn => "申请已撤回",
        FilingState::TechnicalEvaluation => "进入技术评估",
        FilingState::PreDecisionNotice => "进入拟审批公示",
        FilingState::Approved => "已批复",
        FilingState::Disapproved => "不予批准",
        _ => later.to_state.label(),
    };
    Some(format!("{} {what}{number}", later.effective_on))
}

/// A notice on the public register.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicNotice {
    pub filing_id: i64,
    pub project_name: String,
    pub county_name: String,
    #[serde(flatten)]
    pub notice: Notice,
    /// The copy of the EIA document for public disclosure (环评文件公开版), downloadable
    /// without sign-in at `/api/v1/public/documents/{id}`.
    pub public_documents: Vec<PublicDocument>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicDocument {
    pub id: i64,
    pub file_name: String,
    pub size: i64,
    pub sha256: String,
}

/// Every notice up today, for the public register (no sign-in).
#[tracing::instrument(name = "filings::public_register", skip_all)]
pub async fn public_register<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
) -> Result<Vec<PublicNotice>> {
    register_where(db, settings, |n, day| n.current(day)).await
}

/// Every notice posted by today, up or ended, newest first: the register's page with its
/// archive of past notices (no sign-in).
#[tracing::instrument(name = "filings::public_archive", skip_all)]
pub async fn public_archive<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
) -> Result<Vec<PublicNotice>> {
    register_where(db, settings, |n, day| n.posted_on <= day).await
}

async fn register_where<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    shown_on: impl Fn(&Notice, chrono::NaiveDate) -> bool,
) -> Result<Vec<PublicNotice>> {
    // A filing withdrawn after acceptance keeps its notices for their period; each says so.
    let shown = FilingState::PUBLISHED
        .into_iter()
        .chain([FilingState::Withdrawn]);
    let filings = filing::Entity::find()
        .filter(filing::Column::State.is_in(shown))
        .order_by_asc(filing::Column::Id)
        .all(db)
        .await?;
    let ctx = Context::load(db, &filings).await?;
    let ids: Vec<i64> = filings.iter().map(|f| f.id).collect();
    let mut copies: std::collections::HashMap<i64, Vec<PublicDocument>> = Default::default();
    for d in crate::services::documents::public_copies(db, &ids).await? {
        copies.entry(d.filing_id).or_default().push(PublicDocument {
            id: d.id,
            file_name: d.file_name,
            size: d.size,
            sha256: d.sha256,
        });
    }
    let day = today();
    let mut out = Vec::new();
    for f in &filings {
        let Some(p) = ctx.projects.get(&f.project_id) else {
            continue;
        };
        let notices = ctx.notices(settings, f)?;
        for notice in notices.into_iter().filter(|n| shown_on(n, day)) {
            let published = FilingState::PUBLISHED.contains(&f.state);
            out.push(PublicNotice {
                filing_id: f.id,
                project_name: p.name.clone(),
                county_name: ctx.names.county_name(p.county_id),
                notice,
                public_documents: if published {
                    copies.get(&f.id).cloned().unwrap_or_default()
                } else {
                    Vec::new()
                },
            });
        }
    }
    out.sort_by_key(|n| std::cmp::Reverse(n.notice.posted_on));
    Ok(out)
}

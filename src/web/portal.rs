//! Owners' portal (`/portal`): their projects and filings as stages, what is asked of them, who
//! handles each filing. Everything is read through the services as the owner, so another
//! organisation's records never appear.
use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use serde::Deserialize;

use super::documents;
use super::page::{Chrome, WebResult, home_of, render};
use super::pager::Pager;
use super::session::WebUser;
use crate::domain::filing::{FilingState, HearingStatus, Mark, Progress, StopReason, progress};
use crate::domain::ledger::Tier as LedgerTier;
use crate::domain::point_to_point::ItemStatus;
use crate::domain::role::Role;
use crate::error::Result;
use crate::http::AppState;
use crate::services::filings::{self, FilingQuery, FilingView};
use crate::services::notifications::{self, NotificationQuery};
use crate::services::projects::{self, ProjectQuery, ProjectView};
use crate::services::service_sheets::{self, SheetQuery};
use crate::services::{Actor, paging::MAX_PER_PAGE};

pub fn routes() -> Router<AppState> {
    Router::new().route("/portal", get(portal))
}

const PER_PAGE: u64 = 20;

/// One step of a project's progress bar.
pub struct StepView {
    pub label: &'static str,
    /// `done`, `current` or empty.
    pub class: &'static str,
    pub current: bool,
}

pub struct ProjectRow {
    pub id: i64,
    pub name: String,
    pub code: String,
    pub tier: String,
    /// The current filing, when the project has one.
    pub filing_id: Option<i64>,
    pub steps: Vec<StepView>,
    pub stage: String,
    pub status: String,
    pub due: String,
    pub overdue: bool,
    pub handler: String,
    pub phone: String,
    pub documents: Vec<documents::DocLink>,
}

/// Something the owner is asked to do now.
pub struct Ask {
    pub kind: &'static str,
    pub title: String,
    pub details: Vec<String>,
    pub href: String,
    pub action: &'static str,
}

#[derive(Template)]
#[template(path = "portal/index.html")]
struct PortalPage {
    chrome: Chrome,
    organization: String,
    rows: Vec<ProjectRow>,
    total: u64,
    pager: Pager,
    asks: Vec<Ask>,
    unread: u64,
}

#[derive(Deserialize)]
struct PortalQuery {
    page: Option<u64>,
}

/// `/portal`: an owner's projects with their stages and what is asked of them; anyone else
/// goes to their own start page.
async fn portal(
    State(state): State<AppState>,
    user: WebUser,
    Query(query): Query<PortalQuery>,
) -> WebResult {
    if user.role() != Role::Owner {
        return Ok(Redirect::to(home_of(user.role())).into_response());
    }
    let actor = &user.actor;
    let page = query.page.unwrap_or(1).max(1);
    let list = projects::list(
        &state.db,
        &state.settings,
        actor,
        ProjectQuery {
            page: Some(page),
            per_page: Some(PER_PAGE),
            ..Default::default()
        },
    )
    .await?;
    let latest = latest_filings(&state, actor).await?;
    let rows = list
        .items
        .iter()
        .map(|p| row(p, p.current_filing.as_ref().and_then(|c| latest.get(&c.id))))
        .collect();
    let asks = asks(&state, actor, &latest).await?;
    let unread = notifications::mine(
        &state.db,
        actor,
        NotificationQuery {
            unread: Some(true),
            page: Some(1),
            per_page: Some(1),
        },
    )
    .await?
    .total;
    let organization = list
        .items
        .first()
        .map(|p| p.organization.name.clone())
        .unwrap_or_default();
    render(PortalPage {
        chrome: user.chrome("我的项目"),
        organization,
        total: list.total,
        pager: Pager::new("/portal?", page, PER_PAGE, list.total),
        rows,
        asks,
        unread,
    })
}

/// The owner's filings, the latest of each project, by filing id.
async fn latest_filings(state: &AppState, actor: &Actor) -> Result<HashMap<i64, FilingView>> {
    let mut by_project: HashMap<i64, FilingView> = HashMap::new();
    let mut page = 1;
    loop {
        let got = filings::list(
            &state.db,
            &state.settings,
            actor,
            FilingQuery {
                page: Some(page),
                per_page: Some(MAX_PER_PAGE),
                ..Default::default()
            },
        )
        .await?;
        let done = got.items.len() < MAX_PER_PAGE as usize;
        for f in got.items {
            match by_project.get(&f.project.id) {
                Some(seen) if seen.id > f.id => {}
                _ => {
                    by_project.insert(f.project.id, f);
                }
            }
        }
        if done {
            break;
        }
        page += 1;
    }
    Ok(by_project.into_values().map(|f| (f.id, f)).collect())
}

/// The progress of a filing as the portal shows it: its state, and an expert review or a
/// hearing still running beside it.
pub fn progress_of(f: &FilingView) -> Progress {
    let stop = f.stops.iter().find(|s| s.to.is_none()).map(|s| s.reason);
    let hearing = f
        .hearings
        .iter()
        .any(|h| h.status == HearingStatus::Requested)
        .then_some(StopReason::Hearing);
    progress(f.state, stop.or(hearing))
}

fn steps(p: &Progress) -> Vec<StepView> {
    p.steps()
        .into_iter()
        .map(|(stage, mark)| StepView {
            label: stage.label(),
            class: match mark {
                Mark::Done => "done",
                Mark::Current => "current",
                Mark::Ahead => "",
            },
            current: mark == Mark::Current,
        })
        .collect()
}

fn row(p: &ProjectView, filing: Option<&FilingView>) -> ProjectRow {
    let tier = p
        .tier
        .map(|t| t.label().to_owned())
        .unwrap_or_else(|| "待分类".to_owned());
    let current = p.current_filing.as_ref();
    let (due, overdue) = match current.and_then(|c| c.due_on.map(|d| (c, d))) {
        Some((c, d)) => {
            let what = match c.due_for {
                Some("acceptance") => "受理期限",
                _ => "审批期限",
            };
            (format!("{what} {d}"), c.overdue)
        }
        None => (String::new(), false),
    };
    match filing {
        Some(f) => {
            let progress = progress_of(f);
            let (handler, phone) = match &f.handler {
                Some(h) => (h.name.clone(), h.office_phone.clone().unwrap_or_default()),
                None => ("待分配".to_owned(), String::new()),
            };
            ProjectRow {
                id: p.id,
                name: p.name.clone(),
                code: p.project_code.clone(),
                tier,
                filing_id: Some(f.id),
                steps: steps(&progress),
                stage: progress
                    .stage
                    .map(|s| s.label())
                    .unwrap_or("未提交")
                    .to_owned(),
                status: progress.status.to_owned(),
                due,
                overdue,
                handler,
                phone,
                documents: documents::offered(f),
            }
        }
        None => ProjectRow {
            id: p.id,
            name: p.name.clone(),
            code: p.project_code.clone(),
            tier,
            filing_id: None,
            steps: Vec::new(),
            stage: String::new(),
            status: match p.tier {
                None => "待生态环境局分类".to_owned(),
                Some(LedgerTier::Exempt) => "不纳入环评管理，无须申报".to_owned(),
                Some(_) => "尚未申报".to_owned(),
            },
            due,
            overdue,
            handler: String::new(),
            phone: String::new(),
            documents: Vec::new(),
        },
    }
}

/// What the owner is asked to do now: corrections to answer, drafts to submit, service sheets to
/// sign off, projects needing a filing.
async fn asks(
    state: &AppState,
    actor: &Actor,
    latest: &HashMap<i64, FilingView>,
) -> Result<Vec<Ask>> {
    let mut asks = Vec::new();
    let mut open: Vec<&FilingView> = latest.values().collect();
    open.sort_by_key(|f| f.id);
    for f in &open {
        match f.state {
            FilingState::CorrectionRequested => asks.push(Ask {
                kind: "补正材料",
                title: f.project.name.clone(),
                details: f.open_correction.clone().unwrap_or_default(),
                href: format!("/filings/{}", f.id),
                action: "查看补正要求并重新提交",
            }),
            FilingState::Draft => asks.push(Ask {
                kind: "提交申报",
                title: f.project.name.clone(),
                details: vec![format!("{}申报草稿尚未提交", f.tier.label())],
                href: format!("/filings/{}", f.id),
                action: "完善并提交",
            }),
            _ => {}
        }
    }
    // Sheets whose every item is settled, waiting for the owner's sign-off.
    let mut page = 1;
    loop {
        let sheets = service_sheets::list(
            &state.db,
            actor,
            SheetQuery {
                officer_id: None,
                page: Some(page),
                per_page: Some(MAX_PER_PAGE),
            },
        )
        .await?;
        let done = sheets.items.len() < MAX_PER_PAGE as usize;
        for s in sheets.items {
            if s.signed_off_at.is_some() {
                continue;
            }
            let settled = s.items.iter().all(|i| {
                !i.status.is_open()
                    && (i.status != ItemStatus::Cancelled
                        || i.cancel_reason
                            .as_deref()
                            .is_some_and(|r| !r.trim().is_empty()))
            });
            let open_items = s.items.iter().filter(|i| i.status.is_open()).count();
            asks.push(Ask {
                kind: if settled {
                    "服务单签收"
                } else {
                    "服务单"
                },
                title: s.project_name.clone(),
                details: vec![if settled {
                    format!(
                        "服务事项已全部办结，请确认签收（责任人：{}）",
                        s.officer_name
                    )
                } else {
                    format!(
                        "尚有{open_items}项服务事项办理中（责任人：{}）",
                        s.officer_name
                    )
                }],
                href: format!("/service-sheets/{}", s.id),
                action: if settled {
                    "查看并签收"
                } else {
                    "查看服务单"
                },
            });
        }
        if done {
            break;
        }
        page += 1;
    }
    // Projects that need an EIA and have no filing under way.
    let mut page = 1;
    loop {
        let got = projects::list(
            &state.db,
            &state.settings,
            actor,
            ProjectQuery {
                classification: Some("required".into()),
                page: Some(page),
                per_page: Some(MAX_PER_PAGE),
                ..Default::default()
            },
        )
        .await?;
        let done = got.items.len() < MAX_PER_PAGE as usize;
        for p in got.items {
            let needs = match &p.current_filing {
                None => Some("该项目须办理环评手续，尚未申报".to_owned()),
                Some(c) if matches!(c.state, FilingState::Withdrawn | FilingState::Refused) => {
                    Some(format!("上次申报{}，可重新申报", c.state_label))
                }
                Some(_) => None,
            };
            if let Some(why) = needs {
                asks.push(Ask {
                    kind: "新建申报",
                    title: p.name.clone(),
                    details: vec![why],
                    href: format!("/projects/{}/filings/new", p.id),
                    action: "新建环评申报",
                });
            }
        }
        if done {
            break;
        }
        page += 1;
    }
    Ok(asks)
}

//! The work queue (`/filings`, 工作台): the officer's own filings, the shared queue to claim
//! from, those due soon and those overdue, each with its statutory and committed due dates and
//! the working days left.
use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde::Deserialize;

use super::ledger::{PER_PAGE, date, days_badge};
use super::page::{self, Chrome, Problems, WebResult};
use super::pager::Pager;
use super::session::{WebForm, WebUser};
use crate::domain::filing::{ClockKind, FilingClock};
use crate::domain::role::Role;
use crate::error::Error;
use crate::http::AppState;
use crate::services::filings::{self, FilingQuery};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/filings", get(queue))
        .route("/filings/claim", post(claim))
}

struct Tab {
    href: String,
    label: &'static str,
    current: bool,
}

struct QueueRow {
    id: i64,
    project_id: i64,
    project: String,
    county: String,
    owner: String,
    tier: &'static str,
    state: &'static str,
    statutory_due: String,
    committed_due: String,
    days: String,
    days_class: &'static str,
    handler: String,
    claimable: bool,
}

#[derive(Template)]
#[template(path = "queue/list.html")]
struct QueuePage {
    chrome: Chrome,
    tabs: Vec<Tab>,
    tab: String,
    tab_label: &'static str,
    q: String,
    rows: Vec<QueueRow>,
    total: u64,
    pager: Pager,
    promised: bool,
    can_claim: bool,
    problems: Problems,
    /// Officers and admins import the national system's lists.
    imports_lists: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct QueueQuery {
    tab: String,
    q: String,
    page: String,
}

const TABS: [(&str, &str); 5] = [
    ("mine", "我的待办"),
    ("claim", "待认领"),
    ("soon", "即将到期"),
    ("overdue", "已超期"),
    ("all", "全部"),
];

/// The due date of the clock that runs now (acceptance while submitted, decision after).
fn due_of(clock: Option<&FilingClock>) -> Option<chrono::NaiveDate> {
    let c = clock?;
    match c.clock? {
        ClockKind::Acceptance => c.acceptance_due,
        ClockKind::Decision => c.decision_due,
    }
}

async fn queue(
    State(state): State<AppState>,
    user: WebUser,
    Query(raw): Query<Vec<(String, String)>>,
) -> WebResult {
    user.require(&[Role::Officer, Role::Admin, Role::Leader])?;
    let form: QueueQuery = serde_urlencoded::from_str(
        &form_urlencoded::Serializer::new(String::new())
            .extend_pairs(raw.iter())
            .finish(),
    )
    .map_err(|e| Error::malformed(format!("筛选条件无法读取：{e}")))?;
    let officer = user.role() == Role::Officer;
    let tab = match form.tab.as_str() {
        "" if officer => "mine",
        "" => "all",
        t if TABS.iter().any(|(k, _)| *k == t) => t,
        _ => "all",
    };
    let page_no = form.page.trim().parse::<u64>().ok().filter(|p| *p >= 1);
    let filter = match tab {
        "mine" => "assigned=me",
        "claim" => "assigned=none",
        "soon" => "due=soon",
        "overdue" => "due=overdue",
        _ => "",
    };
    let mut query: FilingQuery = serde_urlencoded::from_str(filter)
        .map_err(|e| Error::Internal(anyhow::anyhow!("queue filter: {e}")))?;
    query.q = Some(form.q.clone()).filter(|q| !q.trim().is_empty());
    query.page = Some(page_no.unwrap_or(1));
    query.per_page = Some(PER_PAGE);
    let (page, problems) =
        match filings::list(&state.db, &state.settings, &user.actor, query.clone()).await {
            Ok(page) => (Some(page), Problems::default()),
            Err(err @ Error::Invalid(_)) => (None, Problems::of(&err)),
            Err(other) => return Err(other.into()),
        };

    // With a local promise the clocks run to the promised (shorter) limits; the statutory
    // dates come from the same filings counted without it.
    let clocks = &state.settings.clocks;
    let promised = clocks.promised_report_days > 0 || clocks.promised_report_form_days > 0;
    let mut statutory: HashMap<i64, Option<chrono::NaiveDate>> = HashMap::new();
    if promised && let Some(page) = &page {
        let mut plain = (*state.settings).clone();
        plain.clocks.promised_report_days = 0;
        plain.clocks.promised_report_form_days = 0;
        for id in page.items.iter().map(|f| f.id) {
            if let Ok(v) = filings::get(&state.db, &plain, &user.actor, id).await {
                statutory.insert(id, due_of(v.clock.as_ref()));
            }
        }
    }

    let (rows, total, pager) = match page {
        Some(page) => {
            let rows: Vec<QueueRow> = page
                .items
                .iter()
                .map(|f| {
                    let clock = f.clock.as_ref();
                    let open = f.state.clock_runs();
                    let due = due_of(clock).filter(|_| open);
                    let (days, days_class) = if open {
                        days_badge(clock.map(|c| c.days_left), clock.is_some_and(|c| c.overdue))
                    } else {
                        (String::new(), "")
                    };
                    let statutory_due = if promised {
                        statutory.get(&f.id).copied().flatten().filter(|_| open)
                    } else {
                        due
                    };
                    QueueRow {
                        id: f.id,
                        project_id: f.project.id,
                        project: f.project.name.clone(),
                        county: f.project.county_name.clone(),
                        owner: f.project.organization_name.clone(),
                        tier: f.tier.label(),
                        state: f.state_label,
                        statutory_due: date(statutory_due),
                        committed_due: if promised { date(due) } else { String::new() },
                        days,
                        days_class,
                        handler: f
                            .handler
                            .as_ref()
                            .map(|h| h.name.clone())
                            .unwrap_or_else(|| "待认领".into()),
                        claimable: officer && f.officer_id.is_none() && tab == "claim",
                    }
                })
                .collect();
            (
                rows,
                page.total,
                Pager::keeping("/filings", &raw, page.page, page.per_page, page.total),
            )
        }
        None => (Vec::new(), 0, Pager::default()),
    };
    let tab_label = TABS
        .iter()
        .find(|(k, _)| *k == tab)
        .map(|(_, l)| *l)
        .unwrap_or("全部");
    page::render_with(
        if problems.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        QueuePage {
            imports_lists: user.role().keeps_ledger(),
            chrome: user.chrome("工作台"),
            tabs: TABS
                .iter()
                .filter(|(k, _)| officer || !matches!(*k, "mine" | "claim"))
                .map(|(k, l)| Tab {
                    href: format!("/filings?tab={k}"),
                    label: l,
                    current: *k == tab,
                })
                .collect(),
            tab: tab.to_owned(),
            tab_label,
            q: form.q,
            rows,
            total,
            pager,
            promised,
            can_claim: officer,
            problems,
        },
    )
}

#[derive(Deserialize)]
struct ClaimForm {
    filing_id: i64,
}

async fn claim(
    State(state): State<AppState>,
    user: WebUser,
    WebForm(form): WebForm<ClaimForm>,
) -> WebResult {
    user.require(&[Role::Officer])?;
    match filings::claim(&state.db, &state.settings, &user.actor, form.filing_id).await {
        Ok(f) => Ok(page::redirect_with(
            "/filings?tab=mine",
            "ok",
            &format!("已认领：{}", f.project.name),
        )),
        Err(err @ Error::Conflict { .. }) => Ok(page::redirect_with(
            "/filings?tab=claim",
            "error",
            &format!("未能认领：{err}"),
        )),
        Err(other) => Err(other.into()),
    }
}

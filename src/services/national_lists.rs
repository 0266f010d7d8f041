//! The national system's published lists (全国建设项目环评统一申报和审批系统, docs/domain.md §7)
//! reconciled into the ledger: a 受理公示 list enters submissions and acceptances, a 审批决定公告
//! list the remaining steps and the approvals, each dated on the list's date and marked as
//! taken in the national system. Rows are matched to projects by project code or exact name,
//! never guessed; what cannot be matched is listed for an officer to match by hand.
//!
//! The dry run and the apply take the same path: every planned step goes through
//! `filings::apply` in one transaction, which a dry run rolls back. So the dry run shows what
//! the apply will do, the apply is all or nothing, and a list imported twice finds every row
//! unchanged the second time.
use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::Serialize;

use crate::config::Settings;
use crate::domain::filing::{Action, FilingState, StepSource, Tier};
use crate::domain::ledger::Tier as LedgerTier;
use crate::error::{Error, Result};
use crate::excel::Problem;
use crate::excel::read::{Cell, Column, Grid, Header, compact, date};
use crate::services::filings::{self, ActionRequest};
use crate::services::{Actor, audit, today};
use entity::{filing, filing_event, project};

/// The columns of both lists; the kind of list is told by which of them the file has.
mod key {
    pub const NAME: &str = "name";
    pub const PROJECT_CODE: &str = "project_code";
    pub const LOCATION: &str = "location";
    pub const ORGANIZATION: &str = "organization";
    pub const AGENCY: &str = "agency";
    pub const REPORT_KIND: &str = "report_kind";
    pub const ACCEPTED_ON: &str = "accepted_on";
    pub const DECISION_NO: &str = "decision_no";
    pub const DECIDED_ON: &str = "decided_on";
}

const fn c(key: &'static str, names: &'static [&'static str]) -> Column {
    Column { key, names }
}

const COLUMNS: &[Column] = &[
    c(key::NAME, &["项目名称", "建设项目名称", "项目名"]),
    c(
        key::PROJECT_CODE,
        &[
            "项目代码",
            "投资项目统一代码",
            "项目统一代码",
            "统一项目代码",
        ],
    ),
    c(key::LOCATION, &["建设地点", "项目地点", "建设地址"]),
    c(key::ORGANIZATION, &["建设单位", "建设单位名称", "项目单位"]),
    c(
        key::AGENCY,
        &["环境影响评价机构", "环评机构", "环评单位", "编制单位"],
    ),
    c(
        key::REPORT_KIND,
        &["报告类别", "环评文件类别", "报告类型", "文件类型"],
    ),
    c(key::ACCEPTED_ON, &["受理日期", "受理时间"]),
    c(
        key::DECISION_NO,
        &["审批文号", "批复文号", "审批决定文号", "文号"],
    ),
    c(
        key::DECIDED_ON,
        &[
            "审批时间",
            "审批日期",
            "批复时间",
            "批复日期",
            "审批决定日期",
        ],
    ),
];

/// Which list a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// 受理公示 — the filings the national system accepted, with their dates.
    Acceptance,
    /// 审批决定公告 — the decisions it announced, with their numbers and dates.
    Decision,
}

impl ListKind {
    pub const fn label(self) -> &'static str {
        match self {
            ListKind::Acceptance => "受理公示",
            ListKind::Decision => "审批决定公告",
        }
    }

    /// The column holding the list's date.
    const fn date_key(self) -> &'static str {
        match self {
            ListKind::Acceptance => key::ACCEPTED_ON,
            ListKind::Decision => key::DECIDED_ON,
        }
    }

    const fn date_title(self) -> &'static str {
        match self {
            ListKind::Acceptance => "受理日期",
            ListKind::Decision => "审批时间",
        }
    }
}

/// One step the list enters (or, in a dry run, would enter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlannedStep {
    /// The row number Excel shows.
    pub row: u32,
    pub project_id: i64,
    pub project_code: String,
    pub project_name: String,
    /// The filing it moves; `None` when the step's draft is new (a dry run does not keep it).
    pub filing_id: Option<i64>,
    /// `create` for a new draft, else the action's code.
    pub action: String,
    pub action_label: String,
    pub effective_on: NaiveDate,
    /// The decision number an approval carries.
    pub number: Option<String>,
}

/// A matched row whose steps are on the record already.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct UnchangedRow {
    pub row: u32,
    pub project_id: i64,
    pub project_code: String,
    pub project_name: String,
    pub filing_id: i64,
}

/// A row matched to no project, or to several: an officer matches it by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct UnmatchedRow {
    pub row: u32,
    /// The 项目名称 as the list has it.
    pub name: String,
    /// The 项目代码, when the list has one.
    pub project_code: Option<String>,
    pub reason: String,
}

/// `POST /filings/national-lists`: what the list enters, what it finds already there, what it
/// cannot match and what is wrong with it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NationalOutcome {
    pub dry_run: bool,
    pub kind: ListKind,
    /// 受理公示 or 审批决定公告.
    pub kind_label: String,
    /// Data rows read.
    pub rows: u32,
    pub steps: Vec<PlannedStep>,
    pub unchanged: Vec<UnchangedRow>,
    pub unmatched: Vec<UnmatchedRow>,
    /// Problems by Excel row and column; any of them and nothing is written.
    pub problems: Vec<crate::excel::Problem>,
}

/// One data row as read.
struct ListRow {
    row: u32,
    name: String,
    code: Option<String>,
    on: Option<NaiveDate>,
    number: Option<String>,
    report_kind: Option<String>,
}

/// What a matched row needs.
enum Plan {
    Unchanged(i64),
    Steps {
        /// The filing to move, or `None` for a new draft of the project's tier.
        filing: Option<i64>,
        actions: Vec<Action>,
    },
}

/// Reads the list, matches its rows, and enters the steps they need (or only shows them, with
/// `dry_run`). `matches` are an officer's hand matches: Excel row → project code.
#[tracing::instrument(name = "national_lists::import", skip_all, fields(actor_id = actor.id, dry_run, bytes = bytes.len()))]
pub async fn import(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    bytes: &[u8],
    dry_run: bool,
    matches: &[(u32, String)],
) -> Result<NationalOutcome> {
    actor.require_keeper()?;
    let grid = Grid::open(bytes).map_err(|e| Error::Invalid(vec![e]))?;
    let header = grid
        .header(COLUMNS, &[key::NAME])
        .map_err(|e| Error::Invalid(vec![e]))?;
    let kind = list_kind(&header)?;
    let mut problems = Vec::new();
    let rows = read_rows(&grid, &header, kind, &mut problems);

    let projects: Vec<project::Model> = project::Entity::find()
        .filter(project::Column::RemovedAt.is_null())
        .order_by_asc(project::Column::Id)
        .all(db)
        .await?;
    let by_code: HashMap<String, usize> = projects
        .iter()
        .enumerate()
        .map(|(i, p)| (compact(&p.project_code), i))
        .collect();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in projects.iter().enumerate() {
        by_name.entry(compact(&p.name)).or_default().push(i);
    }
    let hand: HashMap<u32, &str> = matches.iter().map(|(r, c)| (*r, c.as_str())).collect();
    let name_title = header.title(key::NAME, "项目名称").to_owned();
    let date_title = header.title(kind.date_key(), kind.date_title()).to_owned();
    let number_title = header.title(key::DECISION_NO, "审批文号").to_owned();

    let mut outcome = NationalOutcome {
        dry_run,
        kind,
        kind_label: kind.label().to_owned(),
        rows: rows.len() as u32,
        steps: Vec::new(),
        unchanged: Vec::new(),
        unmatched: Vec::new(),
        problems: Vec::new(),
    };
    for &row in hand.keys() {
        if !rows.iter().any(|r| r.row == row) {
            problems.push(Problem::new(
                row,
                "匹配",
                format!("第{row}行不是名单中的数据行，不能手工匹配"),
            ));
        }
    }

    // Each row's project: by hand, by code, or by exact name.
    let mut matched: Vec<(&ListRow, &project::Model)> = Vec::new();
    let mut seen: HashMap<i64, u32> = HashMap::new();
    for r in &rows {
        let found = if let Some(code) = hand.get(&r.row) {
            match by_code.get(&compact(code)) {
                Some(&i) => Some(i),
                None => {
                    problems.push(Problem::new(
                        r.row,
                        "匹配",
                        format!("手工匹配的项目代码“{code}”不在台账中"),
                    ));
                    continue;
                }
            }
        } else if let Some(code) = &r.code {
            match by_code.get(&compact(code)) {
                Some(&i) => Some(i),
                None => {
                    outcome.unmatched.push(UnmatchedRow {
                        row: r.row,
                        name: r.name.clone(),
                        project_code: Some(code.clone()),
                        reason: format!("台账中没有项目代码为“{code}”的项目"),
                    });
                    None
                }
            }
        } else {
            match by_name.get(&compact(&r.name)).map(Vec::as_slice) {
                Some([i]) => Some(*i),
                Some(several) => {
                    let codes: Vec<&str> = several
                        .iter()
                        .map(|&i| projects[i].project_code.as_str())
                        .collect();
                    outcome.unmatched.push(UnmatchedRow {
                        row: r.row,
                        name: r.name.clone(),
                        project_code: None,
                        reason: format!(
                            "台账中有{}个同名项目（{}），请填写项目代码",
                            several.len(),
                            codes.join("、")
                        ),
                    });
                    None
                }
                None => {
                    outcome.unmatched.push(UnmatchedRow {
                        row: r.row,
                        name: r.name.clone(),
                        project_code: None,
                        reason: "台账中没有同名项目".into(),
                    });
                    None
                }
            }
        };
        let Some(i) = found else { continue };
        let p = &projects[i];
        if let Some(first) = seen.insert(p.id, r.row) {
            problems.push(Problem::new(
                r.row,
                name_title.clone(),
                format!(
                    "与第{first}行是同一项目（{}），每个项目只能出现一次",
                    p.project_code
                ),
            ));
            continue;
        }
        matched.push((r, p));
    }

    let txn = db.begin().await?;
    // Plans first, against the record as it is; then the steps, if nothing is wrong.
    let mut planned: Vec<(&ListRow, &project::Model, Plan, NaiveDate)> = Vec::new();
    for (r, p) in matched {
        let Some(on) = r.on else { continue };
        let problem = |column: &str, message: String| Problem::new(r.row, column, message);
        let tier = match tier_of(p) {
            Ok(tier) => tier,
            Err(message) => {
                problems.push(problem(&name_title, message));
                continue;
            }
        };
        if let Some(kind_text) = &r.report_kind
            && let Some(listed) = listed_tier(kind_text)
            && listed != tier
        {
            problems.push(problem(
                header.title(key::REPORT_KIND, "报告类别"),
                format!(
                    "名单的报告类别为{}，台账中该项目为{}",
                    listed.label(),
                    tier.label()
                ),
            ));
            continue;
        }
        let latest = filing::Entity::find()
            .filter(filing::Column::ProjectId.eq(p.id))
            .order_by_desc(filing::Column::Id)
            .one(&txn)
            .await?;
        let events = match &latest {
            Some(f) => filings::live_events(&txn, f.id).await?,
            None => Vec::new(),
        };
        match plan(kind, latest.as_ref(), &events, on, r.number.as_deref(), p) {
            Ok(plan) => {
                let previous = events.last().map(|e| e.effective_on);
                if let (
                    Plan::Steps {
                        filing: Some(_), ..
                    },
                    Some(previous),
                ) = (&plan, previous)
                    && on < previous
                {
                    problems.push(problem(
                        &date_title,
                        format!("{on}早于该申报上一环节的日期（{previous}）"),
                    ));
                    continue;
                }
                planned.push((r, p, plan, on));
            }
            Err((number_column, message)) => problems.push(problem(
                if number_column {
                    &number_title
                } else {
                    &date_title
                },
                message,
            )),
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.row);
        outcome.problems = problems;
        return finish(txn, dry_run, outcome).await;
    }

    for (r, p, plan, on) in planned {
        let (filing_id, actions) = match plan {
            Plan::Unchanged(filing_id) => {
                outcome.unchanged.push(UnchangedRow {
                    row: r.row,
                    project_id: p.id,
                    project_code: p.project_code.clone(),
                    project_name: p.name.clone(),
                    filing_id,
                });
                continue;
            }
            Plan::Steps { filing, actions } => (filing, actions),
        };
        let step = |filing_id: Option<i64>, action: &str, label: &str, number: Option<String>| {
            PlannedStep {
                row: r.row,
                project_id: p.id,
                project_code: p.project_code.clone(),
                project_name: p.name.clone(),
                filing_id,
                action: action.to_owned(),
                action_label: label.to_owned(),
                effective_on: on,
                number,
            }
        };
        let mut f = match filing_id {
            Some(id) => filing::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or_else(|| Error::not_found("申报"))?,
            None => {
                let tier = tier_of(p).map_err(|m| Error::invalid("file", m))?;
                filings::insert_draft(&txn, actor, p.id, tier).await?
            }
        };
        // A dry run's new draft is rolled back: its id is not one to show.
        let shown_id = (filing_id.is_some() || !dry_run).then_some(f.id);
        if filing_id.is_none() {
            outcome
                .steps
                .push(step(shown_id, "create", "新建申报（草稿）", None));
        }
        let mut events: Vec<filing_event::Model> = filings::live_events(&txn, f.id).await?;
        for action in actions {
            let number = (action == Action::Approve)
                .then(|| r.number.clone())
                .flatten();
            let req = ActionRequest {
                action,
                version: f.version,
                effective_on: Some(on),
                reason: None,
                missing_items: Vec::new(),
                answers: Vec::new(),
                grounds: Vec::new(),
                decision_text: None,
                evaluator: None,
                on_behalf_of_owner: action == Action::Submit,
                number: number.clone(),
                basis: Vec::new(),
                materials_waived: None,
                source: Some(StepSource::NationalSystem),
            };
            let event = match filings::apply(&txn, settings, actor, &f, p, &events, &req).await {
                Ok(event) => event,
                Err(e @ (Error::Invalid(_) | Error::Conflict { .. } | Error::Forbidden(_))) => {
                    // What the filing's own rules refuse is a problem of this row.
                    let column = if action == Action::Approve {
                        &number_title
                    } else {
                        &date_title
                    };
                    outcome.problems.push(Problem::new(
                        r.row,
                        column.clone(),
                        format!("“{}”不能录入：{}", action.label(), error_text(&e)),
                    ));
                    outcome.steps.clear();
                    outcome.unchanged.clear();
                    return finish(txn, dry_run, outcome).await;
                }
                Err(e) => return Err(e),
            };
            f.state = event.to_state;
            f.version += 1;
            events.push(event);
            outcome
                .steps
                .push(step(shown_id, action.as_str(), action.label(), number));
        }
        audit::record(
            &txn,
            actor,
            "filing",
            f.id,
            "national_list_import",
            serde_json::json!({
                "list": kind, "row": r.row, "effective_on": on,
                "actions": events.iter().rev().take_while(|e| e.effective_on == on && e.detail.source.is_some()).map(|e| e.action).collect::<Vec<_>>(),
            }),
        )
        .await?;
    }
    finish(txn, dry_run, outcome).await
}

/// Ends the import: a dry run writes nothing (the transaction is rolled back); an apply with
/// problems is refused with them; otherwise the steps are committed together.
async fn finish(
    txn: DatabaseTransaction,
    dry_run: bool,
    outcome: NationalOutcome,
) -> Result<NationalOutcome> {
    if dry_run {
        txn.rollback().await?;
        return Ok(outcome);
    }
    if !outcome.problems.is_empty() {
        txn.rollback().await?;
        return Err(Error::Rejected {
            message: format!(
                "{}有{}处问题，未导入任何内容",
                outcome.kind_label,
                outcome.problems.len()
            ),
            problems: outcome.problems,
        });
    }
    txn.commit().await?;
    Ok(outcome)
}

fn error_text(e: &Error) -> String {
    match e {
        Error::Invalid(fields) => fields
            .iter()
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
            .join("；"),
        other => other.to_string(),
    }
}

/// The list's kind from its columns.
fn list_kind(header: &Header) -> Result<ListKind> {
    let acceptance = header.col(key::ACCEPTED_ON).is_some();
    let decision = header.col(key::DECISION_NO).is_some() || header.col(key::DECIDED_ON).is_some();
    match (acceptance, decision) {
        (true, false) => Ok(ListKind::Acceptance),
        (false, true) => {
            let lacking: Vec<&str> = [
                (key::DECISION_NO, "审批文号"),
                (key::DECIDED_ON, "审批时间"),
            ]
            .into_iter()
            .filter(|(k, _)| header.col(k).is_none())
            .map(|(_, t)| t)
            .collect();
            if lacking.is_empty() {
                Ok(ListKind::Decision)
            } else {
                Err(Error::invalid(
                    "file",
                    format!("审批决定公告缺少列“{}”", lacking.join("”“")),
                ))
            }
        }
        (true, true) => Err(Error::invalid(
            "file",
            "同一名单不能既有受理日期又有审批文号/审批时间：请分别导入受理公示和审批决定公告",
        )),
        (false, false) => Err(Error::invalid(
            "file",
            "无法识别名单：受理公示应有“受理日期”列，审批决定公告应有“审批文号”和“审批时间”列",
        )),
    }
}

/// The data rows, with blank or malformed required cells reported by row and column.
fn read_rows(
    grid: &Grid,
    header: &Header,
    kind: ListKind,
    problems: &mut Vec<Problem>,
) -> Vec<ListRow> {
    let text = |cells: &[Cell], k: &str| {
        let t = header.get(cells, k).text();
        (!t.is_empty()).then_some(t)
    };
    let day = today();
    let mut rows = Vec::new();
    for (row, cells) in grid.data_rows(header) {
        let name = text(cells, key::NAME);
        let code = text(cells, key::PROJECT_CODE);
        if name.is_none() && code.is_none() {
            problems.push(Problem::new(
                row,
                header.title(key::NAME, "项目名称"),
                "项目名称不能为空",
            ));
        }
        let date_key = kind.date_key();
        let date_title = header.title(date_key, kind.date_title());
        let on = match date(header.get(cells, date_key)) {
            Ok(Some(on)) if on > day => {
                problems.push(Problem::new(
                    row,
                    date_title,
                    format!("{on}晚于今天，名单只能录入已办理的环节"),
                ));
                None
            }
            Ok(Some(on)) => Some(on),
            Ok(None) => {
                problems.push(Problem::new(
                    row,
                    date_title,
                    format!("{}不能为空", kind.date_title()),
                ));
                None
            }
            Err(bad) => {
                problems.push(Problem::new(
                    row,
                    date_title,
                    format!("“{bad}”不是日期，应如 2023-11-06 或 2023年11月6日"),
                ));
                None
            }
        };
        let number = text(cells, key::DECISION_NO);
        if kind == ListKind::Decision {
            let title = header.title(key::DECISION_NO, "审批文号");
            match &number {
                None => problems.push(Problem::new(row, title, "审批文号不能为空")),
                Some(n) if n.chars().count() > 60 => {
                    problems.push(Problem::new(row, title, "审批文号不超过60字"))
                }
                Some(_) => {}
            }
        }
        rows.push(ListRow {
            row,
            name: name.unwrap_or_default(),
            code,
            on,
            number,
            report_kind: text(cells, key::REPORT_KIND),
        });
    }
    rows
}

/// The filing tier of a project, or why the list cannot concern it.
fn tier_of(p: &project::Model) -> std::result::Result<Tier, String> {
    match p.current_tier {
        None => Err(format!("项目“{}”尚未分类，请先分类再导入", p.name)),
        Some(LedgerTier::Exempt) => {
            Err(format!("项目“{}”按分类无须环评，不应出现在名单中", p.name))
        }
        Some(LedgerTier::RegistrationForm) => Err(format!(
            "项目“{}”为登记表项目，登记表备案不经受理和审批",
            p.name
        )),
        Some(t) => Tier::try_from(t).map_err(|_| "无须环评".to_owned()),
    }
}

/// The tier a 报告类别 cell names, if it names one.
fn listed_tier(text: &str) -> Option<Tier> {
    if text.contains("报告书") {
        Some(Tier::Report)
    } else if text.contains("报告表") {
        Some(Tier::ReportForm)
    } else if text.contains("登记表") {
        Some(Tier::RegistrationForm)
    } else {
        None
    }
}

/// The date of the latest live step with `action`.
fn on_of(events: &[filing_event::Model], action: Action) -> Option<NaiveDate> {
    events
        .iter()
        .rev()
        .find(|e| e.action == action)
        .map(|e| e.effective_on)
}

/// The steps a matched row needs from the project's latest filing, as the state machine
/// requires; `Err((on the number column, message))` where the record and the list disagree.
fn plan(
    kind: ListKind,
    latest: Option<&filing::Model>,
    events: &[filing_event::Model],
    on: NaiveDate,
    number: Option<&str>,
    p: &project::Model,
) -> std::result::Result<Plan, (bool, String)> {
    use FilingState as S;
    let state = latest.map(|f| f.state);
    match kind {
        ListKind::Acceptance => {
            let steps = |filing: Option<i64>, actions: Vec<Action>| {
                if p.built_before_approval && !p.penalty_settled {
                    Err((
                        false,
                        "项目未批先建且处罚尚未履行完毕，不能录入受理".to_owned(),
                    ))
                } else {
                    Ok(Plan::Steps { filing, actions })
                }
            };
            match latest.map(|f| (f, f.state)) {
                None | Some((_, S::Refused | S::Withdrawn)) => {
                    steps(None, vec![Action::Submit, Action::Accept])
                }
                Some((f, S::Draft)) => steps(Some(f.id), vec![Action::Submit, Action::Accept]),
                Some((f, S::Submitted)) => steps(Some(f.id), vec![Action::Accept]),
                Some((_, S::CorrectionRequested)) => Err((
                    false,
                    "该申报待补正：请先录入补正后重新提交，再导入受理".to_owned(),
                )),
                Some((f, _)) => match on_of(events, Action::Accept) {
                    Some(accepted) if accepted == on => Ok(Plan::Unchanged(f.id)),
                    Some(accepted) => Err((
                        false,
                        format!("该申报已于{accepted}受理，与名单的受理日期{on}不符"),
                    )),
                    None => Err((
                        false,
                        format!("该申报为“{}”，没有受理记录", f.state.label()),
                    )),
                },
            }
        }
        ListKind::Decision => {
            let number = number.unwrap_or_default();
            let remaining: &[Action] = match state {
                Some(S::Accepted) => &[
                    Action::StartEvaluation,
                    Action::FinishEvaluation,
                    Action::Approve,
                ],
                Some(S::TechnicalEvaluation) => &[Action::FinishEvaluation, Action::Approve],
                Some(S::PreDecisionNotice) => &[Action::Approve],
                Some(S::Approved) => {
                    let f = latest.expect("a filing");
                    let stored = f.decision_no.as_deref().unwrap_or_default();
                    let decided = on_of(events, Action::Approve);
                    return if compact(stored) != compact(number) {
                        Err((
                            true,
                            format!("该申报已批复，文号为“{stored}”，与名单的“{number}”不符"),
                        ))
                    } else if decided != Some(on) {
                        Err((
                            false,
                            format!(
                                "该申报已于{}批复，与名单的审批时间{on}不符",
                                decided.map(|d| d.to_string()).unwrap_or_default()
                            ),
                        ))
                    } else {
                        Ok(Plan::Unchanged(f.id))
                    };
                }
                Some(S::Disapproved) => {
                    return Err((false, "该申报已不予批准，不能按名单录入批复".to_owned()));
                }
                None | Some(_) => {
                    let now = state.map_or("尚无申报".to_owned(), |s| {
                        format!("申报为“{}”", s.label())
                    });
                    return Err((
                        false,
                        format!("该项目尚未受理（{now}）：请先导入其受理公示名单"),
                    ));
                }
            };
            Ok(Plan::Steps {
                filing: latest.map(|f| f.id),
                actions: remaining.to_vec(),
            })
        }
    }
}

//! The ledger (`/projects`) and a project's page (`/projects/{id}`): filters, pinyin order and
//! paging over `services::projects`; the project's facts with an edit form under its version,
//! its classification with the catalogue's words and a classify form built from the rows' fact
//! schema, its filings, service sheet and audit trail.
use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;

use super::page::{self, Chrome, Problems, WebResult};
use super::pager::Pager;
use super::session::{FormPairs, WebUser};
use crate::domain::classification::{Catalog, FactKind, row_schema};
use crate::domain::filing::FilingState;
use crate::domain::ledger::{INDUSTRIES, Tier};
use crate::domain::money::Wan;
use crate::domain::role::Role;
use crate::error::{Error, ErrorCode};
use crate::http::AppState;
use crate::services::classification::{self, ClassifyRequest};
use crate::services::projects::{self, LevelFilter, ProjectPatch, ProjectQuery, ProjectSort};
use crate::services::{self, Code, audit, counties, filings, service_sheets};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projects", get(ledger))
        .route("/projects/export.xlsx", get(export))
        .route("/projects/{id}", get(project_page).post(edit_project))
        .route("/projects/{id}/classification", post(classify))
}

pub(super) const PER_PAGE: u64 = 50;

/// One option of a `<select>`.
pub(super) struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub(super) fn opts(pairs: &[(&str, &str)], current: &str) -> Vec<Opt> {
    pairs
        .iter()
        .map(|(v, l)| Opt {
            value: (*v).to_owned(),
            label: (*l).to_owned(),
            selected: *v == current,
        })
        .collect()
}

/// `2023-06-30`, or empty.
pub(super) fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The badge for days left on a clock: overdue red, three days or fewer amber.
pub(super) fn days_badge(days_left: Option<i64>, overdue: bool) -> (String, &'static str) {
    match days_left {
        _ if overdue => (
            match days_left {
                Some(d) if d < 0 => format!("已超期{}天", -d),
                _ => "已超期".to_owned(),
            },
            "badge-danger",
        ),
        Some(d) if d <= 3 => (format!("剩{d}天"), "badge-warn"),
        Some(d) => (format!("剩{d}天"), "badge-ok"),
        None => (String::new(), ""),
    }
}

fn level_label(provincial: bool, municipal: bool) -> &'static str {
    match (provincial, municipal) {
        (true, true) => "省级、市级",
        (true, false) => "省级",
        (false, true) => "市级",
        (false, false) => "—",
    }
}

fn tier_label(tier: Option<Tier>) -> &'static str {
    match tier {
        Some(Tier::Exempt) => "豁免",
        Some(t) => t.label(),
        None => "未分类",
    }
}

// ---------------------------------------------------------------------------------------------
// The ledger
// ---------------------------------------------------------------------------------------------

/// The ledger's filters as the GET form sends them; blank is no filter.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LedgerQuery {
    county: String,
    level: String,
    tier: String,
    state: String,
    overdue: String,
    p2p: String,
    accepted: String,
    q: String,
    sort: String,
    order: String,
    page: Option<String>,
}

struct Row {
    id: i64,
    name: String,
    code: String,
    owner: String,
    county: String,
    level: &'static str,
    tier: &'static str,
    investment: String,
    state: String,
    due: String,
    days: String,
    days_class: &'static str,
    p2p: bool,
}

#[derive(Template)]
#[template(path = "ledger/list.html")]
struct LedgerPage {
    chrome: Chrome,
    counties: Vec<Opt>,
    levels: Vec<Opt>,
    tiers: Vec<Opt>,
    states: Vec<Opt>,
    overdue: Vec<Opt>,
    p2p: Vec<Opt>,
    accepted: Vec<Opt>,
    sorts: Vec<Opt>,
    orders: Vec<Opt>,
    q: String,
    rows: Vec<Row>,
    total: u64,
    first: u64,
    last: u64,
    pager: Pager,
    problems: Problems,
    /// The 导出Excel link: this page's filters and order.
    export_href: String,
}

fn yes_no(value: &str, field: &str, errors: &mut Vec<crate::domain::FieldError>) -> Option<bool> {
    match value {
        "" => None,
        "true" => Some(true),
        "false" => Some(false),
        _ => {
            errors.push(crate::domain::FieldError::new(field, "应为“是”或“否”"));
            None
        }
    }
}

/// The ledger page's query as the service takes it: the filters, the order and the problems
/// found reading them (a query that cannot be read at all is a 400).
struct Parsed {
    form: LedgerQuery,
    query: ProjectQuery,
    sort: ProjectSort,
    descending: bool,
    errors: Vec<crate::domain::FieldError>,
}

fn parse_ledger_query(raw: &[(String, String)]) -> Result<Parsed, Error> {
    let form: LedgerQuery = serde_urlencoded::from_str(
        &form_urlencoded::Serializer::new(String::new())
            .extend_pairs(raw.iter())
            .finish(),
    )
    .map_err(|e| Error::malformed(format!("筛选条件无法读取：{e}")))?;

    let mut errors = Vec::new();
    let page_no = match form.page.as_deref().map(str::trim) {
        None | Some("") => 1,
        Some(p) => p
            .parse::<u64>()
            .ok()
            .filter(|p| *p >= 1)
            .unwrap_or_else(|| {
                errors.push(crate::domain::FieldError::new("page", "页码应为正整数"));
                1
            }),
    };
    let level = match form.level.as_str() {
        "provincial" => Some(LevelFilter::Provincial),
        "municipal" => Some(LevelFilter::Municipal),
        "" => None,
        _ => {
            errors.push(crate::domain::FieldError::new("level", "未知的项目级别"));
            None
        }
    };
    let filing_state = match form.state.as_str() {
        "" => None,
        s => Some(
            FilingState::ALL
                .into_iter()
                .find(|x| x.as_str() == s)
                .map_or(Code::Unknown, Code::Known),
        ),
    };
    let sort = match form.sort.as_str() {
        "" | "id" => ProjectSort::Id,
        "name" => ProjectSort::Name,
        "investment" => ProjectSort::Investment,
        "listed" => ProjectSort::Listed,
        "due" => ProjectSort::Due,
        _ => {
            errors.push(crate::domain::FieldError::new("sort", "未知的排序方式"));
            ProjectSort::Id
        }
    };
    let query = ProjectQuery {
        page: Some(page_no),
        per_page: Some(PER_PAGE),
        county: Some(form.county.clone()).filter(|c| !c.is_empty()),
        level,
        classification: Some(form.tier.clone()).filter(|c| !c.is_empty()),
        q: Some(form.q.clone()).filter(|c| !c.trim().is_empty()),
        point_to_point: yes_no(&form.p2p, "p2p", &mut errors),
        filing_state,
        accepted: yes_no(&form.accepted, "accepted", &mut errors),
        overdue: yes_no(&form.overdue, "overdue", &mut errors),
        ..Default::default()
    };
    let descending = form.order == "desc";
    Ok(Parsed {
        form,
        query,
        sort,
        descending,
        errors,
    })
}

/// 导出Excel: the ledger as the page filters and orders it, every page of it.
async fn export(
    State(state): State<AppState>,
    user: WebUser,
    Query(raw): Query<Vec<(String, String)>>,
) -> WebResult {
    user.require(&[Role::Officer, Role::Admin, Role::Leader])?;
    let Parsed {
        query,
        sort,
        descending,
        errors,
        ..
    } = parse_ledger_query(&raw)?;
    if !errors.is_empty() {
        return Err(Error::Invalid(errors).into());
    }
    let file = services::ledger_export::ledger(
        &state.db,
        &state.settings,
        &user.actor,
        query,
        sort,
        descending,
    )
    .await?;
    Ok(crate::excel::write::download(
        file,
        &services::ledger_export::file_name(),
    ))
}

async fn ledger(
    State(state): State<AppState>,
    user: WebUser,
    Query(raw): Query<Vec<(String, String)>>,
) -> WebResult {
    user.require(&[Role::Officer, Role::Admin, Role::Leader])?;
    let Parsed {
        form,
        query,
        sort,
        descending,
        errors,
    } = parse_ledger_query(&raw)?;
    let outcome = if errors.is_empty() {
        projects::list_sorted(
            &state.db,
            &state.settings,
            &user.actor,
            query,
            sort,
            descending,
        )
        .await
    } else {
        Err(Error::Invalid(errors))
    };
    let (status, result, problems) = match outcome {
        Ok(page) => (StatusCode::OK, Some(page), Problems::default()),
        Err(err @ (Error::Invalid(_) | Error::Malformed { .. })) => {
            (StatusCode::UNPROCESSABLE_ENTITY, None, Problems::of(&err))
        }
        Err(other) => return Err(other.into()),
    };

    let all_counties = counties::list(
        &state.db,
        services::paging::PageQuery {
            page: None,
            per_page: Some(200),
        },
    )
    .await?;
    let counties: Vec<Opt> = all_counties
        .items
        .iter()
        .map(|c| Opt {
            value: c.code.clone(),
            label: c.name.clone(),
            selected: c.code == form.county,
        })
        .collect();
    let states: Vec<Opt> = FilingState::ALL
        .iter()
        .map(|s| Opt {
            value: s.as_str().to_owned(),
            label: s.label().to_owned(),
            selected: s.as_str() == form.state,
        })
        .collect();
    let yes_no_opts =
        |current: &str, yes: &str, no: &str| opts(&[("true", yes), ("false", no)], current);

    let (rows, total, pager, first, last) = match result {
        Some(page) => {
            let rows = page
                .items
                .into_iter()
                .map(|p| {
                    let f = p.current_filing.as_ref();
                    let (days, days_class) = f
                        .map(|f| days_badge(f.days_left, f.overdue))
                        .unwrap_or_default();
                    Row {
                        id: p.id,
                        name: p.name.clone(),
                        code: p.project_code.clone(),
                        owner: p.organization.name.clone(),
                        county: p.county.name.clone(),
                        level: level_label(p.provincial, p.municipal),
                        tier: tier_label(p.tier),
                        investment: p.total_investment_wan.to_string(),
                        state: f
                            .map(|f| f.state_label.to_owned())
                            .unwrap_or_else(|| "—".into()),
                        due: date(f.and_then(|f| f.due_on)),
                        days,
                        days_class,
                        p2p: p.point_to_point,
                    }
                })
                .collect::<Vec<_>>();
            let first = if page.total == 0 {
                0
            } else {
                (page.page - 1) * page.per_page + 1
            };
            let last = ((page.page - 1) * page.per_page + rows.len() as u64).min(page.total);
            (
                rows,
                page.total,
                Pager::keeping("/projects", &raw, page.page, page.per_page, page.total),
                first,
                last,
            )
        }
        None => (Vec::new(), 0, Pager::default(), 0, 0),
    };
    page::render_with(
        status,
        LedgerPage {
            chrome: user.chrome("项目台账"),
            export_href: super::pager::keeping_href("/projects/export.xlsx", &raw),
            counties,
            levels: opts(
                &[("provincial", "省级重点"), ("municipal", "市级重点")],
                &form.level,
            ),
            tiers: opts(
                &[
                    ("report", "报告书"),
                    ("report_form", "报告表"),
                    ("registration_form", "登记表"),
                    ("exempt", "豁免"),
                    ("required", "需要环评（全部）"),
                    ("unclassified", "未分类"),
                ],
                &form.tier,
            ),
            states,
            overdue: yes_no_opts(&form.overdue, "已超期", "未超期"),
            p2p: yes_no_opts(&form.p2p, "点对点服务", "非点对点"),
            accepted: yes_no_opts(&form.accepted, "已受理", "未受理"),
            sorts: opts(
                &[
                    ("name", "项目名称（拼音）"),
                    ("investment", "总投资"),
                    ("listed", "列入台账日期"),
                    ("due", "办理期限"),
                ],
                &form.sort,
            ),
            orders: opts(&[("asc", "升序"), ("desc", "降序")], &form.order),
            q: form.q,
            rows,
            total,
            first,
            last,
            pager,
            problems,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// The project page
// ---------------------------------------------------------------------------------------------

/// The values of the edit form, as read or as typed.
#[derive(Debug, Clone, Default)]
struct EditValues {
    version: String,
    name: String,
    project_code: String,
    county: String,
    industry: String,
    investment: String,
    provincial: bool,
    municipal: bool,
    point_to_point: bool,
    built_before_approval: bool,
    penalty_settled: bool,
    listed_on: String,
    status_verified_on: String,
    description: String,
    cross_county_reason: String,
}

impl EditValues {
    fn of(p: &projects::ProjectView) -> EditValues {
        EditValues {
            version: p.version.to_string(),
            name: p.name.clone(),
            project_code: p.project_code.clone(),
            county: p.county.code.clone(),
            industry: p.industry.clone(),
            investment: p.total_investment_wan.to_string(),
            provincial: p.provincial,
            municipal: p.municipal,
            point_to_point: p.point_to_point,
            built_before_approval: p.built_before_approval,
            penalty_settled: p.penalty_settled,
            listed_on: date(Some(p.listed_on)),
            status_verified_on: date(p.status_verified_on),
            description: p.description.clone().unwrap_or_default(),
            cross_county_reason: p.cross_county_reason.clone().unwrap_or_default(),
        }
    }

    fn from_form(form: &FormPairs) -> EditValues {
        let text = |k: &str| form.get(k).unwrap_or_default().trim().to_owned();
        let flag = |k: &str| form.get(k).is_some_and(|v| v == "true");
        EditValues {
            version: text("version"),
            name: text("name"),
            project_code: text("project_code"),
            county: text("county"),
            industry: text("industry"),
            investment: text("total_investment_wan"),
            provincial: flag("provincial"),
            municipal: flag("municipal"),
            point_to_point: flag("point_to_point"),
            built_before_approval: flag("built_before_approval"),
            penalty_settled: flag("penalty_settled"),
            listed_on: text("listed_on"),
            status_verified_on: text("status_verified_on"),
            description: form.get("description").unwrap_or_default().to_owned(),
            cross_county_reason: text("cross_county_reason"),
        }
    }

    /// The patch the form stands for; fields it cannot read are problems.
    fn patch(&self) -> Result<ProjectPatch, Error> {
        let mut errors = Vec::new();
        let version = self.version.parse::<i32>().unwrap_or_else(|_| {
            errors.push(crate::domain::FieldError::new(
                "version",
                "版本号无效，请刷新页面",
            ));
            0
        });
        let day = |field: &str, v: &str, errors: &mut Vec<crate::domain::FieldError>| {
            if v.is_empty() {
                return None;
            }
            NaiveDate::parse_from_str(v, "%Y-%m-%d").ok().or_else(|| {
                errors.push(crate::domain::FieldError::new(
                    field,
                    "日期格式应为 YYYY-MM-DD",
                ));
                None
            })
        };
        let investment = match Wan::parse(&self.investment) {
            Ok(w) => Some(w),
            Err(e) => {
                errors.push(crate::domain::FieldError::new(
                    "total_investment_wan",
                    format!("总投资应为万元金额，最多两位小数（{e}）"),
                ));
                None
            }
        };
        let listed_on = day("listed_on", &self.listed_on, &mut errors);
        if self.listed_on.is_empty() {
            errors.push(crate::domain::FieldError::new(
                "listed_on",
                "请填写列入台账日期",
            ));
        }
        let verified = day("status_verified_on", &self.status_verified_on, &mut errors);
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(ProjectPatch {
            version,
            name: Some(self.name.clone()),
            project_code: Some(self.project_code.clone()),
            organization_id: None,
            county: Some(self.county.clone()),
            provincial: Some(self.provincial),
            municipal: Some(self.municipal),
            industry: Some(self.industry.clone()),
            total_investment_wan: investment,
            point_to_point: Some(self.point_to_point),
            built_before_approval: Some(self.built_before_approval),
            penalty_settled: Some(self.penalty_settled),
            listed_on,
            status_verified_on: Some(verified),
            description: Some(Some(self.description.clone()).filter(|d| !d.trim().is_empty())),
            cross_county_reason: Some(self.cross_county_reason.clone()).filter(|r| !r.is_empty()),
        })
    }
}

struct FilingRow {
    id: i64,
    tier: &'static str,
    state: &'static str,
    due: String,
    days: String,
    days_class: &'static str,
    handler: String,
}

struct TrailRow {
    at: String,
    who: String,
    what: String,
    changes: String,
}

/// One catalogue row as the classification quotes it.
struct CatalogQuote {
    row: u16,
    section: String,
    category: String,
    report: String,
    report_form: String,
    registration_form: String,
    sensitive_scope: String,
}

/// One input of the classify form, generated from a row's fact schema.
struct FactInput {
    key: String,
    id: String,
    label: String,
    /// `number`, `choice`, `choices`, `flag`
    kind: &'static str,
    unit: String,
    step: &'static str,
    required: bool,
    value: String,
    checked: bool,
    choices: Vec<Choice>,
}

struct Choice {
    id: String,
    value: String,
    label: String,
    selected: bool,
}

struct ClassifyForm {
    rows: String,
    quotes: Vec<CatalogQuote>,
    facts: Vec<FactInput>,
    /// Rows without structured rules: the officer chooses the tier.
    manual_rows: String,
    tiers: Vec<Opt>,
    policy_exemption: String,
    decided_on: String,
}

struct SheetLink {
    id: i64,
    officer: String,
    open_items: usize,
    signed: bool,
}

#[derive(Template)]
#[template(path = "ledger/project.html")]
struct ProjectPageView {
    chrome: Chrome,
    id: i64,
    name: String,
    code: String,
    owner: String,
    credit_code: String,
    county: String,
    level: &'static str,
    industry: String,
    investment: String,
    p2p: bool,
    built_before_approval: bool,
    penalty_settled: bool,
    listed_on: String,
    verified_on: String,
    description: String,
    cross_county_reason: String,
    tier: &'static str,
    /// The classification in force, in words.
    basis: String,
    decided_on: String,
    policy_exemption: String,
    quotes: Vec<CatalogQuote>,
    keeper: bool,
    owner_view: bool,
    can_apply: bool,
    edit: EditValues,
    county_opts: Vec<Opt>,
    industry_opts: Vec<Opt>,
    edit_problems: Problems,
    classify: ClassifyForm,
    classify_problems: Problems,
    filings: Vec<FilingRow>,
    sheet: Option<SheetLink>,
    trail: Vec<TrailRow>,
    trail_total: u64,
}

fn quote(row: u16) -> Option<CatalogQuote> {
    let r = Catalog::embedded().row(row)?;
    Some(CatalogQuote {
        row,
        section: format!("{} {}", r.section_no, r.section_name),
        category: r.category.clone(),
        report: r.report.clone(),
        report_form: r.report_form.clone(),
        registration_form: r.registration_form.clone(),
        sensitive_scope: r.sensitive_scope.clone(),
    })
}

/// Row numbers typed as `44, 45` or `44 45`.
fn parse_rows(text: &str) -> Result<Vec<u16>, Error> {
    let mut rows = Vec::new();
    for part in text
        .split(|c: char| c == ',' || c == '，' || c == '、' || c.is_whitespace())
        .filter(|p| !p.is_empty())
    {
        match part.parse::<u16>() {
            Ok(n) if Catalog::embedded().row(n).is_some() => {
                if !rows.contains(&n) {
                    rows.push(n)
                }
            }
            _ => {
                return Err(Error::invalid(
                    "rows",
                    format!("“{part}”不是名录中的项目序号（应为1–173）"),
                ));
            }
        }
    }
    Ok(rows)
}

/// The classify form for `rows`, with `values` typed (or decided before) filled in.
fn classify_form(
    rows: &[u16],
    values: &serde_json::Map<String, serde_json::Value>,
    clause: &str,
    policy_exemption: &str,
    decided_on: &str,
) -> ClassifyForm {
    let catalog = Catalog::embedded();
    let mut facts: Vec<FactInput> = Vec::new();
    let mut manual = Vec::new();
    for &row in rows {
        let Some(schema) = row_schema(row, catalog) else {
            continue;
        };
        if !schema.structured {
            manual.push(row.to_string());
        }
        for spec in schema.facts {
            if facts.iter().any(|f| f.key == spec.key) {
                continue;
            }
            let value = values.get(spec.key);
            let text = match value {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            let listed: Vec<String> = match value {
                Some(serde_json::Value::Array(a)) => a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
                _ => Vec::new(),
            };
            let id = format!("fact-{}", spec.key);
            let choices_of = |list: &[crate::domain::classification::Choice], multi: bool| {
                list.iter()
                    .map(|c| Choice {
                        id: format!("{id}-{}", c.value),
                        value: c.value.to_owned(),
                        label: c.label_zh.to_owned(),
                        selected: if multi {
                            listed.iter().any(|l| l == c.value)
                        } else {
                            text == c.value
                        },
                    })
                    .collect::<Vec<_>>()
            };
            let (kind, unit, step, choices) = match spec.kind {
                FactKind::Number { unit } => ("number", unit.to_owned(), "any", Vec::new()),
                FactKind::Count { unit } => ("number", unit.to_owned(), "1", Vec::new()),
                FactKind::Bool => ("flag", String::new(), "", Vec::new()),
                FactKind::Enum(list) => ("choice", String::new(), "", choices_of(list, false)),
                FactKind::EnumList(list) => ("choices", String::new(), "", choices_of(list, true)),
            };
            facts.push(FactInput {
                key: spec.key.to_owned(),
                id,
                label: spec.description_zh.to_owned(),
                kind,
                unit,
                step,
                required: spec.required,
                checked: matches!(value, Some(serde_json::Value::Bool(true))),
                value: text,
                choices,
            });
        }
    }
    ClassifyForm {
        rows: rows
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        quotes: rows.iter().filter_map(|r| quote(*r)).collect(),
        facts,
        manual_rows: manual.join("、"),
        tiers: opts(
            &[
                ("report", "报告书"),
                ("report_form", "报告表"),
                ("registration_form", "登记表"),
                ("exempt", "豁免（不纳入环评管理）"),
            ],
            clause,
        ),
        policy_exemption: policy_exemption.to_owned(),
        decided_on: decided_on.to_owned(),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ProjectPageQuery {
    /// Catalogue rows to build the classify form for.
    rows: String,
}

async fn project_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    Query(q): Query<ProjectPageQuery>,
) -> WebResult {
    let mut classify_problems = Problems::default();
    let rows = match parse_rows(&q.rows) {
        Ok(rows) => rows,
        Err(err) => {
            classify_problems = Problems::of(&err);
            Vec::new()
        }
    };
    draw_project(
        &state,
        &user,
        id,
        Draft {
            edit: None,
            edit_problems: Problems::default(),
            classify: (!rows.is_empty())
                .then(|| classify_form(&rows, &Default::default(), "", "", "")),
            classify_problems,
        },
        StatusCode::OK,
    )
    .await
}

/// What a form sent back shows again: the values typed and their problems.
struct Draft {
    edit: Option<EditValues>,
    edit_problems: Problems,
    classify: Option<ClassifyForm>,
    classify_problems: Problems,
}

async fn draw_project(
    state: &AppState,
    user: &WebUser,
    id: i64,
    draft: Draft,
    status: StatusCode,
) -> WebResult {
    let p = projects::get_with_filing(&state.db, &state.settings, &user.actor, id).await?;
    let keeper = user.actor.role.keeps_ledger();
    let owner_view = user.actor.role == Role::Owner;

    let current = match classification::current(&state.db, &user.actor, id).await {
        Ok(c) => Some(c),
        Err(Error::NotFound(_)) => None,
        Err(other) => return Err(other.into()),
    };
    let quotes: Vec<CatalogQuote> = current
        .as_ref()
        .map(|c| c.catalog_rows.iter().filter_map(|r| quote(*r)).collect())
        .unwrap_or_default();

    let filing_page = filings::list(
        &state.db,
        &state.settings,
        &user.actor,
        filings::FilingQuery {
            project_id: Some(id),
            per_page: Some(200),
            ..Default::default()
        },
    )
    .await?;
    let mut filing_rows: Vec<FilingRow> = filing_page
        .items
        .iter()
        .map(|f| {
            let clock = f.clock.as_ref();
            let open = f.state.clock_runs();
            let due = clock
                .filter(|_| open)
                .and_then(|c| c.decision_due.or(c.acceptance_due));
            let (days, days_class) = if open {
                days_badge(clock.map(|c| c.days_left), clock.is_some_and(|c| c.overdue))
            } else {
                (String::new(), "")
            };
            FilingRow {
                id: f.id,
                tier: f.tier.label(),
                state: f.state_label,
                due: date(due),
                days,
                days_class,
                handler: f
                    .handler
                    .as_ref()
                    .map(|h| h.name.clone())
                    .unwrap_or_else(|| "待认领".into()),
            }
        })
        .collect();
    filing_rows.reverse();
    let open_filing = filing_page.items.iter().any(|f| !f.state.is_terminal());
    let can_apply = owner_view && p.tier.is_some_and(|t| t.required()) && !open_filing;

    let sheet = service_sheets::of_project(&state.db, &user.actor, id)
        .await?
        .map(|s| SheetLink {
            id: s.id,
            officer: s.officer_name.clone(),
            open_items: s.items.iter().filter(|i| i.status.is_open()).count(),
            signed: s.signed_off_at.is_some(),
        });

    let trail = audit::project_trail(
        &state.db,
        &user.actor,
        id,
        audit::TrailQuery {
            page: None,
            per_page: Some(50),
        },
    )
    .await?;
    let trail_total = trail.total;
    let trail: Vec<TrailRow> = trail
        .items
        .into_iter()
        .map(|t| TrailRow {
            at: t
                .at
                .with_timezone(&chrono_tz_shanghai())
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            who: t.actor.name.clone(),
            what: action_label(&t.entity, &t.action),
            changes: t
                .changes
                .iter()
                .map(|c| format!("{}：{} → {}", c.label, show(&c.old), show(&c.new)))
                .collect::<Vec<_>>()
                .join("；"),
        })
        .collect();

    let all_counties = counties::list(
        &state.db,
        services::paging::PageQuery {
            page: None,
            per_page: Some(200),
        },
    )
    .await?;
    let edit = draft.edit.unwrap_or_else(|| EditValues::of(&p));
    let county_opts = all_counties
        .items
        .iter()
        .map(|c| Opt {
            value: c.code.clone(),
            label: format!("{}（{}）", c.name, c.code),
            selected: c.code == edit.county,
        })
        .collect();
    let industry_opts = opts(INDUSTRIES, &edit.industry);
    let classify = draft.classify.unwrap_or_else(|| match &current {
        Some(c) => classify_form(
            &c.catalog_rows,
            &c.facts,
            "",
            c.policy_exemption.as_deref().unwrap_or_default(),
            "",
        ),
        None => classify_form(&[], &Default::default(), "", "", ""),
    });

    page::render_with(
        status,
        ProjectPageView {
            chrome: user.chrome(p.name.clone()),
            id: p.id,
            name: p.name.clone(),
            code: p.project_code.clone(),
            owner: p.organization.name.clone(),
            credit_code: p.organization.credit_code.clone(),
            county: p.county.name.clone(),
            level: level_label(p.provincial, p.municipal),
            industry: p.industry_label.clone(),
            investment: p.total_investment_wan.to_string(),
            p2p: p.point_to_point,
            built_before_approval: p.built_before_approval,
            penalty_settled: p.penalty_settled,
            listed_on: date(Some(p.listed_on)),
            verified_on: date(p.status_verified_on),
            description: p.description.clone().unwrap_or_default(),
            cross_county_reason: p.cross_county_reason.clone().unwrap_or_default(),
            tier: tier_label(p.tier),
            basis: current
                .as_ref()
                .map(|c| c.basis.clone())
                .unwrap_or_default(),
            decided_on: date(current.as_ref().map(|c| c.decided_on)),
            policy_exemption: current
                .as_ref()
                .and_then(|c| c.policy_exemption.clone())
                .unwrap_or_default(),
            quotes,
            keeper,
            owner_view,
            can_apply,
            edit,
            county_opts,
            industry_opts,
            edit_problems: draft.edit_problems,
            classify,
            classify_problems: draft.classify_problems,
            filings: filing_rows,
            sheet,
            trail,
            trail_total,
        },
    )
}

fn chrono_tz_shanghai() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8")
}

fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "（空）".into(),
        serde_json::Value::Bool(true) => "是".into(),
        serde_json::Value::Bool(false) => "否".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn action_label(entity: &str, action: &str) -> String {
    let what = match entity {
        "project" => "项目",
        "classification" => "分类",
        "filing" => "环评申请",
        "document" => "材料",
        "service_sheet" => "服务单",
        other => other,
    };
    let act = match action {
        "create" => "新建",
        "update" => "修改",
        "remove" => "移除",
        "restore" => "恢复",
        "decide" | "classify" => "分类决定",
        "assign" => "分派",
        "claim" => "认领",
        "add_item" => "新增服务事项",
        "update_item" => "更新服务事项",
        "sign_off" => "签收",
        "reassign" => "更换责任人",
        other => other,
    };
    format!("{what} · {act}")
}

async fn edit_project(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    form: FormPairs,
) -> WebResult {
    user.require(&[Role::Officer, Role::Admin])?;
    let values = EditValues::from_form(&form);
    let outcome = match values.patch() {
        Ok(patch) => projects::update(&state.db, &user.actor, id, patch).await,
        Err(err) => Err(err),
    };
    let back = format!("/projects/{id}");
    match outcome {
        Ok(_) => Ok(page::redirect_with(&back, "ok", "项目信息已保存")),
        Err(Error::Conflict {
            code: ErrorCode::StaleVersion,
            ..
        }) => Ok(page::redirect_with(
            &back,
            "error",
            "该项目已被他人修改，未保存您的修改；下面是最新内容，请核对后重新填写",
        )),
        Err(
            err @ (Error::Invalid(_)
            | Error::Malformed { .. }
            | Error::Conflict {
                code: ErrorCode::Duplicate,
                ..
            }),
        ) => {
            draw_project(
                &state,
                &user,
                id,
                Draft {
                    edit: Some(values),
                    edit_problems: Problems::of(&err),
                    classify: None,
                    classify_problems: Problems::default(),
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// The classify form: rows, the facts each row's schema asks for (`fact.KEY`), the officer's
/// tier for rows without structured rules, a policy exemption, the decision date. `preview`
/// only rebuilds the form for the rows typed.
async fn classify(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    form: FormPairs,
) -> WebResult {
    user.require(&[Role::Officer, Role::Admin])?;
    let rows_text = form.get("rows").unwrap_or_default().to_owned();
    let clause = form.get("clause").unwrap_or_default().trim().to_owned();
    let exemption = form
        .get("policy_exemption")
        .unwrap_or_default()
        .trim()
        .to_owned();
    let decided_on = form.get("decided_on").unwrap_or_default().trim().to_owned();
    let again = |rows: &[u16], facts, problems: Problems| {
        let classify = classify_form(rows, facts, &clause, &exemption, &decided_on);
        let state = state.clone();
        let user = user.clone();
        async move {
            draw_project(
                &state,
                &user,
                id,
                Draft {
                    edit: None,
                    edit_problems: Problems::default(),
                    classify: Some(classify),
                    classify_problems: problems,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let rows = match parse_rows(&rows_text) {
        Ok(rows) => rows,
        Err(err) => return again(&[], &Default::default(), Problems::of(&err)).await,
    };
    let (facts, mut errors) = read_facts(&rows, &form);
    if form.get("preview").is_some() {
        let mut res = again(&rows, &facts, Problems::default()).await?;
        *res.status_mut() = StatusCode::OK;
        return Ok(res);
    }
    let clause_tier = match clause.as_str() {
        "" => None,
        c => Tier::parse(c).or_else(|| {
            errors.push(crate::domain::FieldError::new("clause", "未知的环评类别"));
            None
        }),
    };
    let decided = match decided_on.as_str() {
        "" => None,
        d => NaiveDate::parse_from_str(d, "%Y-%m-%d").ok().or_else(|| {
            errors.push(crate::domain::FieldError::new(
                "decided_on",
                "日期格式应为 YYYY-MM-DD",
            ));
            None
        }),
    };
    if !errors.is_empty() {
        return again(&rows, &facts, Problems::of(&Error::Invalid(errors))).await;
    }
    let req = ClassifyRequest {
        rows: rows.iter().map(|r| i64::from(*r)).collect(),
        facts: facts.clone(),
        clause: clause_tier,
        clauses: BTreeMap::new(),
        policy_exemption: Some(exemption.clone()).filter(|e| !e.is_empty()),
        decided_on: decided,
    };
    match classification::decide(&state.db, &user.actor, id, req).await {
        Ok(v) => Ok(page::redirect_with(
            &format!("/projects/{id}"),
            "ok",
            &format!("分类已保存：{}", tier_label(Some(v.tier))),
        )),
        Err(err @ (Error::Invalid(_) | Error::Malformed { .. } | Error::Conflict { .. })) => {
            let problems = fact_problems(Problems::of(&err));
            again(&rows, &facts, problems).await
        }
        Err(other) => Err(other.into()),
    }
}

/// The engine names a fact's problem `facts.KEY` (or `KEY`); the form shows it by the input.
fn fact_problems(problems: Problems) -> Problems {
    Problems(
        problems
            .0
            .into_iter()
            .map(|(k, v)| (k.strip_prefix("facts.").unwrap_or(&k).to_owned(), v))
            .collect(),
    )
}

/// The facts of the form, typed as each row's schema says.
fn read_facts(
    rows: &[u16],
    form: &FormPairs,
) -> (
    serde_json::Map<String, serde_json::Value>,
    Vec<crate::domain::FieldError>,
) {
    let mut facts = serde_json::Map::new();
    let mut errors = Vec::new();
    for &row in rows {
        let Some(schema) = row_schema(row, Catalog::embedded()) else {
            continue;
        };
        for spec in schema.facts {
            if facts.contains_key(spec.key) {
                continue;
            }
            let name = format!("fact.{}", spec.key);
            let raw = form.get(&name).map(str::trim).unwrap_or_default();
            let value = match spec.kind {
                FactKind::Number { .. } | FactKind::Count { .. } if raw.is_empty() => None,
                FactKind::Number { .. } | FactKind::Count { .. } => {
                    let normal = raw.replace(',', "");
                    match serde_json::from_str::<serde_json::Number>(&normal) {
                        Ok(n) => Some(serde_json::Value::Number(n)),
                        Err(_) => {
                            errors.push(crate::domain::FieldError::new(spec.key, "请输入数字"));
                            None
                        }
                    }
                }
                FactKind::Bool => Some(serde_json::Value::Bool(raw == "true")),
                FactKind::Enum(_) if raw.is_empty() => None,
                FactKind::Enum(_) => Some(serde_json::Value::String(raw.to_owned())),
                FactKind::EnumList(_) => Some(serde_json::Value::Array(
                    form.all(&name)
                        .into_iter()
                        .filter(|v| !v.is_empty())
                        .map(|v| serde_json::Value::String(v.to_owned()))
                        .collect(),
                )),
            };
            if let Some(value) = value {
                facts.insert(spec.key.to_owned(), value);
            }
        }
    }
    (facts, errors)
}

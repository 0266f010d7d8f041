//! Leadership: the dashboard (`/dashboard`), the lists behind its numbers
//! (`/dashboard/projects`), the printable monthly report (`/reports/monthly`). Every figure is
//! a service's (`services::reports`, `services::quality`, `services::filings`); every count
//! links to the list whose total is that count.
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;

use super::chart::{self, BarRow, RateColumn, RatePoint};
use super::page::{self, Chrome, WebResult, urlencode};
use super::pager::Pager;
use super::session::{WebForm, WebUser};
use crate::domain::report::{GroupBy, Measure, Totals};
use crate::domain::role::Role;
use crate::error::Error;
use crate::http::AppState;
use crate::services::monthly_reports::{self, Report};
use crate::services::reports::{
    self, AnyMeasure, ClockFigures, ClockMeasure, GroupKey, MeasureQuery,
};
use crate::services::{self, filings, quality};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(dashboard))
        .route("/dashboard/projects", get(list))
        .route("/dashboard/projects.xlsx", get(list_export))
        .route("/dashboard/summary.xlsx", get(summary_export))
        .route("/reports/monthly", get(monthly))
        .route("/reports/monthly.xlsx", get(monthly_xlsx))
        .route("/reports/monthly/approve", post(approve_monthly))
        .route("/reports/monthly/draft", post(draft_monthly))
}

const READERS: [Role; 3] = [Role::Leader, Role::Officer, Role::Admin];

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

/// A date as the pages write it: 2023年6月30日.
fn cn_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A rate (a fraction with four decimals) as a percentage with two: 96.84%; — when none.
fn pct(rate: Option<Decimal>) -> String {
    match rate {
        Some(r) => format!("{:.2}%", r * Decimal::ONE_HUNDRED),
        None => "—".to_owned(),
    }
}

fn pct_f64(rate: Option<Decimal>) -> Option<f64> {
    rate.and_then(|r| (r * Decimal::ONE_HUNDRED).to_f64())
}

/// `as_of` as typed: today when blank, a 422 page in Chinese when not a date or after today.
fn parse_as_of(raw: Option<&str>) -> Result<NaiveDate, Error> {
    let date = match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => services::today(),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            Error::invalid(
                "as_of",
                format!("统计日期“{s}”无效，应为 YYYY-MM-DD 格式的日期，例如 2023-06-30"),
            )
        })?,
    };
    reports::check_as_of("as_of", date)?;
    Ok(date)
}

/// The list of projects behind a figure.
fn list_href(measure: &str, as_of: NaiveDate, group: Option<(GroupBy, &str)>) -> String {
    let mut href = format!("/dashboard/projects?measure={measure}&as_of={as_of}");
    if let Some((g, key)) = group {
        href.push_str(&format!(
            "&group_by={}&group={}",
            g.as_str(),
            urlencode(key)
        ));
    }
    href
}

/// How a list's heading names what it lists: 截至… {phrase} N 个项目.
fn phrase(m: AnyMeasure) -> &'static str {
    match m {
        AnyMeasure::Summary(m) => match m {
            Measure::Projects => "列入台账",
            Measure::Exempt => "豁免环评",
            Measure::Required => "应办环评",
            Measure::Unclassified => "尚未分类",
            Measure::PointToPoint => "实行点对点服务",
            Measure::AcceptedOrDecided => "已受理或已办结",
            Measure::NotAccepted => "应办未受理",
        },
        AnyMeasure::Clock(m) => match m {
            ClockMeasure::Overdue => "超期未办结",
            ClockMeasure::AtRisk => "临近办理时限",
            ClockMeasure::OnTime => "按时办结",
            ClockMeasure::Late => "超时办结",
            ClockMeasure::FirstTimeRight => "一次性受理",
            ClockMeasure::Corrected => "经补正后受理",
            ClockMeasure::CorrectedOnce => "补正1次后受理",
            ClockMeasure::CorrectedRepeatedly => "补正2次及以上后受理",
        },
    }
}

/// The measure whose list completes this one's (what is missing from it, or its other side).
fn gap_of(m: AnyMeasure) -> Option<(AnyMeasure, &'static str)> {
    use AnyMeasure::{Clock, Summary};
    Some(match m {
        Summary(Measure::AcceptedOrDecided) => (Summary(Measure::NotAccepted), "未受理"),
        Summary(Measure::NotAccepted) => (Summary(Measure::AcceptedOrDecided), "已受理或已办结"),
        Summary(Measure::Required) => (Summary(Measure::NotAccepted), "其中未受理"),
        Summary(Measure::Exempt) => (Summary(Measure::Required), "应办环评"),
        Clock(ClockMeasure::OnTime) => (Clock(ClockMeasure::Late), "超时办结"),
        Clock(ClockMeasure::Late) => (Clock(ClockMeasure::OnTime), "按时办结"),
        Clock(ClockMeasure::Overdue) => (Clock(ClockMeasure::AtRisk), "临近时限"),
        Clock(ClockMeasure::AtRisk) => (Clock(ClockMeasure::Overdue), "已超期"),
        Clock(ClockMeasure::FirstTimeRight) => (Clock(ClockMeasure::Corrected), "经补正后受理"),
        Clock(
            ClockMeasure::Corrected
            | ClockMeasure::CorrectedOnce
            | ClockMeasure::CorrectedRepeatedly,
        ) => (Clock(ClockMeasure::FirstTimeRight), "一次性受理"),
        _ => return None,
    })
}

/// One row of a group table.
struct GroupRow {
    label: String,
    projects: u64,
    projects_href: String,
    required: u64,
    required_href: String,
    accepted: u64,
    accepted_href: String,
    not_accepted: u64,
    not_accepted_href: String,
    rate: String,
    rate_by_investment: String,
    investment_yi: String,
}

fn group_rows(
    groups: &[crate::domain::report::Group],
    g: GroupBy,
    as_of: NaiveDate,
) -> Vec<GroupRow> {
    groups
        .iter()
        .map(|grp| {
            let t = &grp.totals;
            let href = |m: Measure| list_href(m.as_str(), as_of, Some((g, &grp.key)));
            GroupRow {
                label: grp.label.clone(),
                projects: t.projects,
                projects_href: href(Measure::Projects),
                required: t.required,
                required_href: href(Measure::Required),
                accepted: t.accepted_or_decided,
                accepted_href: href(Measure::AcceptedOrDecided),
                not_accepted: Measure::NotAccepted.figure(t),
                not_accepted_href: href(Measure::NotAccepted),
                rate: pct(t.acceptance_rate()),
                rate_by_investment: pct(t.acceptance_rate_by_investment()),
                investment_yi: t.total_investment.yi_display(),
            }
        })
        .collect()
}

fn county_bars(rows: &[GroupRow], groups: &[crate::domain::report::Group]) -> Vec<BarRow> {
    rows.iter()
        .zip(groups)
        .map(|(r, g)| BarRow {
            label: r.label.clone(),
            whole: g.totals.required,
            part: g.totals.accepted_or_decided,
            whole_text: format!("{}应办环评 {} 个", r.label, r.required),
            part_text: format!("{}已受理或已办结 {} 个", r.label, r.accepted),
            whole_href: r.required_href.clone(),
            part_href: r.accepted_href.clone(),
        })
        .collect()
}

/// A figure of the clocks, with its list.
struct ClockTile {
    measure: &'static str,
    label: &'static str,
    value: u64,
    href: String,
}

fn clock_tiles(c: &ClockFigures, as_of: NaiveDate, which: &[ClockMeasure]) -> Vec<ClockTile> {
    which
        .iter()
        .map(|&m| ClockTile {
            measure: m.as_str(),
            label: phrase(AnyMeasure::Clock(m)),
            value: c.figure(m),
            href: list_href(m.as_str(), as_of, None),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// /dashboard
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
struct AsOfQuery {
    as_of: Option<String>,
}

/// One figure of the summary.
struct Tile {
    measure: &'static str,
    label: &'static str,
    value: String,
    unit: &'static str,
    href: Option<String>,
    note: String,
}

fn summary_tiles(t: &Totals, as_of: NaiveDate) -> Vec<Tile> {
    let count = |m: Measure, label: &'static str, note: String| Tile {
        measure: m.as_str(),
        label,
        value: m.figure(t).to_string(),
        unit: "个",
        href: Some(list_href(m.as_str(), as_of, None)),
        note,
    };
    vec![
        count(Measure::Projects, "台账项目", String::new()),
        count(Measure::Exempt, "豁免环评", "不纳入环评管理".into()),
        count(Measure::Required, "应办环评", "应依法办理环评手续".into()),
        count(
            Measure::AcceptedOrDecided,
            "已受理或已办结",
            format!("未受理 {} 个", Measure::NotAccepted.figure(t)),
        ),
        count(
            Measure::PointToPoint,
            "点对点服务",
            "省市重点项目服务单".into(),
        ),
        Tile {
            measure: "acceptance_rate",
            label: "受理审批率（按项目数）",
            value: pct(t.acceptance_rate()),
            unit: "",
            href: None,
            note: format!("{} ÷ {}", t.accepted_or_decided, t.required),
        },
        Tile {
            measure: "acceptance_rate_by_investment",
            label: "受理审批率（按投资额）",
            value: pct(t.acceptance_rate_by_investment()),
            unit: "",
            href: None,
            note: format!(
                "{} ÷ {} 亿元",
                t.accepted_investment.yi_display(),
                t.required_investment.yi_display()
            ),
        },
        Tile {
            measure: "total_investment",
            label: "总投资",
            value: t.total_investment.yi_display(),
            unit: "亿元",
            href: None,
            note: String::new(),
        },
    ]
}

/// One month's end on the rate chart, and in its table.
struct MonthRow {
    label: String,
    as_of: NaiveDate,
    required: u64,
    accepted: u64,
    accepted_href: String,
    rate: String,
    rate_by_investment: String,
}

#[derive(Template)]
#[template(path = "dashboard/index.html")]
struct DashboardPage {
    chrome: Chrome,
    /// 导出Excel: the summary on this date, by county.
    export_href: String,
    as_of: NaiveDate,
    as_of_cn: String,
    tiles: Vec<Tile>,
    months: Vec<MonthRow>,
    month_chart: String,
    counties: Vec<GroupRow>,
    county_chart: String,
    tiers: Vec<GroupRow>,
    levels: Vec<GroupRow>,
    deadlines: Vec<ClockTile>,
    decided: Vec<ClockTile>,
    on_time_rate: String,
    corrections: Vec<ClockTile>,
    accepted_filings: u64,
    first_time_right_rate: String,
    year_first_time_right: String,
    year_start: NaiveDate,
    due_soon: u32,
    monthly_href: String,
}

/// The month ends of `as_of`'s year up to it, and `as_of` itself when it is not one.
fn month_ends(as_of: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    for m in 1..=as_of.month() {
        let Some(first) = NaiveDate::from_ymd_opt(as_of.year(), m, 1) else {
            continue;
        };
        let end = first
            .checked_add_months(Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(first);
        out.push(end.min(as_of));
    }
    out
}

async fn dashboard(
    State(state): State<AppState>,
    user: WebUser,
    Query(q): Query<AsOfQuery>,
) -> WebResult {
    user.require(&READERS)?;
    let as_of = parse_as_of(q.as_of.as_deref())?;
    let db = &state.db;
    let actor = &user.actor;
    let summary = reports::summary(db, actor, as_of, None).await?;
    let t = &summary.totals;

    let mut months = Vec::new();
    let mut columns = Vec::new();
    for end in month_ends(as_of) {
        let mt = reports::totals(db, end).await?;
        let href = list_href(Measure::AcceptedOrDecided.as_str(), end, None);
        let month_closed = end.succ_opt().is_none_or(|n| n.month() != end.month());
        let label = if month_closed {
            format!("{}月", end.month())
        } else {
            format!("{}月{}日", end.month(), end.day())
        };
        columns.push(RateColumn {
            label: label.clone(),
            points: vec![
                RatePoint {
                    value: pct_f64(mt.acceptance_rate()),
                    text: format!(
                        "截至{} 按项目数 {}",
                        cn_date(end),
                        pct(mt.acceptance_rate())
                    ),
                    href: href.clone(),
                },
                RatePoint {
                    value: pct_f64(mt.acceptance_rate_by_investment()),
                    text: format!(
                        "截至{} 按投资额 {}",
                        cn_date(end),
                        pct(mt.acceptance_rate_by_investment())
                    ),
                    href: href.clone(),
                },
            ],
        });
        months.push(MonthRow {
            label,
            as_of: end,
            required: mt.required,
            accepted: mt.accepted_or_decided,
            accepted_href: href,
            rate: pct(mt.acceptance_rate()),
            rate_by_investment: pct(mt.acceptance_rate_by_investment()),
        });
    }
    let month_chart = chart::rate_lines(
        "各月末受理审批率（实线按项目数，虚线按投资额）",
        &columns,
        &[("line", "dot"), ("line-alt", "dot-alt")],
        0.0,
    );

    let by_county = reports::summary(db, actor, as_of, Some(GroupBy::County)).await?;
    let counties = group_rows(&by_county.groups, GroupBy::County, as_of);
    let county_chart = chart::bars(
        "county",
        "各县区应办环评与已受理或已办结项目数",
        &county_bars(&counties, &by_county.groups),
    );
    let by_tier = reports::summary(db, actor, as_of, Some(GroupBy::Tier)).await?;
    let by_level = reports::summary(db, actor, as_of, Some(GroupBy::Level)).await?;

    let clocks = reports::clock_figures(db, &state.settings, actor, as_of).await?;
    let year_start = NaiveDate::from_ymd_opt(as_of.year(), 1, 1).unwrap_or(as_of);
    let ftr = quality::first_time_right(db, actor, year_start, as_of, None).await?;
    let year_first_time_right = match ftr.figures.rate {
        Some(r) => format!(
            "{:.2}%（{} 件中 {} 件）",
            r * 100.0,
            ftr.figures.accepted,
            ftr.figures.first_time_right
        ),
        None => "—".into(),
    };

    page::render(DashboardPage {
        chrome: user.chrome("统计看板"),
        export_href: format!("/dashboard/summary.xlsx?as_of={as_of}&group_by=county"),
        as_of,
        as_of_cn: cn_date(as_of),
        tiles: summary_tiles(t, as_of),
        months,
        month_chart,
        counties,
        county_chart,
        tiers: group_rows(&by_tier.groups, GroupBy::Tier, as_of),
        levels: group_rows(&by_level.groups, GroupBy::Level, as_of),
        deadlines: clock_tiles(
            &clocks,
            as_of,
            &[ClockMeasure::Overdue, ClockMeasure::AtRisk],
        ),
        decided: clock_tiles(&clocks, as_of, &[ClockMeasure::OnTime, ClockMeasure::Late]),
        on_time_rate: pct(clocks.on_time_rate()),
        corrections: clock_tiles(
            &clocks,
            as_of,
            &[
                ClockMeasure::FirstTimeRight,
                ClockMeasure::CorrectedOnce,
                ClockMeasure::CorrectedRepeatedly,
            ],
        ),
        accepted_filings: clocks.accepted,
        first_time_right_rate: pct(clocks.first_time_right_rate()),
        year_first_time_right,
        year_start,
        due_soon: state.settings.clocks.due_soon_working_days,
        monthly_href: format!("/reports/monthly?month={}", as_of.format("%Y-%m")),
    })
}

// ---------------------------------------------------------------------------------------------
// /dashboard/projects
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
struct ListQuery {
    measure: Option<String>,
    as_of: Option<String>,
    group_by: Option<String>,
    group: Option<String>,
    page: Option<String>,
}

struct ListRow {
    id: i64,
    name: String,
    code: String,
    county: String,
    organization: String,
    tier: String,
    investment: String,
    state: String,
}

#[derive(Template)]
#[template(path = "dashboard/projects.html")]
struct ListPage {
    chrome: Chrome,
    heading: String,
    measure_label: &'static str,
    total: u64,
    rows: Vec<ListRow>,
    gap: Option<(String, u64, String)>,
    pager: Pager,
    back: String,
    all_groups: Option<String>,
    /// 导出Excel: every project of this list.
    export_href: String,
}

const PER_PAGE: u64 = 50;

/// The drill-down page's query: its measure (all projects when none), date, group and page.
fn parse_list(q: &ListQuery) -> Result<(AnyMeasure, NaiveDate, Option<GroupKey>, u64), Error> {
    let as_of = parse_as_of(q.as_of.as_deref())?;
    let codes = AnyMeasure::codes().join("、");
    let measure = match q
        .measure
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        None => AnyMeasure::Summary(Measure::Projects),
        Some(m) => AnyMeasure::parse(m).ok_or_else(|| {
            Error::invalid("measure", format!("未知的统计口径“{m}”，应为：{codes}"))
        })?,
    };
    let page_no = match q.page.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => 1,
        Some(p) => p
            .parse::<u64>()
            .ok()
            .filter(|&p| p >= 1)
            .ok_or_else(|| Error::invalid("page", "页码应为从1开始的整数"))?,
    };
    let group_by = q
        .group_by
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty());
    let group_key = q.group.as_deref().map(str::trim).filter(|g| !g.is_empty());
    let group = match (group_by, group_key) {
        (None, None) => None,
        (Some(g), Some(key)) => Some(GroupKey {
            group_by: GroupBy::parse(g).ok_or_else(|| {
                Error::invalid("group_by", "分组应为 county、level、tier 或 industry")
            })?,
            key: key.to_owned(),
        }),
        _ => {
            return Err(Error::invalid("group", "group_by 与 group 须同时指定"));
        }
    };
    Ok((measure, as_of, group, page_no))
}

/// 导出Excel of a drill-down: every project of the list the page shows.
async fn list_export(
    State(state): State<AppState>,
    user: WebUser,
    Query(q): Query<ListQuery>,
) -> WebResult {
    user.require(&READERS)?;
    let (measure, as_of, group, _) = parse_list(&q)?;
    let file = services::report_export::projects(
        &state.db,
        &state.settings,
        &user.actor,
        measure,
        as_of,
        group,
    )
    .await?;
    Ok(crate::excel::write::download(
        file,
        &services::report_export::projects_file_name(measure, as_of),
    ))
}

#[derive(Deserialize)]
struct SummaryExportQuery {
    as_of: Option<String>,
    group_by: Option<String>,
}

/// 导出Excel of the dashboard: the summary on its date, by county unless another grouping is
/// asked for (blank: none).
async fn summary_export(
    State(state): State<AppState>,
    user: WebUser,
    Query(q): Query<SummaryExportQuery>,
) -> WebResult {
    user.require(&READERS)?;
    let as_of = parse_as_of(q.as_of.as_deref())?;
    let group_by = match q.group_by.as_deref().map(str::trim) {
        None => Some(GroupBy::County),
        Some("") => None,
        Some(g) => Some(GroupBy::parse(g).ok_or_else(|| {
            Error::invalid("group_by", "分组应为 county、level、tier 或 industry")
        })?),
    };
    let file =
        services::report_export::summary(&state.db, &state.settings, &user.actor, as_of, group_by)
            .await?;
    Ok(crate::excel::write::download(
        file,
        &services::report_export::summary_file_name(as_of),
    ))
}

async fn list(
    State(state): State<AppState>,
    user: WebUser,
    Query(q): Query<ListQuery>,
) -> WebResult {
    user.require(&READERS)?;
    let (measure, as_of, group, page_no) = parse_list(&q)?;
    let db = &state.db;
    let found = reports::projects_of(
        db,
        &state.settings,
        &user.actor,
        MeasureQuery {
            measure,
            as_of,
            group: group.clone(),
            page: page_no,
            per_page: PER_PAGE,
        },
    )
    .await?;
    let group_label = match &group {
        None => String::new(),
        Some(g) => reports::summary(db, &user.actor, as_of, Some(g.group_by))
            .await?
            .groups
            .into_iter()
            .find(|x| x.key == g.key)
            .map(|x| x.label)
            .unwrap_or_else(|| g.key.clone()),
    };
    let group_pair = group.as_ref().map(|g| (g.group_by, g.key.as_str()));
    let gap = match gap_of(measure) {
        None => None,
        Some((other, label)) => {
            let n = reports::projects_of(
                db,
                &state.settings,
                &user.actor,
                MeasureQuery {
                    measure: other,
                    as_of,
                    group: group.clone(),
                    page: 1,
                    per_page: 1,
                },
            )
            .await?
            .total;
            Some((
                label.to_owned(),
                n,
                list_href(other.as_str(), as_of, group_pair),
            ))
        }
    };
    let rows = found
        .items
        .iter()
        .map(|it| ListRow {
            id: it.project.id,
            name: it.project.name.clone(),
            code: it.project.project_code.clone(),
            county: it.project.county.name.clone(),
            organization: it.project.organization.name.clone(),
            tier: it
                .tier_as_of
                .map(|t| t.label().to_owned())
                .unwrap_or_else(|| "未分类".into()),
            investment: it.project.total_investment_wan.to_string(),
            state: it
                .filing_as_of
                .as_ref()
                .map(|f| f.state_label.to_owned())
                .unwrap_or_else(|| "无申报".into()),
        })
        .collect();
    let base = list_href(measure.as_str(), as_of, group_pair);

    let heading = format!(
        "截至{} {}{} {} 个项目",
        cn_date(as_of),
        if group_label.is_empty() {
            String::new()
        } else {
            format!("{group_label} ")
        },
        phrase(measure),
        found.total
    );
    page::render(ListPage {
        chrome: user.chrome(heading.clone()),
        heading,
        measure_label: measure.label(),
        total: found.total,
        rows,
        gap,
        pager: Pager::new(&format!("{base}&"), page_no, PER_PAGE, found.total),
        back: format!("/dashboard?as_of={as_of}"),
        export_href: list_href(
            measure.as_str(),
            as_of,
            group.as_ref().map(|g| (g.group_by, g.key.as_str())),
        )
        .replacen("/dashboard/projects?", "/dashboard/projects.xlsx?", 1),
        all_groups: group
            .as_ref()
            .map(|_| list_href(measure.as_str(), as_of, None)),
    })
}

// ---------------------------------------------------------------------------------------------
// /reports/monthly
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
struct MonthQuery {
    month: Option<String>,
}

/// A figure of the month's report: this month's end, the previous month's, the change.
struct MonthFigure {
    label: &'static str,
    now: String,
    before: String,
    change: String,
    href: Option<String>,
}

/// The stored report of the month as the page shows it: its status and who may act on it.
struct ReportBox {
    status: &'static str,
    label: &'static str,
    badge: &'static str,
    drafted_at: String,
    approved: Option<String>,
    sent_at: Option<String>,
    send_to: Option<String>,
    not_sent: bool,
    version: i32,
    xlsx_href: String,
}

impl ReportBox {
    fn of(r: &Report) -> ReportBox {
        use entity::monthly_report::Status;
        let at = |t: chrono::DateTime<chrono::Utc>| {
            t.with_timezone(&services::shanghai())
                .format("%Y-%m-%d %H:%M")
                .to_string()
        };
        ReportBox {
            status: r.status.as_str(),
            label: r.status.label(),
            badge: match r.status {
                Status::Draft => "badge-warn",
                Status::Approved => "badge-info",
                Status::Sent => "badge-ok",
            },
            drafted_at: at(r.drafted_at),
            approved: r.approved_at.map(|t| {
                format!(
                    "{} 由{}审核",
                    at(t),
                    r.approved_by_name.clone().unwrap_or_else(|| "系统".into())
                )
            }),
            sent_at: r.sent_at.map(at),
            send_to: r.send_to.clone(),
            not_sent: r.not_sent(),
            version: r.version,
            xlsx_href: format!("/reports/monthly.xlsx?month={}", r.month.format("%Y-%m")),
        }
    }
}

struct OverdueRow {
    id: i64,
    name: String,
    county: String,
    state: String,
}

#[derive(Template)]
#[template(path = "dashboard/monthly.html")]
struct MonthlyPage {
    chrome: Chrome,
    bureau: String,
    month: String,
    month_cn: String,
    end_cn: String,
    prev_end_cn: String,
    partial: bool,
    figures: Vec<MonthFigure>,
    accepted_in_month: u64,
    decided_in_month: u64,
    counties: Vec<GroupRow>,
    overdue: Vec<OverdueRow>,
    overdue_total: u64,
    overdue_href: String,
    at_risk: u64,
    at_risk_href: String,
    on_time_rate: String,
    prev_month: String,
    next_month: Option<String>,
    due_soon: u32,
    /// The month's stored report, when drafted.
    report: Option<ReportBox>,
    /// Officers and administrators approve a draft…
    can_approve: bool,
    /// … and draft an ended month again while it is a draft (or draft it the first time).
    can_draft: bool,
    /// Where the approved report would go; None when no address is configured.
    province_to: Option<String>,
}

fn signed(n: i128) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

fn pct_change(now: Option<Decimal>, before: Option<Decimal>) -> String {
    match (now, before) {
        (Some(a), Some(b)) => {
            let d = (a - b) * Decimal::ONE_HUNDRED;
            if d > Decimal::ZERO {
                format!("+{d:.2} 个百分点")
            } else {
                format!("{d:.2} 个百分点")
            }
        }
        _ => "—".into(),
    }
}

async fn monthly(
    State(state): State<AppState>,
    user: WebUser,
    Query(q): Query<MonthQuery>,
) -> WebResult {
    user.require(&READERS)?;
    let today = services::today();
    let first = match q.month.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        None => today.with_day(1).unwrap_or(today),
        Some(m) => NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").map_err(|_| {
            Error::invalid(
                "month",
                format!("月份“{m}”无效，应为 YYYY-MM 格式，例如 2023-06"),
            )
        })?,
    };
    if first > today {
        return Err(Error::invalid("month", "月份不能晚于本月").into());
    }
    let month_end = first
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first);
    let end = month_end.min(today);
    let prev_end = first.pred_opt().unwrap_or(first);
    let db = &state.db;
    let actor = &user.actor;
    let stored = monthly_reports::find(db, actor, first).await?;
    // The figures of a drafted report are the ones frozen in it, which an officer reviews and
    // the province receives; a month not drafted yet shows the ledger as it stands.
    let now = match &stored {
        Some(r) => r.figures.totals(),
        None => reports::summary(db, actor, end, None).await?.totals,
    };
    let before = reports::totals(db, prev_end).await?;
    let count = |m: Measure, label: &'static str| MonthFigure {
        label,
        now: m.figure(&now).to_string(),
        before: m.figure(&before).to_string(),
        change: signed(i128::from(m.figure(&now)) - i128::from(m.figure(&before))),
        href: Some(list_href(m.as_str(), end, None)),
    };
    let figures = vec![
        count(Measure::Projects, "台账项目（个）"),
        count(Measure::Exempt, "豁免环评（个）"),
        count(Measure::Required, "应办环评（个）"),
        count(Measure::AcceptedOrDecided, "已受理或已办结（个）"),
        count(Measure::NotAccepted, "应办未受理（个）"),
        count(Measure::PointToPoint, "点对点服务（个）"),
        MonthFigure {
            label: "受理审批率（按项目数）",
            now: pct(now.acceptance_rate()),
            before: pct(before.acceptance_rate()),
            change: pct_change(now.acceptance_rate(), before.acceptance_rate()),
            href: None,
        },
        MonthFigure {
            label: "受理审批率（按投资额）",
            now: pct(now.acceptance_rate_by_investment()),
            before: pct(before.acceptance_rate_by_investment()),
            change: pct_change(
                now.acceptance_rate_by_investment(),
                before.acceptance_rate_by_investment(),
            ),
            href: None,
        },
        MonthFigure {
            label: "总投资（亿元）",
            now: now.total_investment.yi_display(),
            before: before.total_investment.yi_display(),
            change: String::new(),
            href: None,
        },
    ];
    let (accepted_in_month, decided_in_month) = match &stored {
        Some(r) => (r.figures.accepted_in_month, r.figures.decided_in_month),
        None => filings::actions_between(db, first, end).await?,
    };
    let by_county = reports::summary(db, actor, end, Some(GroupBy::County)).await?;
    let clocks = reports::clock_figures(db, &state.settings, actor, end).await?;
    let overdue = reports::projects_of(
        db,
        &state.settings,
        actor,
        MeasureQuery {
            measure: AnyMeasure::Clock(ClockMeasure::Overdue),
            as_of: end,
            group: None,
            page: 1,
            per_page: 200,
        },
    )
    .await?;
    let next = first
        .checked_add_months(Months::new(1))
        .filter(|n| *n <= today);
    use entity::monthly_report::Status;
    let reviewer = matches!(user.role(), Role::Officer | Role::Admin);
    page::render(MonthlyPage {
        chrome: user.chrome(format!(
            "{}年{}月 环评审批月度报告",
            first.year(),
            first.month()
        )),
        bureau: state.settings.bureau.name.clone(),
        month: first.format("%Y-%m").to_string(),
        month_cn: format!("{}年{}月", first.year(), first.month()),
        end_cn: cn_date(end),
        prev_end_cn: cn_date(prev_end),
        partial: end < month_end,
        figures,
        accepted_in_month,
        decided_in_month,
        counties: group_rows(&by_county.groups, GroupBy::County, end),
        overdue: overdue
            .items
            .iter()
            .map(|it| OverdueRow {
                id: it.project.id,
                name: it.project.name.clone(),
                county: it.project.county.name.clone(),
                state: it
                    .filing_as_of
                    .as_ref()
                    .map(|f| f.state_label.to_owned())
                    .unwrap_or_default(),
            })
            .collect(),
        overdue_total: overdue.total,
        overdue_href: list_href("overdue", end, None),
        at_risk: clocks.at_risk,
        at_risk_href: list_href("at_risk", end, None),
        on_time_rate: pct(clocks.on_time_rate()),
        prev_month: prev_end.format("%Y-%m").to_string(),
        next_month: next.map(|n| n.format("%Y-%m").to_string()),
        due_soon: state.settings.clocks.due_soon_working_days,
        can_approve: reviewer && stored.as_ref().is_some_and(|r| r.status == Status::Draft),
        can_draft: reviewer
            && month_end < today
            && stored.as_ref().is_none_or(|r| r.status == Status::Draft),
        report: stored.as_ref().map(ReportBox::of),
        province_to: Some(
            state
                .settings
                .scheduler
                .province_report_to
                .trim()
                .to_owned(),
        )
        .filter(|to| !to.is_empty()),
    })
}

/// The month's workbook for a signed-in browser (the API's `{month}.xlsx` takes a token).
async fn monthly_xlsx(
    State(state): State<AppState>,
    user: WebUser,
    Query(q): Query<MonthQuery>,
) -> WebResult {
    user.require(&READERS)?;
    let month = monthly_reports::parse_month("month", q.month.as_deref().unwrap_or_default())?;
    let (file, name) =
        monthly_reports::file(&state.db, &state.settings, &user.actor, month).await?;
    Ok(crate::excel::write::download(file, &name))
}

#[derive(Deserialize)]
struct ReviewForm {
    month: Option<String>,
    version: Option<String>,
}

/// The month and version a review form names; the page to go back to.
fn review_of(form: &ReviewForm) -> Result<(NaiveDate, Option<i32>, String), Error> {
    let month = monthly_reports::parse_month("month", form.month.as_deref().unwrap_or_default())?;
    let version = match form.version.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => Some(
            v.parse()
                .map_err(|_| Error::invalid("version", "版本号应为整数"))?,
        ),
    };
    let back = format!("/reports/monthly?month={}", month.format("%Y-%m"));
    Ok((month, version, back))
}

/// A 409 goes back to the report with what happened; the rest to the error page.
fn conflict_back(back: &str, err: Error) -> WebResult {
    match err {
        Error::Conflict { code, message, .. } => {
            let message = if code == crate::error::ErrorCode::StaleVersion {
                "该月月报已被他人更新，请查看最新内容后重试".to_owned()
            } else {
                message
            };
            Ok(page::redirect_with(back, "error", &message))
        }
        other => Err(other.into()),
    }
}

async fn approve_monthly(
    State(state): State<AppState>,
    user: WebUser,
    WebForm(form): WebForm<ReviewForm>,
) -> WebResult {
    user.require(&[Role::Officer, Role::Admin])?;
    let (month, version, back) = review_of(&form)?;
    let version =
        version.ok_or_else(|| Error::invalid("version", "缺少版本号，请刷新页面后重试"))?;
    match monthly_reports::approve(&state.db, &state.settings, &user.actor, month, version).await {
        Ok(r) if r.not_sent() => Ok(page::redirect_with(
            &back,
            "ok",
            "月报已审核。未设置省厅报送邮箱（scheduler.province_report_to），本月报不会自动发送",
        )),
        Ok(r) => Ok(page::redirect_with(
            &back,
            "ok",
            &format!(
                "月报已审核，正在连同服务台账发送至{}",
                r.send_to.unwrap_or_default()
            ),
        )),
        Err(e) => conflict_back(&back, e),
    }
}

async fn draft_monthly(
    State(state): State<AppState>,
    user: WebUser,
    WebForm(form): WebForm<ReviewForm>,
) -> WebResult {
    user.require(&[Role::Officer, Role::Admin])?;
    let (month, version, back) = review_of(&form)?;
    match monthly_reports::draft(&state.db, &user.actor, month, version).await {
        Ok(_) => Ok(page::redirect_with(
            &back,
            "ok",
            "已按当前台账重新生成月报草稿",
        )),
        Err(e) => conflict_back(&back, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_as_percentages_with_two_decimals() {
        assert_eq!(pct(Some(Decimal::new(9684, 4))), "96.84%");
        assert_eq!(pct(Some(Decimal::new(9700, 4))), "97.00%");
        assert_eq!(pct(None), "—");
        assert_eq!(cn_date("2023-06-30".parse().unwrap()), "2023年6月30日");
    }

    #[test]
    fn month_ends_run_through_the_date() {
        let ends = month_ends("2023-06-30".parse().unwrap());
        assert_eq!(ends.len(), 6);
        assert_eq!(ends[1].to_string(), "2023-02-28");
        let ends = month_ends("2023-03-15".parse().unwrap());
        assert_eq!(ends.last().unwrap().to_string(), "2023-03-15");
    }

    #[test]
    fn a_bad_date_is_a_field_problem() {
        assert!(matches!(
            parse_as_of(Some("2023-13-01")),
            Err(Error::Invalid(_))
        ));
        assert!(matches!(
            parse_as_of(Some("9999-01-01")),
            Err(Error::Invalid(_))
        ));
    }
}

//! /api/v1/reports — what leadership reads.
use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use super::auth::CurrentUser;
use super::extract::ApiQuery;
use crate::domain::FieldError;
use crate::domain::money::Wan;
use crate::domain::report::{GroupBy, Totals};
use crate::error::{Error, ErrorBody, Result};
use crate::services::reports::{
    AnyMeasure, ClockFigures, DrilldownProject, GroupKey, MeasureQuery,
};
use crate::services::{self, reports};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(summary))
        .routes(routes!(projects))
        .routes(routes!(clocks))
        .routes(routes!(first_time_right))
}

const GROUP_BY_HINT: &str = "应为 county、level、tier 或 industry";

/// `group_by` as sent: none when blank, a 422 naming it when unknown.
fn group_by_of(raw: Option<&str>, errors: &mut Vec<FieldError>) -> Option<GroupBy> {
    match raw.map(str::trim) {
        None | Some("") => None,
        Some(g) => {
            let parsed = GroupBy::parse(g);
            if parsed.is_none() {
                errors.push(FieldError::new("group_by", GROUP_BY_HINT));
            }
            parsed
        }
    }
}

/// The summary's date and grouping as sent: today when no date; a 422 naming each bad one.
pub(crate) fn summary_params(query: &SummaryQuery) -> Result<(NaiveDate, Option<GroupBy>)> {
    let mut errors = Vec::new();
    let group_by = group_by_of(query.group_by.as_deref(), &mut errors);
    let as_of = query.as_of.unwrap_or_else(services::today);
    if let Err(Error::Invalid(e)) = reports::check_as_of("as_of", as_of) {
        errors.extend(e);
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    Ok((as_of, group_by))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SummaryQuery {
    /// Report date (YYYY-MM-DD, Asia/Shanghai, not after today); today when omitted.
    pub as_of: Option<NaiveDate>,
    /// `county`, `level`, `tier` or `industry`.
    pub group_by: Option<String>,
}

/// Figures for one set of projects.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Figures {
    pub projects: u64,
    pub exempt: u64,
    pub required: u64,
    pub unclassified: u64,
    pub point_to_point: u64,
    /// Required projects whose EIA procedure was accepted (受理) or completed by the report date.
    pub accepted_or_decided: u64,
    /// accepted_or_decided / required, rounded half up (四舍五入) to four decimals; null when
    /// nothing is required.
    pub acceptance_rate: Option<f64>,
    /// Investment of accepted-or-decided projects / investment of required projects.
    pub acceptance_rate_by_investment: Option<f64>,
    pub total_investment_wan: Wan,
    pub required_investment_wan: Wan,
    pub accepted_investment_wan: Wan,
}

impl From<&Totals> for Figures {
    fn from(t: &Totals) -> Self {
        Figures {
            projects: t.projects,
            exempt: t.exempt,
            required: t.required,
            unclassified: t.unclassified,
            point_to_point: t.point_to_point,
            accepted_or_decided: t.accepted_or_decided,
            acceptance_rate: t.acceptance_rate().and_then(|r| r.to_f64()),
            acceptance_rate_by_investment: t
                .acceptance_rate_by_investment()
                .and_then(|r| r.to_f64()),
            total_investment_wan: t.total_investment,
            required_investment_wan: t.required_investment,
            accepted_investment_wan: t.accepted_investment,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GroupFigures {
    pub key: String,
    pub label: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SummaryResponse {
    pub as_of: NaiveDate,
    #[serde(flatten)]
    pub figures: Figures,
    /// Total investment in 亿元, two decimals, as the bureau publishes it.
    pub total_investment_yi: String,
    /// How the rates are computed.
    pub definition: &'static str,
    pub group_by: Option<String>,
    pub groups: Vec<GroupFigures>,
}

const DEFINITION: &str = "受理审批率 = 截至统计日已受理或已办结（受理、技术评估、拟审批公示、批复、不予批准、登记表备案）的应办环评项目数 ÷ 应依法办理环评手续的项目数；按投资额计算时以对应项目总投资相除。豁免项目不计入分母。比率四舍五入保留四位小数。";

/// The ledger summary: counts, the acceptance-and-approval rate by count and by investment,
/// optionally grouped. Leaders, officers and administrators; owners get 403.
#[utoipa::path(get, path = "/api/v1/reports/summary", tag = "reports", security(("bearer" = [])),
    params(SummaryQuery),
    responses((status = 200, body = SummaryResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn summary(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<SummaryQuery>,
) -> Result<Json<SummaryResponse>> {
    let (as_of, group_by) = summary_params(&query)?;
    let summary = reports::summary(&state.db, &user.actor, as_of, group_by).await?;
    Ok(Json(SummaryResponse {
        as_of,
        figures: Figures::from(&summary.totals),
        total_investment_yi: summary.totals.total_investment.yi_display(),
        definition: DEFINITION,
        group_by: group_by.map(|g| g.as_str().to_owned()),
        groups: summary
            .groups
            .iter()
            .map(|g| GroupFigures {
                key: g.key.clone(),
                label: g.label.clone(),
                figures: Figures::from(&g.totals),
            })
            .collect(),
    }))
}

/// A drill-down's measure, date and group as sent: today when no date; a 422 naming each bad
/// one (the group's key itself is checked by the service).
pub(crate) fn drilldown_params(
    measure: Option<&str>,
    as_of: Option<NaiveDate>,
    raw_group_by: Option<&str>,
    group: Option<&str>,
) -> Result<(AnyMeasure, NaiveDate, Option<GroupKey>)> {
    let mut errors = Vec::new();
    let measures = AnyMeasure::codes();
    let measure = match measure.map(str::trim) {
        None | Some("") => {
            errors.push(FieldError::new(
                "measure",
                format!("必须指定统计口径，应为：{}", measures.join("、")),
            ));
            None
        }
        Some(m) => {
            let parsed = AnyMeasure::parse(m);
            if parsed.is_none() {
                errors.push(FieldError::new(
                    "measure",
                    format!("未知的统计口径，应为：{}", measures.join("、")),
                ));
            }
            parsed
        }
    };
    let group_by = group_by_of(raw_group_by, &mut errors);
    let group_key = group.map(str::trim).filter(|g| !g.is_empty());
    let group = match (raw_group_by.map(str::trim), group_key) {
        (None | Some(""), None) => None,
        (None | Some(""), Some(_)) => {
            errors.push(FieldError::new(
                "group_by",
                format!("指定 group 时须同时指定 group_by，{GROUP_BY_HINT}"),
            ));
            None
        }
        (Some(_), None) => {
            errors.push(FieldError::new(
                "group",
                "指定 group_by 时须同时指定 group（汇总表中该组的 key）",
            ));
            None
        }
        (Some(_), Some(key)) => group_by.map(|group_by| GroupKey {
            group_by,
            key: key.to_owned(),
        }),
    };
    let (Some(measure), true) = (measure, errors.is_empty()) else {
        return Err(Error::Invalid(errors));
    };
    let as_of = as_of.unwrap_or_else(services::today);
    Ok((measure, as_of, group))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DrilldownParams {
    /// `projects`, `exempt`, `required`, `unclassified`, `point_to_point`,
    /// `accepted_or_decided` or `not_accepted` (required, not accepted or decided by `as_of`);
    /// or a figure of `/reports/clocks`: `overdue`, `at_risk`, `on_time`, `late`,
    /// `first_time_right`, `corrected`, `corrected_once`, `corrected_repeatedly`.
    pub measure: Option<String>,
    /// Report date (YYYY-MM-DD, Asia/Shanghai, not after today); today when omitted.
    pub as_of: Option<NaiveDate>,
    /// With `group`: one group of the summary, `county`, `level`, `tier` or `industry`.
    pub group_by: Option<String>,
    /// The group's `key` in the summary (a county code, `provincial`, `report_form`,
    /// `unclassified`, `transport`, …).
    pub group: Option<String>,
    /// Page number, from 1.
    pub page: Option<u64>,
    /// Items per page, 1–200 (default 20).
    pub per_page: Option<u64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DrilldownResponse {
    pub as_of: NaiveDate,
    pub measure: String,
    /// The measure's name in Chinese.
    pub measure_label: &'static str,
    pub group_by: Option<String>,
    pub group: Option<String>,
    /// The projects behind the figure, by id, one page of them.
    pub items: Vec<DrilldownProject>,
    /// Exactly the summary's figure for the same date and group.
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// The projects behind one figure of the summary, for one date and optionally one group;
/// `total` is exactly that figure (for `not_accepted`, `required − accepted_or_decided`; for the
/// clock measures, the figure of `/reports/clocks`). Leaders, officers and administrators;
/// owners get 403.
#[utoipa::path(get, path = "/api/v1/reports/projects", tag = "reports", security(("bearer" = [])),
    params(DrilldownParams),
    responses((status = 200, body = DrilldownResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn projects(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<DrilldownParams>,
) -> Result<Json<DrilldownResponse>> {
    let (measure, as_of, group) = drilldown_params(
        query.measure.as_deref(),
        query.as_of,
        query.group_by.as_deref(),
        query.group.as_deref(),
    )?;
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(20);
    let found = reports::projects_of(
        &state.db,
        &state.settings,
        &user.actor,
        MeasureQuery {
            measure,
            as_of,
            group: group.clone(),
            page,
            per_page,
        },
    )
    .await?;
    Ok(Json(DrilldownResponse {
        as_of,
        measure: measure.as_str().to_owned(),
        measure_label: measure.label(),
        group_by: group.as_ref().map(|g| g.group_by.as_str().to_owned()),
        group: group.map(|g| g.key),
        items: found.items,
        total: found.total,
        page,
        per_page,
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ClocksQuery {
    /// Report date (YYYY-MM-DD, Asia/Shanghai, not after today); today when omitted.
    pub as_of: Option<NaiveDate>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClocksResponse {
    pub as_of: NaiveDate,
    #[serde(flatten)]
    pub figures: ClockFigures,
    /// on_time / (on_time + late), rounded half up to four decimals; null with none decided.
    pub on_time_rate: Option<f64>,
    /// first_time_right / accepted, rounded the same way; null with none accepted.
    pub first_time_right_rate: Option<f64>,
    /// How the figures are counted.
    pub definition: &'static str,
}

const CLOCKS_DEFINITION: &str = "按项目计数，口径与汇总相同（截至统计日已列入台账且未移除的项目）；时限为现行时限（设定了更短的承诺时限时按承诺时限）。overdue：截至统计日仍未办结且受理或审批时限已过；at_risk：计时中、未超期、剩余不超过 clocks.due_soon_working_days 个工作日；on_time / late：截至统计日已批复或不予批准，且在审批时限内 / 超过审批时限；first_time_right / corrected_once / corrected_repeatedly：截至统计日已受理，受理前补正 0 次 / 1 次 / 2 次及以上（corrected = 1 次及以上）。";

/// The clocks and corrections on a date, in projects: overdue, at risk, decided on time or
/// late against the limits in force, and how many correction rounds accepted filings needed.
/// Each figure is a `measure` of `/reports/projects`. Leaders, officers and administrators.
#[utoipa::path(get, path = "/api/v1/reports/clocks", tag = "reports", security(("bearer" = [])),
    params(ClocksQuery),
    responses((status = 200, body = ClocksResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn clocks(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<ClocksQuery>,
) -> Result<Json<ClocksResponse>> {
    let as_of = query.as_of.unwrap_or_else(services::today);
    let figures = reports::clock_figures(&state.db, &state.settings, &user.actor, as_of).await?;
    Ok(Json(ClocksResponse {
        as_of,
        on_time_rate: figures.on_time_rate().and_then(|r| r.to_f64()),
        first_time_right_rate: figures.first_time_right_rate().and_then(|r| r.to_f64()),
        figures,
        definition: CLOCKS_DEFINITION,
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct FirstTimeRightParams {
    /// First day of the period (YYYY-MM-DD); 1 January of this year when omitted.
    pub from: Option<NaiveDate>,
    /// Last day of the period, not after today; today when omitted.
    pub to: Option<NaiveDate>,
    /// `county` or `officer`.
    pub group_by: Option<String>,
}

/// The first-time-right rate (一次性受理率): of the filings accepted in the period (by the
/// acceptance's date), those accepted with no correction round before, overall and by county or
/// by the officer handling them. Leaders, officers and administrators.
#[utoipa::path(get, path = "/api/v1/reports/first-time-right", tag = "reports", security(("bearer" = [])),
    params(FirstTimeRightParams),
    responses((status = 200, body = crate::services::quality::FirstTimeRight), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn first_time_right(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<FirstTimeRightParams>,
) -> Result<Json<crate::services::quality::FirstTimeRight>> {
    use chrono::Datelike;
    let to = query.to.unwrap_or_else(services::today);
    let from = query
        .from
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to));
    Ok(Json(
        crate::services::quality::first_time_right(
            &state.db,
            &user.actor,
            from,
            to,
            query
                .group_by
                .as_deref()
                .map(str::trim)
                .filter(|g| !g.is_empty()),
        )
        .await?,
    ))
}

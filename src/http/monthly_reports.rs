//! /api/v1/reports/monthly — the province's monthly report: read it (JSON or its .xlsx),
//! draft it again while a draft, approve it.
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use super::auth::CurrentUser;
use super::extract::{ApiJson, ApiJsonOrEmpty};
use super::reports::Figures;
use crate::error::{Error, ErrorBody, Result};
use crate::excel::write;
use crate::services::monthly_reports::{self, Report};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(XlsxDoc::openapi())
        .routes(routes!(report))
        .routes(routes!(draft))
        .routes(routes!(approve))
}

/// The .xlsx is served by the same route as the JSON (a path segment cannot end in a fixed
/// suffix after a parameter), and documented as a path of its own.
#[derive(OpenApi)]
#[openapi(paths(report_xlsx))]
struct XlsxDoc;

/// A month's report as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MonthlyReportResponse {
    /// YYYY-MM.
    pub month: String,
    /// draft, approved or sent.
    pub status: String,
    /// 草稿, 已审核 or 已报送.
    pub status_label: String,
    /// The month's last day: the figures are the ledger's at its end, as taken when drafted.
    pub as_of: NaiveDate,
    pub figures: Figures,
    /// Total investment in 亿元, two decimals.
    pub total_investment_yi: String,
    pub accepted_in_month: u64,
    pub decided_in_month: u64,
    pub items_done_in_month: u64,
    pub items_overdue: u64,
    pub drafted_at: DateTime<Utc>,
    pub approved_by: Option<i64>,
    pub approved_by_name: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    /// The address it goes (or went) to; null while a draft, or when approved with none set.
    pub send_to: Option<String>,
    /// Approved with no `scheduler.province_report_to` configured: it will not be sent.
    pub not_sent: bool,
    pub sent_at: Option<DateTime<Utc>>,
    pub version: i32,
}

impl From<Report> for MonthlyReportResponse {
    fn from(r: Report) -> Self {
        let totals = r.figures.totals();
        MonthlyReportResponse {
            month: r.month.format("%Y-%m").to_string(),
            status: r.status.as_str().to_owned(),
            status_label: r.status.label().to_owned(),
            as_of: r.figures.as_of,
            figures: Figures::from(&totals),
            total_investment_yi: totals.total_investment.yi_display(),
            accepted_in_month: r.figures.accepted_in_month,
            decided_in_month: r.figures.decided_in_month,
            items_done_in_month: r.figures.items_done_in_month,
            items_overdue: r.figures.items_overdue,
            drafted_at: r.drafted_at,
            not_sent: r.not_sent(),
            approved_by: r.approved_by,
            approved_by_name: r.approved_by_name,
            approved_at: r.approved_at,
            send_to: r.send_to,
            sent_at: r.sent_at,
            version: r.version,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Approve {
    /// The version of the draft that was reviewed.
    pub version: i32,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Redraft {
    /// The draft's version, when redrafting one that was read.
    pub version: Option<i32>,
}

/// A month's report (leaders, officers, administrators): its status and the figures taken when
/// it was drafted. `{month}` is YYYY-MM; `{month}.xlsx` is the workbook (see that path).
#[utoipa::path(get, path = "/api/v1/reports/monthly/{month}", tag = "reports", security(("bearer" = [])),
    params(("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, body = MonthlyReportResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(month): Path<String>,
) -> Result<Response> {
    if let Some(month) = month.strip_suffix(".xlsx") {
        let month = monthly_reports::parse_month("month", month)?;
        let (file, name) =
            monthly_reports::file(&state.db, &state.settings, &user.actor, month).await?;
        return Ok(write::download(file, &name));
    }
    let month = monthly_reports::parse_month("month", &month)?;
    let report = monthly_reports::find(&state.db, &user.actor, month)
        .await?
        .ok_or_else(|| Error::NotFound(format!("{}的月度报告尚未生成", month.format("%Y-%m"))))?;
    Ok(Json(MonthlyReportResponse::from(report)).into_response())
}

/// The month's report as an .xlsx workbook (leaders, officers, administrators): sheet 服务台账,
/// every point-to-point project with its service sheet's items (one row per item), and sheet
/// 月度数据, the figures taken when drafted. Once approved, the workbook exactly as approved.
#[utoipa::path(get, path = "/api/v1/reports/monthly/{month}.xlsx", tag = "reports", security(("bearer" = [])),
    params(("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[allow(dead_code)]
async fn report_xlsx() {}

/// Drafts a month's report by hand, or again while it is a draft, taking its figures afresh
/// (officers, administrators). Only months that have ended.
#[utoipa::path(post, path = "/api/v1/reports/monthly/{month}/draft", tag = "reports", security(("bearer" = [])),
    params(("month" = String, Path, description = "YYYY-MM")), request_body = Redraft,
    responses((status = 200, body = MonthlyReportResponse), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn draft(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(month): Path<String>,
    ApiJsonOrEmpty(input): ApiJsonOrEmpty<Redraft>,
) -> Result<Json<MonthlyReportResponse>> {
    let month = monthly_reports::parse_month("month", &month)?;
    let report = monthly_reports::draft(&state.db, &user.actor, month, input.version).await?;
    Ok(Json(report.into()))
}

/// Approves the month's draft at `version` (officers, administrators): the mail to the province
/// (`scheduler.province_report_to`) is queued with the workbook attached; with no address set
/// the report is approved and marked as not sent. A stale version, or a report approved or sent
/// already, is a 409.
#[utoipa::path(post, path = "/api/v1/reports/monthly/{month}/approve", tag = "reports", security(("bearer" = [])),
    params(("month" = String, Path, description = "YYYY-MM")), request_body = Approve,
    responses((status = 200, body = MonthlyReportResponse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn approve(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(month): Path<String>,
    ApiJson(input): ApiJson<Approve>,
) -> Result<Json<MonthlyReportResponse>> {
    let month = monthly_reports::parse_month("month", &month)?;
    let report = monthly_reports::approve(
        &state.db,
        &state.settings,
        &user.actor,
        month,
        input.version,
    )
    .await?;
    Ok(Json(report.into()))
}

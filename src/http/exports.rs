//! The `.xlsx` downloads: the ledger (filtered like `/api/v1/projects`), its import template,
//! the summary and the projects behind one of its figures.
use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use super::auth::CurrentUser;
use super::extract::ApiQuery;
use crate::domain::FieldError;
use crate::domain::filing::FilingState;
use crate::error::{Error, ErrorBody, Result};
use crate::excel::write::download;
use crate::services::projects::{LevelFilter, ProjectQuery, ProjectSort};
use crate::services::{Code, ledger_export};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(ledger))
}

/// The filters of `GET /api/v1/projects` (without paging: the export has every matching
/// project) and the ledger page's order.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LedgerExportQuery {
    /// County code (GB/T 2260), e.g. 611024.
    pub county: Option<String>,
    /// `provincial` or `municipal`.
    pub level: Option<LevelFilter>,
    /// `exempt`, `required`, `unclassified`, or a tier: `registration_form`, `report_form`, `report`.
    pub classification: Option<String>,
    /// Part of the project name or project code.
    pub q: Option<String>,
    pub organization_id: Option<i64>,
    pub industry: Option<String>,
    pub point_to_point: Option<bool>,
    /// The state of the project's current filing (its latest), e.g. `submitted`, `accepted`.
    #[serde(default, deserialize_with = "crate::services::blank_is_none")]
    #[param(value_type = Option<String>)]
    pub filing_state: Option<Code<FilingState>>,
    /// As in `/api/v1/projects`: accepted or decided (`true`) or not (`false`) by `accepted_as_of`.
    pub accepted: Option<bool>,
    /// The date `accepted` is judged on (YYYY-MM-DD, not after today); today when omitted.
    pub accepted_as_of: Option<NaiveDate>,
    /// The current filing's open clock is past its due date (`true`) or not (`false`).
    pub overdue: Option<bool>,
    /// `true`: the removed projects instead (administrators only).
    pub removed: Option<bool>,
    /// `id` (the order entered, default), `name` (pinyin), `investment`, `listed` or `due`.
    pub sort: Option<String>,
    /// `asc` (default) or `desc`.
    pub order: Option<String>,
}

/// `sort` and `order` as sent; a 422 naming either when unknown.
pub(crate) fn sort_of(
    sort: Option<&str>,
    order: Option<&str>,
) -> std::result::Result<(ProjectSort, bool), Vec<FieldError>> {
    let mut errors = Vec::new();
    let sort = match sort.map(str::trim).unwrap_or("") {
        "" | "id" => ProjectSort::Id,
        "name" => ProjectSort::Name,
        "investment" => ProjectSort::Investment,
        "listed" => ProjectSort::Listed,
        "due" => ProjectSort::Due,
        _ => {
            errors.push(FieldError::new(
                "sort",
                "应为 id、name、investment、listed 或 due",
            ));
            ProjectSort::Id
        }
    };
    let descending = match order.map(str::trim).unwrap_or("") {
        "" | "asc" => false,
        "desc" => true,
        _ => {
            errors.push(FieldError::new("order", "应为 asc 或 desc"));
            false
        }
    };
    if errors.is_empty() {
        Ok((sort, descending))
    } else {
        Err(errors)
    }
}

/// The ledger as an `.xlsx` file: every project `GET /api/v1/projects` lists for the same
/// filters, one row each, in the ledger page's order; one header row with the columns the
/// import reads (项目名称, 投资项目统一代码, 建设单位, 统一社会信用代码, 县区, 重点项目级别, 行业,
/// 总投资（万元）, 点对点服务, 未批先建, …) then 环评类别, the current filing's state, acceptance
/// date, registration number, decision date and number, and due date. Amounts are numbers exact
/// to 0.01 万元. Officers, leaders and administrators; owners get 403.
#[utoipa::path(get, path = "/api/v1/ledger/export.xlsx", tag = "excel", security(("bearer" = [])),
    params(LedgerExportQuery),
    responses(
        (status = 200, description = "The workbook, as an attachment", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn ledger(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(q): ApiQuery<LedgerExportQuery>,
) -> Result<Response> {
    let (sort, descending) =
        sort_of(q.sort.as_deref(), q.order.as_deref()).map_err(Error::Invalid)?;
    let query = ProjectQuery {
        page: None,
        per_page: None,
        county: q.county,
        level: q.level,
        classification: q.classification,
        q: q.q,
        organization_id: q.organization_id,
        industry: q.industry,
        point_to_point: q.point_to_point,
        filing_state: q.filing_state,
        accepted: q.accepted,
        accepted_as_of: q.accepted_as_of,
        overdue: q.overdue,
        removed: q.removed,
    };
    let file = ledger_export::ledger(
        &state.db,
        &state.settings,
        &user.actor,
        query,
        sort,
        descending,
    )
    .await?;
    Ok(download(file, &ledger_export::file_name()))
}

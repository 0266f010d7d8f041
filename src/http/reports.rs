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
use crate::domain::money::Wan;
use crate::domain::report::{GroupBy, Totals};
use crate::error::{Error, ErrorBody, Result};
use crate::services::{self, reports};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(summary))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SummaryQuery {
    /// Report date (YYYY-MM-DD, Asia/Shanghai); today when omitted.
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
    /// accepted_or_decided / required, four decimals; null when nothing is required.
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

const DEFINITION: &str = "受理审批率 = 截至统计日已受理或已办结（受理、技术评估、拟审批公示、批复、不予批准、登记表备案）的应办环评项目数 ÷ 应依法办理环评手续的项目数；按投资额计算时以对应项目总投资相除。豁免项目不计入分母。";

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
    let group_by =
        match query.group_by.as_deref() {
            None | Some("") => None,
            Some(g) => Some(GroupBy::parse(g).ok_or_else(|| {
                Error::invalid("group_by", "应为 county、level、tier 或 industry")
            })?),
        };
    let as_of = query.as_of.unwrap_or_else(services::today);
    let summary = reports::summary(&state.db, &user.actor, as_of, group_by).await?;
    Ok(Json(SummaryResponse {
        as_of,
        figures: Figures::from(&summary.totals),
        total_investment_yi: summary.totals.total_investment.yi_display(),
        definition: DEFINITION,
        group_by: query.group_by.filter(|g| !g.is_empty()),
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

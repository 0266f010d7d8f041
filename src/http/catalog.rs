//! /api/v1/catalog — 《建设项目环境影响评价分类管理名录（2021年版）》 and the facts each row takes.
use axum::Json;
use axum::extract::Path;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use super::auth::CurrentUser;
use super::extract::ApiQuery;
use crate::domain::classification::{Catalog, CatalogRow, row_schema, structured_rows};
use crate::error::{Error, ErrorBody, Result};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(row))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CatalogQuery {
    /// Words of the category or section, or an industry code such as `4812`; space-separated
    /// terms must all match.
    pub q: Option<String>,
    /// Only rows with (`true`) or without (`false`) structured rules.
    pub structured: Option<bool>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CatalogRowView {
    pub row: u16,
    pub section_no: u16,
    pub section_name: String,
    pub category: String,
    /// 报告书 condition ("/" when the tier does not apply).
    pub report: String,
    /// 报告表 condition.
    pub report_form: String,
    /// 登记表 condition.
    pub registration_form: String,
    /// 本栏目环境敏感区含义.
    pub sensitive_scope: String,
    /// Whether the service classifies this row from facts; otherwise the officer chooses.
    pub structured: bool,
}

impl CatalogRowView {
    fn of(r: &CatalogRow, structured: &[u16]) -> Self {
        CatalogRowView {
            row: r.row,
            section_no: r.section_no,
            section_name: r.section_name.clone(),
            category: r.category.clone(),
            report: r.report.clone(),
            report_form: r.report_form.clone(),
            registration_form: r.registration_form.clone(),
            sensitive_scope: r.sensitive_scope.clone(),
            structured: structured.contains(&r.row),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CatalogPage {
    pub title: String,
    pub total: usize,
    pub items: Vec<CatalogRowView>,
}

/// Browse or search the catalogue's 173 rows.
#[utoipa::path(get, path = "/api/v1/catalog", tag = "classification", security(("bearer" = [])),
    params(CatalogQuery), responses((status = 200, body = CatalogPage)))]
async fn list(_user: CurrentUser, ApiQuery(q): ApiQuery<CatalogQuery>) -> Json<CatalogPage> {
    let catalog = Catalog::embedded();
    let structured = structured_rows();
    let rows: Vec<&CatalogRow> = match q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(query) => catalog.search(query),
        None => catalog.rows().iter().collect(),
    };
    let items: Vec<CatalogRowView> = rows
        .into_iter()
        .map(|r| CatalogRowView::of(r, &structured))
        .filter(|r| q.structured.is_none_or(|s| r.structured == s))
        .collect();
    Json(CatalogPage {
        title: catalog.cited_title(),
        total: items.len(),
        items,
    })
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CatalogRowDetail {
    #[serde(flatten)]
    pub row: CatalogRowView,
    /// The facts this row takes, the sensitive areas it counts; see `docs/classification.md`.
    #[schema(value_type = Object)]
    pub schema: serde_json::Value,
}

/// One row's text and the facts it takes.
#[utoipa::path(get, path = "/api/v1/catalog/{row}", tag = "classification", security(("bearer" = [])),
    params(("row" = u16, Path, description = "1–173")),
    responses((status = 200, body = CatalogRowDetail), (status = 404, body = ErrorBody)))]
async fn row(_user: CurrentUser, Path(row): Path<String>) -> Result<Json<CatalogRowDetail>> {
    let not_found = || Error::NotFound("名录中没有这一项（应为1–173）".into());
    let number: u16 = row.parse().map_err(|_| not_found())?;
    let catalog = Catalog::embedded();
    let found = catalog.row(number).ok_or_else(not_found)?;
    let schema = row_schema(number, catalog).ok_or_else(not_found)?;
    Ok(Json(CatalogRowDetail {
        row: CatalogRowView::of(found, &structured_rows()),
        schema: serde_json::to_value(schema).map_err(anyhow::Error::from)?,
    }))
}

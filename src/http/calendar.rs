//! /api/v1/calendar — the working-day calendar the statutory clocks count with.
use axum::Json;
use axum::extract::{Path, State};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::AppState;
use super::auth::CurrentUser;
use super::extract::{ApiJson, ApiQuery};
use crate::domain::calendar::{CalendarError, DayInfo};
use crate::error::{Error, ErrorBody, Result};
use crate::services::calendar::{self, ScheduleView};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(add_working_days))
        .routes(routes!(day))
        .routes(routes!(years))
        .routes(routes!(load_year))
}

/// The longest span one request may count, about four years of working days.
const MAX_DAYS: u32 = 1000;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AddQuery {
    /// Start date (not counted).
    pub from: NaiveDate,
    /// Working days to add, 0–1000.
    pub days: u32,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AddResponse {
    pub from: NaiveDate,
    pub days: u32,
    pub date: NaiveDate,
}

/// "2019–2026年", "2019–2021、2023年", or "暂无任何年份".
fn years_in_words(years: &[i32]) -> String {
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for &year in years {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == year => *end = year,
            _ => runs.push((year, year)),
        }
    }
    if runs.is_empty() {
        return "暂无任何年份".to_owned();
    }
    let parts: Vec<String> = runs
        .iter()
        .map(|&(start, end)| {
            if start == end {
                start.to_string()
            } else {
                format!("{start}–{end}")
            }
        })
        .collect();
    format!("{}年", parts.join("、"))
}

fn out_of_range(field: &str, err: CalendarError) -> Error {
    match err {
        CalendarError::OutOfRange { date, held_years } => {
            let held = years_in_words(&held_years);
            Error::invalid(
                field,
                format!("{date} 超出工作日历的范围，日历现有年份：{held}"),
            )
        }
        other => Error::Internal(anyhow::anyhow!(other)),
    }
}

/// The date `days` working days after `from` under the Chinese statutory holiday calendar,
/// make-up workdays included.
#[utoipa::path(get, path = "/api/v1/calendar/add-working-days", tag = "calendar", security(("bearer" = [])),
    params(AddQuery),
    responses((status = 200, body = AddResponse), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_working_days(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiQuery(q): ApiQuery<AddQuery>,
) -> Result<Json<AddResponse>> {
    if q.days > MAX_DAYS {
        return Err(Error::invalid("days", format!("最多{MAX_DAYS}个工作日")));
    }
    let cal = calendar::load(&state.db).await?;
    cal.day(q.from).map_err(|e| out_of_range("from", e))?;
    let date = cal
        .add_working_days(q.from, q.days)
        .map_err(|e| out_of_range("days", e))?;
    Ok(Json(AddResponse {
        from: q.from,
        days: q.days,
        date,
    }))
}

/// Whether a date is a working day, and the holiday it belongs to.
#[utoipa::path(get, path = "/api/v1/calendar/days/{date}", tag = "calendar", security(("bearer" = [])),
    params(("date" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 200, body = DayInfo), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn day(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(date): Path<String>,
) -> Result<Json<DayInfo>> {
    let date: NaiveDate = date.parse().map_err(|_| Error::Malformed {
        message: "日期格式应为 YYYY-MM-DD".into(),
        fields: vec![crate::domain::FieldError::new(
            "date",
            "日期格式应为 YYYY-MM-DD",
        )],
    })?;
    let cal = calendar::load(&state.db).await?;
    Ok(Json(cal.day(date).map_err(|e| out_of_range("date", e))?))
}

/// The years the calendar holds and the notices they come from.
#[utoipa::path(get, path = "/api/v1/calendar/years", tag = "calendar", security(("bearer" = [])),
    responses((status = 200, body = Vec<ScheduleView>)))]
async fn years(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> Result<Json<Vec<ScheduleView>>> {
    Ok(Json(calendar::list(&state.db).await?))
}

/// Load or replace one year's schedule (administrators). The body is the schedule in the
/// holiday-cn shape: `{"year": 2027, "papers": [...], "days": [{"name", "date", "isOffDay"}]}`.
/// Open deadlines are computed from the calendar, so they follow at once.
#[utoipa::path(put, path = "/api/v1/calendar/years/{year}", tag = "calendar", security(("bearer" = [])),
    params(("year" = i32, Path)), request_body = Object,
    responses((status = 200, body = ScheduleView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn load_year(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(year): Path<String>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<Json<ScheduleView>> {
    let year: i32 = year
        .parse()
        .map_err(|_| Error::NotFound("资源不存在".into()))?;
    Ok(Json(
        calendar::store(&state.db, &user.actor, year, &body.to_string()).await?,
    ))
}

//! The working-day calendar kept in the database: the official schedules shipped with the
//! program are stored on first start; an administrator loads next year's when the State Council
//! publishes it. Deadlines are computed from the calendar when read, so loading a schedule
//! recomputes every open deadline.
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde::Serialize;

use super::{Actor, audit, now};
use crate::domain::calendar::{
    CalendarError, EMBEDDED_SCHEDULES, HolidaySchedule, PLAUSIBLE_YEARS, WorkCalendar,
};
use crate::domain::role::Role;
use crate::error::{Error, Result};
use entity::holiday_schedule;

/// Stores each shipped schedule whose year the database does not hold yet.
#[tracing::instrument(name = "calendar::seed_embedded", skip_all)]
pub async fn seed_embedded<C: ConnectionTrait>(db: &C) -> Result<()> {
    let held: Vec<i32> = holiday_schedule::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.year)
        .collect();
    for (year, json) in EMBEDDED_SCHEDULES {
        if !held.contains(&year) {
            holiday_schedule::ActiveModel {
                year: Set(year),
                source: Set(json.to_owned()),
                loaded_by: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// The calendar as the database holds it now.
#[tracing::instrument(name = "calendar::load", skip_all)]
pub async fn load<C: ConnectionTrait>(db: &C) -> Result<WorkCalendar> {
    let rows = holiday_schedule::Entity::find()
        .order_by_asc(holiday_schedule::Column::Year)
        .all(db)
        .await?;
    let mut schedules = Vec::with_capacity(rows.len());
    for row in rows {
        let schedule = HolidaySchedule::parse(&row.source)
            .map_err(|e| anyhow::anyhow!("stored holiday schedule {}: {e}", row.year))?;
        schedules.push(schedule);
    }
    Ok(WorkCalendar::new(schedules))
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScheduleView {
    pub year: i32,
    /// The State Council notices the schedule comes from.
    pub papers: Vec<String>,
    pub days: usize,
    pub loaded_at: chrono::DateTime<chrono::Utc>,
    pub loaded_by: Option<i64>,
}

#[tracing::instrument(name = "calendar::list", skip_all)]
pub async fn list<C: ConnectionTrait>(db: &C) -> Result<Vec<ScheduleView>> {
    let rows = holiday_schedule::Entity::find()
        .order_by_asc(holiday_schedule::Column::Year)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|row| {
            let schedule = HolidaySchedule::parse(&row.source)
                .map_err(|e| anyhow::anyhow!("stored holiday schedule {}: {e}", row.year))?;
            Ok(ScheduleView {
                year: row.year,
                papers: schedule.papers,
                days: schedule.days.len(),
                loaded_at: row.loaded_at,
                loaded_by: row.loaded_by,
            })
        })
        .collect()
}

/// Loads (or replaces) one year's schedule. `year` is the year the caller means; the document
/// must say the same.
#[tracing::instrument(
    name = "calendar::store",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, year)
)]
pub async fn store(
    db: &DatabaseConnection,
    actor: &Actor,
    year: i32,
    source: &str,
) -> Result<ScheduleView> {
    let schedule = checked(actor, year, source)?;
    let txn = db.begin().await?;
    let existing = holiday_schedule::Entity::find()
        .filter(holiday_schedule::Column::Year.eq(year))
        .one(&txn)
        .await?;
    let action = match existing {
        Some(row) => {
            let mut active: holiday_schedule::ActiveModel = row.into();
            active.source = Set(source.to_owned());
            active.loaded_by = Set(actor.id);
            active.loaded_at = Set(now());
            active.update(&txn).await?;
            "replace"
        }
        None => {
            holiday_schedule::ActiveModel {
                year: Set(year),
                source: Set(source.to_owned()),
                loaded_by: Set(actor.id),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            "load"
        }
    };
    let mut changes = audit::Changes::new();
    changes.set("year", &year).set("days", &schedule.days.len());
    audit::write(
        &txn,
        actor,
        "holiday_schedule",
        i64::from(year),
        action,
        changes,
        serde_json::json!({"year": year, "papers": schedule.papers, "days": schedule.days.len()}),
    )
    .await?;
    txn.commit().await?;
    tracing::info!(year, action, "holiday schedule stored");
    list(db)
        .await?
        .into_iter()
        .find(|s| s.year == year)
        .ok_or_else(|| anyhow::anyhow!("schedule {year} vanished after storing").into())
}

/// What an administrator sent, checked: an administrator, a schedule of the year named, holding
/// that year's days (never empty, never another year's).
fn checked(actor: &Actor, year: i32, source: &str) -> Result<HolidaySchedule> {
    if actor.role != Role::Admin {
        return Err(Error::Forbidden("只有管理员可以维护节假日安排".into()));
    }
    let schedule =
        HolidaySchedule::parse(source).map_err(|e| Error::invalid("schedule", zh(&e)))?;
    if schedule.year != year {
        return Err(Error::invalid(
            "year",
            format!(
                "请求的年份为{year}，而节假日安排文件中的年份为{}",
                schedule.year
            ),
        ));
    }
    Ok(schedule)
}

/// A calendar error as users read it.
pub fn zh(e: &CalendarError) -> String {
    match e {
        CalendarError::Malformed(_) => "节假日安排格式有误，应为 {\"year\": 年份, \"papers\": [文件], \"days\": [{\"name\": 名称, \"date\": \"YYYY-MM-DD\", \"isOffDay\": true|false}]}".to_owned(),
        CalendarError::ImplausibleYear { year } => format!(
            "年份{year}不合理，应在{}–{}之间",
            PLAUSIBLE_YEARS.start(),
            PLAUSIBLE_YEARS.end()
        ),
        CalendarError::DateOutsideYear { year, date } => format!(
            "{year}年的节假日安排中列有{date}，不属于{year}年（只允许与{year}年元旦相连的相邻年份日期）"
        ),
        CalendarError::NoDaysInYear { year } => {
            format!("节假日安排中没有{year}年的日期：不能为空，也不能是其他年份的安排")
        }
        CalendarError::ConflictingDay { year, date } => {
            format!("{year}年的节假日安排中{date}同时被列为休息日和工作日")
        }
        CalendarError::OutOfRange { date, held_years } => format!(
            "{date}不在工作日历范围内；日历现有{}年的节假日安排",
            describe_years_zh(held_years)
        ),
    }
}

fn describe_years_zh(years: &[i32]) -> String {
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for &year in years {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == year => *end = year,
            Some(_) | None => runs.push((year, year)),
        }
    }
    if runs.is_empty() {
        return "（无）".to_owned();
    }
    runs.iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// An open deadline that loading a schedule would move.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MovedDeadline {
    pub filing_id: i64,
    pub project_name: String,
    /// `acceptance` or `decision`.
    pub clock: &'static str,
    pub due_before: Option<chrono::NaiveDate>,
    pub estimated_before: bool,
    pub due_after: Option<chrono::NaiveDate>,
    pub estimated_after: bool,
}

/// What loading a schedule would do, shown before it is applied.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SchedulePreview {
    pub year: i32,
    pub days: usize,
    /// Whether the year is held already (the upload replaces it).
    pub replaces: bool,
    /// Open deadlines whose date changes, or stops being an estimate.
    pub moved: Vec<MovedDeadline>,
}

/// `PUT /calendar/years/{year}?dry_run=true`: the checks of a load, and the open deadlines it
/// would move, without storing anything.
#[tracing::instrument(name = "calendar::preview", skip_all, fields(actor_id = actor.id, year))]
pub async fn preview(
    db: &DatabaseConnection,
    settings: &crate::config::Settings,
    actor: &Actor,
    year: i32,
    source: &str,
) -> Result<SchedulePreview> {
    let schedule = checked(actor, year, source)?;
    let current = load(db).await?;
    let replaces = current.holds(year);
    let days = schedule.days.len();
    let proposed = current.clone().with_schedule(schedule);
    let today = super::today();
    let before = super::filings::open_clocks_under(db, settings, today, Some(current)).await?;
    let after = super::filings::open_clocks_under(db, settings, today, Some(proposed)).await?;
    let mut moved = Vec::new();
    for (b, a) in before.iter().zip(after.iter()) {
        let pick = |o: &super::filings::OpenFiling| match o.clock.clock {
            Some(crate::domain::filing::ClockKind::Decision) => o.clock.decision_due,
            _ => o.clock.acceptance_due,
        };
        let (due_before, due_after) = (pick(b), pick(a));
        if due_before != due_after || b.clock.estimated != a.clock.estimated {
            moved.push(MovedDeadline {
                filing_id: b.filing.id,
                project_name: b.project.name.clone(),
                clock: b.clock.clock.map(|c| c.as_str()).unwrap_or("acceptance"),
                due_before,
                estimated_before: b.clock.estimated,
                due_after,
                estimated_after: a.clock.estimated,
            });
        }
    }
    Ok(SchedulePreview {
        year,
        days,
        replaces,
        moved,
    })
}

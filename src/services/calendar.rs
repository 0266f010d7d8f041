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
use crate::domain::calendar::{EMBEDDED_SCHEDULES, HolidaySchedule, WorkCalendar};
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
    if actor.role != Role::Admin {
        return Err(Error::Forbidden("只有管理员可以维护节假日安排".into()));
    }
    let schedule =
        HolidaySchedule::parse(source).map_err(|e| Error::invalid("schedule", e.to_string()))?;
    if schedule.year != year {
        return Err(Error::invalid(
            "year",
            format!(
                "请求的年份为{year}，而节假日安排文件中的年份为{}",
                schedule.year
            ),
        ));
    }
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

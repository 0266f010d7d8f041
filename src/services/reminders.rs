//! What the scheduler writes on each tick: deadline reminders, acceptances and decisions past
//! due (to the officer at once, to the officer's leader some working days later), the urge →
//! supervise ladder of late service items, the weekly leadership digest, the draft of the
//! province's monthly report for the officers' review, and the weekly reminder to load next
//! year's holiday schedule.
//! Every message carries a key naming its occasion, so ticking twice, or on several servers,
//! writes it once.

use chrono::{Datelike, NaiveDate};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait, sea_query::Expr,
};
use serde::Serialize;

use super::notifications::{self, Occasion, Recipient};
use super::{Actor, audit, calendar, filings, monthly_reports, reports};
use crate::config::Settings;
use crate::domain::filing::{ClockKind, ClockStatus};
use crate::domain::point_to_point::{Escalation, ItemDates, ItemStatus, Ladder, escalation};
use crate::domain::role::Role;
use crate::error::Result;
use crate::notify::messages::{
    CalendarYearMissing, DeadlineApproaching, Figures, FilingOverdue, FilingOverdueEscalated,
    LeaderDigest, ServiceItemDue, ServiceItemSupervised, ServiceItemUrged,
};
use entity::{app_user, project, service_item, service_sheet};

/// What one tick wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TickReport {
    pub deadline_reminders: u64,
    /// Overdue acceptances and decisions told to the officer.
    pub overdue: u64,
    /// … and, later, to the officer's leader.
    pub overdue_escalated: u64,
    pub item_reminders: u64,
    pub urged: u64,
    pub supervised: u64,
    pub digests: u64,
    /// Monthly reports drafted for the officers' review.
    pub monthly_reports_drafted: u64,
    pub calendar_reminders: u64,
}

/// Runs every rule for `today` (a calendar date in Asia/Shanghai).
#[tracing::instrument(name = "reminders::tick", skip_all, fields(%today))]
pub async fn tick(
    db: &DatabaseConnection,
    settings: &Settings,
    today: NaiveDate,
) -> Result<TickReport> {
    let mut report = TickReport::default();
    deadline_reminders(db, settings, today, &mut report).await?;
    overdue(db, settings, today, &mut report).await?;
    service_items(db, settings, today, &mut report).await?;
    digest(db, settings, today, &mut report).await?;
    monthly_report(db, settings, today, &mut report).await?;
    calendar_reminder(db, settings, today, &mut report).await?;
    Ok(report)
}

#[tracing::instrument(name = "reminders::deadlines", skip_all)]
async fn deadline_reminders(
    db: &DatabaseConnection,
    settings: &Settings,
    today: NaiveDate,
    report: &mut TickReport,
) -> Result<()> {
    let window = i64::from(settings.scheduler.reminder_working_days);
    for open in filings::open_clocks(db, settings, today).await? {
        let clock = &open.clock;
        if clock.status != ClockStatus::Running || clock.overdue {
            continue;
        }
        let (due, kind) = match clock.clock {
            Some(kind @ ClockKind::Acceptance) => (clock.acceptance_due, kind),
            Some(kind @ ClockKind::Decision) => (clock.decision_due, kind),
            None => continue,
        };
        let Some(due) = due else { continue };
        let cal = &open.calendar;
        let Ok(left) = cal.working_days_between(today, due) else {
            continue;
        };
        if !(0..=window).contains(&left) {
            continue;
        }
        // The officer handling it; while it waits in the shared queue, those who may claim it.
        let recipients = match open.filing.officer_id {
            Some(id) => notifications::user(db, id).await?.into_iter().collect(),
            None => filings::queue_officers(db, open.project.county_id).await?,
        };
        report.deadline_reminders += notifications::enqueue(
            db,
            settings,
            Occasion {
                // One reminder per deadline: a deadline moved by a stop is a new one.
                key: format!("filing:{}:{kind}-due:{due}", open.filing.id),
                entity: Some(("filing", open.filing.id)),
            },
            &DeadlineApproaching {
                filing_id: open.filing.id,
                project_name: open.project.name.clone(),
                tier: open.filing.tier,
                clock: kind,
                due,
                estimated: open.clock.estimated,
                working_days_left: left,
            },
            &recipients,
        )
        .await?;
    }
    Ok(())
}

/// An acceptance or decision past its due date: the officer handling the filing hears of it on
/// the first tick after the due date (when nobody handles it, the officers who may claim it),
/// and the officer's leader (`supervisor_id`, else every leader) once it is
/// `scheduler.overdue_escalate_working_days` working days late; each once per due date.
#[tracing::instrument(name = "reminders::overdue", skip_all)]
async fn overdue(
    db: &DatabaseConnection,
    settings: &Settings,
    today: NaiveDate,
    report: &mut TickReport,
) -> Result<()> {
    let escalate_after = settings.scheduler.overdue_escalate_working_days;
    for open in filings::open_clocks(db, settings, today).await? {
        let clock = &open.clock;
        if clock.status != ClockStatus::Running || !clock.overdue {
            continue;
        }
        let (due, kind) = match clock.clock {
            Some(kind @ ClockKind::Acceptance) => (clock.acceptance_due, kind),
            Some(kind @ ClockKind::Decision) => (clock.decision_due, kind),
            None => continue,
        };
        let Some(due) = due else { continue };
        if today <= due {
            continue;
        }
        let f = &open.filing;
        let key = |role: &str| Occasion {
            // One notice per due date and recipient role: a deadline moved by a stop is a new one.
            key: format!("filing:{}:{kind}-overdue:{due}:{role}", f.id),
            entity: Some(("filing", f.id)),
        };
        let officer = match f.officer_id {
            Some(id) => app_user::Entity::find_by_id(id).one(db).await?,
            None => None,
        };
        let officers = match officer.as_ref().filter(|o| o.active) {
            Some(o) => vec![Recipient::user(o)],
            None => filings::queue_officers(db, open.project.county_id).await?,
        };
        report.overdue += notifications::enqueue(
            db,
            settings,
            key("officer"),
            &FilingOverdue {
                filing_id: f.id,
                project_name: open.project.name.clone(),
                tier: f.tier,
                clock: kind,
                due,
                escalate_after_working_days: escalate_after,
            },
            &officers,
        )
        .await?;
        let Ok(late) = open.calendar.working_days_between(due, today) else {
            continue;
        };
        if late < i64::from(escalate_after) {
            continue;
        }
        let supervisor = match officer.as_ref().and_then(|o| o.supervisor_id) {
            Some(id) => notifications::user(db, id).await?.into_iter().collect(),
            None => Vec::new(),
        };
        let leaders = if supervisor.is_empty() {
            notifications::users_with_role(db, Role::Leader).await?
        } else {
            supervisor
        };
        report.overdue_escalated += notifications::enqueue(
            db,
            settings,
            key("leader"),
            &FilingOverdueEscalated {
                filing_id: f.id,
                project_name: open.project.name.clone(),
                tier: f.tier,
                clock: kind,
                due,
                working_days_late: late,
                officer_name: officer.map(|o| o.display_name),
            },
            &leaders,
        )
        .await?;
    }
    Ok(())
}

#[tracing::instrument(name = "reminders::service_items", skip_all)]
async fn service_items(
    db: &DatabaseConnection,
    settings: &Settings,
    today: NaiveDate,
    report: &mut TickReport,
) -> Result<()> {
    let cal = calendar::load(db).await?;
    let ladder = Ladder {
        remind_before: settings.scheduler.reminder_working_days,
        supervise_after: settings.scheduler.supervise_after_working_days,
    };
    // Each open item with its sheet, and the sheets' projects, through the declared relations.
    let items = service_item::Entity::find()
        .filter(service_item::Column::Status.is_in([ItemStatus::Planned, ItemStatus::InProgress]))
        .find_also_related(service_sheet::Entity)
        .all(db)
        .await?;
    let sheet_projects: std::collections::HashMap<i64, project::Model> =
        service_sheet::Entity::find()
            .filter(
                service_sheet::Column::Id
                    .is_in(items.iter().filter_map(|(_, s)| s.as_ref().map(|s| s.id))),
            )
            .find_also_related(project::Entity)
            .all(db)
            .await?
            .into_iter()
            .filter_map(|(sheet, project)| Some((sheet.id, project?)))
            .collect();
    for (item, sheet) in items {
        let status = item.status;
        let dates = ItemDates {
            status,
            promised_on: item.promised_on,
            urged_on: item.urged_on,
            supervised_on: item.supervised_on,
        };
        // Dates outside the years the calendar holds wait until it holds them.
        let Ok(step) = escalation(dates, today, ladder, &cal) else {
            continue;
        };
        if step == Escalation::None {
            continue;
        }
        let Some(sheet) = sheet else { continue };
        let Some(project) = sheet_projects.get(&sheet.id) else {
            continue;
        };
        let officer = app_user::Entity::find_by_id(sheet.officer_id)
            .one(db)
            .await?;
        let officer_recipient: Vec<Recipient> = officer
            .iter()
            .filter(|o| o.active)
            .map(Recipient::user)
            .collect();
        let occasion = |key: String| Occasion {
            key,
            entity: Some(("service_sheet", sheet.id)),
        };
        let txn = db.begin().await?;
        let written = match step {
            Escalation::None => continue,
            Escalation::Remind => {
                let left = cal
                    .working_days_between(today, item.promised_on)
                    .unwrap_or_default();
                let message = ServiceItemDue {
                    sheet_id: sheet.id,
                    project_name: project.name.clone(),
                    item: item.description.clone(),
                    due: item.promised_on,
                    working_days_left: left,
                };
                let key = format!("service-item:{}:due:{}", item.id, item.promised_on);
                notifications::enqueue(&txn, settings, occasion(key), &message, &officer_recipient)
                    .await?
            }
            Escalation::Urge => {
                let message = ServiceItemUrged {
                    sheet_id: sheet.id,
                    project_name: project.name.clone(),
                    item: item.description.clone(),
                    due: item.promised_on,
                    supervise_after: settings.scheduler.supervise_after_working_days,
                };
                let key = format!("service-item:{}:urge", item.id);
                notifications::enqueue(&txn, settings, occasion(key), &message, &officer_recipient)
                    .await?
            }
            Escalation::Supervise => {
                let supervisor = match officer.as_ref().and_then(|o| o.supervisor_id) {
                    Some(id) => notifications::user(&txn, id).await?.into_iter().collect(),
                    None => Vec::new(),
                };
                let leaders = if supervisor.is_empty() {
                    notifications::users_with_role(&txn, Role::Leader).await?
                } else {
                    supervisor
                };
                let message = ServiceItemSupervised {
                    sheet_id: sheet.id,
                    project_name: project.name.clone(),
                    item: item.description.clone(),
                    due: item.promised_on,
                    officer_name: officer
                        .as_ref()
                        .map(|o| o.display_name.clone())
                        .unwrap_or_default(),
                };
                let key = format!("service-item:{}:supervise", item.id);
                notifications::enqueue(&txn, settings, occasion(key), &message, &leaders).await?
            }
        };
        // The step is recorded on the item in the same transaction as its notice.
        let (column, action) = match step {
            Escalation::Urge => (Some(service_item::Column::UrgedOn), "urge"),
            Escalation::Supervise => (Some(service_item::Column::SupervisedOn), "supervise"),
            Escalation::Remind | Escalation::None => (None, "remind"),
        };
        if let Some(column) = column {
            service_item::Entity::update_many()
                .col_expr(column, Expr::value(today))
                .filter(service_item::Column::Id.eq(item.id))
                .filter(column.is_null())
                .exec(&txn)
                .await?;
            audit::record(
                &txn,
                &Actor::system(),
                "service_sheet",
                sheet.id,
                action,
                serde_json::json!({"item_id": item.id, "on": today}),
            )
            .await?;
        }
        txn.commit().await?;
        match step {
            Escalation::Remind => report.item_reminders += written,
            Escalation::Urge => report.urged += written,
            Escalation::Supervise => report.supervised += written,
            Escalation::None => {}
        }
    }
    Ok(())
}

/// The ledger's figures on `as_of`, as both reports state them.
async fn figures(db: &DatabaseConnection, as_of: NaiveDate) -> Result<Figures> {
    Ok(Figures {
        as_of,
        totals: reports::totals(db, as_of).await?,
    })
}

#[tracing::instrument(name = "reminders::digest", skip_all)]
async fn digest(
    db: &DatabaseConnection,
    settings: &Settings,
    today: NaiveDate,
    report: &mut TickReport,
) -> Result<()> {
    if today.weekday().number_from_monday() != settings.scheduler.digest_weekday {
        return Ok(());
    }
    let open = filings::open_clocks(db, settings, today).await?;
    let week_ago = today - chrono::Duration::days(7);
    let newly_overdue = open
        .iter()
        .filter(|o| o.clock.overdue)
        .filter(|o| {
            o.clock
                .acceptance_due
                .into_iter()
                .chain(o.clock.decision_due)
                .any(|d| d >= week_ago)
        })
        .map(|o| (o.project.name.clone(), o.state_label.to_owned()))
        .collect();
    let at_risk = open
        .iter()
        .filter(|o| {
            o.clock.status == ClockStatus::Running && !o.clock.overdue && o.clock.days_left <= 3
        })
        .map(|o| (o.project.name.clone(), o.clock.days_left))
        .collect();
    let overdue_items = service_item::Entity::find()
        .filter(service_item::Column::Status.is_in([ItemStatus::Planned, ItemStatus::InProgress]))
        .filter(service_item::Column::PromisedOn.lt(today))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.description, i.promised_on))
        .collect();
    let week = today.iso_week();
    let recipients = notifications::users_with_role(db, Role::Leader).await?;
    report.digests += notifications::enqueue(
        db,
        settings,
        Occasion {
            key: format!("digest:{}-W{:02}", week.year(), week.week()),
            entity: None,
        },
        &LeaderDigest {
            figures: figures(db, today).await?,
            newly_overdue,
            overdue_items,
            at_risk,
        },
        &recipients,
    )
    .await?;
    Ok(())
}

/// The province's monthly report: on or after the 1st, the month just ended is drafted once for
/// the officers to review (`monthly_reports`); it goes to the province when approved.
#[tracing::instrument(name = "reminders::monthly_report", skip_all)]
async fn monthly_report(
    db: &DatabaseConnection,
    settings: &Settings,
    today: NaiveDate,
    report: &mut TickReport,
) -> Result<()> {
    report.monthly_reports_drafted += monthly_reports::draft_due(db, settings, today).await?;
    Ok(())
}

/// From 1 November of a year until the calendar holds the next year's holiday schedule (and
/// in any year whose own schedule is missing), every administrator is reminded once per ISO
/// week to load it, with how many open deadlines fall beyond the calendar meanwhile.
#[tracing::instrument(name = "reminders::calendar", skip_all)]
async fn calendar_reminder(
    db: &DatabaseConnection,
    settings: &Settings,
    today: NaiveDate,
    report: &mut TickReport,
) -> Result<()> {
    let year = if today.month() >= 11 {
        today.year() + 1
    } else {
        today.year()
    };
    if calendar::load(db).await?.holds(year) {
        return Ok(());
    }
    let beyond = filings::open_clocks(db, settings, today)
        .await?
        .iter()
        .filter(|o| o.clock.estimated)
        .count();
    let week = today.iso_week();
    let admins = notifications::users_with_role(db, Role::Admin).await?;
    report.calendar_reminders += notifications::enqueue(
        db,
        settings,
        Occasion {
            key: format!(
                "calendar:{year}:missing:{}-W{:02}",
                week.year(),
                week.week()
            ),
            entity: None,
        },
        &CalendarYearMissing {
            year,
            deadlines_beyond_calendar: beyond as u64,
        },
        &admins,
    )
    .await?;
    Ok(())
}

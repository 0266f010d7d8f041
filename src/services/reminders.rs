//! What the scheduler writes on each tick: deadline reminders, the urge → supervise ladder of
//! late service items, the weekly leadership digest and the monthly report to the province.
//! Every message carries a key naming its occasion, so ticking twice, or on several servers,
//! writes it once.
use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait, sea_query::Expr,
};
use serde::Serialize;

use super::notifications::{self, NewNotification, Recipient};
use super::{Actor, audit, calendar, filings, reports};
use crate::config::Settings;
use crate::domain::filing::{ClockKind, ClockStatus};
use crate::domain::report::{self, ReportProject};
use crate::domain::role::Role;
use crate::domain::service::{Escalation, ItemDates, ItemStatus, Ladder, escalation};
use crate::error::Result;
use entity::{app_user, project, service_item, service_sheet};

/// What one tick wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TickReport {
    pub deadline_reminders: u64,
    pub item_reminders: u64,
    pub urged: u64,
    pub supervised: u64,
    pub digests: u64,
    pub province_reports: u64,
}

fn link(settings: &Settings, path: &str) -> String {
    format!(
        "{}/api/v1/{path}",
        settings.server.public_url.trim_end_matches('/')
    )
}

/// Runs every rule for `today` (a calendar date in Asia/Shanghai).
pub async fn tick(
    db: &DatabaseConnection,
    settings: &Settings,
    today: NaiveDate,
) -> Result<TickReport> {
    let mut report = TickReport::default();
    deadline_reminders(db, settings, today, &mut report).await?;
    service_items(db, settings, today, &mut report).await?;
    digest(db, settings, today, &mut report).await?;
    province_report(db, settings, today, &mut report).await?;
    Ok(report)
}

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
        let (due, label) = match clock.clock {
            Some(ClockKind::Acceptance) => (clock.acceptance_due, "受理时限"),
            Some(ClockKind::Decision) => (clock.decision_due, "审批时限"),
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
        let recipients = match open.filing.officer_id {
            Some(id) => notifications::user(db, id).await?.into_iter().collect(),
            None => notifications::users_with_role(db, Role::Officer).await?,
        };
        let vars: BTreeMap<&str, String> = [
            ("project_name", open.project.name.clone()),
            ("tier_label", open.tier_label.to_owned()),
            ("clock_label", label.to_owned()),
            ("due", due.to_string()),
            ("days_left", left.to_string()),
            (
                "link",
                link(settings, &format!("filings/{}", open.filing.id)),
            ),
            ("bureau", settings.bureau.name.clone()),
        ]
        .into_iter()
        .collect();
        report.deadline_reminders += notifications::enqueue(
            db,
            &NewNotification {
                // One reminder per deadline: a deadline moved by a stop is a new one.
                key: format!(
                    "filing:{}:{}-due:{due}",
                    open.filing.id,
                    if label == "受理时限" {
                        "acceptance"
                    } else {
                        "decision"
                    }
                ),
                template: "deadline_approaching",
                vars,
                link: Some(link(settings, &format!("filings/{}", open.filing.id))),
                entity: Some(("filing", open.filing.id)),
            },
            &recipients,
        )
        .await?;
    }
    Ok(())
}

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
    let items = service_item::Entity::find()
        .filter(service_item::Column::Status.is_in([
            ItemStatus::Planned.as_str(),
            ItemStatus::InProgress.as_str(),
        ]))
        .all(db)
        .await?;
    for item in items {
        let status: ItemStatus = item.status.parse().unwrap_or(ItemStatus::Planned);
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
        let Some(sheet) = service_sheet::Entity::find_by_id(item.sheet_id)
            .one(db)
            .await?
        else {
            continue;
        };
        let Some(project) = project::Entity::find_by_id(sheet.project_id)
            .one(db)
            .await?
        else {
            continue;
        };
        let officer = app_user::Entity::find_by_id(sheet.officer_id)
            .one(db)
            .await?;
        let officer_name = officer
            .as_ref()
            .map(|o| o.display_name.clone())
            .unwrap_or_default();
        let sheet_link = link(settings, &format!("service-sheets/{}", sheet.id));
        let mut vars: BTreeMap<&str, String> = [
            ("project_name", project.name.clone()),
            ("item", item.description.clone()),
            ("due", item.promised_on.to_string()),
            ("officer_name", officer_name),
            (
                "supervise_after",
                settings.scheduler.supervise_after_working_days.to_string(),
            ),
            ("link", sheet_link.clone()),
            ("bureau", settings.bureau.name.clone()),
        ]
        .into_iter()
        .collect();
        let officer_recipient: Vec<Recipient> = officer
            .iter()
            .filter(|o| o.active)
            .map(Recipient::user)
            .collect();
        let (template, recipients, key) = match step {
            Escalation::None => continue,
            Escalation::Remind => {
                let left = cal
                    .working_days_between(today, item.promised_on)
                    .unwrap_or_default();
                vars.insert("days_left", left.to_string());
                (
                    "service_item_due",
                    officer_recipient,
                    format!("service-item:{}:due:{}", item.id, item.promised_on),
                )
            }
            Escalation::Urge => (
                "service_item_urged",
                officer_recipient,
                format!("service-item:{}:urge", item.id),
            ),
            Escalation::Supervise => {
                let supervisor = match officer.as_ref().and_then(|o| o.supervisor_id) {
                    Some(id) => notifications::user(db, id).await?.into_iter().collect(),
                    None => Vec::new(),
                };
                let leaders = if supervisor.is_empty() {
                    notifications::users_with_role(db, Role::Leader).await?
                } else {
                    supervisor
                };
                (
                    "service_item_supervised",
                    leaders,
                    format!("service-item:{}:supervise", item.id),
                )
            }
        };
        let txn = db.begin().await?;
        let written = notifications::enqueue(
            &txn,
            &NewNotification {
                key,
                template,
                vars,
                link: Some(sheet_link),
                entity: Some(("service_sheet", sheet.id)),
            },
            &recipients,
        )
        .await?;
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

fn rate(r: Option<rust_decimal::Decimal>) -> String {
    r.map(|r| format!("{}%", (r * rust_decimal::Decimal::from(100)).round_dp(2)))
        .unwrap_or_else(|| "—".into())
}

async fn summary_vars(
    db: &DatabaseConnection,
    settings: &Settings,
    as_of: NaiveDate,
) -> Result<BTreeMap<&'static str, String>> {
    let projects: Vec<ReportProject> = reports::projects_as_of(db, as_of)
        .await?
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    let t = report::summarize(&projects, None).totals;
    Ok([
        ("as_of", as_of.to_string()),
        ("projects", t.projects.to_string()),
        ("required", t.required.to_string()),
        ("exempt", t.exempt.to_string()),
        ("point_to_point", t.point_to_point.to_string()),
        ("accepted", t.accepted_or_decided.to_string()),
        ("rate", rate(t.acceptance_rate())),
        (
            "rate_by_investment",
            rate(t.acceptance_rate_by_investment()),
        ),
        ("total_yi", t.total_investment.yi_display()),
        ("bureau", settings.bureau.name.clone()),
    ]
    .into_iter()
    .collect())
}

async fn digest(
    db: &DatabaseConnection,
    settings: &Settings,
    today: NaiveDate,
    report: &mut TickReport,
) -> Result<()> {
    if today.weekday().number_from_monday() != settings.scheduler.digest_weekday {
        return Ok(());
    }
    let mut vars = summary_vars(db, settings, today).await?;
    let open = filings::open_clocks(db, settings, today).await?;
    let week_ago = today - chrono::Duration::days(7);
    let newly_overdue: Vec<String> = open
        .iter()
        .filter(|o| o.clock.overdue)
        .filter(|o| {
            o.clock
                .acceptance_due
                .into_iter()
                .chain(o.clock.decision_due)
                .any(|d| d >= week_ago)
        })
        .map(|o| format!("· {}（{}）", o.project.name, o.state_label))
        .collect();
    let at_risk: Vec<String> = open
        .iter()
        .filter(|o| {
            o.clock.status == ClockStatus::Running && !o.clock.overdue && o.clock.days_left <= 3
        })
        .map(|o| format!("· {}（剩{}个工作日）", o.project.name, o.clock.days_left))
        .collect();
    let overdue_items: Vec<String> = service_item::Entity::find()
        .filter(service_item::Column::Status.is_in([
            ItemStatus::Planned.as_str(),
            ItemStatus::InProgress.as_str(),
        ]))
        .filter(service_item::Column::PromisedOn.lt(today))
        .all(db)
        .await?
        .into_iter()
        .map(|i| format!("· {}（承诺{}）", i.description, i.promised_on))
        .collect();
    let or_none = |lines: Vec<String>| {
        if lines.is_empty() {
            "无".to_owned()
        } else {
            lines.join("\n")
        }
    };
    vars.insert("overdue_filings", or_none(newly_overdue));
    vars.insert("overdue_items", or_none(overdue_items));
    vars.insert("at_risk", or_none(at_risk));
    vars.insert(
        "link",
        link(settings, &format!("reports/summary?as_of={today}")),
    );
    let week = today.iso_week();
    let recipients = notifications::users_with_role(db, Role::Leader).await?;
    report.digests += notifications::enqueue(
        db,
        &NewNotification {
            key: format!("digest:{}-W{:02}", week.year(), week.week()),
            template: "leader_digest",
            vars,
            link: Some(link(settings, "reports/summary")),
            entity: None,
        },
        &recipients,
    )
    .await?;
    Ok(())
}

async fn province_report(
    db: &DatabaseConnection,
    settings: &Settings,
    today: NaiveDate,
    report: &mut TickReport,
) -> Result<()> {
    let to = settings.scheduler.province_report_to.trim();
    if to.is_empty() {
        return Ok(());
    }
    // The report covers the month just ended and goes out on the first tick of the new month,
    // well before the 5th.
    let first_of_month = today.with_day(1).unwrap_or(today);
    let month_start = first_of_month
        .checked_sub_months(Months::new(1))
        .unwrap_or(first_of_month);
    let month_end = first_of_month.pred_opt().unwrap_or(first_of_month);
    let mut vars = summary_vars(db, settings, month_end).await?;
    let month = format!("{}年{}月", month_start.year(), month_start.month());
    let (accepted, decided) = filings::actions_between(db, month_start, month_end).await?;
    let items_done = service_item::Entity::find()
        .filter(service_item::Column::DoneOn.between(month_start, month_end))
        .all(db)
        .await?
        .len();
    let items_overdue = service_item::Entity::find()
        .filter(service_item::Column::Status.is_in([
            ItemStatus::Planned.as_str(),
            ItemStatus::InProgress.as_str(),
        ]))
        .filter(service_item::Column::PromisedOn.lte(month_end))
        .all(db)
        .await?
        .len();
    vars.insert("month", month);
    vars.insert("accepted_this_month", accepted.to_string());
    vars.insert("decided_this_month", decided.to_string());
    vars.insert("items_done_this_month", items_done.to_string());
    vars.insert("items_overdue", items_overdue.to_string());
    report.province_reports += notifications::enqueue(
        db,
        &NewNotification {
            key: format!("province-report:{}", month_start.format("%Y-%m")),
            template: "province_monthly_report",
            vars,
            link: None,
            entity: None,
        },
        &[Recipient::Address {
            name: "省生态环境厅".into(),
            email: to.to_owned(),
        }],
    )
    .await?;
    Ok(())
}

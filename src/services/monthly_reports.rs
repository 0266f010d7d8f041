//! The province's monthly report (陕环环评函〔2025〕46号: each city's EIA service ledger of its
//! point-to-point projects and the month's figures, by the 5th) as a reviewed document. The
//! scheduler drafts the month just ended once, freezing its figures, and tells the officers; an
//! officer may draft it again while it is a draft, and approves it; approving queues the mail to
//! the province with the workbook attached, in the same transaction; the outbox worker's
//! delivery marks it sent. The only code that writes `monthly_report`.
//!
//! The approved workbook is stored on the report: the province receives exactly what the
//! officer approved, every retry of the mail carries the same bytes, and a later change to a
//! service sheet does not alter a report already approved. The outbox row names the report
//! (`entity = monthly_report`) and the sender attaches the stored file.
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use super::notifications::{self, Occasion, Recipient};
use super::{Actor, audit, filings, now, reports, today};
use crate::config::Settings;
use crate::domain::ledger::KeyLevel;
use crate::domain::money::Wan;
use crate::domain::point_to_point::ItemStatus;
use crate::domain::report::Totals;
use crate::domain::role::Role;
use crate::error::{Error, ErrorCode, Result};
use crate::excel::write::{Book, Value, XLSX, col};
use crate::notify::mailer::Attachment;
use crate::notify::messages::{
    Figures, Message, MonthFigures, MonthlyReportDrafted, ProvinceMonthlyReport,
};
use entity::monthly_report::{self, Status};
use entity::{Json, app_user, county, organization, project, service_item, service_sheet};

/// The audit trail's and the outbox's name for a monthly report.
pub const ENTITY: &str = "monthly_report";

/// The month's figures, frozen when the report is drafted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Snapshot {
    /// The month's last day: the figures are the ledger's at its end.
    pub as_of: NaiveDate,
    pub projects: u64,
    pub exempt: u64,
    pub required: u64,
    pub unclassified: u64,
    pub point_to_point: u64,
    pub accepted_or_decided: u64,
    pub total_investment_wan: Wan,
    pub required_investment_wan: Wan,
    pub accepted_investment_wan: Wan,
    /// Filings accepted (受理) with a date in the month.
    pub accepted_in_month: u64,
    /// Filings decided (批复 or 不予批准) with a date in the month.
    pub decided_in_month: u64,
    /// Service items done with a date in the month.
    pub items_done_in_month: u64,
    /// Service items neither done nor cancelled whose promised date was by the month's end.
    pub items_overdue: u64,
}

impl Snapshot {
    pub fn totals(&self) -> Totals {
        Totals {
            projects: self.projects,
            exempt: self.exempt,
            required: self.required,
            unclassified: self.unclassified,
            point_to_point: self.point_to_point,
            accepted_or_decided: self.accepted_or_decided,
            total_investment: self.total_investment_wan,
            required_investment: self.required_investment_wan,
            accepted_investment: self.accepted_investment_wan,
        }
    }

    fn message(&self, month_start: NaiveDate) -> MonthFigures {
        MonthFigures {
            figures: Figures {
                as_of: self.as_of,
                totals: self.totals(),
            },
            month_start,
            accepted_this_month: self.accepted_in_month,
            decided_this_month: self.decided_in_month,
            items_done_this_month: self.items_done_in_month,
            items_overdue: self.items_overdue,
        }
    }
}

/// A monthly report as the page and the API show it.
#[derive(Debug, Clone)]
pub struct Report {
    pub id: i64,
    /// The month's first day.
    pub month: NaiveDate,
    pub status: Status,
    pub figures: Snapshot,
    pub drafted_at: DateTime<Utc>,
    pub drafted_by: Option<i64>,
    pub approved_by: Option<i64>,
    pub approved_by_name: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    /// Where the approved report goes; None when approved with no address configured.
    pub send_to: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub version: i32,
}

impl Report {
    /// Approved, but with no address to send it to: it stays 已审核 and is never sent.
    pub fn not_sent(&self) -> bool {
        self.status == Status::Approved && self.send_to.is_none()
    }
}

/// `YYYY-MM` as typed: the month's first day, or a 422 naming `field`.
pub fn parse_month(field: &str, raw: &str) -> Result<NaiveDate> {
    let raw = raw.trim();
    let parsed = (raw.len() == 7)
        .then(|| NaiveDate::parse_from_str(&format!("{raw}-01"), "%Y-%m-%d").ok())
        .flatten();
    parsed.ok_or_else(|| {
        Error::invalid(
            field,
            format!("月份“{raw}”无效，应为 YYYY-MM 格式，例如 2023-06"),
        )
    })
}

fn key(month: NaiveDate) -> String {
    month.format("%Y-%m").to_string()
}

fn month_end(month: NaiveDate) -> NaiveDate {
    month
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(month)
}

fn month_cn(month: NaiveDate) -> String {
    format!("{}年{}月", month.year(), month.month())
}

/// The workbook's file name: 商洛市生态环境局2023年6月环评服务月报.xlsx.
pub fn filename(settings: &Settings, month: NaiveDate) -> String {
    format!(
        "{}{}环评服务月报.xlsx",
        settings.bureau.name,
        month_cn(month)
    )
}

/// The month's figures from the ledger as it stands.
#[tracing::instrument(name = "monthly_reports::figures", skip_all, fields(%month))]
pub async fn figures(db: &DatabaseConnection, month: NaiveDate) -> Result<Snapshot> {
    let end = month_end(month);
    let totals = reports::totals(db, end).await?;
    let (accepted, decided) = filings::actions_between(db, month, end).await?;
    use sea_orm::PaginatorTrait;
    let items_done = service_item::Entity::find()
        .filter(service_item::Column::DoneOn.between(month, end))
        .count(db)
        .await?;
    let items_overdue = service_item::Entity::find()
        .filter(service_item::Column::Status.is_in([ItemStatus::Planned, ItemStatus::InProgress]))
        .filter(service_item::Column::PromisedOn.lte(end))
        .count(db)
        .await?;
    Ok(Snapshot {
        as_of: end,
        projects: totals.projects,
        exempt: totals.exempt,
        required: totals.required,
        unclassified: totals.unclassified,
        point_to_point: totals.point_to_point,
        accepted_or_decided: totals.accepted_or_decided,
        total_investment_wan: totals.total_investment,
        required_investment_wan: totals.required_investment,
        accepted_investment_wan: totals.accepted_investment,
        accepted_in_month: accepted,
        decided_in_month: decided,
        items_done_in_month: items_done,
        items_overdue,
    })
}

fn snapshot_json(s: &Snapshot) -> Json<serde_json::Value> {
    Json(serde_json::to_value(s).expect("plain data serialises"))
}

fn snapshot_of(row: &monthly_report::Model) -> Result<Snapshot> {
    serde_json::from_value(row.figures.0.clone()).map_err(|e| {
        anyhow::anyhow!(
            "monthly report {} holds figures of another shape: {e}",
            row.id
        )
        .into()
    })
}

async fn row_of<C: ConnectionTrait>(
    db: &C,
    month: NaiveDate,
) -> Result<Option<monthly_report::Model>> {
    Ok(monthly_report::Entity::find()
        .filter(monthly_report::Column::Month.eq(key(month)))
        .one(db)
        .await?)
}

/// Inserts the month's draft unless the month has one; true when this call wrote it. Two
/// schedulers ticking at once meet at the unique month: one inserts, the other writes nothing.
async fn insert_draft<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    month: NaiveDate,
    figures: &Snapshot,
) -> Result<bool> {
    let at = now();
    let row = monthly_report::ActiveModel {
        month: Set(key(month)),
        status: Set(Status::Draft),
        figures: Set(snapshot_json(figures)),
        drafted_at: Set(at),
        drafted_by: Set(actor.id),
        approved_by: Set(None),
        approved_at: Set(None),
        send_to: Set(None),
        file: Set(None),
        file_name: Set(None),
        sent_at: Set(None),
        version: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    };
    let written = monthly_report::Entity::insert(row)
        .on_conflict(
            OnConflict::column(monthly_report::Column::Month)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(written == 1)
}

/// The scheduler's part: on or after the 1st of a month, the report of the month just ended is
/// drafted once and the officers are told it awaits their review. Returns the reports drafted.
#[tracing::instrument(name = "monthly_reports::draft_due", skip_all, fields(%today))]
pub async fn draft_due(
    db: &DatabaseConnection,
    settings: &Settings,
    today: NaiveDate,
) -> Result<u64> {
    let this_month = today.with_day(1).unwrap_or(today);
    let Some(month) = this_month.checked_sub_months(Months::new(1)) else {
        return Ok(0);
    };
    if row_of(db, month).await?.is_some() {
        return Ok(0);
    }
    let figures = figures(db, month).await?;
    let txn = db.begin().await?;
    if !insert_draft(&txn, &Actor::system(), month, &figures).await? {
        return Ok(0);
    }
    let row = row_of(&txn, month)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the draft just written is not there"))?;
    audit::record(
        &txn,
        &Actor::system(),
        ENTITY,
        row.id,
        "draft",
        serde_json::json!({"month": key(month), "figures": row.figures.0}),
    )
    .await?;
    let officers = notifications::users_with_role(&txn, Role::Officer).await?;
    notifications::enqueue(
        &txn,
        settings,
        Occasion {
            key: format!("monthly-report:{}:drafted", key(month)),
            entity: Some((ENTITY, row.id)),
        },
        &MonthlyReportDrafted {
            month: figures.message(month),
            send_to: province(settings).map(str::to_owned),
        },
        &officers,
    )
    .await?;
    txn.commit().await?;
    Ok(1)
}

fn province(settings: &Settings) -> Option<&str> {
    Some(settings.scheduler.province_report_to.trim()).filter(|to| !to.is_empty())
}

fn require_reviewer(actor: &Actor) -> Result<()> {
    if actor.role.keeps_ledger() {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "只有审批人员或管理员可以起草、审核月度报告".into(),
        ))
    }
}

fn require_reader(actor: &Actor) -> Result<()> {
    if actor.role.reads_reports() {
        Ok(())
    } else {
        Err(Error::Forbidden("建设单位无权查看月度报告".into()))
    }
}

fn not_a_draft(row: &monthly_report::Model) -> Error {
    let what = match row.status {
        Status::Draft => "仍为草稿",
        Status::Approved => "已审核",
        Status::Sent => "已报送省厅",
    };
    Error::Conflict {
        code: ErrorCode::InvalidState,
        message: format!("{}月度报告{what}，不能再起草或审核", row.month),
        fields: Vec::new(),
    }
}

/// An officer drafts a month's report by hand, or drafts it again while it is a draft (its
/// figures taken afresh). `version`, when given, must be the draft's.
#[tracing::instrument(name = "monthly_reports::draft", skip_all, fields(actor_id = actor.id, %month))]
pub async fn draft(
    db: &DatabaseConnection,
    actor: &Actor,
    month: NaiveDate,
    version: Option<i32>,
) -> Result<Report> {
    require_reviewer(actor)?;
    let this_month = today().with_day(1).unwrap_or_else(today);
    if month >= this_month {
        return Err(Error::invalid(
            "month",
            format!("只能起草已结束月份的月报（{}之前的月份）", key(this_month)),
        ));
    }
    let figures = figures(db, month).await?;
    let txn = db.begin().await?;
    let (id, action) = match row_of(&txn, month).await? {
        None => {
            if !insert_draft(&txn, actor, month, &figures).await? {
                return Err(Error::stale("该月月报"));
            }
            let row = row_of(&txn, month)
                .await?
                .ok_or_else(|| anyhow::anyhow!("the draft just written is not there"))?;
            (row.id, "draft")
        }
        Some(row) => {
            if row.status != Status::Draft {
                return Err(not_a_draft(&row));
            }
            if version.is_some_and(|v| v != row.version) {
                return Err(Error::stale("该月月报"));
            }
            let updated = monthly_report::Entity::update_many()
                .col_expr(
                    monthly_report::Column::Figures,
                    Expr::value(snapshot_json(&figures)),
                )
                .col_expr(monthly_report::Column::DraftedAt, Expr::value(now()))
                .col_expr(monthly_report::Column::DraftedBy, Expr::value(actor.id))
                .col_expr(
                    monthly_report::Column::Version,
                    Expr::col(monthly_report::Column::Version).add(1),
                )
                .col_expr(monthly_report::Column::UpdatedAt, Expr::value(now()))
                .filter(monthly_report::Column::Id.eq(row.id))
                .filter(monthly_report::Column::Version.eq(row.version))
                .filter(monthly_report::Column::Status.eq(Status::Draft.to_value()))
                .exec(&txn)
                .await?;
            if updated.rows_affected == 0 {
                return Err(Error::stale("该月月报"));
            }
            (row.id, "redraft")
        }
    };
    audit::record(
        &txn,
        actor,
        ENTITY,
        id,
        action,
        serde_json::json!({"month": key(month), "figures": figures}),
    )
    .await?;
    txn.commit().await?;
    load(db, month)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the draft just written is not there").into())
}

/// An officer approves the month's draft at `version`: its workbook is stored as approved and,
/// when `scheduler.province_report_to` names an address, the mail to the province is queued with
/// it in the same transaction. A stale version, or a report approved already, is a 409.
#[tracing::instrument(name = "monthly_reports::approve", skip_all, fields(actor_id = actor.id, %month, version))]
pub async fn approve(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    month: NaiveDate,
    version: i32,
) -> Result<Report> {
    require_reviewer(actor)?;
    let row = row_of(db, month)
        .await?
        .ok_or_else(|| Error::not_found("该月月报"))?;
    if row.status != Status::Draft {
        return Err(not_a_draft(&row));
    }
    if row.version != version {
        return Err(Error::stale("该月月报"));
    }
    let figures = snapshot_of(&row)?;
    let file = workbook(db, settings, month, &figures, today())
        .await?
        .finish_bytes()?;
    let send_to = province(settings).map(str::to_owned);
    let at = now();
    let txn = db.begin().await?;
    let updated = monthly_report::Entity::update_many()
        .col_expr(
            monthly_report::Column::Status,
            Expr::value(Status::Approved.to_value()),
        )
        .col_expr(monthly_report::Column::ApprovedBy, Expr::value(actor.id))
        .col_expr(monthly_report::Column::ApprovedAt, Expr::value(at))
        .col_expr(monthly_report::Column::SendTo, Expr::value(send_to.clone()))
        .col_expr(monthly_report::Column::File, Expr::value(file))
        .col_expr(
            monthly_report::Column::FileName,
            Expr::value(filename(settings, month)),
        )
        .col_expr(
            monthly_report::Column::Version,
            Expr::col(monthly_report::Column::Version).add(1),
        )
        .col_expr(monthly_report::Column::UpdatedAt, Expr::value(at))
        .filter(monthly_report::Column::Id.eq(row.id))
        .filter(monthly_report::Column::Version.eq(version))
        .filter(monthly_report::Column::Status.eq(Status::Draft.to_value()))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        let now_row = row_of(&txn, month).await?;
        return Err(match now_row {
            Some(r) if r.status != Status::Draft => not_a_draft(&r),
            _ => Error::stale("该月月报"),
        });
    }
    audit::record(
        &txn,
        actor,
        ENTITY,
        row.id,
        "approve",
        serde_json::json!({"month": key(month), "version": version, "send_to": send_to}),
    )
    .await?;
    if let Some(to) = &send_to {
        notifications::enqueue(
            &txn,
            settings,
            Occasion {
                key: format!("monthly-report:{}:province", key(month)),
                entity: Some((ENTITY, row.id)),
            },
            &ProvinceMonthlyReport {
                month: figures.message(month),
                attachment: filename(settings, month),
            },
            &[Recipient::Address {
                name: "省生态环境厅".into(),
                email: to.clone(),
            }],
        )
        .await?;
    }
    txn.commit().await?;
    load(db, month)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the report just approved is not there").into())
}

/// The file an outbox row carries: the province's mail carries the approved workbook of the
/// monthly report it names; every other message nothing.
pub async fn attachments_of<C: ConnectionTrait>(
    db: &C,
    template: &str,
    entity: Option<&str>,
    entity_id: Option<i64>,
) -> Result<Vec<Attachment>> {
    if template != ProvinceMonthlyReport::TEMPLATE {
        return Ok(Vec::new());
    }
    let (Some(ENTITY), Some(id)) = (entity, entity_id) else {
        return Ok(Vec::new());
    };
    let Some(row) = monthly_report::Entity::find_by_id(id).one(db).await? else {
        return Ok(Vec::new());
    };
    let Some(bytes) = row.file else {
        // Approval stores the file in the transaction that queues the mail.
        tracing::error!(
            report_id = id,
            "the approved monthly report has no stored workbook"
        );
        return Ok(Vec::new());
    };
    Ok(vec![Attachment {
        filename: row
            .file_name
            .unwrap_or_else(|| format!("{}环评服务月报.xlsx", row.month)),
        content_type: XLSX.to_owned(),
        bytes,
    }])
}

/// The worker delivered the province's mail of report `id`: the report is sent (once; a second
/// delivery of the same mail changes nothing).
pub async fn delivered<C: ConnectionTrait>(db: &C, id: i64) -> Result<()> {
    let at = now();
    let updated = monthly_report::Entity::update_many()
        .col_expr(
            monthly_report::Column::Status,
            Expr::value(Status::Sent.to_value()),
        )
        .col_expr(monthly_report::Column::SentAt, Expr::value(at))
        .col_expr(
            monthly_report::Column::Version,
            Expr::col(monthly_report::Column::Version).add(1),
        )
        .col_expr(monthly_report::Column::UpdatedAt, Expr::value(at))
        .filter(monthly_report::Column::Id.eq(id))
        .filter(monthly_report::Column::Status.eq(Status::Approved.to_value()))
        .exec(db)
        .await?;
    if updated.rows_affected == 1 {
        audit::record(
            db,
            &Actor::system(),
            ENTITY,
            id,
            "send",
            serde_json::json!({"sent_at": at}),
        )
        .await?;
    }
    Ok(())
}

async fn load(db: &DatabaseConnection, month: NaiveDate) -> Result<Option<Report>> {
    let Some(row) = row_of(db, month).await? else {
        return Ok(None);
    };
    let approved_by_name = match row.approved_by {
        Some(id) => app_user::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|u| u.display_name),
        None => None,
    };
    Ok(Some(Report {
        id: row.id,
        month,
        status: row.status,
        figures: snapshot_of(&row)?,
        drafted_at: row.drafted_at,
        drafted_by: row.drafted_by,
        approved_by: row.approved_by,
        approved_by_name,
        approved_at: row.approved_at,
        send_to: row.send_to,
        sent_at: row.sent_at,
        version: row.version,
    }))
}

/// A month's report, if drafted (leaders, officers, administrators).
#[tracing::instrument(name = "monthly_reports::find", skip_all, fields(actor_id = actor.id, %month))]
pub async fn find(
    db: &DatabaseConnection,
    actor: &Actor,
    month: NaiveDate,
) -> Result<Option<Report>> {
    require_reader(actor)?;
    load(db, month).await
}

/// The month's workbook, as a file to stream and its name: as approved once approved, else
/// written now from the draft's figures and the service ledger as it stands.
#[tracing::instrument(name = "monthly_reports::file", skip_all, fields(actor_id = actor.id, %month))]
pub async fn file(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    month: NaiveDate,
) -> Result<(std::fs::File, String)> {
    use std::io::{Seek, SeekFrom, Write};
    require_reader(actor)?;
    let row = row_of(db, month)
        .await?
        .ok_or_else(|| Error::NotFound(format!("{}的月度报告尚未生成", month_cn(month))))?;
    let name = row
        .file_name
        .clone()
        .unwrap_or_else(|| filename(settings, month));
    if let Some(bytes) = &row.file {
        let mut f = tempfile::tempfile().map_err(anyhow::Error::from)?;
        f.write_all(bytes).map_err(anyhow::Error::from)?;
        f.seek(SeekFrom::Start(0)).map_err(anyhow::Error::from)?;
        return Ok((f, name));
    }
    let figures = snapshot_of(&row)?;
    let book = workbook(db, settings, month, &figures, today()).await?;
    Ok((book.finish()?, name))
}

/// One row of the service ledger: a point-to-point project and its sheet.
struct LedgerProject {
    project: project::Model,
    county: String,
    owner: String,
    sheet: Option<service_sheet::Model>,
    officer: Option<String>,
    items: Vec<service_item::Model>,
}

async fn service_ledger(db: &DatabaseConnection, as_of: NaiveDate) -> Result<Vec<LedgerProject>> {
    use std::collections::HashMap;
    let projects = project::Entity::find()
        .filter(project::Column::PointToPoint.eq(true))
        .filter(project::Column::RemovedAt.is_null())
        .filter(project::Column::ListedOn.lte(as_of))
        .order_by_asc(project::Column::NameSortKey)
        .order_by_asc(project::Column::Id)
        .all(db)
        .await?;
    let counties: HashMap<i64, county::Model> = county::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let orgs: HashMap<i64, String> = organization::Entity::find()
        .filter(organization::Column::Id.is_in(projects.iter().map(|p| p.organization_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let mut sheets: HashMap<i64, service_sheet::Model> = service_sheet::Entity::find()
        .filter(service_sheet::Column::ProjectId.is_in(projects.iter().map(|p| p.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.project_id, s))
        .collect();
    let mut items: HashMap<i64, Vec<service_item::Model>> = HashMap::new();
    for item in service_item::Entity::find()
        .filter(service_item::Column::SheetId.is_in(sheets.values().map(|s| s.id)))
        .order_by_asc(service_item::Column::PromisedOn)
        .order_by_asc(service_item::Column::Id)
        .all(db)
        .await?
    {
        items.entry(item.sheet_id).or_default().push(item);
    }
    let officers: HashMap<i64, String> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(sheets.values().map(|s| s.officer_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let mut rows: Vec<(String, LedgerProject)> = projects
        .into_iter()
        .map(|p| {
            let county = counties.get(&p.county_id);
            let sheet = sheets.remove(&p.id);
            let sheet_items = sheet
                .as_ref()
                .and_then(|s| items.remove(&s.id))
                .unwrap_or_default();
            let officer = sheet
                .as_ref()
                .and_then(|s| officers.get(&s.officer_id).cloned());
            (
                county.map(|c| c.code.clone()).unwrap_or_default(),
                LedgerProject {
                    county: county.map(|c| c.name.clone()).unwrap_or_default(),
                    owner: orgs.get(&p.organization_id).cloned().unwrap_or_default(),
                    project: p,
                    sheet,
                    officer,
                    items: sheet_items,
                },
            )
        })
        .collect();
    // By county (its division code), then by name as the ledger sorts it.
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(rows.into_iter().map(|(_, r)| r).collect())
}

fn sheet_status(p: &LedgerProject) -> &'static str {
    match &p.sheet {
        None => "未建服务单",
        Some(s) if s.signed_off_at.is_some() => "已签收",
        Some(_) if !p.items.is_empty() && p.items.iter().all(|i| !i.status.is_open()) => {
            "事项已办结，待签收"
        }
        Some(_) => "服务中",
    }
}

/// The report's workbook: 服务台账 (each point-to-point project with its sheet's items, one row
/// per item) and 月度数据 (the draft's figures), each under a title line naming the bureau and the
/// month and a 填报单位/日期 line.
pub async fn workbook(
    db: &DatabaseConnection,
    settings: &Settings,
    month: NaiveDate,
    figures: &Snapshot,
    filled_on: NaiveDate,
) -> Result<Book> {
    let bureau = &settings.bureau.name;
    let filled = format!(
        "填报单位：{bureau}　　填报日期：{}",
        filled_on.format("%Y-%m-%d")
    );
    let ledger = service_ledger(db, figures.as_of).await?;
    let mut book = Book::new();
    {
        let mut sheet = book.sheet(
            "服务台账",
            &[
                format!("{bureau}{}重点项目环评服务台账", month_cn(month)),
                filled.clone(),
            ],
            &[
                col("序号", 6.0),
                col("项目名称", 40.0),
                col("投资项目统一代码", 26.0),
                col("县区", 10.0),
                col("重点项目级别", 14.0),
                col("建设单位", 32.0),
                col("总投资（万元）", 14.0),
                col("服务事项", 40.0),
                col("承诺办结日期", 13.0),
                col("事项状态", 10.0),
                col("办结日期", 12.0),
                col("责任人", 10.0),
                col("服务单状态", 18.0),
            ],
        )?;
        for (n, p) in ledger.iter().enumerate() {
            let head = [
                Value::Int(n as i64 + 1),
                Value::Text(p.project.name.clone()),
                Value::Text(p.project.project_code.clone()),
                Value::Text(p.county.clone()),
                Value::Text(
                    KeyLevel::of(p.project.provincial, p.project.municipal)
                        .label()
                        .to_owned(),
                ),
                Value::Text(p.owner.clone()),
                Value::Money(Wan::from_hundredths(p.project.total_investment)),
            ];
            let tail = [
                Value::from(p.officer.clone()),
                Value::Text(sheet_status(p).to_owned()),
            ];
            if p.items.is_empty() {
                let blank = [Value::Blank, Value::Blank, Value::Blank, Value::Blank];
                sheet.row(&[&head[..], &blank[..], &tail[..]].concat())?;
            }
            for item in &p.items {
                let mid = [
                    Value::Text(item.description.clone()),
                    Value::Date(item.promised_on),
                    Value::Text(item.status.label().to_owned()),
                    Value::from(item.done_on),
                ];
                sheet.row(&[&head[..], &mid[..], &tail[..]].concat())?;
            }
        }
    }
    {
        let mut sheet = book.sheet(
            "月度数据",
            &[
                format!("{bureau}{}重点项目环评审批服务月度数据", month_cn(month)),
                format!("{filled}　　数据截至：{}", figures.as_of.format("%Y-%m-%d")),
            ],
            &[col("指标", 36.0), col("数值", 16.0)],
        )?;
        let t = figures.totals();
        let pct = |r: Option<rust_decimal::Decimal>| {
            r.map_or(Value::Blank, |r| {
                Value::Percent(r * rust_decimal::Decimal::ONE_HUNDRED)
            })
        };
        let count = |n: u64| Value::Int(n as i64);
        let rows: [(&str, Value); 15] = [
            ("台账项目（个）", count(t.projects)),
            ("豁免环评（个）", count(t.exempt)),
            ("应办环评（个）", count(t.required)),
            ("已受理或已办结（个）", count(t.accepted_or_decided)),
            (
                "应办未受理（个）",
                count(t.required.saturating_sub(t.accepted_or_decided)),
            ),
            ("点对点服务项目（个）", count(t.point_to_point)),
            ("受理审批率（按项目数）", pct(t.acceptance_rate())),
            (
                "受理审批率（按投资额）",
                pct(t.acceptance_rate_by_investment()),
            ),
            ("总投资（万元）", Value::Money(t.total_investment)),
            (
                "应办环评项目投资（万元）",
                Value::Money(t.required_investment),
            ),
            (
                "已受理或已办结项目投资（万元）",
                Value::Money(t.accepted_investment),
            ),
            ("本月受理（件）", count(figures.accepted_in_month)),
            ("本月审批办结（件）", count(figures.decided_in_month)),
            ("本月办结服务事项（项）", count(figures.items_done_in_month)),
            ("逾期未办结服务事项（项）", count(figures.items_overdue)),
        ];
        for (label, value) in rows {
            sheet.row(&[Value::Text(label.to_owned()), value])?;
        }
    }
    Ok(book)
}

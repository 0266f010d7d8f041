//! Point-to-point service sheets (服务单): the responsible officer and contacts, the promised
//! service items, the owner's sign-off, reassignment with its history, and the escalation steps
//! the scheduler records on late items.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait, sea_query::Expr,
};
use serde::{Deserialize, Serialize};

use super::notifications::{self, Occasion, Recipient};
use super::{Actor, audit, now, projects, today};
use crate::config::Settings;
use crate::domain::FieldError;
use crate::domain::point_to_point::{ItemKind, ItemStatus};
use crate::domain::role::Role;
use crate::error::{Error, ErrorCode, Result};
use crate::notify::messages::{SheetReopened, SheetsReassigned};
use entity::{app_user, project, service_item, service_sheet, sheet_assignment};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewItem {
    #[schema(value_type = String)]
    pub kind: ItemKind,
    pub description: String,
    pub promised_on: NaiveDate,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSheet {
    /// The responsible officer; defaults to the officer creating the sheet.
    #[serde(default)]
    pub officer_id: Option<i64>,
    #[serde(default)]
    pub bureau_contact_name: Option<String>,
    #[serde(default)]
    pub bureau_contact_phone: Option<String>,
    #[serde(default)]
    pub owner_contact_name: Option<String>,
    #[serde(default)]
    pub owner_contact_phone: Option<String>,
    #[serde(default)]
    pub owner_contact_email: Option<String>,
    #[serde(default)]
    pub items: Vec<NewItem>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemPatch {
    pub version: i32,
    #[schema(value_type = Option<String>)]
    pub status: Option<ItemStatus>,
    pub description: Option<String>,
    pub promised_on: Option<NaiveDate>,
    /// What was done, for the record (办理情况).
    pub evidence: Option<String>,
    /// When it was done; defaults to today when the status becomes `done`.
    pub done_on: Option<NaiveDate>,
    /// Why the item is cancelled; required when the status becomes `cancelled`.
    #[serde(default)]
    pub cancel_reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reassign {
    pub version: i32,
    pub officer_id: i64,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkReassign {
    pub from_officer_id: i64,
    pub to_officer_id: i64,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignOff {
    pub version: i32,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ItemView {
    pub id: i64,
    #[schema(value_type = String)]
    pub kind: ItemKind,
    pub kind_label: &'static str,
    pub description: String,
    pub promised_on: NaiveDate,
    #[schema(value_type = String)]
    pub status: ItemStatus,
    pub evidence: Option<String>,
    pub done_on: Option<NaiveDate>,
    /// Why it was cancelled, for a `cancelled` item.
    pub cancel_reason: Option<String>,
    /// 催办 date, if the item was urged.
    pub urged_on: Option<NaiveDate>,
    /// 督办 date, if it went to the officer's leader.
    pub supervised_on: Option<NaiveDate>,
    pub version: i32,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AssignmentView {
    pub officer_id: i64,
    pub previous_officer_id: Option<i64>,
    pub reason: Option<String>,
    pub assigned_by: Option<i64>,
    pub assigned_at: chrono::DateTime<chrono::Utc>,
}

/// A signed-off sheet opened again by a later change.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReopeningView {
    pub at: chrono::DateTime<chrono::Utc>,
    pub by: Option<i64>,
    /// What changed after the sign-off.
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SheetView {
    pub id: i64,
    pub project_id: i64,
    pub project_name: String,
    pub organization_id: i64,
    pub officer_id: i64,
    pub officer_name: String,
    pub bureau_contact_name: Option<String>,
    pub bureau_contact_phone: Option<String>,
    pub owner_contact_name: Option<String>,
    pub owner_contact_phone: Option<String>,
    pub owner_contact_email: Option<String>,
    pub signed_off_at: Option<chrono::DateTime<chrono::Utc>>,
    pub signed_off_by: Option<i64>,
    pub sign_off_note: Option<String>,
    pub items: Vec<ItemView>,
    pub assignments: Vec<AssignmentView>,
    /// Each time a change after the sign-off opened the sheet again, oldest first.
    pub reopenings: Vec<ReopeningView>,
    pub version: i32,
}

fn item_view(i: service_item::Model) -> Result<ItemView> {
    let kind = i.kind;
    Ok(ItemView {
        id: i.id,
        kind,
        kind_label: kind.label(),
        description: i.description,
        promised_on: i.promised_on,
        status: i.status,
        evidence: i.evidence,
        done_on: i.done_on,
        cancel_reason: i.cancel_reason,
        urged_on: i.urged_on,
        supervised_on: i.supervised_on,
        version: i.version,
    })
}

async fn view<C: ConnectionTrait>(db: &C, sheet: service_sheet::Model) -> Result<SheetView> {
    let project = project::Entity::find_by_id(sheet.project_id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("sheet {} has no project", sheet.id))?;
    let officer = app_user::Entity::find_by_id(sheet.officer_id)
        .one(db)
        .await?;
    let items = service_item::Entity::find()
        .filter(service_item::Column::SheetId.eq(sheet.id))
        .order_by_asc(service_item::Column::PromisedOn)
        .order_by_asc(service_item::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(item_view)
        .collect::<Result<Vec<_>>>()?;
    let assignments = sheet_assignment::Entity::find()
        .filter(sheet_assignment::Column::SheetId.eq(sheet.id))
        .order_by_asc(sheet_assignment::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|a| AssignmentView {
            officer_id: a.officer_id,
            previous_officer_id: a.previous_officer_id,
            reason: a.reason,
            assigned_by: a.assigned_by,
            assigned_at: a.assigned_at,
        })
        .collect();
    let reopenings = entity::audit_event::Entity::find()
        .filter(entity::audit_event::Column::Entity.eq("service_sheet"))
        .filter(entity::audit_event::Column::EntityId.eq(sheet.id))
        .filter(entity::audit_event::Column::Action.eq("reopen"))
        .order_by_asc(entity::audit_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| ReopeningView {
            at: e.recorded_at,
            by: e.actor_id,
            reason: e.detail["reason"].as_str().unwrap_or_default().to_owned(),
        })
        .collect();
    Ok(SheetView {
        id: sheet.id,
        project_id: project.id,
        project_name: project.name,
        organization_id: project.organization_id,
        officer_id: sheet.officer_id,
        officer_name: officer.map(|o| o.display_name).unwrap_or_default(),
        bureau_contact_name: sheet.bureau_contact_name,
        bureau_contact_phone: sheet.bureau_contact_phone,
        owner_contact_name: sheet.owner_contact_name,
        owner_contact_phone: sheet.owner_contact_phone,
        owner_contact_email: sheet.owner_contact_email,
        signed_off_at: sheet.signed_off_at,
        signed_off_by: sheet.signed_off_by,
        sign_off_note: sheet.sign_off_note,
        items,
        assignments,
        reopenings,
        version: sheet.version,
    })
}

/// The sheet and its project, if the actor may see it.
async fn visible<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
) -> Result<(service_sheet::Model, project::Model)> {
    let sheet = service_sheet::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("服务单"))?;
    let project = projects::visible(db, actor, sheet.project_id)
        .await
        .map_err(|_| Error::not_found("服务单"))?;
    Ok((sheet, project))
}

async fn active_officer<C: ConnectionTrait>(
    db: &C,
    id: i64,
    field: &str,
) -> Result<app_user::Model> {
    app_user::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|u| u.active && matches!(u.role, Role::Officer | Role::Admin))
        .ok_or_else(|| Error::invalid(field, "应为在职审批人员的账号"))
}

fn check_items(items: &[NewItem], errors: &mut Vec<FieldError>) {
    for (i, item) in items.iter().enumerate() {
        let len = item.description.trim().chars().count();
        if len == 0 || len > 1000 {
            errors.push(FieldError::new(
                format!("items[{i}].description"),
                "服务内容不能为空且不超过1000字",
            ));
        }
    }
}

async fn insert_item<C: ConnectionTrait>(
    db: &C,
    sheet_id: i64,
    item: &NewItem,
) -> Result<service_item::Model> {
    Ok(service_item::ActiveModel {
        sheet_id: Set(sheet_id),
        kind: Set(item.kind),
        description: Set(item.description.trim().to_owned()),
        promised_on: Set(item.promised_on),
        status: Set(ItemStatus::Planned),
        evidence: Set(None),
        done_on: Set(None),
        urged_on: Set(None),
        supervised_on: Set(None),
        cancel_reason: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Creates the service sheet of a point-to-point project, inside the caller's transaction.
pub(crate) async fn insert_sheet<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project: &project::Model,
    officer_id: i64,
    input: &NewSheet,
) -> Result<service_sheet::Model> {
    let sheet = service_sheet::ActiveModel {
        project_id: Set(project.id),
        officer_id: Set(officer_id),
        bureau_contact_name: Set(input.bureau_contact_name.clone()),
        bureau_contact_phone: Set(input.bureau_contact_phone.clone()),
        owner_contact_name: Set(input.owner_contact_name.clone()),
        owner_contact_phone: Set(input.owner_contact_phone.clone()),
        owner_contact_email: Set(input.owner_contact_email.clone()),
        signed_off_at: Set(None),
        signed_off_by: Set(None),
        sign_off_note: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    sheet_assignment::ActiveModel {
        sheet_id: Set(sheet.id),
        officer_id: Set(officer_id),
        previous_officer_id: Set(None),
        reason: Set(Some("建立服务单".into())),
        assigned_by: Set(actor.id),
        ..Default::default()
    }
    .insert(db)
    .await?;
    for item in &input.items {
        insert_item(db, sheet.id, item).await?;
    }
    audit::record(
        db,
        actor,
        "service_sheet",
        sheet.id,
        "create",
        serde_json::json!({"project_id": project.id, "officer_id": officer_id}),
    )
    .await?;
    Ok(sheet)
}

/// `POST /projects/{id}/service-sheet`.
#[tracing::instrument(name = "service_sheets::create", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id, project_id))]
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    project_id: i64,
    input: NewSheet,
) -> Result<SheetView> {
    actor.require_keeper()?;
    let project = projects::visible(db, actor, project_id).await?;
    let mut errors = Vec::new();
    if !project.point_to_point {
        errors.push(FieldError::new(
            "project_id",
            "只有点对点服务的重点项目建立服务单",
        ));
    }
    check_items(&input.items, &mut errors);
    if let Some(email) = &input.owner_contact_email {
        super::users::validate_email("owner_contact_email", email, &mut errors);
    }
    let officer_id = input
        .officer_id
        .or(actor.id)
        .ok_or_else(|| Error::invalid("officer_id", "须指定责任人"))?;
    active_officer(db, officer_id, "officer_id").await?;
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if service_sheet::Entity::find()
        .filter(service_sheet::Column::ProjectId.eq(project_id))
        .one(db)
        .await?
        .is_some()
    {
        return Err(Error::duplicate("project_id", "该项目已有服务单"));
    }
    let txn = db.begin().await?;
    let sheet = insert_sheet(&txn, actor, &project, officer_id, &input).await?;
    txn.commit().await?;
    view(db, sheet).await
}

#[tracing::instrument(name = "service_sheets::get", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id, sheet_id = id))]
pub async fn get<C: ConnectionTrait>(db: &C, actor: &Actor, id: i64) -> Result<SheetView> {
    let (sheet, _) = visible(db, actor, id).await?;
    view(db, sheet).await
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SheetQuery {
    pub officer_id: Option<i64>,
    /// Page number, from 1.
    pub page: Option<u64>,
    /// Items per page, 1–200 (default 50).
    pub per_page: Option<u64>,
}

#[tracing::instrument(name = "service_sheets::list", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id))]
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    q: SheetQuery,
) -> Result<super::paging::Page<SheetView>> {
    let mut errors = Vec::new();
    let paging = super::paging::Paging::check(q.page, q.per_page, &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let mut select = service_sheet::Entity::find().order_by_asc(service_sheet::Column::Id);
    if let Some(officer) = q.officer_id {
        select = select.filter(service_sheet::Column::OfficerId.eq(officer));
    }
    if !actor.role.sees_all_projects() {
        // An owner sees the sheets of its own organisation's projects.
        let own: Vec<i64> = project::Entity::find()
            .filter(project::Column::OrganizationId.eq(actor.organization_id.unwrap_or(-1)))
            .all(db)
            .await?
            .into_iter()
            .map(|p| p.id)
            .collect();
        select = select.filter(service_sheet::Column::ProjectId.is_in(own));
    }
    let page = paging.fetch(db, select).await?;
    let mut items = Vec::with_capacity(page.items.len());
    for sheet in page.items {
        items.push(view(db, sheet).await?);
    }
    Ok(super::paging::Page {
        items,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    })
}

/// Only the responsible officer or an administrator changes a sheet.
fn require_responsible(actor: &Actor, sheet: &service_sheet::Model) -> Result<()> {
    if actor.role == Role::Admin
        || (actor.role == Role::Officer && actor.id == Some(sheet.officer_id))
    {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "只有服务单责任人或管理员可以修改服务单".into(),
        ))
    }
}

#[tracing::instrument(name = "service_sheets::add_item", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id, sheet_id))]
pub async fn add_item(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    sheet_id: i64,
    item: NewItem,
) -> Result<SheetView> {
    let (sheet, _) = visible(db, actor, sheet_id).await?;
    require_responsible(actor, &sheet)?;
    let mut errors = Vec::new();
    check_items(std::slice::from_ref(&item), &mut errors);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let txn = db.begin().await?;
    let row = insert_item(&txn, sheet_id, &item).await?;
    let mut changes = audit::Changes::new();
    changes
        .set("item", &row.description)
        .set("promised_on", &row.promised_on);
    audit::write(
        &txn,
        actor,
        "service_sheet",
        sheet_id,
        "add_item",
        changes,
        serde_json::json!({"item_id": row.id, "promised_on": row.promised_on}),
    )
    .await?;
    if sheet.signed_off_at.is_some() {
        reopen(
            &txn,
            settings,
            actor,
            &sheet,
            &format!("新增服务事项“{}”", row.description),
        )
        .await?;
    }
    txn.commit().await?;
    get(db, actor, sheet_id).await
}

pub async fn update_item(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    item_id: i64,
    patch: ItemPatch,
) -> Result<SheetView> {
    let txn = db.begin().await?;
    let sheet_id = update_item_in(&txn, settings, actor, item_id, &patch).await?;
    txn.commit().await?;
    get(db, actor, sheet_id).await
}

/// [`update_item`] inside the caller's transaction; returns the item's sheet.
#[tracing::instrument(name = "service_sheets::update_item", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id, item_id))]
pub(crate) async fn update_item_in<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    actor: &Actor,
    item_id: i64,
    patch: &ItemPatch,
) -> Result<i64> {
    let item = service_item::Entity::find_by_id(item_id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("服务事项"))?;
    let (sheet, _) = visible(db, actor, item.sheet_id)
        .await
        .map_err(|_| Error::not_found("服务事项"))?;
    require_responsible(actor, &sheet)?;
    let mut errors = Vec::new();
    if let Some(d) = &patch.description
        && d.trim().is_empty()
    {
        errors.push(FieldError::new("description", "服务内容不能为空"));
    }
    if let Some(problem) = patch
        .done_on
        .and_then(|d| crate::domain::past_date_problem(d, today()))
    {
        errors.push(FieldError::new("done_on", problem));
    }
    let status = patch.status.unwrap_or(item.status);
    if patch.done_on.is_some() && status != ItemStatus::Done {
        errors.push(FieldError::new("done_on", "只有办结的事项有办结日期"));
    }
    let given_reason = patch
        .cancel_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let cancel_reason = match status {
        ItemStatus::Cancelled => {
            let reason = given_reason
                .map(str::to_owned)
                .or(item.cancel_reason.clone());
            if reason.is_none() {
                errors.push(FieldError::new(
                    "cancel_reason",
                    "取消服务事项须填写取消原因",
                ));
            }
            reason
        }
        _ => {
            if patch.cancel_reason.is_some() {
                errors.push(FieldError::new(
                    "cancel_reason",
                    "只有取消的事项有取消原因（status 应为 cancelled）",
                ));
            }
            None
        }
    };
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let done_on = if status == ItemStatus::Done {
        if patch.status == Some(ItemStatus::Done) || patch.done_on.is_some() {
            Some(patch.done_on.or(item.done_on).unwrap_or_else(today))
        } else {
            item.done_on
        }
    } else {
        None
    };
    let description = patch
        .description
        .as_deref()
        .map(str::trim)
        .unwrap_or(&item.description)
        .to_owned();
    let promised_on = patch.promised_on.unwrap_or(item.promised_on);
    let evidence = match &patch.evidence {
        Some(e) => Some(e.trim().to_owned()),
        None => item.evidence.clone(),
    };
    let mut changes = audit::Changes::new();
    changes
        .diff("status", &item.status.as_str(), &status.as_str())
        .diff("description", &item.description, &description)
        .diff("promised_on", &item.promised_on, &promised_on)
        .diff("evidence", &item.evidence, &evidence)
        .diff("done_on", &item.done_on, &done_on)
        .diff("cancel_reason", &item.cancel_reason, &cancel_reason);
    // A PATCH that changes nothing leaves the item, its version and the trail as they were.
    if changes.is_empty() {
        if patch.version != item.version {
            return Err(Error::stale("服务事项"));
        }
        return Ok(sheet.id);
    }
    use service_item::Column as C;
    let update = super::update_versioned::<service_item::Entity>(item_id, patch.version)
        .col_expr(C::Status, Expr::value(status.as_str()))
        .col_expr(C::DoneOn, Expr::value(done_on))
        .col_expr(C::Description, Expr::value(description.clone()))
        .col_expr(C::PromisedOn, Expr::value(promised_on))
        .col_expr(C::Evidence, Expr::value(evidence))
        .col_expr(C::CancelReason, Expr::value(cancel_reason));
    super::exec_versioned(db, update, "服务事项").await?;
    audit::write(
        db,
        actor,
        "service_sheet",
        sheet.id,
        "update_item",
        changes,
        serde_json::json!({"item_id": item_id, "status": status.as_str()}),
    )
    .await?;
    if sheet.signed_off_at.is_some() {
        reopen(
            db,
            settings,
            actor,
            &sheet,
            &format!("修改服务事项“{}”", item.description),
        )
        .await?;
    }
    Ok(sheet.id)
}

/// A change after the sign-off opens the sheet again: the sign-off is cleared, the reopening
/// recorded (who, why) in the sheet's history and the trail, and the owner told.
async fn reopen<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    actor: &Actor,
    sheet: &service_sheet::Model,
    reason: &str,
) -> Result<()> {
    super::update_row::<service_sheet::Entity>(sheet.id)
        .col_expr(
            service_sheet::Column::SignedOffAt,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
        .col_expr(
            service_sheet::Column::SignedOffBy,
            Expr::value(Option::<i64>::None),
        )
        .col_expr(
            service_sheet::Column::SignOffNote,
            Expr::value(Option::<String>::None),
        )
        .exec(db)
        .await?;
    let mut changes = audit::Changes::new();
    changes.push("signed_off", &true, &false);
    audit::write(
        db,
        actor,
        "service_sheet",
        sheet.id,
        "reopen",
        changes,
        serde_json::json!({
            "reason": reason,
            "signed_off_at": sheet.signed_off_at,
            "signed_off_by": sheet.signed_off_by,
        }),
    )
    .await?;
    let project = project::Entity::find_by_id(sheet.project_id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("sheet {} has no project", sheet.id))?;
    let changed_by = match actor.id {
        Some(id) => app_user::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|u| u.display_name)
            .unwrap_or_default(),
        None => "系统".into(),
    };
    let reopened = entity::audit_event::Entity::find()
        .filter(entity::audit_event::Column::Entity.eq("service_sheet"))
        .filter(entity::audit_event::Column::EntityId.eq(sheet.id))
        .filter(entity::audit_event::Column::Action.eq("reopen"))
        .count(db)
        .await?;
    notifications::enqueue(
        db,
        settings,
        Occasion {
            key: format!("sheet:{}:reopen:{reopened}", sheet.id),
            entity: Some(("service_sheet", sheet.id)),
        },
        &SheetReopened {
            sheet_id: sheet.id,
            project_name: project.name,
            changed_by,
            reason: reason.to_owned(),
        },
        &notifications::owners_of(db, project.organization_id).await?,
    )
    .await?;
    Ok(())
}

/// The owner signs the sheet off (确认签收).
pub async fn sign_off(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    input: SignOff,
) -> Result<SheetView> {
    let txn = db.begin().await?;
    sign_off_in(&txn, actor, id, &input).await?;
    txn.commit().await?;
    get(db, actor, id).await
}

/// [`sign_off`] inside the caller's transaction.
#[tracing::instrument(name = "service_sheets::sign_off", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id, sheet_id = id))]
pub(crate) async fn sign_off_in<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    input: &SignOff,
) -> Result<()> {
    let (sheet, project) = visible(db, actor, id).await?;
    if actor.role != Role::Owner || actor.organization_id != Some(project.organization_id) {
        return Err(Error::Forbidden("服务单由建设单位确认签收".into()));
    }
    if sheet.signed_off_at.is_some() {
        return Err(Error::Conflict {
            code: ErrorCode::AlreadySigned,
            message: "服务单已签收".into(),
            fields: Vec::new(),
        });
    }
    // Every item done, or cancelled with a reason, before the owner signs.
    let items = service_item::Entity::find()
        .filter(service_item::Column::SheetId.eq(id))
        .order_by_asc(service_item::Column::PromisedOn)
        .order_by_asc(service_item::Column::Id)
        .all(db)
        .await?;
    let open: Vec<(usize, &service_item::Model)> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| {
            i.status.is_open()
                || (i.status == ItemStatus::Cancelled
                    && i.cancel_reason
                        .as_deref()
                        .is_none_or(|r| r.trim().is_empty()))
        })
        .collect();
    if !open.is_empty() {
        let names: Vec<String> = open
            .iter()
            .map(|(_, i)| {
                format!(
                    "{}“{}”（{}）",
                    i.kind.label(),
                    i.description,
                    i.status.label()
                )
            })
            .collect();
        return Err(Error::Conflict {
            code: ErrorCode::OpenItems,
            message: format!(
                "尚有{}项服务事项未办结或未说明取消原因，不能签收：{}",
                open.len(),
                names.join("；")
            ),
            fields: open
                .iter()
                .map(|(n, i)| {
                    FieldError::new(
                        format!("items[{n}]"),
                        format!(
                            "{}“{}”尚未办结（{}）",
                            i.kind.label(),
                            i.description,
                            i.status.label()
                        ),
                    )
                })
                .collect(),
        });
    }
    super::exec_versioned(
        db,
        super::update_versioned::<service_sheet::Entity>(id, input.version)
            .col_expr(service_sheet::Column::SignedOffAt, Expr::value(now()))
            .col_expr(service_sheet::Column::SignedOffBy, Expr::value(actor.id))
            .col_expr(
                service_sheet::Column::SignOffNote,
                Expr::value(input.note.clone()),
            ),
        "服务单",
    )
    .await?;
    let mut changes = audit::Changes::new();
    changes.push("signed_off", &false, &true);
    audit::write(
        db,
        actor,
        "service_sheet",
        id,
        "sign_off",
        changes,
        serde_json::json!({"note": input.note}),
    )
    .await?;
    Ok(())
}

/// Moves one sheet to another officer, keeping the history, in the caller's transaction.
/// Returns the new assignment's id. Who is told is the caller's business: one mail per sheet
/// for a single reassignment, one per person for a bulk one.
async fn move_sheet<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    sheet: &service_sheet::Model,
    to: &app_user::Model,
    reason: Option<&str>,
    expected_version: i32,
) -> Result<i64> {
    super::exec_versioned(
        db,
        super::update_versioned::<service_sheet::Entity>(sheet.id, expected_version)
            .col_expr(service_sheet::Column::OfficerId, Expr::value(to.id)),
        "服务单",
    )
    .await?;
    let assignment = sheet_assignment::ActiveModel {
        sheet_id: Set(sheet.id),
        officer_id: Set(to.id),
        previous_officer_id: Set(Some(sheet.officer_id)),
        reason: Set(reason.map(str::to_owned)),
        assigned_by: Set(actor.id),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let previous = app_user::Entity::find_by_id(sheet.officer_id)
        .one(db)
        .await?;
    let mut changes = audit::Changes::new();
    changes.push(
        "officer",
        &previous.map(|p| p.display_name).unwrap_or_default(),
        &to.display_name,
    );
    audit::write(
        db,
        actor,
        "service_sheet",
        sheet.id,
        "reassign",
        changes,
        serde_json::json!({"from": sheet.officer_id, "to": to.id, "reason": reason}),
    )
    .await?;
    Ok(assignment.id)
}

#[tracing::instrument(name = "service_sheets::reassign", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id, sheet_id = id))]
pub async fn reassign(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    id: i64,
    input: Reassign,
) -> Result<SheetView> {
    actor.require_keeper()?;
    let (sheet, project) = visible(db, actor, id).await?;
    let to = active_officer(db, input.officer_id, "officer_id").await?;
    if to.id == sheet.officer_id {
        return Err(Error::invalid("officer_id", "新责任人与当前责任人相同"));
    }
    let reason = input.reason.as_deref();
    let txn = db.begin().await?;
    let assignment = move_sheet(&txn, actor, &sheet, &to, reason, input.version).await?;
    let previous = app_user::Entity::find_by_id(sheet.officer_id)
        .one(&txn)
        .await?;
    let mut recipients = vec![Recipient::user(&to)];
    recipients.extend(notifications::owners_of(&txn, project.organization_id).await?);
    notifications::enqueue(
        &txn,
        settings,
        Occasion {
            key: format!("sheet:{}:assignment:{assignment}", sheet.id),
            entity: Some(("service_sheet", sheet.id)),
        },
        &crate::notify::messages::SheetReassigned {
            sheet_id: sheet.id,
            project_name: project.name.clone(),
            officer_name: to.display_name.clone(),
            previous_officer_name: previous.map(|p| p.display_name).unwrap_or_default(),
            officer_phone: sheet.bureau_contact_phone.clone(),
            reason: reason.map(str::to_owned),
        },
        &recipients,
    )
    .await?;
    txn.commit().await?;
    get(db, actor, id).await
}

/// When an officer leaves: every sheet of theirs moves to another officer in one transaction,
/// and each person concerned gets one mail listing their sheets: the new officer all of them,
/// each owner those of its organisation.
#[tracing::instrument(name = "service_sheets::reassign_all", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id))]
pub async fn reassign_all(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    input: BulkReassign,
) -> Result<Vec<SheetView>> {
    if actor.role != Role::Admin {
        return Err(Error::Forbidden(
            "只有管理员可以批量调整服务单责任人".into(),
        ));
    }
    let to = active_officer(db, input.to_officer_id, "to_officer_id").await?;
    if input.from_officer_id == input.to_officer_id {
        return Err(Error::invalid("to_officer_id", "新责任人与原责任人相同"));
    }
    let sheets = service_sheet::Entity::find()
        .filter(service_sheet::Column::OfficerId.eq(input.from_officer_id))
        .order_by_asc(service_sheet::Column::Id)
        .all(db)
        .await?;
    if sheets.is_empty() {
        return Ok(Vec::new());
    }
    let previous = app_user::Entity::find_by_id(input.from_officer_id)
        .one(db)
        .await?
        .map(|p| p.display_name)
        .unwrap_or_default();
    let reason = input.reason.as_deref();
    let txn = db.begin().await?;
    let mut first_assignment = None;
    // Each organisation's sheets, in sheet order, for its owners' one mail.
    let mut by_org: std::collections::BTreeMap<i64, Vec<(i64, String)>> = Default::default();
    let mut all = Vec::new();
    for sheet in &sheets {
        let assignment = move_sheet(&txn, actor, sheet, &to, reason, sheet.version).await?;
        first_assignment.get_or_insert(assignment);
        let project = project::Entity::find_by_id(sheet.project_id)
            .one(&txn)
            .await?
            .ok_or_else(|| anyhow::anyhow!("sheet {} has no project", sheet.id))?;
        by_org
            .entry(project.organization_id)
            .or_default()
            .push((sheet.id, project.name.clone()));
        all.push((sheet.id, project.name));
    }
    let key = format!(
        "sheets:bulk:{}",
        first_assignment.expect("at least one sheet moved")
    );
    let message = |sheets: Vec<(i64, String)>| SheetsReassigned {
        officer_name: to.display_name.clone(),
        previous_officer_name: previous.clone(),
        reason: reason.map(str::to_owned),
        sheets,
    };
    notifications::enqueue(
        &txn,
        settings,
        Occasion {
            key: format!("{key}:officer"),
            entity: None,
        },
        &message(all),
        &[Recipient::user(&to)],
    )
    .await?;
    for (org, sheets) in by_org {
        notifications::enqueue(
            &txn,
            settings,
            Occasion {
                key: format!("{key}:org:{org}"),
                entity: None,
            },
            &message(sheets),
            &notifications::owners_of(&txn, org).await?,
        )
        .await?;
    }
    txn.commit().await?;
    let mut out = Vec::new();
    for sheet in sheets {
        out.push(get(db, actor, sheet.id).await?);
    }
    Ok(out)
}

/// The project's service sheet, if it has one and the actor may see the project.
pub async fn of_project<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: i64,
) -> Result<Option<SheetView>> {
    projects::visible(db, actor, project_id).await?;
    match service_sheet::Entity::find()
        .filter(service_sheet::Column::ProjectId.eq(project_id))
        .one(db)
        .await?
    {
        Some(sheet) => Ok(Some(view(db, sheet).await?)),
        None => Ok(None),
    }
}

/// Someone a sheet may be given to: an active officer or administrator.
#[derive(Debug, Clone, Serialize)]
pub struct Assignee {
    pub id: i64,
    pub name: String,
}

/// Whom a sheet may be reassigned to (officers and administrators only ask).
pub async fn assignees<C: ConnectionTrait>(db: &C, actor: &Actor) -> Result<Vec<Assignee>> {
    actor.require_keeper()?;
    Ok(app_user::Entity::find()
        .filter(app_user::Column::Active.eq(true))
        .filter(app_user::Column::Role.is_in([Role::Officer, Role::Admin]))
        .order_by_asc(app_user::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|u| Assignee {
            id: u.id,
            name: u.display_name,
        })
        .collect())
}

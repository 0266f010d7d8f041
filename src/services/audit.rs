//! The append-only audit trail of ledger changes, written inside the caller's transaction:
//! who changed which field from what to what, when, and in which request. Each row is tied to
//! the project and the organisation it concerns at write time, so a project's or an
//! organisation's trail is one indexed read. Nothing updates or deletes a row (the database
//! refuses to, see the `m20260106_000004_trail` migration).
use std::collections::HashMap;
use std::future::Future;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};

use super::Actor;
use crate::domain::role::ActorRole;
use crate::error::{Error, Result};
use entity::audit_event::FieldChange;
use entity::{
    Json, app_user, audit_event, classification, document, filing, filing_event, organization,
    project, service_sheet,
};

tokio::task_local! {
    static REQUEST_ID: String;
}

/// Runs `f` (a request's handling) with `request_id` as the request every audit row written
/// inside it names. The HTTP layer wraps each request in this.
pub async fn in_request<F: Future>(request_id: String, f: F) -> F::Output {
    REQUEST_ID.scope(request_id, f).await
}

/// The id of the request being handled, if any (none for the scheduler and the command line).
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// The fields one change touched, each with its value before and after as a reader sees it.
#[derive(Debug, Clone, Default)]
pub struct Changes(Vec<FieldChange>);

impl Changes {
    pub fn new() -> Changes {
        Changes::default()
    }

    /// Records `field` if `old` and `new` differ.
    pub fn diff<T: Serialize + PartialEq + ?Sized>(
        &mut self,
        field: &str,
        old: &T,
        new: &T,
    ) -> &mut Changes {
        if old != new {
            self.push(field, old, new);
        }
        self
    }

    /// Records `field` going to `new` if a PATCH carries it and it differs from `old`.
    pub fn patch<T: Serialize + PartialEq>(
        &mut self,
        field: &str,
        old: &T,
        new: Option<&T>,
    ) -> &mut Changes {
        if let Some(new) = new {
            self.diff(field, old, new);
        }
        self
    }

    /// Records a value set where there was none (a created record's fields).
    pub fn set<T: Serialize + ?Sized>(&mut self, field: &str, new: &T) -> &mut Changes {
        self.push(field, &serde_json::Value::Null, new)
    }

    /// Records `field` unconditionally.
    pub fn push<A: Serialize + ?Sized, B: Serialize + ?Sized>(
        &mut self,
        field: &str,
        old: &A,
        new: &B,
    ) -> &mut Changes {
        self.0.push(FieldChange {
            field: field.to_owned(),
            old: serde_json::to_value(old).unwrap_or_default(),
            new: serde_json::to_value(new).unwrap_or_default(),
        });
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The changes as the JSON text the `changes` column stores.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "[]".into())
    }

    pub fn fields(&self) -> Vec<&str> {
        self.0.iter().map(|c| c.field.as_str()).collect()
    }
}

/// Writes an audit row without field-level changes (the action's `detail` says what it did).
pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    entity: &str,
    entity_id: i64,
    action: &str,
    detail: serde_json::Value,
) -> Result<()> {
    write(db, actor, entity, entity_id, action, Changes::new(), detail).await
}

/// Writes an audit row with the fields the change touched, the current request's id, and the
/// project and organisation the record belongs to.
pub async fn write<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    entity: &str,
    entity_id: i64,
    action: &str,
    changes: Changes,
    detail: serde_json::Value,
) -> Result<()> {
    let (project_id, organization_id) = scope_of(db, entity, entity_id).await?;
    audit_event::ActiveModel {
        actor_id: Set(actor.id),
        actor_role: Set(actor.acting_role()),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id),
        action: Set(action.to_owned()),
        detail: Set(Json(detail)),
        request_id: Set(current_request_id()),
        changes: Set(Some(Json(changes.0))),
        project_id: Set(project_id),
        organization_id: Set(organization_id),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// One audit row of a bulk change, whose project and organisation the writer knows already.
#[derive(Debug, Clone)]
pub struct BulkEntry {
    pub entity: &'static str,
    pub entity_id: i64,
    pub action: &'static str,
    pub changes: Changes,
    pub detail: serde_json::Value,
    pub project_id: Option<i64>,
    pub organization_id: Option<i64>,
}

impl BulkEntry {
    /// The entry with its changes and detail written as the JSON text the table stores.
    pub fn prepare(self) -> PreparedEntry {
        PreparedEntry {
            entity: self.entity,
            entity_id: self.entity_id,
            action: self.action,
            changes: self.changes.to_json(),
            detail: self.detail.to_string(),
            project_id: self.project_id,
            organization_id: self.organization_id,
        }
    }
}

/// A [`BulkEntry`] ready to insert: its JSON columns as text.
#[derive(Debug, Clone)]
pub struct PreparedEntry {
    pub entity: &'static str,
    pub entity_id: i64,
    pub action: &'static str,
    pub changes: String,
    pub detail: String,
    pub project_id: Option<i64>,
    pub organization_id: Option<i64>,
}

/// Writes many audit rows at once (an import's thousands of rows cannot afford a round trip
/// each), all stamped with the same time and the current request; their JSON written already
/// ([`BulkEntry::prepare`]), so that it can be done on another thread while the caller's own
/// rows go in.
pub async fn write_prepared<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    entries: Vec<PreparedEntry>,
) -> Result<()> {
    const COLUMNS: [&str; 11] = [
        "actor_id",
        "actor_role",
        "entity",
        "entity_id",
        "action",
        "detail",
        "recorded_at",
        "request_id",
        "changes",
        "project_id",
        "organization_id",
    ];
    let recorded_at = chrono::Utc::now();
    let request_id = current_request_id();
    let role = actor.acting_role();
    let rows = entries
        .into_iter()
        .map(|e| {
            vec![
                actor.id.into(),
                role.into(),
                e.entity.into(),
                e.entity_id.into(),
                e.action.into(),
                e.detail.into(),
                recorded_at.into(),
                request_id.clone().into(),
                e.changes.into(),
                e.project_id.into(),
                e.organization_id.into(),
            ]
        })
        .collect();
    super::bulk::insert(db, "audit_event", &COLUMNS, rows, &[]).await?;
    Ok(())
}

/// The project and organisation a record belongs to, read at write time.
async fn scope_of<C: ConnectionTrait>(
    db: &C,
    entity: &str,
    id: i64,
) -> Result<(Option<i64>, Option<i64>)> {
    let project_id = match entity {
        "project" => Some(id),
        "filing" => filing::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|f| f.project_id),
        "document" => match document::Entity::find_by_id(id).one(db).await? {
            Some(d) => filing::Entity::find_by_id(d.filing_id)
                .one(db)
                .await?
                .map(|f| f.project_id),
            None => None,
        },
        "service_sheet" => service_sheet::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|s| s.project_id),
        "classification" => classification::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|c| c.project_id),
        "organization" => return Ok((None, Some(id))),
        "user" => {
            let org = app_user::Entity::find_by_id(id)
                .one(db)
                .await?
                .and_then(|u| u.organization_id);
            return Ok((None, org));
        }
        _ => None,
    };
    let organization_id = match project_id {
        Some(pid) => project::Entity::find_by_id(pid)
            .one(db)
            .await?
            .map(|p| p.organization_id),
        None => None,
    };
    Ok((project_id, organization_id))
}

/// The Chinese label of a field in the trail.
pub fn label(field: &str) -> &str {
    match field {
        "name" => "名称",
        "project_code" => "投资项目统一代码",
        "organization" | "organization_id" => "建设单位",
        "county" => "县区",
        "provincial" => "省级重点项目",
        "municipal" => "市级重点项目",
        "industry" => "行业",
        "total_investment_wan" => "总投资（万元）",
        "point_to_point" => "点对点服务",
        "built_before_approval" => "未批先建",
        "penalty_settled" => "处罚已履行",
        "listed_on" => "列入台账日期",
        "status_verified_on" => "状态核实日期",
        "description" => "说明",
        "removed" => "已移除",
        "removed_reason" => "移除原因",
        "cross_county_reason" => "跨区县说明",
        "credit_code" => "统一社会信用代码",
        "contact_name" => "联系人",
        "contact_phone" => "联系电话",
        "contact_email" => "联系邮箱",
        "tier" => "环评类别",
        "basis" => "分类依据",
        "policy_exemption" => "政策豁免",
        "username" => "用户名",
        "display_name" => "姓名",
        "role" => "角色",
        "active" => "启用",
        "email" => "邮箱",
        "phone" => "电话",
        "password" => "密码",
        "year" => "年份",
        "days" => "天数",
        "code" => "代码",
        "parent_code" => "上级代码",
        "title" => "标题",
        "document_number" => "文号",
        "state" => "状态",
        "status" => "状态",
        "officer" => "责任人",
        "signed_off" => "已签收",
        "withdrawn" => "已撤回",
        "reason" => "原因",
        "cancel_reason" => "取消原因",
        "promised_on" => "承诺办结日期",
        "evidence" => "办理情况",
        "done_on" => "办结日期",
        "item" => "服务事项",
        "file_name" => "文件名",
        "supervisor_id" => "分管领导",
        "items" => "豁免条目",
        "note" => "备注",
        "covers" => "适用范围",
        "voided" => "已作废",
        other => other,
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TrailQuery {
    /// Page number, from 1.
    pub page: Option<u64>,
    /// Items per page, 1–200 (default 50).
    pub per_page: Option<u64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TrailActor {
    /// None for the system itself.
    pub id: Option<i64>,
    pub name: String,
    pub role: ActorRole,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TrailChange {
    pub field: String,
    /// The field's Chinese name.
    pub label: String,
    pub old: serde_json::Value,
    pub new: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TrailItem {
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: TrailActor,
    /// What was changed: `project`, `organization`, `filing`, `document`, `service_sheet`, …
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub request_id: Option<String>,
    pub changes: Vec<TrailChange>,
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TrailPage {
    pub items: Vec<TrailItem>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// Officers, leaders and administrators read every trail; an owner only its own
/// organisation's (another's is a 404, as for the record itself).
fn may_read(actor: &Actor, organization_id: i64) -> bool {
    actor.role.sees_all_projects() || actor.organization_id == Some(organization_id)
}

fn paging(query: &TrailQuery) -> Result<(u64, u64)> {
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(50);
    let mut errors = Vec::new();
    if page == 0 {
        errors.push(crate::domain::FieldError::new("page", "页码从1开始"));
    }
    if !(1..=200).contains(&per_page) {
        errors.push(crate::domain::FieldError::new(
            "per_page",
            "每页条数须在1–200之间",
        ));
    }
    if errors.is_empty() {
        Ok((page, per_page))
    } else {
        Err(Error::Invalid(errors))
    }
}

/// A trail entry before the actor's name is looked up.
struct Entry {
    id: (i64, u8),
    at: chrono::DateTime<chrono::Utc>,
    actor_id: Option<i64>,
    actor_role: ActorRole,
    entity: String,
    entity_id: i64,
    action: String,
    request_id: Option<String>,
    changes: Vec<FieldChange>,
    detail: serde_json::Value,
}

impl From<audit_event::Model> for Entry {
    fn from(e: audit_event::Model) -> Entry {
        Entry {
            id: (e.id, 0),
            at: e.recorded_at,
            actor_id: e.actor_id,
            actor_role: e.actor_role,
            entity: e.entity,
            entity_id: e.entity_id,
            action: e.action,
            request_id: e.request_id,
            changes: e.changes.map(|c| c.0).unwrap_or_default(),
            detail: e.detail.0,
        }
    }
}

impl From<filing_event::Model> for Entry {
    fn from(e: filing_event::Model) -> Entry {
        let mut changes = Changes::new();
        changes.push("state", &e.from_state, &e.to_state);
        if e.voided_at.is_some() {
            changes.push("voided", &false, &true);
        }
        Entry {
            id: (e.id, 1),
            at: e.recorded_at,
            actor_id: e.actor_id,
            actor_role: e.actor_role,
            entity: "filing".into(),
            entity_id: e.filing_id,
            action: serde_json::to_value(e.action)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            request_id: None,
            changes: changes.0,
            detail: serde_json::json!({
                "effective_on": e.effective_on,
                "reason": e.reason,
                "detail": serde_json::to_value(&e.detail.0).unwrap_or_default(),
                "void_reason": e.void_reason,
            }),
        }
    }
}

async fn shape<C: ConnectionTrait>(
    db: &C,
    mut entries: Vec<Entry>,
    page: u64,
    per_page: u64,
) -> Result<TrailPage> {
    entries.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
    let total = entries.len() as u64;
    let start = ((page - 1) * per_page).min(total) as usize;
    let entries: Vec<Entry> = entries
        .into_iter()
        .skip(start)
        .take(per_page as usize)
        .collect();
    let items = items_of(db, entries).await?;
    Ok(TrailPage {
        items,
        total,
        page,
        per_page,
    })
}

/// Audit rows as the trail shows them, with the actors' names (one query for all of them).
pub async fn items_of_events<C: ConnectionTrait>(
    db: &C,
    events: Vec<audit_event::Model>,
) -> Result<Vec<TrailItem>> {
    items_of(db, events.into_iter().map(Entry::from).collect()).await
}

async fn items_of<C: ConnectionTrait>(db: &C, entries: Vec<Entry>) -> Result<Vec<TrailItem>> {
    let ids: Vec<i64> = entries.iter().filter_map(|e| e.actor_id).collect();
    let names: HashMap<i64, String> = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let items: Vec<TrailItem> = entries
        .into_iter()
        .map(|e| TrailItem {
            at: e.at,
            actor: TrailActor {
                id: e.actor_id,
                name: match e.actor_id {
                    Some(id) => names.get(&id).cloned().unwrap_or_default(),
                    None => "系统".into(),
                },
                role: e.actor_role,
            },
            entity: e.entity,
            entity_id: e.entity_id,
            action: e.action,
            request_id: e.request_id,
            changes: e
                .changes
                .into_iter()
                .map(|c| TrailChange {
                    label: label(&c.field).to_owned(),
                    field: c.field,
                    old: c.old,
                    new: c.new,
                })
                .collect(),
            detail: e.detail,
        })
        .collect();
    Ok(items)
}

/// `GET /projects/{id}/audit`: the project's own changes, its classification decisions, its
/// filings' steps and documents and its service sheet, newest first.
#[tracing::instrument(name = "audit::project_trail", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id, project_id = id))]
pub async fn project_trail<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    query: TrailQuery,
) -> Result<TrailPage> {
    let (page, per_page) = paging(&query)?;
    let project = project::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|p| may_read(actor, p.organization_id))
        .ok_or_else(|| Error::not_found("项目"))?;
    let mut entries: Vec<Entry> = audit_event::Entity::find()
        .filter(audit_event::Column::ProjectId.eq(project.id))
        .order_by_desc(audit_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Entry::from)
        .collect();
    let filings: Vec<i64> = filing::Entity::find()
        .filter(filing::Column::ProjectId.eq(project.id))
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.id)
        .collect();
    if !filings.is_empty() {
        entries.extend(
            filing_event::Entity::find()
                .filter(filing_event::Column::FilingId.is_in(filings))
                .all(db)
                .await?
                .into_iter()
                .map(Entry::from),
        );
    }
    shape(db, entries, page, per_page).await
}

/// `GET /organizations/{id}/audit`: the organisation's record, its accounts and its projects'
/// trails, newest first.
#[tracing::instrument(name = "audit::organization_trail", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id, organization_id = id))]
pub async fn organization_trail<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    query: TrailQuery,
) -> Result<TrailPage> {
    let (page, per_page) = paging(&query)?;
    if !may_read(actor, id)
        || organization::Entity::find_by_id(id)
            .one(db)
            .await?
            .is_none()
    {
        return Err(Error::not_found("建设单位"));
    }
    let select = audit_event::Entity::find()
        .filter(audit_event::Column::OrganizationId.eq(id))
        .order_by_desc(audit_event::Column::RecordedAt)
        .order_by_desc(audit_event::Column::Id);
    let paginator = select.paginate(db, per_page);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page - 1).await?;
    let entries = rows.into_iter().map(Entry::from).collect();
    let mut shaped = shape(db, entries, 1, per_page).await?;
    shaped.total = total;
    shaped.page = page;
    Ok(shaped)
}

#[cfg(test)]
mod tests {
    use super::Changes;
    use entity::audit_event::FieldChange;

    #[test]
    fn stored_changes_leave_out_empty_sides_and_read_back_whole() {
        let mut changes = Changes::new();
        changes
            .set("name", "商洛市第1号项目")
            .push("description", &"旧说明", &serde_json::Value::Null)
            .push("provincial", &false, &true);
        let text = changes.to_json();
        assert_eq!(
            text,
            r#"[{"field":"name","new":"商洛市第1号项目"},{"field":"description","old":"旧说明"},{"field":"provincial","old":false,"new":true}]"#
        );
        let back: Vec<FieldChange> = serde_json::from_str(&text).expect("stored changes");
        assert_eq!(back, changes.0);
        assert!(back[0].old.is_null() && back[1].new.is_null());
    }
}

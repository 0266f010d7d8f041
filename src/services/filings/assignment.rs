//! Assignment on arrival: a submitted filing goes at once to the project's service-sheet
//! officer, else to the officer of the administrators' rule for its county and tier, else into
//! the shared queue, where an officer claims it. Also who handles a filing as its readers see
//! it, and who may claim one.
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::Expr,
};
use serde::Serialize;

use super::views::FilingView;
use super::{get, visible};
use crate::config::Settings;
use crate::domain::FieldError;
use crate::domain::filing::{Action, FilingState};
use crate::domain::role::Role;
use crate::error::{Error, ErrorCode, Result};
use crate::services::notifications::{self, Recipient};
use crate::services::{Actor, audit, update_versioned};
use entity::{app_user, assignment_rule, filing, project, service_sheet};

/// Who handles a filing, as its readers (owners included) see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Handler {
    pub id: i64,
    pub name: String,
    /// The officer's office phone, when the administrator recorded one.
    pub office_phone: Option<String>,
}

impl Handler {
    pub fn of(u: &app_user::Model) -> Handler {
        Handler {
            id: u.id,
            name: u.display_name.clone(),
            office_phone: u.office_phone.clone(),
        }
    }
}

/// How a filing came to its officer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Basis {
    /// The project's point-to-point service sheet names the officer.
    ServiceSheet(i64),
    /// An administrator's rule for the county and tier.
    Rule(i64),
}

/// An officer a filing is assigned to on arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Assignment {
    pub officer_id: i64,
    pub basis: Basis,
}

impl Assignment {
    /// Records the assignment beside the action's event, in its transaction.
    pub(super) async fn record<C: ConnectionTrait>(
        &self,
        txn: &C,
        actor: &Actor,
        filing_id: i64,
    ) -> Result<()> {
        let detail = match self.basis {
            Basis::ServiceSheet(sheet) => serde_json::json!({
                "officer_id": self.officer_id, "by": "service_sheet", "service_sheet_id": sheet}),
            Basis::Rule(rule) => serde_json::json!({
                "officer_id": self.officer_id, "by": "assignment_rule", "assignment_rule_id": rule}),
        };
        audit::record(txn, actor, "filing", filing_id, "assign", detail).await
    }
}

/// The filing as it stands once assigned (what the action's notices are written from).
pub(super) fn with_officer(f: &filing::Model, assigned: Option<&Assignment>) -> filing::Model {
    let mut f = f.clone();
    if let Some(a) = assigned {
        f.officer_id = Some(a.officer_id);
    }
    f
}

async fn active_officer<C: ConnectionTrait>(db: &C, id: i64) -> Result<bool> {
    Ok(app_user::Entity::find_by_id(id)
        .one(db)
        .await?
        .is_some_and(|u| u.active && u.role == Role::Officer))
}

/// Whom a submission or resubmission of an unassigned filing goes to: the service-sheet
/// officer, else the rule's; `None` leaves it in the shared queue. An inactive officer is
/// passed over.
pub(super) async fn on_arrival<C: ConnectionTrait>(
    txn: &C,
    f: &filing::Model,
    project: &project::Model,
    action: Action,
) -> Result<Option<Assignment>> {
    if !matches!(action, Action::Submit | Action::Resubmit) || f.officer_id.is_some() {
        return Ok(None);
    }
    if let Some(sheet) = service_sheet::Entity::find()
        .filter(service_sheet::Column::ProjectId.eq(project.id))
        .one(txn)
        .await?
        && active_officer(txn, sheet.officer_id).await?
    {
        return Ok(Some(Assignment {
            officer_id: sheet.officer_id,
            basis: Basis::ServiceSheet(sheet.id),
        }));
    }
    if let Some(rule) = assignment_rule::Entity::find()
        .filter(assignment_rule::Column::CountyId.eq(project.county_id))
        .filter(assignment_rule::Column::Tier.eq(f.tier))
        .one(txn)
        .await?
        && active_officer(txn, rule.officer_id).await?
    {
        return Ok(Some(Assignment {
            officer_id: rule.officer_id,
            basis: Basis::Rule(rule.id),
        }));
    }
    Ok(None)
}

/// Who may claim an unassigned filing of a county, and hears of it: the active officers the
/// county's rules name (for any tier), or, when no rule names one, every active officer.
pub async fn queue_officers<C: ConnectionTrait>(db: &C, county_id: i64) -> Result<Vec<Recipient>> {
    let named: Vec<i64> = assignment_rule::Entity::find()
        .filter(assignment_rule::Column::CountyId.eq(county_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.officer_id)
        .collect();
    if !named.is_empty() {
        let officers: Vec<Recipient> = app_user::Entity::find()
            .filter(app_user::Column::Id.is_in(named))
            .filter(app_user::Column::Role.eq(Role::Officer.as_str()))
            .filter(app_user::Column::Active.eq(true))
            .all(db)
            .await?
            .iter()
            .map(Recipient::user)
            .collect();
        if !officers.is_empty() {
            return Ok(officers);
        }
    }
    notifications::users_with_role(db, Role::Officer).await
}

/// Whether a filing in this state waits for an officer: submitted and not yet settled.
fn claimable(state: FilingState) -> bool {
    state != FilingState::Draft && !state.is_terminal()
}

/// The states of the shared queue.
pub(super) fn claimable_states() -> Vec<FilingState> {
    FilingState::ALL
        .into_iter()
        .filter(|s| claimable(*s))
        .collect()
}

/// `POST /filings/{id}/claim`: an officer takes an unassigned filing from the shared queue. A
/// conditional update on "still unassigned" (and the version read), so of two claims at once
/// one wins and the other gets 409.
#[tracing::instrument(name = "filings::claim", skip_all, fields(actor_id = actor.id, actor_org = actor.organization_id, filing_id = id))]
pub async fn claim(
    db: &DatabaseConnection,
    settings: &Settings,
    actor: &Actor,
    id: i64,
) -> Result<FilingView> {
    let officer = match (actor.role, actor.id) {
        (Role::Officer, Some(officer)) => officer,
        _ => return Err(Error::Forbidden("只有审批人员可以认领申报".into())),
    };
    let (f, _) = visible(db, actor, id).await?;
    let already = |officer_id: i64| Error::Conflict {
        code: ErrorCode::AlreadyAssigned,
        message: format!("申报已由审批人员（用户编号{officer_id}）办理，只能认领尚未分配的申报"),
        fields: vec![FieldError::new("officer_id", "申报已有承办人")],
    };
    if let Some(current) = f.officer_id {
        return Err(already(current));
    }
    if !claimable(f.state) {
        return Err(Error::Conflict {
            code: ErrorCode::InvalidState,
            message: format!(
                "申报当前状态为“{}”（{}），不在待办队列中，不能认领",
                f.state.label(),
                f.state.as_str()
            ),
            fields: vec![FieldError::new(
                "state",
                format!("当前状态：{}", f.state.as_str()),
            )],
        });
    }
    let txn = db.begin().await?;
    let changed = update_versioned::<filing::Entity>(f.id, f.version)
        .col_expr(filing::Column::OfficerId, Expr::value(officer))
        .filter(filing::Column::OfficerId.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    if changed == 0 {
        drop(txn);
        let now = filing::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| Error::not_found("申报"))?;
        return Err(match now.officer_id {
            Some(current) => already(current),
            None => Error::stale("申报"),
        });
    }
    audit::record(
        &txn,
        actor,
        "filing",
        id,
        "claim",
        serde_json::json!({"officer_id": officer}),
    )
    .await?;
    txn.commit().await?;
    tracing::info!(filing = id, officer, "filing claimed");
    get(db, settings, actor, id).await
}

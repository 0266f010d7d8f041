//! Classification decisions: the catalogue engine's answer (plus a cited policy exemption),
//! stored per project with its full history; the ledger's exempt/required counts read them.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait, sea_query::Expr,
};
use serde::{Deserialize, Serialize};

use super::{Actor, audit, policy_exemptions, projects, today};
use crate::domain::FieldError;
use crate::domain::classification::{
    Catalog, ClassifyInput, Outcome, RowOutcome, classify, structured_rows,
};
use crate::domain::exemption::exempting_item;
use crate::domain::ledger::Tier;
use crate::error::{Error, ErrorCode, Result};
use entity::{Json, app_user, classification, filing, project};

/// What an officer submits to classify a project (dry run or stored decision).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifyRequest {
    /// Catalogue rows (1–173) the project falls under; empty for none (Art. 5).
    #[serde(default)]
    pub rows: Vec<i64>,
    /// Facts in the vocabulary of `GET /api/v1/catalog/{row}`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub facts: serde_json::Map<String, serde_json::Value>,
    /// The officer's tier for every listed row that has no structured rule.
    #[serde(default)]
    pub clause: Option<Tier>,
    /// The officer's tier per row, for rows without structured rules (`{"44": "report_form"}`).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub clauses: BTreeMap<u16, Tier>,
    /// Document number of an active policy exemption that frees this project.
    #[serde(default)]
    pub policy_exemption: Option<String>,
    /// When the decision was made (stored decisions only; defaults to today, never in the future).
    #[serde(default)]
    pub decided_on: Option<NaiveDate>,
}

/// The engine's answer with the policy applied.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClassificationResult {
    pub tier: Tier,
    pub required: bool,
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<RowOutcome>,
    pub basis: String,
    pub policy_exemption: Option<String>,
    /// True when any row's clause was chosen by hand.
    pub manual: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DecidedBy {
    pub id: i64,
    pub username: String,
    pub display_name: String,
}

/// One stored decision.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClassificationView {
    pub id: i64,
    pub project_id: i64,
    pub tier: Tier,
    pub required: bool,
    pub catalog_rows: Vec<u16>,
    #[schema(value_type = Object)]
    pub facts: serde_json::Map<String, serde_json::Value>,
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<RowOutcome>,
    pub basis: String,
    pub policy_exemption: Option<String>,
    pub manual: bool,
    pub decided_by: Option<DecidedBy>,
    pub decided_on: NaiveDate,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    /// Whether this is the decision in force.
    pub current: bool,
}

fn engine_input(req: &ClassifyRequest) -> ClassifyInput {
    let structured = structured_rows();
    let mut manual = req.clauses.clone();
    if let Some(tier) = req.clause {
        for row in &req.rows {
            if let Ok(row) = u16::try_from(*row)
                && !structured.contains(&row)
            {
                manual.entry(row).or_insert(tier);
            }
        }
    }
    ClassifyInput {
        rows: req.rows.clone(),
        facts: req.facts.clone(),
        manual_clauses: manual,
    }
}

/// Runs the catalogue engine and applies the cited policy exemption, if any.
#[tracing::instrument(name = "classification::evaluate", skip_all, fields(rows = ?req.rows))]
pub async fn evaluate<C: ConnectionTrait>(
    db: &C,
    req: &ClassifyRequest,
) -> Result<ClassificationResult> {
    let outcome = classify(&engine_input(req), Catalog::embedded()).map_err(|errors| {
        Error::Invalid(
            errors
                .into_iter()
                .map(|e| FieldError::new(e.field, e.message))
                .collect(),
        )
    })?;
    let outcome = match req.policy_exemption.as_deref().map(str::trim) {
        None | Some("") => outcome,
        Some(number) => apply_policy(db, number, outcome).await?,
    };
    let manual = outcome.rows.iter().any(|r| r.manual);
    Ok(ClassificationResult {
        tier: outcome.tier,
        required: outcome.required,
        basis: outcome.basis,
        rows: outcome.rows,
        policy_exemption: req
            .policy_exemption
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
        manual,
    })
}

async fn apply_policy<C: ConnectionTrait>(
    db: &C,
    number: &str,
    outcome: Outcome,
) -> Result<Outcome> {
    let field = "policy_exemption";
    let doc = policy_exemptions::active_by_number(db, number)
        .await?
        .ok_or_else(|| Error::invalid(field, format!("没有文号为“{number}”的有效政策豁免文件")))?;
    if outcome.tier == Tier::Exempt {
        return Err(Error::invalid(
            field,
            "按名录该项目已不纳入环评管理，无须引用政策豁免",
        ));
    }
    let rows: Vec<u16> = outcome.rows.iter().map(|r| r.row).collect();
    let item = exempting_item(&doc.items, &rows, outcome.tier).ok_or_else(|| {
        Error::invalid(
            field,
            format!(
                "{number}的条目不涵盖名录第{}项的{}类别",
                rows.iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join("、"),
                outcome.tier.label()
            ),
        )
    })?;
    let basis = format!(
        "依据{}（{}）“{}”，豁免环评手续",
        doc.document_no, doc.title, item.description
    );
    Ok(outcome.override_exempt(&basis))
}

/// Stores a decision in `db` (a transaction of the caller's) and makes it the project's
/// current one; `previous` is the decision the caller saw, so a concurrent decision is a 409.
pub(crate) async fn record<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project: &project::Model,
    req: &ClassifyRequest,
    result: &ClassificationResult,
    decided_on: NaiveDate,
) -> Result<classification::Model> {
    if project.current_tier.is_some_and(|t| t != result.tier) {
        guard_filings(db, project, result.tier).await?;
    }
    let rows: Vec<u16> = result.rows.iter().map(|r| r.row).collect();
    let row = classification::ActiveModel {
        project_id: Set(project.id),
        tier: Set(result.tier),
        required: Set(result.required),
        catalog_rows: Set(Json(rows)),
        facts: Set(Json(req.facts.clone())),
        row_outcomes: Set(Json(result.rows.clone())),
        basis: Set(result.basis.clone()),
        policy_exemption: Set(result.policy_exemption.clone()),
        manual: Set(result.manual),
        decided_by: Set(actor.id),
        decided_on: Set(decided_on),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut update = super::update_row::<project::Entity>(project.id)
        .col_expr(project::Column::CurrentTier, Expr::value(result.tier))
        .col_expr(
            project::Column::CurrentClassificationId,
            Expr::value(row.id),
        );
    update = match project.current_classification_id {
        Some(id) => update.filter(project::Column::CurrentClassificationId.eq(id)),
        None => update.filter(project::Column::CurrentClassificationId.is_null()),
    };
    if update.exec(db).await?.rows_affected == 0 {
        return Err(Error::Conflict {
            code: ErrorCode::StaleVersion,
            message: "该项目刚被他人重新分类，请刷新后重试".into(),
            fields: Vec::new(),
        });
    }
    let mut changes = audit::Changes::new();
    changes.diff(
        "tier",
        &project.current_tier.map(|t| t.as_str()),
        &Some(row.tier.as_str()),
    );
    changes.diff("policy_exemption", &None, &row.policy_exemption);
    audit::write(
        db,
        actor,
        "project",
        project.id,
        "classify",
        changes,
        serde_json::json!({"classification_id": row.id, "tier": row.tier,
                           "from_tier": project.current_tier, "policy_exemption": row.policy_exemption}),
    )
    .await?;
    Ok(row)
}

/// A change of tier never passes a filing silently. A draft follows the new tier (nothing has
/// reached the bureau yet); a filing received or decided stands under the tier it was made in,
/// so the change is refused, naming it: the filing must end first (withdrawn by the owner or
/// refused at acceptance), and after a decision a changed project is a new filing (重新报批).
async fn guard_filings<C: ConnectionTrait>(
    db: &C,
    project: &project::Model,
    tier: crate::domain::ledger::Tier,
) -> Result<()> {
    use crate::domain::filing::{FilingState, Tier as FilingTier};
    let filings = filing::Entity::find()
        .filter(filing::Column::ProjectId.eq(project.id))
        .all(db)
        .await?;
    for f in &filings {
        match f.state {
            FilingState::Refused | FilingState::Withdrawn => {}
            FilingState::Draft => match FilingTier::try_from(tier) {
                Ok(new_tier) => {
                    filing::Entity::update_many()
                        .col_expr(filing::Column::Tier, Expr::value(new_tier))
                        .filter(filing::Column::Id.eq(f.id))
                        .exec(db)
                        .await?;
                }
                Err(_) => return Err(tier_conflict(f, tier, "草稿请先由建设单位撤回")),
            },
            state if state.is_terminal() => {
                return Err(tier_conflict(
                    f,
                    tier,
                    "已办结的申报按原类别有效；项目发生重大变动须重新报批的，请先登记变更后的项目",
                ));
            }
            _ => {
                return Err(tier_conflict(
                    f,
                    tier,
                    "请先终止该申报（建设单位撤回，或不予受理）后再变更分类",
                ));
            }
        }
    }
    Ok(())
}

fn tier_conflict(f: &filing::Model, tier: crate::domain::ledger::Tier, what_now: &str) -> Error {
    Error::Conflict {
        code: ErrorCode::FilingTierConflict,
        message: format!(
            "该项目的环评申报（编号{}）按{}办理，当前状态为“{}”，不能改为{}：{what_now}",
            f.id,
            f.tier.label(),
            f.state.label(),
            tier.label()
        ),
        fields: vec![crate::domain::FieldError::new(
            "tier",
            format!("申报{}按{}办理中", f.id, f.tier.label()),
        )],
    }
}

/// `PUT /projects/{id}/classification`: classify and store.
#[tracing::instrument(
    name = "classification::decide",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, project_id)
)]
pub async fn decide(
    db: &DatabaseConnection,
    actor: &Actor,
    project_id: i64,
    req: ClassifyRequest,
) -> Result<ClassificationView> {
    actor.require_keeper()?;
    let project = projects::visible(db, actor, project_id).await?;
    let decided_on = req.decided_on.unwrap_or_else(today);
    if let Some(problem) = crate::domain::past_date_problem(decided_on, today()) {
        return Err(Error::invalid("decided_on", problem));
    }
    let result = evaluate(db, &req).await?;
    let txn = db.begin().await?;
    let row = record(&txn, actor, &project, &req, &result, decided_on).await?;
    txn.commit().await?;
    view(db, &row, true).await
}

async fn view<C: ConnectionTrait>(
    db: &C,
    row: &classification::Model,
    current: bool,
) -> Result<ClassificationView> {
    let decided_by = match row.decided_by {
        Some(id) => app_user::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|u| DecidedBy {
                id: u.id,
                username: u.username,
                display_name: u.display_name,
            }),
        None => None,
    };
    Ok(ClassificationView {
        id: row.id,
        project_id: row.project_id,
        tier: row.tier,
        required: row.required,
        catalog_rows: row.catalog_rows.0.clone(),
        facts: row.facts.0.clone(),
        rows: row.row_outcomes.0.clone(),
        basis: row.basis.clone(),
        policy_exemption: row.policy_exemption.clone(),
        manual: row.manual,
        decided_by,
        decided_on: row.decided_on,
        recorded_at: row.recorded_at,
        current,
    })
}

/// Every decision on a project, newest first.
#[tracing::instrument(
    name = "classification::history",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, project_id)
)]
pub async fn history<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: i64,
) -> Result<Vec<ClassificationView>> {
    let project = projects::visible(db, actor, project_id).await?;
    let rows = classification::Entity::find()
        .filter(classification::Column::ProjectId.eq(project_id))
        .order_by_desc(classification::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(view(db, row, project.current_classification_id == Some(row.id)).await?);
    }
    Ok(out)
}

/// The decision in force, or 404 when the project is unclassified.
#[tracing::instrument(
    name = "classification::current",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id, project_id)
)]
pub async fn current<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    project_id: i64,
) -> Result<ClassificationView> {
    let project = projects::visible(db, actor, project_id).await?;
    let id = project
        .current_classification_id
        .ok_or_else(|| Error::NotFound("该项目尚未分类".into()))?;
    let row = classification::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::NotFound("该项目尚未分类".into()))?;
    view(db, &row, true).await
}

/// A project whose tier would change if classified again under today's rules and lists.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TierChange {
    pub project_id: i64,
    pub project_name: String,
    pub from_tier: Tier,
    pub to_tier: Tier,
    pub basis: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Reevaluation {
    /// Projects whose tier would change.
    pub changes: Vec<TierChange>,
    /// Projects re-evaluated with the same tier.
    pub unchanged: usize,
    /// Projects not re-evaluated because an officer chose a clause by hand.
    pub manual: usize,
    /// Projects whose stored facts no longer classify (e.g. a rule now needs another fact).
    pub failed: Vec<ReevaluationFailure>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReevaluationFailure {
    pub project_id: i64,
    pub project_name: String,
    pub message: String,
}

fn stored_request(row: &classification::Model) -> Result<ClassifyRequest> {
    Ok(ClassifyRequest {
        rows: row.catalog_rows.iter().map(|&r| i64::from(r)).collect(),
        facts: row.facts.0.clone(),
        policy_exemption: row.policy_exemption.clone(),
        ..Default::default()
    })
}

/// Classifies every project with structured rules again, without storing anything.
async fn reevaluate<C: ConnectionTrait>(
    db: &C,
) -> Result<(
    Reevaluation,
    Vec<(project::Model, ClassifyRequest, ClassificationResult)>,
)> {
    let projects = project::Entity::find()
        .filter(project::Column::CurrentClassificationId.is_not_null())
        .order_by_asc(project::Column::Id)
        .all(db)
        .await?;
    let decisions: std::collections::HashMap<i64, classification::Model> =
        classification::Entity::find()
            .filter(
                classification::Column::Id
                    .is_in(projects.iter().filter_map(|p| p.current_classification_id)),
            )
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
    let mut report = Reevaluation {
        changes: Vec::new(),
        unchanged: 0,
        manual: 0,
        failed: Vec::new(),
    };
    let mut changed = Vec::new();
    for p in projects {
        let Some(decision) = p
            .current_classification_id
            .and_then(|id| decisions.get(&id))
        else {
            continue;
        };
        if decision.manual {
            report.manual += 1;
            continue;
        }
        let req = stored_request(decision)?;
        let evaluated = match evaluate(db, &req).await {
            // A cited policy exemption withdrawn or narrowed: the catalogue alone decides now.
            Err(Error::Invalid(fields)) if fields.iter().all(|f| f.field == "policy_exemption") => {
                let mut without = req.clone();
                without.policy_exemption = None;
                evaluate(db, &without).await.map(|result| (without, result))
            }
            other => other.map(|result| (req, result)),
        };
        match evaluated {
            Ok((_, result)) if result.tier == decision.tier => report.unchanged += 1,
            Ok((req, result)) => {
                report.changes.push(TierChange {
                    project_id: p.id,
                    project_name: p.name.clone(),
                    from_tier: decision.tier,
                    to_tier: result.tier,
                    basis: result.basis.clone(),
                });
                changed.push((p, req, result));
            }
            Err(Error::Invalid(fields)) => report.failed.push(ReevaluationFailure {
                project_id: p.id,
                project_name: p.name.clone(),
                message: fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            }),
            Err(other) => return Err(other),
        }
    }
    Ok((report, changed))
}

/// Lists the projects whose tier would change after a rule or exemption-list change.
#[tracing::instrument(
    name = "classification::preview_reevaluation",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id)
)]
pub async fn preview_reevaluation<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> Result<Reevaluation> {
    actor.require_keeper()?;
    Ok(reevaluate(db).await?.0)
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyReevaluation {
    /// The project ids of the preview's `changes`, confirming what the officer saw.
    pub project_ids: Vec<i64>,
}

/// Stores new decisions for the previewed changes; if the set changed since the preview, 409.
#[tracing::instrument(
    name = "classification::apply_reevaluation",
    skip_all,
    fields(actor_id = actor.id, actor_org = actor.organization_id)
)]
pub async fn apply_reevaluation(
    db: &DatabaseConnection,
    actor: &Actor,
    confirm: ApplyReevaluation,
) -> Result<Reevaluation> {
    actor.require_keeper()?;
    let txn = db.begin().await?;
    let (report, changed) = reevaluate(&txn).await?;
    let mut expected: Vec<i64> = changed.iter().map(|(p, _, _)| p.id).collect();
    let mut confirmed = confirm.project_ids.clone();
    expected.sort_unstable();
    confirmed.sort_unstable();
    confirmed.dedup();
    if expected != confirmed {
        return Err(Error::Conflict {
            code: ErrorCode::StalePreview,
            message: "待重新分类的项目已变化，请重新预览后再确认".into(),
            fields: vec![FieldError::new("project_ids", "与当前预览结果不一致")],
        });
    }
    for (project, req, result) in &changed {
        record(&txn, actor, project, req, result, today()).await?;
    }
    txn.commit().await?;
    Ok(report)
}

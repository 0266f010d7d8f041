//! Importing the bureau's ledger from Excel (台账导入): every row checked before anything is
//! written, problems named by the row Excel shows and the column's header as the file has it;
//! then one transaction that finds or creates the organisations by credit code, creates the new
//! projects, updates the matched ones field by field and writes the trail. A dry run stops
//! after the checks.
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};
use serde::Serialize;

use super::{Actor, audit, organizations, projects, today};
use crate::config::Settings;
use crate::domain::identifiers::{CreditCode, ProjectCode};
use crate::domain::ledger::{INDUSTRIES, industry_label};
use crate::domain::money::Wan;
use crate::error::{Error, Result};
use crate::excel::Problem;
use crate::excel::ledger::{self, DERIVED, REQUIRED, all_columns, key, parse_level};
use crate::excel::read::{self, Cell, DecimalError, Grid, Header};
use entity::{county, organization, project};

/// Values bound in one `IN (…)` or one batched insert stay well under what SQLite and
/// PostgreSQL accept in one statement.
const CHUNK: usize = 500;
/// A ledger is a few hundred rows; this bounds what one upload may make the server hold.
const MAX_ROWS: usize = 50_000;

/// What an import did, or would do (a dry run).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportOutcome {
    pub dry_run: bool,
    /// Data rows read (blank rows skipped).
    pub rows: u32,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// Every problem found; when there is any, nothing was written.
    pub problems: Vec<Problem>,
    /// Columns of the file the import reads past: those it does not own (环评类别, 申报状态,
    /// dates and numbers of filings) and those it does not know.
    pub ignored_columns: Vec<String>,
    /// The rows created or updated, in file order.
    pub changes: Vec<RowChange>,
}

/// One row that created or changed a project.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RowChange {
    /// The row number Excel shows.
    pub row: u32,
    pub project_code: String,
    pub name: String,
    /// `created` or `updated`.
    pub action: &'static str,
    /// For an update, the fields that change.
    pub fields: Vec<RowFieldChange>,
}

/// One field an update changes, as a reader sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RowFieldChange {
    pub field: &'static str,
    /// The field's name in Chinese.
    pub label: &'static str,
    pub before: String,
    pub after: String,
}

/// A row that passed the checks of its own cells. Optional columns the file lacks are `None`:
/// an update leaves those fields as they are, a new project takes the API's defaults.
struct Row {
    row: u32,
    name: String,
    code: ProjectCode,
    organization: String,
    credit_code: CreditCode,
    county: usize,
    level: Option<(bool, bool)>,
    industry: &'static str,
    investment: Wan,
    point_to_point: Option<bool>,
    built_before_approval: Option<bool>,
    penalty_settled: Option<bool>,
    listed_on: Option<NaiveDate>,
    description: Option<Option<String>>,
    cross_county_reason: Option<Option<String>>,
}

/// Reads the file and checks every row; with `dry_run` false and no problem, applies it.
#[tracing::instrument(
    name = "ledger_import::import",
    skip_all,
    fields(actor_id = actor.id, dry_run, bytes = bytes.len())
)]
pub async fn import(
    db: &DatabaseConnection,
    _settings: &Settings,
    actor: &Actor,
    bytes: &[u8],
    dry_run: bool,
) -> Result<ImportOutcome> {
    actor.require_keeper()?;
    let grid = Grid::open(bytes).map_err(|e| Error::Invalid(vec![e]))?;
    let columns = all_columns();
    let header = grid
        .header(&columns, REQUIRED)
        .map_err(|e| Error::Invalid(vec![e]))?;
    if header.col(key::INVESTMENT_WAN).is_none() && header.col(key::INVESTMENT_YI).is_none() {
        return Err(Error::invalid(
            "file",
            "找不到总投资列：应有“总投资（万元）”或“总投资（亿元）”",
        ));
    }
    let counties = county::Entity::find().all(db).await?;
    let today = today();

    let mut problems = Vec::new();
    let mut rows = Vec::new();
    let mut read_rows = 0u32;
    let mut first_row_of: HashMap<String, u32> = HashMap::new();
    for (number, cells) in grid.data_rows(&header) {
        read_rows += 1;
        if read_rows as usize > MAX_ROWS {
            return Err(Error::invalid(
                "file",
                format!("文件超过{MAX_ROWS}行数据，请分批导入"),
            ));
        }
        let mut reader = RowReader {
            header: &header,
            cells,
            row: number,
            problems: &mut problems,
        };
        let parsed = reader.read(&counties, today);
        // A code twice in the file is a problem whatever else is wrong with either row.
        let code_text = read::compact(&header.get(cells, key::PROJECT_CODE).text());
        if !code_text.is_empty() {
            if let Some(first) = first_row_of.get(&code_text) {
                problems.push(Problem::new(
                    number,
                    header.title(key::PROJECT_CODE, "投资项目统一代码"),
                    format!("投资项目统一代码 {code_text} 重复：第{first}行与第{number}行相同"),
                ));
                continue;
            }
            first_row_of.insert(code_text, number);
        }
        if let Some(row) = parsed {
            rows.push(row);
        }
    }

    // What the database holds for these rows, read in chunks.
    let codes: Vec<String> = rows.iter().map(|r| r.code.to_string()).collect();
    let mut existing: HashMap<String, project::Model> = HashMap::new();
    for chunk in codes.chunks(CHUNK) {
        for p in project::Entity::find()
            .filter(project::Column::ProjectCode.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            existing.insert(p.project_code.clone(), p);
        }
    }
    let credit_codes: BTreeSet<String> = rows.iter().map(|r| r.credit_code.to_string()).collect();
    let credit_codes: Vec<String> = credit_codes.into_iter().collect();
    let mut orgs_by_code: HashMap<String, organization::Model> = HashMap::new();
    for chunk in credit_codes.chunks(CHUNK) {
        for o in organization::Entity::find()
            .filter(organization::Column::CreditCode.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            orgs_by_code.insert(o.credit_code.clone(), o);
        }
    }
    // The organisations the matched projects belong to now, to show a change of owner.
    let owner_ids: BTreeSet<i64> = existing.values().map(|p| p.organization_id).collect();
    let owner_ids: Vec<i64> = owner_ids.into_iter().collect();
    let mut orgs_by_id: HashMap<i64, organization::Model> = HashMap::new();
    for chunk in owner_ids.chunks(CHUNK) {
        for o in organization::Entity::find()
            .filter(organization::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            orgs_by_id.insert(o.id, o);
        }
    }
    for o in orgs_by_code.values() {
        orgs_by_id.insert(o.id, o.clone());
    }

    // Checks across rows and against the database.
    let mut file_org_names: HashMap<String, (String, u32)> = HashMap::new();
    let mut plans = Vec::new();
    for row in rows {
        let credit_title = header.title(key::CREDIT_CODE, "统一社会信用代码");
        let mut fine = true;
        if let Some(org) = orgs_by_code.get(row.credit_code.as_str())
            && read::tidy(&org.name) != row.organization
        {
            problems.push(Problem::new(
                row.row,
                credit_title,
                format!(
                    "统一社会信用代码 {} 已登记为“{}”，与本行建设单位“{}”不符",
                    row.credit_code, org.name, row.organization
                ),
            ));
            fine = false;
        }
        match file_org_names.get(row.credit_code.as_str()) {
            Some((name, first)) if *name != row.organization => {
                problems.push(Problem::new(
                    row.row,
                    credit_title,
                    format!(
                        "统一社会信用代码 {} 在第{first}行的建设单位为“{name}”，本行为“{}”",
                        row.credit_code, row.organization
                    ),
                ));
                fine = false;
            }
            Some(_) => {}
            None => {
                file_org_names.insert(
                    row.credit_code.to_string(),
                    (row.organization.clone(), row.row),
                );
            }
        }
        let current = existing.get(row.code.as_str());
        if let Some(p) = current
            && p.removed_at.is_some()
        {
            problems.push(Problem::new(
                row.row,
                header.title(key::PROJECT_CODE, "投资项目统一代码"),
                format!(
                    "投资项目统一代码 {} 属于已移除的项目，请先由管理员恢复该项目",
                    row.code
                ),
            ));
            continue;
        }
        let county = &counties[row.county];
        let reason = match (&row.cross_county_reason, current) {
            (Some(given), _) => given.clone(),
            (None, Some(p)) => p.cross_county_reason.clone(),
            (None, None) => None,
        };
        let reason_title = header.title(key::CROSS_COUNTY_REASON, "跨县区说明");
        if let Some(problem) = projects::area_problem(
            &counties,
            &row.code,
            county,
            reason.as_deref(),
            reason_title,
        ) {
            problems.push(Problem::new(
                row.row,
                header.title(key::PROJECT_CODE, "投资项目统一代码"),
                problem,
            ));
            fine = false;
        }
        let built = row
            .built_before_approval
            .or(current.map(|p| p.built_before_approval))
            .unwrap_or(false);
        let settled = row
            .penalty_settled
            .or(current.map(|p| p.penalty_settled))
            .unwrap_or(false);
        if let Some(problem) = projects::penalty_problem(built, settled) {
            problems.push(Problem::new(
                row.row,
                header.title(key::PENALTY_SETTLED, "处罚已履行"),
                problem,
            ));
            fine = false;
        }
        if fine {
            let reason = projects::stored_reason(&row.code, county, reason.as_deref());
            plans.push((row, reason));
        }
    }

    let mut ignored: Vec<String> = Vec::new();
    for c in &header.columns {
        let derived = c.key.is_some_and(|k| DERIVED.iter().any(|d| d.key == k));
        if (c.key.is_none() || derived) && !ignored.contains(&c.text) {
            ignored.push(c.text.clone());
        }
    }
    let mut outcome = ImportOutcome {
        dry_run,
        rows: read_rows,
        created: 0,
        updated: 0,
        unchanged: 0,
        problems: Vec::new(),
        ignored_columns: ignored,
        changes: Vec::new(),
    };
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.row);
        outcome.problems = problems;
        if dry_run {
            return Ok(outcome);
        }
        return Err(Error::Rejected {
            message: format!(
                "文件中有{}处问题，未导入任何内容；请改正后重新导入",
                outcome.problems.len()
            ),
            problems: outcome.problems,
        });
    }

    // The plan: each row a creation, an update or nothing.
    let mut creations: Vec<(Row, Option<String>)> = Vec::new();
    let mut updates: Vec<(Row, Option<String>, Vec<Diff>)> = Vec::new();
    for (row, reason) in plans {
        match existing.get(row.code.as_str()) {
            None => {
                outcome.changes.push(RowChange {
                    row: row.row,
                    project_code: row.code.to_string(),
                    name: row.name.clone(),
                    action: "created",
                    fields: Vec::new(),
                });
                creations.push((row, reason));
            }
            Some(current) => {
                let diffs = diff(
                    current,
                    &row,
                    &reason,
                    &counties,
                    &orgs_by_id,
                    &orgs_by_code,
                );
                if diffs.is_empty() {
                    outcome.unchanged += 1;
                } else {
                    outcome.changes.push(RowChange {
                        row: row.row,
                        project_code: row.code.to_string(),
                        name: row.name.clone(),
                        action: "updated",
                        fields: diffs
                            .iter()
                            .map(|d| RowFieldChange {
                                field: d.field,
                                label: audit::label(d.field),
                                before: d.before.clone(),
                                after: d.after.clone(),
                            })
                            .collect(),
                    });
                    updates.push((row, reason, diffs));
                }
            }
        }
    }
    outcome.created = creations.len() as u32;
    outcome.updated = updates.len() as u32;
    if dry_run || (creations.is_empty() && updates.is_empty()) {
        return Ok(outcome);
    }

    let txn = db.begin().await?;
    let mut trail: Vec<audit::BulkEntry> = Vec::new();
    let orgs = organizations_for(&txn, &creations, &updates, &mut orgs_by_code, &mut trail).await?;
    let new_organizations = trail.len();
    let now = super::now();
    // The creations' trail is written as JSON on another thread while their rows go in; only
    // the ids it lacks are filled in after.
    let creations = Arc::new(creations);
    let trail_of_creations = {
        let creations = Arc::clone(&creations);
        let county_codes: Vec<String> = counties.iter().map(|c| c.code.clone()).collect();
        let orgs = orgs.clone();
        tokio::task::spawn_blocking(move || {
            creations
                .iter()
                .map(|(row, reason)| creation_entry(row, reason, &county_codes, &orgs, today))
                .collect::<Vec<_>>()
        })
    };
    let ids = insert_projects(&txn, &creations, &orgs, &counties, today, now).await?;
    let mut prepared = trail_of_creations
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!("writing the import's trail: {e}")))?;
    for ((row, _), entry) in creations.iter().zip(prepared.iter_mut()) {
        let id = ids[row.code.as_str()];
        entry.entity_id = id;
        entry.project_id = Some(id);
    }
    for (row, reason, diffs) in updates {
        let current = &existing[row.code.as_str()];
        let organization_id = orgs[row.credit_code.as_str()];
        let mut update = super::update_versioned::<project::Entity>(current.id, current.version);
        let mut changes = audit::Changes::new();
        for d in &diffs {
            changes.push(d.field, &d.old, &d.new);
        }
        use project::Column as P;
        let (provincial, municipal) = row.level.unwrap_or((current.provincial, current.municipal));
        update = update
            .col_expr(P::Name, Expr::value(row.name.clone()))
            .col_expr(
                P::NameSortKey,
                Expr::value(crate::domain::sort_key::pinyin_key(&row.name)),
            )
            .col_expr(P::OrganizationId, Expr::value(organization_id))
            .col_expr(P::CountyId, Expr::value(counties[row.county].id))
            .col_expr(P::Provincial, Expr::value(provincial))
            .col_expr(P::Municipal, Expr::value(municipal))
            .col_expr(P::Industry, Expr::value(row.industry))
            .col_expr(P::TotalInvestment, Expr::value(row.investment.hundredths()))
            .col_expr(P::CrossCountyReason, Expr::value(reason.clone()));
        let flags = [
            (P::PointToPoint, row.point_to_point),
            (P::BuiltBeforeApproval, row.built_before_approval),
            (P::PenaltySettled, row.penalty_settled),
        ];
        for (column, value) in flags {
            if let Some(value) = value {
                update = update.col_expr(column, Expr::value(value));
            }
        }
        if let Some(listed_on) = row.listed_on {
            update = update.col_expr(P::ListedOn, Expr::value(listed_on));
        }
        if let Some(description) = &row.description {
            update = update.col_expr(P::Description, Expr::value(description.clone()));
        }
        super::exec_versioned(&txn, update, "项目").await?;
        trail.push(audit::BulkEntry {
            entity: "project",
            entity_id: current.id,
            action: "update",
            changes,
            detail: serde_json::json!({
                "from_version": current.version, "source": "import", "row": row.row,
            }),
            project_id: Some(current.id),
            organization_id: Some(organization_id),
        });
    }
    // In the order things happened: new organisations, new projects, updates.
    let updated = trail.split_off(new_organizations);
    let entries: Vec<audit::PreparedEntry> = trail
        .into_iter()
        .map(audit::BulkEntry::prepare)
        .chain(prepared)
        .chain(updated.into_iter().map(audit::BulkEntry::prepare))
        .collect();
    audit::write_prepared(&txn, actor, entries).await?;
    txn.commit().await?;
    Ok(outcome)
}

/// The trail entry of a project the import creates, its id still to be filled in.
fn creation_entry(
    row: &Row,
    reason: &Option<String>,
    county_codes: &[String],
    orgs: &HashMap<String, i64>,
    today: NaiveDate,
) -> audit::PreparedEntry {
    let (provincial, municipal) = row.level.unwrap_or((false, true));
    let mut changes = audit::Changes::new();
    changes
        .set("name", &row.name)
        .set("project_code", row.code.as_str())
        .set("organization", &row.organization)
        .set("county", &county_codes[row.county])
        .set("provincial", &provincial)
        .set("municipal", &municipal)
        .set("industry", row.industry)
        .set("total_investment_wan", &row.investment)
        .set("point_to_point", &row.point_to_point.unwrap_or(false))
        .set(
            "built_before_approval",
            &row.built_before_approval.unwrap_or(false),
        )
        .set("penalty_settled", &row.penalty_settled.unwrap_or(false))
        .set("listed_on", &row.listed_on.unwrap_or(today))
        .set("status_verified_on", &None::<NaiveDate>)
        .set("description", &row.description.clone().flatten());
    if reason.is_some() {
        changes.set("cross_county_reason", reason);
    }
    audit::BulkEntry {
        entity: "project",
        entity_id: 0,
        action: "create",
        changes,
        // The name, code and investment are in the changes already.
        detail: serde_json::json!({"source": "import", "row": row.row}),
        project_id: None,
        organization_id: Some(orgs[row.credit_code.as_str()]),
    }
    .prepare()
}

/// Inserts the new projects in bulk and gives each one's id by its project code.
async fn insert_projects<C: ConnectionTrait>(
    db: &C,
    creations: &[(Row, Option<String>)],
    orgs: &HashMap<String, i64>,
    counties: &[county::Model],
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<HashMap<String, i64>> {
    const COLUMNS: [&str; 18] = [
        "name",
        "name_sort_key",
        "project_code",
        "organization_id",
        "county_id",
        "provincial",
        "municipal",
        "industry",
        "total_investment",
        "point_to_point",
        "built_before_approval",
        "penalty_settled",
        "listed_on",
        "description",
        "cross_county_reason",
        "version",
        "created_at",
        "updated_at",
    ];
    let rows = creations
        .iter()
        .map(|(row, reason)| {
            let (provincial, municipal) = row.level.unwrap_or((false, true));
            vec![
                row.name.clone().into(),
                crate::domain::sort_key::pinyin_key(&row.name).into(),
                row.code.to_string().into(),
                orgs[row.credit_code.as_str()].into(),
                counties[row.county].id.into(),
                provincial.into(),
                municipal.into(),
                row.industry.into(),
                row.investment.hundredths().into(),
                row.point_to_point.unwrap_or(false).into(),
                row.built_before_approval.unwrap_or(false).into(),
                row.penalty_settled.unwrap_or(false).into(),
                row.listed_on.unwrap_or(today).into(),
                row.description.clone().flatten().into(),
                reason.clone().into(),
                1i32.into(),
                now.into(),
                now.into(),
            ]
        })
        .collect();
    let inserted =
        super::bulk::insert(db, "project", &COLUMNS, rows, &["id", "project_code"]).await?;
    inserted
        .iter()
        .map(|r| Ok((r.try_get_by_index(1)?, r.try_get_by_index(0)?)))
        .collect()
}

/// The id of every organisation the rows name, creating (with their trail) those the database
/// does not hold yet.
async fn organizations_for<C: ConnectionTrait>(
    db: &C,
    creations: &[(Row, Option<String>)],
    updates: &[(Row, Option<String>, Vec<Diff>)],
    known: &mut HashMap<String, organization::Model>,
    trail: &mut Vec<audit::BulkEntry>,
) -> Result<HashMap<String, i64>> {
    let mut missing: Vec<(String, String)> = Vec::new();
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for row in creations
        .iter()
        .map(|(r, _)| r)
        .chain(updates.iter().map(|(r, _, _)| r))
    {
        let code = row.credit_code.as_str();
        if !known.contains_key(code) && seen.insert(code) {
            missing.push((code.to_owned(), row.organization.clone()));
        }
    }
    let now = super::now();
    for chunk in missing.chunks(CHUNK) {
        organization::Entity::insert_many(chunk.iter().map(|(code, name)| {
            organization::ActiveModel {
                name: Set(name.clone()),
                credit_code: Set(code.clone()),
                contact_name: Set(None),
                contact_phone: Set(None),
                contact_email: Set(None),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
        }))
        .exec(db)
        .await?;
        for o in organization::Entity::find()
            .filter(organization::Column::CreditCode.is_in(chunk.iter().map(|(c, _)| c.clone())))
            .all(db)
            .await?
        {
            let mut changes = audit::Changes::new();
            changes
                .set("name", &o.name)
                .set("credit_code", &o.credit_code)
                .set("contact_name", &o.contact_name)
                .set("contact_phone", &o.contact_phone)
                .set("contact_email", &o.contact_email);
            trail.push(audit::BulkEntry {
                entity: "organization",
                entity_id: o.id,
                action: "create",
                changes,
                detail: serde_json::json!({
                    "name": o.name, "credit_code": o.credit_code, "source": "import",
                }),
                project_id: None,
                organization_id: Some(o.id),
            });
            known.insert(o.credit_code.clone(), o);
        }
    }
    Ok(known.iter().map(|(code, o)| (code.clone(), o.id)).collect())
}

/// One field an update changes: as shown (`before`/`after`) and as the trail records it.
struct Diff {
    field: &'static str,
    before: String,
    after: String,
    old: serde_json::Value,
    new: serde_json::Value,
}

fn yes_no(b: bool) -> String {
    if b { "是" } else { "否" }.to_owned()
}

/// The fields of `current` the row changes, in the ledger's order.
fn diff(
    current: &project::Model,
    row: &Row,
    reason: &Option<String>,
    counties: &[county::Model],
    orgs_by_id: &HashMap<i64, organization::Model>,
    orgs_by_code: &HashMap<String, organization::Model>,
) -> Vec<Diff> {
    use serde_json::json;
    let mut diffs = Vec::new();
    let mut push = |field, before: String, after: String, old, new| {
        if old != new {
            diffs.push(Diff {
                field,
                before,
                after,
                old,
                new,
            });
        }
    };
    push(
        "name",
        current.name.clone(),
        row.name.clone(),
        json!(current.name),
        json!(row.name),
    );
    let owner = orgs_by_id
        .get(&current.organization_id)
        .map(|o| o.name.clone())
        .unwrap_or_default();
    let new_owner_id = orgs_by_code.get(row.credit_code.as_str()).map(|o| o.id);
    if new_owner_id != Some(current.organization_id) {
        diffs.push(Diff {
            field: "organization",
            before: owner.clone(),
            after: row.organization.clone(),
            old: json!(owner),
            new: json!(row.organization),
        });
    }
    let old_county = counties.iter().find(|c| c.id == current.county_id);
    let new_county = &counties[row.county];
    if old_county.map(|c| c.id) != Some(new_county.id) {
        diffs.push(Diff {
            field: "county",
            before: old_county.map(|c| c.name.clone()).unwrap_or_default(),
            after: new_county.name.clone(),
            old: json!(old_county.map(|c| c.code.clone())),
            new: json!(new_county.code),
        });
    }
    if let Some((provincial, municipal)) = row.level {
        diffs_bool(&mut diffs, "provincial", current.provincial, provincial);
        diffs_bool(&mut diffs, "municipal", current.municipal, municipal);
    }
    if current.industry != row.industry {
        diffs.push(Diff {
            field: "industry",
            before: industry_label(&current.industry)
                .unwrap_or(&current.industry)
                .to_owned(),
            after: industry_label(row.industry)
                .unwrap_or(row.industry)
                .to_owned(),
            old: json!(current.industry),
            new: json!(row.industry),
        });
    }
    let before = Wan::from_hundredths(current.total_investment);
    if before != row.investment {
        diffs.push(Diff {
            field: "total_investment_wan",
            before: before.to_string(),
            after: row.investment.to_string(),
            old: json!(before),
            new: json!(row.investment),
        });
    }
    let flags = [
        ("point_to_point", current.point_to_point, row.point_to_point),
        (
            "built_before_approval",
            current.built_before_approval,
            row.built_before_approval,
        ),
        (
            "penalty_settled",
            current.penalty_settled,
            row.penalty_settled,
        ),
    ];
    for (field, old, new) in flags {
        if let Some(new) = new {
            diffs_bool(&mut diffs, field, old, new);
        }
    }
    if let Some(listed_on) = row.listed_on
        && listed_on != current.listed_on
    {
        diffs.push(Diff {
            field: "listed_on",
            before: current.listed_on.to_string(),
            after: listed_on.to_string(),
            old: json!(current.listed_on),
            new: json!(listed_on),
        });
    }
    if let Some(description) = &row.description
        && *description != current.description
    {
        diffs.push(Diff {
            field: "description",
            before: current.description.clone().unwrap_or_default(),
            after: description.clone().unwrap_or_default(),
            old: json!(current.description),
            new: json!(description),
        });
    }
    if *reason != current.cross_county_reason {
        diffs.push(Diff {
            field: "cross_county_reason",
            before: current.cross_county_reason.clone().unwrap_or_default(),
            after: reason.clone().unwrap_or_default(),
            old: json!(current.cross_county_reason),
            new: json!(reason),
        });
    }
    diffs
}

fn diffs_bool(diffs: &mut Vec<Diff>, field: &'static str, old: bool, new: bool) {
    if old != new {
        diffs.push(Diff {
            field,
            before: yes_no(old),
            after: yes_no(new),
            old: serde_json::json!(old),
            new: serde_json::json!(new),
        });
    }
}

/// Reads one row's cells, noting each problem under the column's header as the file has it.
struct RowReader<'a> {
    header: &'a Header,
    cells: &'a [Cell],
    row: u32,
    problems: &'a mut Vec<Problem>,
}

impl RowReader<'_> {
    fn title(&self, key: &str) -> String {
        let fallback = ledger::IMPORTED
            .iter()
            .find(|c| c.key == key)
            .map_or(key, |c| c.names[0]);
        self.header.title(key, fallback).to_owned()
    }

    fn problem(&mut self, key: &str, message: impl Into<String>) {
        let column = self.title(key);
        self.problems.push(Problem::new(self.row, column, message));
    }

    fn cell(&self, key: &str) -> &Cell {
        self.header.get(self.cells, key)
    }

    fn has(&self, key: &str) -> bool {
        self.header.col(key).is_some()
    }

    /// A required cell as normalised text (codes, names of counties and industries); a problem
    /// when blank.
    fn required(&mut self, key: &str) -> Option<String> {
        let text = self.cell(key).text();
        self.present(key, text)
    }

    /// A required name, as written but for its spaces ([`read::tidy`]).
    fn required_name(&mut self, key: &str) -> Option<String> {
        let text = self.cell(key).tidy_text();
        self.present(key, text)
    }

    fn present(&mut self, key: &str, text: String) -> Option<String> {
        if text.is_empty() {
            self.problem(key, "必填，不能为空");
            None
        } else {
            Some(text)
        }
    }

    fn flag(&mut self, key: &str) -> Option<Option<bool>> {
        if !self.has(key) {
            return Some(None);
        }
        match read::yes_no(self.cell(key)) {
            Ok(b) => Some(Some(b)),
            Err(text) => {
                self.problem(key, format!("“{text}”无法识别，应填 是、否、√ 或留空"));
                None
            }
        }
    }

    /// The row, or `None` after noting its problems.
    fn read(&mut self, counties: &[county::Model], today: NaiveDate) -> Option<Row> {
        let before = self.problems.len();
        let name = self.required_name(key::NAME);
        if let Some(n) = &name
            && let Some(problem) = projects::name_problem(n)
        {
            self.problem(key::NAME, problem);
        }
        let code = self.required(key::PROJECT_CODE).and_then(|text| {
            match ProjectCode::parse(&read::compact(&text)) {
                Ok(code) => Some(code),
                Err(e) => {
                    self.problem(key::PROJECT_CODE, format!("“{text}”：{e}"));
                    None
                }
            }
        });
        let organization = self.required_name(key::ORGANIZATION);
        if let Some(o) = &organization
            && let Some(problem) = organizations::name_problem(o)
        {
            self.problem(key::ORGANIZATION, problem);
        }
        let credit_code = self.required(key::CREDIT_CODE).and_then(|text| {
            let mut errors = Vec::new();
            let code = organizations::check_credit_code(&read::compact(&text), &mut errors);
            for e in errors {
                self.problem(key::CREDIT_CODE, format!("“{text}”：{}", e.message));
            }
            code
        });
        let county =
            self.required(key::COUNTY)
                .and_then(|text| match find_county(counties, &text) {
                    Ok(i) => Some(i),
                    Err(message) => {
                        self.problem(key::COUNTY, message);
                        None
                    }
                });
        let level = if self.has(key::LEVEL) {
            let text = self.cell(key::LEVEL).text();
            match parse_level(&text) {
                Some(level) => Some(level),
                None => {
                    self.problem(
                        key::LEVEL,
                        format!("未知的重点项目级别“{text}”，应为 省级、市级、省市级 或留空"),
                    );
                    None
                }
            }
        } else if self.has(key::PROVINCIAL) || self.has(key::MUNICIPAL) {
            match (self.flag(key::PROVINCIAL), self.flag(key::MUNICIPAL)) {
                (Some(p), Some(m)) => Some((p.unwrap_or(false), m.unwrap_or(false))),
                _ => None,
            }
        } else {
            None
        };
        let industry = self.required(key::INDUSTRY).and_then(|text| {
            let found = INDUSTRIES
                .iter()
                .find(|(k, label)| *label == text || k.eq_ignore_ascii_case(&text))
                .map(|(k, _)| *k);
            if found.is_none() {
                let labels: Vec<&str> = INDUSTRIES.iter().map(|(_, l)| *l).collect();
                self.problem(
                    key::INDUSTRY,
                    format!("未知的行业“{text}”，应为：{}", labels.join("、")),
                );
            }
            found
        });
        let investment = self.investment();
        let point_to_point = self.flag(key::POINT_TO_POINT);
        let built_before_approval = self.flag(key::BUILT_BEFORE_APPROVAL);
        let penalty_settled = self.flag(key::PENALTY_SETTLED);
        let listed_on = match read::date(self.cell(key::LISTED_ON)) {
            Ok(Some(d)) => match crate::domain::past_date_problem(d, today) {
                Some(problem) => {
                    self.problem(key::LISTED_ON, problem);
                    None
                }
                None => Some(Some(d)),
            },
            Ok(None) => Some(None),
            Err(text) => {
                self.problem(
                    key::LISTED_ON,
                    format!("“{text}”不是日期，应如 2023-06-30 或 2023年6月30日"),
                );
                None
            }
        };
        let optional_text = |reader: &Self, key: &str| -> Option<Option<String>> {
            reader.has(key).then(|| {
                let t = reader.cell(key).tidy_text();
                (!t.is_empty()).then_some(t)
            })
        };
        let description = optional_text(self, key::DESCRIPTION);
        if let Some(problem) = description
            .as_ref()
            .and_then(|d| d.as_deref())
            .and_then(projects::description_problem)
        {
            self.problem(key::DESCRIPTION, problem);
        }
        let cross_county_reason = optional_text(self, key::CROSS_COUNTY_REASON);
        if self.problems.len() > before {
            return None;
        }
        Some(Row {
            row: self.row,
            name: name?,
            code: code?,
            organization: organization?,
            credit_code: credit_code?,
            county: county?,
            level,
            industry: industry?,
            investment: investment?,
            point_to_point: point_to_point?,
            built_before_approval: built_before_approval?,
            penalty_settled: penalty_settled?,
            listed_on: listed_on?,
            description,
            cross_county_reason,
        })
    }

    /// 总投资 in 万元 (or in 亿元, converted exactly), rounded half up to 0.01 万元.
    fn investment(&mut self) -> Option<Wan> {
        let (key, factor) = if self.has(key::INVESTMENT_WAN) {
            (key::INVESTMENT_WAN, rust_decimal::Decimal::ONE)
        } else {
            (key::INVESTMENT_YI, rust_decimal::Decimal::new(10_000, 0))
        };
        let unit = if factor == rust_decimal::Decimal::ONE {
            "万元"
        } else {
            "亿元"
        };
        let value = match read::decimal(self.cell(key)) {
            Ok(v) => v,
            Err(DecimalError::Blank) => {
                self.problem(key, "必填，不能为空");
                return None;
            }
            Err(DecimalError::NotANumber(text)) => {
                self.problem(key, format!("“{text}”不是数字，应为以{unit}计的金额"));
                return None;
            }
        };
        if value.is_sign_negative() && !value.is_zero() {
            self.problem(key, format!("金额不能为负数：{value}"));
            return None;
        }
        let Some(wan) = value.checked_mul(factor) else {
            self.problem(key, "金额超出上限（1万亿元）");
            return None;
        };
        let (rounded, ambiguous) = read::round_half_up(wan, 2);
        if ambiguous {
            self.problem(
                key,
                format!("金额 {value}{unit} 超过0.01万元的精度，请核对后保留到0.01万元"),
            );
            return None;
        }
        match Wan::parse(&rounded.abs().to_string()) {
            Ok(w) => Some(w),
            Err(e) => {
                self.problem(key, e.to_string());
                None
            }
        }
    }
}

/// A county by its code or its name, the suffix 区/县/市 optional when that is unambiguous.
fn find_county(counties: &[county::Model], text: &str) -> std::result::Result<usize, String> {
    let t = read::compact(text);
    if let Some(i) = counties.iter().position(|c| c.code == t || c.name == t) {
        return Ok(i);
    }
    let short = |name: &str| name.trim_end_matches(['区', '县', '市']).to_owned();
    let matches: Vec<usize> = counties
        .iter()
        .enumerate()
        .filter(|(_, c)| short(&c.name) == t || short(&c.name) == short(&t))
        .map(|(i, _)| i)
        .collect();
    match matches.as_slice() {
        [i] => Ok(*i),
        [] => Err(format!(
            "未知的县区“{text}”，应为：{}",
            counties
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join("、")
        )),
        _ => Err(format!(
            "县区“{text}”不明确，可能是：{}；请写全称或行政区划代码",
            matches
                .iter()
                .map(|i| counties[*i].name.as_str())
                .collect::<Vec<_>>()
                .join("、")
        )),
    }
}

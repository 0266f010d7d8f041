//! Loads the synthetic Shangluo ledger (`crate::demo`) and the demo accounts into an empty
//! database, so the service shows the published figures with no setup.
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, Set,
    TransactionTrait,
};
use secrecy::{ExposeSecret, SecretString};

use super::classification::{self, ClassifyRequest};
use super::filings::{self, ActionRequest};
use super::service_sheets;
use super::{Actor, auth, now};
use crate::config::Settings;
use crate::demo::{self, DemoLedger, DemoStep};
use crate::domain::filing::{Action, DisapprovalGround, Tier as FilingTier};
use crate::domain::role::Role;
use crate::error::Result;
use chrono::NaiveDate;
use entity::{app_user, county, organization, project};

/// The demo accounts: username, role, and for owners the index of their organisation.
pub const DEMO_ACCOUNTS: [(&str, Role, Option<usize>); 9] = [
    ("admin", Role::Admin, None),
    ("leader", Role::Leader, None),
    ("officer1", Role::Officer, None),
    ("officer2", Role::Officer, None),
    ("owner1", Role::Owner, Some(0)),
    ("owner2", Role::Owner, Some(1)),
    ("owner3", Role::Owner, Some(2)),
    ("owner4", Role::Owner, Some(3)),
    ("owner5", Role::Owner, Some(4)),
];

fn display_name(username: &str, role: Role) -> String {
    match role {
        Role::Admin => "系统管理员".into(),
        Role::Leader => "局领导".into(),
        Role::Officer => format!("审批科{}", &username[username.len() - 1..]),
        Role::Owner => format!("建设单位联系人{}", &username[username.len() - 1..]),
    }
}

/// True when the database holds no accounts and no projects.
pub async fn database_is_empty<C: ConnectionTrait>(db: &C) -> Result<bool> {
    Ok(app_user::Entity::find().count(db).await? == 0
        && project::Entity::find().count(db).await? == 0)
}

/// Loads the demo ledger and accounts if the database is empty; returns whether it did.
#[tracing::instrument(name = "demo::load_if_empty", skip_all)]
pub async fn load_if_empty(db: &DatabaseConnection, settings: &Settings) -> Result<bool> {
    if !database_is_empty(db).await? {
        return Ok(false);
    }
    load(db, settings, &demo::generate(), &settings.demo.password).await?;
    Ok(true)
}

#[tracing::instrument(name = "demo::load", skip_all, fields(projects = ledger.projects.len()))]
pub async fn load(
    db: &DatabaseConnection,
    settings: &Settings,
    ledger: &DemoLedger,
    password: &SecretString,
) -> Result<()> {
    let mut hashes = Vec::with_capacity(DEMO_ACCOUNTS.len());
    for _ in DEMO_ACCOUNTS {
        hashes.push(auth::hash_password(password.expose_secret().to_owned()).await?);
    }
    let txn = db.begin().await?;
    let county_ids: std::collections::HashMap<String, i64> = county::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|c| (c.code, c.id))
        .collect();

    let mut org_ids = Vec::with_capacity(ledger.organizations.len());
    for o in &ledger.organizations {
        let row = organization::ActiveModel {
            name: Set(o.name.clone()),
            credit_code: Set(o.credit_code.clone()),
            contact_name: Set(Some(o.contact_name.clone())),
            contact_phone: Set(Some(o.contact_phone.clone())),
            contact_email: Set(Some(o.contact_email.clone())),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        org_ids.push(row.id);
    }

    let mut officer_ids = Vec::new();
    for ((username, role, org), hash) in DEMO_ACCOUNTS.into_iter().zip(hashes) {
        let organization_id = org.map(|i| org_ids[i]);
        let user = app_user::ActiveModel {
            username: Set(username.to_owned()),
            display_name: Set(display_name(username, role)),
            password_hash: Set(hash),
            role: Set(role),
            organization_id: Set(organization_id),
            email: Set(Some(format!("{username}@demo.eiaflow.example.cn"))),
            supervisor_id: Set(None),
            active: Set(true),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        if role == Role::Officer {
            officer_ids.push(user.id);
        }
    }

    let mut steps: Vec<(NaiveDate, i64, Actor, &DemoStep)> = Vec::new();
    let mut open = std::collections::HashMap::new();
    for (i, p) in ledger.projects.iter().enumerate() {
        let organization_id = org_ids[p.organization];
        let county_id = *county_ids
            .get(p.county_code)
            .ok_or_else(|| anyhow::anyhow!("demo county {} is not loaded", p.county_code))?;
        let officer = officer_ids[i % officer_ids.len()];
        let row = project::ActiveModel {
            name: Set(p.name.clone()),
            project_code: Set(p.project_code.clone()),
            organization_id: Set(organization_id),
            county_id: Set(county_id),
            provincial: Set(p.provincial),
            municipal: Set(p.municipal),
            industry: Set(p.industry.to_owned()),
            total_investment: Set(p.investment_hundredths),
            point_to_point: Set(p.point_to_point),
            built_before_approval: Set(p.built_before_approval),
            penalty_settled: Set(p.penalty_settled),
            listed_on: Set(p.listed_on),
            status_verified_on: Set(Some(p.status_verified_on)),
            description: Set(None),
            current_tier: Set(None),
            current_classification_id: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;

        // Every demo decision goes through the catalogue engine, as an officer's would.
        let c = &p.classification;
        let request = ClassifyRequest {
            rows: c.rows.iter().map(|&r| i64::from(r)).collect(),
            facts: c.facts.as_object().cloned().unwrap_or_default(),
            clauses: c.manual_clauses.clone(),
            policy_exemption: c.policy_exemption.clone(),
            ..Default::default()
        };
        let result = classification::evaluate(&txn, &request).await?;
        if result.tier != c.tier {
            return Err(anyhow::anyhow!(
                "demo project {} classifies as {} but the ledger says {}",
                p.name,
                result.tier.as_str(),
                c.tier.as_str()
            )
            .into());
        }
        let officer_actor = Actor {
            id: Some(officer),
            username: String::new(),
            role: Role::Officer,
            organization_id: None,
        };
        classification::record(&txn, &officer_actor, &row, &request, &result, c.decided_on).await?;

        if let Some(f) = &p.filing {
            let tier = FilingTier::try_from(f.tier)
                .map_err(|_| anyhow::anyhow!("demo project {} files for an exempt tier", p.name))?;
            let draft = filings::insert_draft(&txn, &officer_actor, row.id, tier).await?;
            for step in &f.steps {
                steps.push((step.on, draft.id, officer_actor.clone(), step));
            }
            open.insert(draft.id, (draft, row.clone(), Vec::new()));
        }
        if p.point_to_point {
            demo_sheet(
                &txn,
                &officer_actor,
                &row,
                &ledger.organizations[p.organization],
            )
            .await?;
        }
    }

    // The history goes through the same actions an officer takes, in date order across the
    // whole ledger, so decision and receipt numbers run in the order they were issued.
    steps.sort_by_key(|(on, filing_id, _, _)| (*on, *filing_id));
    for (on, filing_id, actor, step) in steps {
        let (filing, project, events) = open
            .get_mut(&filing_id)
            .ok_or_else(|| anyhow::anyhow!("demo filing {filing_id} missing"))?;
        let mut request = demo_request(step, on, filing.version)?;
        if request.action == Action::Resubmit {
            let asked = filings::last_missing_items(events).unwrap_or_default();
            request.answers = asked.iter().map(|item| format!("已补充：{item}")).collect();
        }
        let event =
            filings::apply(&txn, settings, &actor, filing, project, events, &request).await?;
        filing.state = event.to_state;
        filing.version += 1;
        events.push(event);
    }
    txn.commit().await?;
    tracing::info!(
        organizations = ledger.organizations.len(),
        projects = ledger.projects.len(),
        "loaded the demo ledger"
    );
    Ok(())
}

/// The request an officer would send to record a demo step from the paper file.
fn demo_request(step: &DemoStep, on: NaiveDate, version: i32) -> Result<ActionRequest> {
    let action: Action = step
        .action
        .parse()
        .map_err(|_| anyhow::anyhow!("demo step has unknown action {}", step.action))?;
    let reason = step.reason.clone();
    let mut request = ActionRequest {
        action,
        version,
        effective_on: Some(on),
        reason: None,
        missing_items: Vec::new(),
        answers: Vec::new(),
        grounds: Vec::new(),
        decision_text: None,
        evaluator: None,
        on_behalf_of_owner: step.actor == "owner",
        number: step.decision_no.clone(),
    };
    match action {
        Action::RequestCorrection => {
            request.missing_items = reason
                .iter()
                .flat_map(|r| r.split('；'))
                .map(|item| item.trim().trim_end_matches('。').to_owned())
                .filter(|item| !item.is_empty())
                .collect();
        }
        Action::Refuse | Action::Withdraw => request.reason = reason,
        Action::Disapprove => {
            let text = reason.unwrap_or_default();
            request.grounds = DisapprovalGround::ALL
                .into_iter()
                .filter(|g| text.contains(&g.citation()))
                .collect();
            request.reason = Some(text);
        }
        _ => {}
    }
    Ok(request)
}

/// The point-to-point service sheet of a demo project: the usual four services, all delivered
/// on time in 2022–2023, signed off by the owner.
async fn demo_sheet<C: sea_orm::ConnectionTrait>(
    txn: &C,
    officer: &Actor,
    project: &project::Model,
    org: &demo::DemoOrganization,
) -> Result<()> {
    use crate::domain::point_to_point::{ItemKind, ItemStatus};
    use chrono::Duration;
    use sea_orm::{ColumnTrait, QueryFilter, sea_query::Expr};
    let start = project.listed_on;
    let items = [
        (
            ItemKind::PreApplicationConsultation,
            "环评前期咨询：明确环评类别、编制要求和审批流程",
            10,
        ),
        (
            ItemKind::DocumentGuidance,
            "指导环评文件编制，提前介入审查要点",
            40,
        ),
        (
            ItemKind::EvaluationCoordination,
            "协调技术评估机构，压缩评估时间",
            80,
        ),
        (
            ItemKind::FastTrackDecision,
            "开通审批绿色通道，承诺时限内作出审批决定",
            120,
        ),
    ]
    .into_iter()
    .map(|(kind, description, days)| service_sheets::NewItem {
        kind,
        description: description.into(),
        promised_on: start + Duration::days(days),
    })
    .collect();
    let sheet = service_sheets::insert_sheet(
        txn,
        officer,
        project,
        officer
            .id
            .ok_or_else(|| anyhow::anyhow!("demo officer without id"))?,
        &service_sheets::NewSheet {
            officer_id: officer.id,
            bureau_contact_name: Some("商洛市生态环境局环评科".into()),
            bureau_contact_phone: Some("0914-2313000".into()),
            owner_contact_name: Some(org.contact_name.clone()),
            owner_contact_phone: Some(org.contact_phone.clone()),
            owner_contact_email: Some(org.contact_email.clone()),
            items,
        },
    )
    .await?;
    entity::service_item::Entity::update_many()
        .col_expr(
            entity::service_item::Column::Status,
            Expr::value(ItemStatus::Done.as_str()),
        )
        .col_expr(
            entity::service_item::Column::DoneOn,
            Expr::col(entity::service_item::Column::PromisedOn),
        )
        .col_expr(
            entity::service_item::Column::Evidence,
            Expr::value("已按承诺时限办结"),
        )
        .filter(entity::service_item::Column::SheetId.eq(sheet.id))
        .exec(txn)
        .await?;
    entity::service_sheet::Entity::update_many()
        .col_expr(
            entity::service_sheet::Column::SignedOffAt,
            Expr::value(now()),
        )
        .col_expr(
            entity::service_sheet::Column::SignOffNote,
            Expr::value("服务到位，确认签收"),
        )
        .filter(entity::service_sheet::Column::Id.eq(sheet.id))
        .exec(txn)
        .await?;
    Ok(())
}

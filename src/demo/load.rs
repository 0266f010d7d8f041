//! Loads the demo ledger into an empty database as its accounts would have entered it: the
//! administrator registers the owners and opens the accounts; each project's officer lists it,
//! classifies it, records its filing's history from the paper file and keeps its service sheet.
//! Every row comes from a service call, with the audit event a user's change writes.
use std::collections::HashMap;
use std::time::Instant;

use sea_orm::{DatabaseConnection, TransactionTrait};
use secrecy::{ExposeSecret, SecretString};

use super::data::{By, Ledger, Project};
use crate::config::Settings;
use crate::domain::filing::{Action, Tier as FilingTier};
use crate::domain::point_to_point::ItemStatus;
use crate::domain::role::Role;
use crate::error::{Error, Result};
use crate::services::classification::{self, ClassifyRequest};
use crate::services::filings::{self, ActionRequest};
use crate::services::organizations::{self, NewOrganization};
use crate::services::projects::{self, NewProject};
use crate::services::service_sheets::{self, ItemPatch, NewItem, NewSheet, SignOff};
use crate::services::users::{self, NewUser};
use crate::services::{self, Actor};

/// Why the demo's paper submissions carry no uploads: the file is on paper in the archive.
const PAPER_MATERIALS: &str = "纸质申报材料已存档（历史台账补录）";

/// Loads the demo ledger and accounts if the database holds no accounts and no projects;
/// returns whether it did.
pub async fn load_if_empty(db: &DatabaseConnection, settings: &Settings) -> Result<bool> {
    if !services::holds_no_accounts_or_projects(db).await? {
        return Ok(false);
    }
    load(db, settings, &super::ledger()?, &settings.demo.password).await?;
    Ok(true)
}

/// An error that names the record it came from: a service's 422 alone ("输入有误") would not
/// say which of 239 projects the file gets wrong.
fn about(what: &str, name: &str) -> impl FnOnce(Error) -> Error {
    let record = format!("demo ledger, {what} “{name}”");
    move |e| match e {
        Error::Invalid(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect();
            anyhow::anyhow!("{record}: {}", fields.join("; ")).into()
        }
        Error::Internal(e) => Error::Internal(e.context(record)),
        other => anyhow::anyhow!("{record}: {other}").into(),
    }
}

fn missing(what: &str, name: &str) -> Error {
    anyhow::anyhow!("demo ledger: no {what} “{name}”").into()
}

pub async fn load(
    db: &DatabaseConnection,
    settings: &Settings,
    ledger: &Ledger,
    password: &SecretString,
) -> Result<()> {
    let started = Instant::now();
    let txn = db.begin().await?;

    // The first administrator is opened by the system, as `eiaflow user create` would; the
    // others by that administrator. Owners' accounts wait for their organisations.
    let mut admin = Actor::system();
    let mut accounts: HashMap<&str, Actor> = HashMap::new();
    let mut org_ids: HashMap<&str, i64> = HashMap::new();
    for owners in [false, true] {
        if owners {
            for o in &ledger.organizations {
                let org = organizations::create_in(
                    &txn,
                    &admin,
                    NewOrganization {
                        name: o.name.clone(),
                        credit_code: o.credit_code.clone(),
                        contact_name: Some(o.contact_name.clone()),
                        contact_phone: Some(o.contact_phone.clone()),
                        contact_email: Some(o.contact_email.clone()),
                    },
                )
                .await
                .map_err(about("organisation", &o.name))?;
                org_ids.insert(&o.name, org.id);
            }
        }
        for a in ledger
            .accounts
            .iter()
            .filter(|a| (a.role == Role::Owner) == owners)
        {
            let organization_id = match &a.organization {
                Some(name) => Some(
                    *org_ids
                        .get(name.as_str())
                        .ok_or_else(|| missing("organisation", name))?,
                ),
                None => None,
            };
            let user = users::create_in(
                &txn,
                &admin,
                NewUser {
                    username: a.username.clone(),
                    password: password.expose_secret().to_owned(),
                    role: a.role,
                    display_name: Some(a.display_name.clone()),
                    organization_id,
                    email: Some(a.email.clone()),
                    office_phone: None,
                },
            )
            .await
            .map_err(about("account", &a.username))?;
            let actor = Actor {
                id: Some(user.id),
                username: a.username.clone(),
                role: a.role,
                organization_id: user.organization_id,
            };
            if a.role == Role::Admin && admin.id.is_none() {
                admin = actor.clone();
            }
            accounts.insert(&a.username, actor);
        }
    }
    let officer_of = |p: &Project| -> Result<&Actor> {
        accounts
            .get(p.officer.as_str())
            .filter(|a| a.role == Role::Officer)
            .ok_or_else(|| missing("officer", &p.officer))
    };

    let mut steps = Vec::new();
    let mut open = HashMap::new();
    let mut sheets = Vec::new();
    for p in &ledger.projects {
        let officer = officer_of(p)?;
        let organization_id = *org_ids
            .get(p.organization.as_str())
            .ok_or_else(|| missing("organisation", &p.organization))?;
        let project = projects::create_in(
            &txn,
            officer,
            NewProject {
                name: p.name.clone(),
                project_code: p.project_code.clone(),
                organization_id,
                county: p.county.clone(),
                provincial: p.provincial,
                municipal: p.municipal,
                industry: p.industry.clone(),
                total_investment_wan: p.total_investment_wan,
                point_to_point: p.point_to_point,
                built_before_approval: p.built_before_approval,
                penalty_settled: p.penalty_settled,
                listed_on: Some(p.listed_on),
                status_verified_on: Some(p.status_verified_on),
                description: None,
                cross_county_reason: None,
            },
        )
        .await
        .map_err(about("project", &p.name))?;

        // The same two calls as `PUT /projects/{id}/classification`, so the catalogue engine
        // decides every demo tier and the file only states what it must come to.
        let c = &p.classification;
        let request = ClassifyRequest {
            rows: c.rows.iter().map(|&r| i64::from(r)).collect(),
            facts: c.facts.clone(),
            clauses: c.clauses.clone(),
            policy_exemption: c.policy_exemption.clone(),
            decided_on: Some(c.decided_on),
            ..Default::default()
        };
        let result = classification::evaluate(&txn, &request)
            .await
            .map_err(about("project", &p.name))?;
        if result.tier != c.tier {
            return Err(anyhow::anyhow!(
                "demo ledger, project “{}”: classifies as {} but the file says {}",
                p.name,
                result.tier,
                c.tier
            )
            .into());
        }
        classification::record(&txn, officer, &project, &request, &result, c.decided_on)
            .await
            .map_err(about("project", &p.name))?;

        if let Some(f) = &p.filing {
            let tier = FilingTier::try_from(result.tier).map_err(|_| {
                anyhow::anyhow!(
                    "demo ledger, project “{}”: an exempt project has no filing",
                    p.name
                )
            })?;
            let draft = filings::insert_draft(&txn, officer, project.id, tier).await?;
            steps.extend(f.steps.iter().map(|s| (s.on, draft.id, p, s)));
            open.insert(draft.id, (draft, project.clone(), Vec::new()));
        }
        if let Some(sheet) = &p.service_sheet {
            let officer_id = officer.id.ok_or_else(|| missing("officer", &p.officer))?;
            let input = NewSheet {
                officer_id: Some(officer_id),
                bureau_contact_name: Some(sheet.bureau_contact_name.clone()),
                bureau_contact_phone: Some(sheet.bureau_contact_phone.clone()),
                owner_contact_name: Some(sheet.owner_contact_name.clone()),
                owner_contact_phone: Some(sheet.owner_contact_phone.clone()),
                owner_contact_email: Some(sheet.owner_contact_email.clone()),
                items: sheet
                    .items
                    .iter()
                    .map(|i| NewItem {
                        kind: i.kind,
                        description: i.description.clone(),
                        promised_on: i.promised_on,
                    })
                    .collect(),
            };
            let row = service_sheets::insert_sheet(&txn, officer, &project, officer_id, &input)
                .await
                .map_err(about("project", &p.name))?;
            sheets.push((row.id, organization_id, p));
        }
    }

    // In date order across the whole ledger, so the receipt numbers the system issues run in
    // the order the bureau issued them.
    steps.sort_by_key(|(on, filing_id, _, _)| (*on, *filing_id));
    for (on, filing_id, p, step) in steps {
        let (filing, project, events) = open
            .get_mut(&filing_id)
            .ok_or_else(|| missing("filing of", &p.name))?;
        let request = ActionRequest {
            action: step.action,
            version: filing.version,
            effective_on: Some(on),
            reason: step.reason.clone(),
            missing_items: step.missing_items.clone(),
            answers: step.answers.clone(),
            grounds: step.grounds.clone(),
            decision_text: None,
            evaluator: None,
            on_behalf_of_owner: step.by == By::Owner,
            number: step.number.clone(),
            basis: Vec::new(),
            materials_waived: matches!(step.action, Action::Submit | Action::Resubmit)
                .then(|| PAPER_MATERIALS.to_owned()),
            source: None,
        };
        let event = filings::apply(
            &txn,
            settings,
            officer_of(p)?,
            filing,
            project,
            events,
            &request,
        )
        .await
        .map_err(about(
            "project",
            &format!("{} ({} on {on})", p.name, step.action),
        ))?;
        filing.state = event.to_state;
        filing.version += 1;
        events.push(event);
    }
    // Items delivered and sheets signed off, as the officer and the owner record them; the owner
    // signs where the ledger gives it an account, the other sheets stay unsigned.
    let owners: HashMap<i64, &Actor> = accounts
        .values()
        .filter(|a| a.role == Role::Owner)
        .filter_map(|a| Some((a.organization_id?, a)))
        .collect();
    for (sheet_id, organization_id, p) in sheets {
        let officer = officer_of(p)?;
        let Some(planned) = &p.service_sheet else {
            continue;
        };
        let stored = service_sheets::get(&txn, officer, sheet_id).await?;
        for item in &stored.items {
            let Some(done) = planned.items.iter().find(|i| {
                i.kind == item.kind
                    && i.promised_on == item.promised_on
                    && i.description == item.description
            }) else {
                continue;
            };
            let Some(done_on) = done.done_on else {
                continue;
            };
            service_sheets::update_item_in(
                &txn,
                settings,
                officer,
                item.id,
                &ItemPatch {
                    version: item.version,
                    status: Some(ItemStatus::Done),
                    description: None,
                    promised_on: None,
                    evidence: done.evidence.clone(),
                    done_on: Some(done_on),
                    cancel_reason: None,
                },
            )
            .await
            .map_err(about("service sheet of", &p.name))?;
        }
        if let (Some(note), Some(owner)) = (&planned.sign_off_note, owners.get(&organization_id)) {
            service_sheets::sign_off_in(
                &txn,
                owner,
                sheet_id,
                &SignOff {
                    version: stored.version,
                    note: Some(note.clone()),
                },
            )
            .await
            .map_err(about("service sheet of", &p.name))?;
        }
    }

    txn.commit().await?;
    tracing::info!(
        organizations = ledger.organizations.len(),
        projects = ledger.projects.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "loaded the demo ledger"
    );
    Ok(())
}

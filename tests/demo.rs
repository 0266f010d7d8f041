//! The demo ledger goes in through the services: every record it creates has the audit event a
//! user's change would have, and a load that fails part-way leaves nothing behind.
mod common;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use common::{PG_URL_VAR, TestApp};
use sea_orm::{ColumnTrait, ConnectionTrait, Database, EntityTrait, PaginatorTrait, QueryFilter};

use eiaflow::config::Settings;
use eiaflow::domain::filing::RecordedFor;
use eiaflow::domain::role::ActorRole;
use entity::{app_user, audit_event, filing_event, organization, project};

async fn the_loader_audits_what_it_creates(app: TestApp) {
    let ledger = eiaflow::demo::ledger().unwrap();
    let events = audit_event::Entity::find().all(&app.db).await.unwrap();
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for e in &events {
        *counts.entry((&e.entity, &e.action)).or_default() += 1;
    }
    let count = |entity, action| counts.get(&(entity, action)).copied().unwrap_or(0);
    let sheets = ledger
        .projects
        .iter()
        .filter_map(|p| p.service_sheet.as_ref());
    let items: usize = sheets.clone().map(|s| s.items.len()).sum();
    assert_eq!(count("user", "create"), ledger.accounts.len());
    assert_eq!(count("organization", "create"), ledger.organizations.len());
    assert_eq!(count("project", "create"), ledger.projects.len());
    assert_eq!(count("project", "classify"), ledger.projects.len());
    assert_eq!(count("filing", "create"), 158);
    assert_eq!(count("service_sheet", "create"), 59);
    assert_eq!(count("service_sheet", "update_item"), items);
    assert!(count("service_sheet", "sign_off") >= 5, "{counts:?}");

    // Each project was created and classified by the officer who keeps it.
    let users: BTreeMap<i64, String> = app_user::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|u| (u.id, u.username))
        .collect();
    let projects = project::Entity::find().all(&app.db).await.unwrap();
    for action in ["create", "classify"] {
        let audited: BTreeMap<i64, &audit_event::Model> = events
            .iter()
            .filter(|e| e.entity == "project" && e.action == action)
            .map(|e| (e.entity_id, e))
            .collect();
        for p in &projects {
            let e = audited
                .get(&p.id)
                .unwrap_or_else(|| panic!("{} not {action}d", p.name));
            let officer = &ledger
                .projects
                .iter()
                .find(|d| d.name == p.name)
                .unwrap()
                .officer;
            assert_eq!(e.actor_role, ActorRole::Officer);
            assert_eq!(e.actor_id.and_then(|id| users.get(&id)), Some(officer));
        }
    }
    // The first account is opened by the system, every other record by a demo account.
    let by_system: Vec<&audit_event::Model> = events
        .iter()
        .filter(|e| {
            e.actor_id.is_none() && ["user", "organization", "project"].contains(&e.entity.as_str())
        })
        .collect();
    assert_eq!(by_system.len(), 1, "{by_system:?}");

    // Every step is in the filings' own trail, owners' steps marked as recorded for them.
    let steps = filing_event::Entity::find().all(&app.db).await.unwrap();
    let expected: usize = ledger
        .projects
        .iter()
        .filter_map(|p| p.filing.as_ref())
        .map(|f| f.steps.len())
        .sum();
    assert_eq!(steps.len(), expected);
    assert!(steps.iter().all(|e| e.actor_role == ActorRole::Officer));
    let for_owner = steps
        .iter()
        .filter(|e| e.detail.recorded_for == Some(RecordedFor::Owner))
        .count();
    let owner_steps = ledger
        .projects
        .iter()
        .filter_map(|p| p.filing.as_ref())
        .flat_map(|f| &f.steps)
        .filter(|s| s.by == eiaflow::demo::data::By::Owner)
        .count();
    assert_eq!(for_owner, owner_steps);
}

on_both_backends!(demo; the_loader_audits_what_it_creates);

/// Settings for a database the test prepares itself, with the demo ledger off.
fn settings(url: &str, data_dir: &Path) -> Settings {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let vars = [
        ("EIAFLOW__DATABASE__URL", url.to_owned()),
        ("EIAFLOW__DATA__DIR", data_dir.display().to_string()),
        ("EIAFLOW__DEMO__ENABLED", "false".to_owned()),
        ("EIAFLOW__DEMO__PASSWORD", common::DEMO_PASSWORD.to_owned()),
    ]
    .map(|(k, v)| (k.to_owned(), v));
    Settings::load_from(&dir, None, vars).expect("test settings")
}

/// A ledger whose last project the catalogue rules classify otherwise than the file says, so
/// the load fails after everything before it went in.
async fn a_failed_load_leaves_nothing(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(url, dir.path());
    let db = eiaflow::db::connect(&settings).await.unwrap();
    eiaflow::db::migrate(&db).await.unwrap();
    eiaflow::services::bootstrap(&db, &settings).await.unwrap();
    let audited = audit_event::Entity::find().count(&db).await.unwrap();

    let mut ledger = eiaflow::demo::ledger().unwrap();
    let last = ledger.projects.last_mut().unwrap();
    last.classification.tier = match last.classification.tier {
        eiaflow::domain::ledger::Tier::Report => eiaflow::domain::ledger::Tier::ReportForm,
        _ => eiaflow::domain::ledger::Tier::Report,
    };
    let name = last.name.clone();
    let error = eiaflow::demo::load(&db, &settings, &ledger, &settings.demo.password)
        .await
        .expect_err("the file's tier disagrees with the rules");
    assert!(error.to_string().contains(&name), "{error}");

    assert_eq!(app_user::Entity::find().count(&db).await.unwrap(), 0);
    assert_eq!(organization::Entity::find().count(&db).await.unwrap(), 0);
    assert_eq!(project::Entity::find().count(&db).await.unwrap(), 0);
    assert_eq!(
        audit_event::Entity::find().count(&db).await.unwrap(),
        audited
    );
    // Still empty, so the next start loads the ledger.
    assert!(eiaflow::demo::load_if_empty(&db, &settings).await.unwrap());
    let names: HashSet<String> = project::Entity::find()
        .filter(project::Column::Name.eq(name.as_str()))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names.len(), 1);
}

mod a_failed_load_leaves_the_database_empty {
    use super::*;

    #[tokio::test]
    async fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/eiaflow.db?mode=rwc", dir.path().display());
        a_failed_load_leaves_nothing(&url).await;
    }

    #[tokio::test]
    async fn postgres() {
        let Ok(base) = std::env::var(PG_URL_VAR) else {
            eprintln!("{PG_URL_VAR} is not set: skipping the PostgreSQL run of this case");
            return;
        };
        let name = format!("eiaflow_test_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(&base).await.unwrap();
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        let url = common::replace_database(&base, &name);
        a_failed_load_leaves_nothing(&url).await;
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .unwrap();
    }
}

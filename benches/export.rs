//! `cargo bench --bench export`: the ledger export at two sizes (2,000 and 20,000 generated
//! projects in a temporary SQLite database): its time and the growth of the process's peak
//! memory (VmHWM, reset before each run through /proc/self/clear_refs) side by side, to show
//! that the export's memory does not grow with its rows. Bounded: two exports, then it stops.
use std::path::Path;
use std::time::Instant;

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveValue::NotSet, EntityTrait, Set};

use eiaflow::config::Settings;
use eiaflow::services::projects::{ProjectQuery, ProjectSort};
use eiaflow::services::{Actor, ledger_export};

const SIZES: [usize; 2] = [2_000, 20_000];

/// A field of /proc/self/status in KiB (VmRSS, VmHWM); 0 where there is none.
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// Resets the peak (VmHWM) to the current resident size.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

async fn add_projects(db: &sea_orm::DatabaseConnection, from: usize, to: usize, org: i64) {
    let counties = entity::county::Entity::find()
        .all(db)
        .await
        .expect("counties");
    let industries = eiaflow::domain::ledger::INDUSTRIES;
    let listed = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    let now = Utc::now();
    let mut batch = Vec::new();
    for i in from..to {
        let county = &counties[i % counties.len()];
        let name = format!("生成项目{i:05}号道路改扩建工程");
        batch.push(entity::project::ActiveModel {
            id: NotSet,
            name_sort_key: Set(eiaflow::domain::sort_key::pinyin_key(&name)),
            name: Set(name),
            project_code: Set(format!("2301-{}-04-01-{:06}", county.code, i)),
            organization_id: Set(org),
            county_id: Set(county.id),
            provincial: Set(i % 3 == 0),
            municipal: Set(true),
            industry: Set(industries[i % industries.len()].0.to_owned()),
            total_investment: Set(100_000 + (i as i64) * 137),
            point_to_point: Set(i % 4 == 0),
            built_before_approval: Set(false),
            penalty_settled: Set(false),
            listed_on: Set(listed),
            status_verified_on: Set(None),
            description: Set(Some("新建道路12公里，配套排水、照明和绿化工程".to_owned())),
            current_tier: Set(None),
            current_classification_id: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            removed_at: Set(None),
            removed_by: Set(None),
            removed_reason: Set(None),
            cross_county_reason: Set(None),
        });
        if batch.len() == 500 {
            entity::project::Entity::insert_many(std::mem::take(&mut batch))
                .exec(db)
                .await
                .expect("insert projects");
        }
    }
    if !batch.is_empty() {
        entity::project::Entity::insert_many(batch)
            .exec(db)
            .await
            .expect("insert projects");
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/eiaflow.db?mode=rwc", dir.path().display());
    let vars = [
        ("EIAFLOW__DATABASE__URL".to_string(), url),
        (
            "EIAFLOW__DATA__DIR".to_string(),
            dir.path().display().to_string(),
        ),
        ("EIAFLOW__DEMO__ENABLED".to_string(), "false".to_string()),
        ("EIAFLOW__LOG__LEVEL".to_string(), "warn".to_string()),
    ];
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let settings = Settings::load_from(&config, None, vars).expect("settings");
    let db = eiaflow::db::connect(&settings).await.expect("connect");
    eiaflow::db::migrate(&db).await.expect("migrate");
    eiaflow::services::bootstrap(&db, &settings)
        .await
        .expect("bootstrap");
    let now = Utc::now();
    let org = entity::organization::Entity::insert(entity::organization::ActiveModel {
        id: NotSet,
        name: Set("商洛市生成数据建设有限公司".to_owned()),
        credit_code: Set("91350100M000100Y43".to_owned()),
        contact_name: Set(None),
        contact_phone: Set(None),
        contact_email: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec(&db)
    .await
    .expect("organisation")
    .last_insert_id;

    println!();
    println!(
        "{:>8} {:>12} {:>12} {:>16}",
        "projects", "time", "file", "peak growth"
    );
    let mut results = Vec::new();
    let mut have = 0;
    for size in SIZES {
        add_projects(&db, have, size, org).await;
        have = size;
        reset_peak();
        let before = status_kib("VmRSS:");
        let started = Instant::now();
        let file = ledger_export::ledger(
            &db,
            &settings,
            &Actor::system(),
            ProjectQuery::default(),
            ProjectSort::Name,
            false,
        )
        .await
        .expect("export");
        let took = started.elapsed();
        let growth = status_kib("VmHWM:").saturating_sub(before);
        let bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
        println!(
            "{size:>8} {:>9.0} ms {:>9} KiB {:>12} KiB",
            took.as_secs_f64() * 1000.0,
            bytes / 1024,
            growth
        );
        results.push((size, took, growth));
    }
    let (small, large) = (&results[0], &results[1]);
    println!(
        "\n{}× the rows: {:.1}× the time, {:.2}× the peak memory growth ({} KiB → {} KiB)",
        large.0 / small.0,
        large.1.as_secs_f64() / small.1.as_secs_f64(),
        large.2 as f64 / (small.2.max(1)) as f64,
        small.2,
        large.2
    );
}

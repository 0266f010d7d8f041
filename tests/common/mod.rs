//! Test harness: the whole application on a fresh database, driven through its router.
//! Every case runs on SQLite, and on PostgreSQL too when `EIAFLOW_TEST_DATABASE_URL` names a
//! server (each case gets a database of its own there, dropped afterwards).
#![allow(dead_code)]

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::Datelike;
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, EntityTrait, PaginatorTrait};
use serde_json::Value;
use tower::ServiceExt;

use eiaflow::config::Settings;
use eiaflow::http::{AppState, app};

pub const DEMO_PASSWORD: &str = "demo-pass-2023";
pub const PG_URL_VAR: &str = "EIAFLOW_TEST_DATABASE_URL";

pub struct TestApp {
    pub router: Router,
    pub db: DatabaseConnection,
    pub backend: &'static str,
    pub settings: Settings,
    /// The data directory (documents, mail) and, on SQLite, the database file.
    pub dir: tempfile::TempDir,
    pg_cleanup: Option<(String, String)>,
}

fn settings(url: &str, data_dir: &Path) -> Settings {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let vars = [
        ("EIAFLOW__DATABASE__URL".to_string(), url.to_string()),
        (
            "EIAFLOW__DATA__DIR".to_string(),
            data_dir.display().to_string(),
        ),
        // Small enough that a test can exceed it cheaply.
        (
            "EIAFLOW__FILINGS__MAX_UPLOAD_BYTES".to_string(),
            "1048576".to_string(),
        ),
        ("EIAFLOW__DEMO__ENABLED".to_string(), "true".to_string()),
        (
            "EIAFLOW__DEMO__PASSWORD".to_string(),
            DEMO_PASSWORD.to_string(),
        ),
        (
            "EIAFLOW__DATABASE__MAX_CONNECTIONS".to_string(),
            "5".to_string(),
        ),
    ];
    Settings::load_from(&dir, None, vars).expect("test settings")
}

impl TestApp {
    /// A fresh SQLite database in a temporary folder, with the demo ledger loaded.
    pub async fn sqlite() -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}/eiaflow.db?mode=rwc", dir.path().display());
        Self::start(&url, "sqlite", dir).await
    }

    /// A fresh PostgreSQL database, or `None` when no server is configured for tests.
    pub async fn postgres() -> Option<TestApp> {
        let Ok(base) = std::env::var(PG_URL_VAR) else {
            eprintln!("{PG_URL_VAR} is not set: skipping the PostgreSQL run of this case");
            return None;
        };
        let name = format!("eiaflow_test_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(&base)
            .await
            .expect("connect to the test server");
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create a test database");
        admin.close().await.ok();
        let url = replace_database(&base, &name);
        let dir = tempfile::tempdir().expect("temp dir");
        let mut app = Self::start(&url, "postgres", dir).await;
        app.pg_cleanup = Some((base, name));
        Some(app)
    }

    async fn start(url: &str, backend: &'static str, dir: tempfile::TempDir) -> TestApp {
        let settings = settings(url, dir.path());
        let db = eiaflow::db::connect(&settings).await.expect("connect");
        eiaflow::db::migrate(&db).await.expect("migrate");
        eiaflow::services::bootstrap(&db, &settings)
            .await
            .expect("seed divisions, calendar and the demo ledger");
        let router = app(AppState::new(db.clone(), settings.clone()));
        TestApp {
            router,
            db,
            backend,
            settings,
            dir,
            pg_cleanup: None,
        }
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let raw = body.map(|b| b.to_string());
        self.raw(method, path, token, raw.as_deref(), "application/json")
            .await
    }

    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
        content_type: &str,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let req = match body {
            Some(b) => req
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(b.to_owned())),
            None => req.body(Body::empty()),
        }
        .expect("request");
        let res = self.router.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        (status, value)
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.request(Method::GET, path, Some(token), None).await
    }

    pub async fn login(&self, username: &str) -> String {
        let (status, body) = self
            .request(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(serde_json::json!({"username": username, "password": DEMO_PASSWORD})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "login {username}: {body}");
        body["token"].as_str().expect("token").to_owned()
    }

    pub async fn count<E>(&self, _entity: E) -> u64
    where
        E: EntityTrait,
        E::Model: Sync,
    {
        E::find().count(&self.db).await.expect("count")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((base, name)) = self.pg_cleanup.take() {
            // Dropping needs a connection outside the runtime that is shutting down.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    if let Ok(admin) = Database::connect(&base).await {
                        let _ = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

pub fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = base[scheme_end..]
        .find('/')
        .map(|i| scheme_end + i)
        .unwrap_or(base.len());
    let mut out = format!("{}/{}", &base[..host_end], name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// Asserts the API's error shape and returns the error object.
pub fn error_of(body: &Value) -> &Value {
    let error = &body["error"];
    assert!(error["code"].is_string(), "no error code in {body}");
    assert!(error["message"].is_string(), "no error message in {body}");
    assert!(error["fields"].is_array(), "no error fields in {body}");
    error
}

/// The field names an error names.
pub fn error_fields(body: &Value) -> Vec<String> {
    error_of(body)["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Generates a SQLite test and a PostgreSQL test for each async `fn case(app: TestApp)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($case:ident),* $(,)?) => {
        $(
            mod $case {
                #[tokio::test]
                async fn sqlite() {
                    super::$case($crate::common::TestApp::sqlite().await).await
                }
                #[tokio::test]
                async fn postgres() {
                    if let Some(app) = $crate::common::TestApp::postgres().await {
                        super::$case(app).await
                    }
                }
            }
        )*
    };
}

/// Loads a schedule for `year` with no holidays (Monday to Friday worked), unless the calendar
/// holds the year already: tests whose dates run past the official schedules shipped with the
/// program stay true whatever year they run in.
pub async fn load_plain_year(app: &TestApp, year: i32) {
    use sea_orm::{ColumnTrait, QueryFilter};
    let held = entity::holiday_schedule::Entity::find()
        .filter(entity::holiday_schedule::Column::Year.eq(year))
        .one(&app.db)
        .await
        .expect("read the calendar")
        .is_some();
    if held {
        return;
    }
    let schedule = serde_json::json!({"year": year, "papers": ["test: weekdays only"], "days": []});
    eiaflow::services::calendar::store(
        &app.db,
        &eiaflow::services::Actor::system(),
        year,
        &schedule.to_string(),
    )
    .await
    .expect("load a plain year");
}

/// Makes sure the calendar holds every year from the last shipped one up to next year.
pub async fn hold_years_through_next(app: &TestApp) {
    let next = (chrono::Utc::now() + chrono::Duration::hours(8))
        .date_naive()
        .year()
        + 1;
    for year in 2027..=next {
        load_plain_year(app, year).await;
    }
}

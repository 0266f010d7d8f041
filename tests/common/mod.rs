//! Test harness: the whole application on a fresh database, driven through its router.
//! Every case runs on SQLite, and on PostgreSQL too when `EIAFLOW_TEST_DATABASE_URL` names a
//! server (each case gets a database of its own there, dropped afterwards).
//!
//! A case starts either on the demo ledger (239 projects, the demo accounts) or on an empty
//! database that holds only what every installation ships with (Shangluo's divisions, the
//! holiday schedules, the national exemption list) and one administrator, `admin`; the
//! builders in `build` then add the few organisations, accounts, projects and filings the case
//! needs. Either kind of database is made once per test process and copied for each case (a
//! file copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL), so no case pays for
//! migrations or for loading the demo ledger.
#![allow(dead_code)]

pub mod api;
pub mod build;
pub mod server;
pub mod snap;
pub mod web;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use chrono::{Datelike, NaiveDate};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, EntityTrait, PaginatorTrait};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tower::ServiceExt;

use eiaflow::config::Settings;
use eiaflow::http::{AppState, app};

pub use api::ApiError;

/// The password of every account in tests: the demo accounts' and the builders'.
pub const DEMO_PASSWORD: &str = "demo-pass-2023";
pub const PG_URL_VAR: &str = "EIAFLOW_TEST_DATABASE_URL";
/// The administrator every empty database starts with.
pub const ADMIN: &str = "admin";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// What a case's database holds when it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Data {
    /// The synthetic Shangluo ledger and the demo accounts.
    Demo,
    /// What every installation ships with, and the administrator `admin`.
    Empty,
}

pub struct TestApp {
    pub router: Router,
    pub db: DatabaseConnection,
    pub backend: &'static str,
    pub data: Data,
    pub settings: Settings,
    /// The data directory (documents, mail) and, on SQLite, the database file.
    pub dir: tempfile::TempDir,
    /// Numbers for the builders' names and codes: unique within this database, and the same
    /// on every run, so that snapshots of what they build do not change.
    seq: AtomicU32,
    pg_cleanup: Option<(String, String)>,
}

fn settings(url: &str, data_dir: &Path, data: Data) -> Settings {
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
        (
            "EIAFLOW__DEMO__ENABLED".to_string(),
            (data == Data::Demo).to_string(),
        ),
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

// ---------------------------------------------------------------------------------------------
// Template databases, one of each kind per test process
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Templates {
    sqlite: BTreeMap<Data, tempfile::TempDir>,
    postgres: BTreeMap<Data, String>,
    /// Cases running now. When the last one ends the templates go too (a static is never
    /// dropped, so this is the only moment left to tidy up); a later case makes them again.
    live: usize,
    /// The PostgreSQL server of the templates, for dropping them.
    pg_base: Option<String>,
    /// Cases' PostgreSQL databases being dropped.
    dropping: Vec<std::thread::JoinHandle<()>>,
    /// PostgreSQL copies being made ahead of the cases that will take them: a copy takes a
    /// good part of a second, most of it waiting for the disk, which a running case need not.
    making: Vec<(Data, std::thread::JoinHandle<String>)>,
}

/// PostgreSQL copies of each kind made ahead, for the cases that start next.
const AHEAD: usize = 2;

static TEMPLATES: Mutex<Templates> = Mutex::new(Templates {
    sqlite: BTreeMap::new(),
    postgres: BTreeMap::new(),
    live: 0,
    pg_base: None,
    dropping: Vec::new(),
    making: Vec::new(),
});

fn templates() -> MutexGuard<'static, Templates> {
    // A case that panicked while holding the lock leaves the templates as they were.
    TEMPLATES.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `work` to completion on a runtime of its own, on a thread of its own: the template
/// databases outlive the runtime of the case that made them, and a case's runtime may not
/// block on another.
fn on_own_runtime<T: Send + 'static>(
    work: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(work)
    })
    .join()
    .expect("template work")
}

/// Migrates, seeds what every installation gets and, for `Data::Demo`, the demo ledger; for
/// `Data::Empty`, adds the administrator.
async fn prepare(url: String, data: Data) {
    let scratch = tempfile::tempdir().expect("temp dir");
    let settings = settings(&url, scratch.path(), data);
    let db = eiaflow::db::connect(&settings).await.expect("connect");
    eiaflow::db::migrate(&db).await.expect("migrate");
    let loaded = eiaflow::services::bootstrap(&db, &settings)
        .await
        .expect("seed divisions, calendar and exemptions");
    assert_eq!(loaded, data == Data::Demo, "the demo ledger as asked");
    if data == Data::Empty {
        // As `eiaflow user create --role admin` does on a new installation.
        eiaflow::services::users::create(
            &db,
            &eiaflow::services::Actor::system(),
            eiaflow::services::users::NewUser {
                username: ADMIN.into(),
                password: DEMO_PASSWORD.into(),
                role: eiaflow::domain::role::Role::Admin,
                display_name: Some("系统管理员".into()),
                organization_id: None,
                email: Some(format!("{ADMIN}@test.eiaflow.example.cn")),
                office_phone: None,
            },
        )
        .await
        .expect("the administrator");
    }
    // Every account signs in with a hash made with the cheapest argon2 parameters (the stored
    // hash names its parameters, and verifying follows them): a login then costs next to
    // nothing, where the default parameters cost tens of milliseconds per login, and a case
    // signs in several people. Accounts made through the API keep the real cost.
    use sea_orm::sea_query::Expr;
    entity::app_user::Entity::update_many()
        .col_expr(
            entity::app_user::Column::PasswordHash,
            Expr::value(cheap_password_hash()),
        )
        .exec(&db)
        .await
        .expect("cheap password hashes");
    if url.starts_with("sqlite:") {
        // The file alone is copied: everything must be in it, none left in the write-ahead log.
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await
            .expect("checkpoint the template");
    }
    db.close().await.expect("close the template");
}

/// An argon2id hash of `DEMO_PASSWORD` with the smallest parameters argon2 allows.
pub fn cheap_password_hash() -> &'static str {
    use argon2::password_hash::{PasswordHasher, SaltString};
    use argon2::{Algorithm, Argon2, Params, Version};
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let params = Params::new(
            Params::MIN_M_COST,
            Params::MIN_T_COST,
            Params::MIN_P_COST,
            None,
        )
        .expect("argon2 parameters");
        let salt = SaltString::encode_b64(b"eiaflow tests").expect("a salt");
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(DEMO_PASSWORD.as_bytes(), &salt)
            .expect("a password hash")
            .to_string()
    })
}

fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}/eiaflow.db?mode=rwc", dir.display())
}

/// A new SQLite database of the kind asked for, in `dir`.
fn sqlite_copy(data: Data, dir: &Path) {
    let mut t = templates();
    let template = t.sqlite.entry(data).or_insert_with(|| {
        let template = tempfile::tempdir().expect("temp dir");
        on_own_runtime(prepare(sqlite_url(template.path()), data));
        template
    });
    let from = template.path().join("eiaflow.db");
    std::fs::copy(&from, dir.join("eiaflow.db")).expect("copy the template database");
    t.live += 1;
}

/// A new PostgreSQL database of the kind asked for, on the server at `base`; returns its name.
fn postgres_copy(base: &str, data: Data) -> String {
    let mut t = templates();
    t.pg_base = Some(base.to_owned());
    let template = t
        .postgres
        .entry(data)
        .or_insert_with(|| {
            let name = format!("eiaflow_template_{}", uuid::Uuid::new_v4().simple());
            let (server, template) = (base.to_owned(), name.clone());
            on_own_runtime(async move {
                execute(&server, &format!("CREATE DATABASE {template}")).await;
                prepare(replace_database(&server, &template), data).await;
            });
            name
        })
        .clone();
    // The oldest copy being made of this kind, or a new one; then as many more set going as
    // the next cases will want.
    let next = match t.making.iter().position(|(kind, _)| *kind == data) {
        Some(i) => t.making.remove(i).1,
        None => make_copy(base, &template),
    };
    while t.making.iter().filter(|(kind, _)| *kind == data).count() < AHEAD {
        let copy = make_copy(base, &template);
        t.making.push((data, copy));
    }
    let name = next.join().expect("a copy of the template");
    t.live += 1;
    name
}

/// Sets going a new database copied from `template`; the thread answers its name.
fn make_copy(base: &str, template: &str) -> std::thread::JoinHandle<String> {
    let name = format!("eiaflow_test_{}", uuid::Uuid::new_v4().simple());
    let create = format!("CREATE DATABASE {name} TEMPLATE {template}");
    // Commits need not wait for the disk: nothing here tests what survives a crash.
    let fast = format!("ALTER DATABASE {name} SET synchronous_commit = off");
    let server = base.to_owned();
    std::thread::spawn(move || {
        on_own_runtime(async move {
            execute(&server, &create).await;
            execute(&server, &fast).await;
        });
        name
    })
}

async fn execute(server: &str, sql: &str) {
    if let Err(e) = try_execute(server, sql).await {
        panic!("{sql}: {e}");
    }
}

async fn try_execute(server: &str, sql: &str) -> Result<(), sea_orm::DbErr> {
    let admin = Database::connect(server).await?;
    let result = admin.execute_unprepared(sql).await.map(|_| ());
    admin.close().await.ok();
    result
}

/// Drops a database, in the background: a case's database as the case ends, so that the next
/// need not wait for it, or a template. Nothing here may panic, since it runs while a case
/// unwinds; a database that cannot be dropped is only reported.
fn drop_database(base: String, name: String) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        let result = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?
                .block_on(try_execute(&base, &sql))
                .map_err(|e| e.to_string())
        })
        .join();
        match result {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("could not drop the test database {name}: {e}"),
            Err(_) => eprintln!("could not drop the test database {name}"),
        }
    })
}

/// One case fewer; after the last, the cases' databases are gone and the templates removed.
fn case_ended() {
    let mut t = templates();
    t.live = t.live.saturating_sub(1);
    if t.live > 0 {
        return;
    }
    // Copies made ahead that no case took go with the rest.
    let base = t.pg_base.clone();
    for (_, making) in std::mem::take(&mut t.making) {
        if let (Ok(name), Some(base)) = (making.join(), base.clone()) {
            t.dropping.push(drop_database(base, name));
        }
    }
    for drop in std::mem::take(&mut t.dropping) {
        let _ = drop.join();
    }
    t.sqlite.clear();
    let names: Vec<String> = std::mem::take(&mut t.postgres).into_values().collect();
    if let Some(base) = t.pg_base.clone() {
        for name in names {
            let _ = drop_database(base.clone(), name).join();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Starting a case
// ---------------------------------------------------------------------------------------------

impl TestApp {
    /// A fresh SQLite database with the demo ledger.
    pub async fn sqlite() -> TestApp {
        Self::on_sqlite(Data::Demo).await
    }

    /// A fresh PostgreSQL database with the demo ledger, or `None` when no server is
    /// configured for tests.
    pub async fn postgres() -> Option<TestApp> {
        Self::on_postgres(Data::Demo).await
    }

    pub async fn on_sqlite(data: Data) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        sqlite_copy(data, dir.path());
        let url = sqlite_url(dir.path());
        Self::start(&url, "sqlite", data, dir, None).await
    }

    pub async fn on_postgres(data: Data) -> Option<TestApp> {
        let Ok(base) = std::env::var(PG_URL_VAR) else {
            eprintln!("{PG_URL_VAR} is not set: skipping the PostgreSQL run of this case");
            return None;
        };
        let name = postgres_copy(&base, data);
        let url = replace_database(&base, &name);
        let dir = tempfile::tempdir().expect("temp dir");
        Some(Self::start(&url, "postgres", data, dir, Some((base, name))).await)
    }

    pub async fn on(backend: Backend, data: Data) -> Option<TestApp> {
        match backend {
            Backend::Sqlite => Some(Self::on_sqlite(data).await),
            Backend::Postgres => Self::on_postgres(data).await,
        }
    }

    async fn start(
        url: &str,
        backend: &'static str,
        data: Data,
        dir: tempfile::TempDir,
        pg_cleanup: Option<(String, String)>,
    ) -> TestApp {
        let settings = settings(url, dir.path(), data);
        let db = eiaflow::db::connect(&settings).await.expect("connect");
        if backend == "sqlite" {
            // As for PostgreSQL: commits need not wait for the disk. SQLite has the one
            // connection, so the setting holds for the whole case.
            db.execute_unprepared("PRAGMA synchronous = OFF")
                .await
                .expect("PRAGMA synchronous");
        }
        let router = app(AppState::new(db.clone(), settings.clone()));
        TestApp {
            router,
            db,
            backend,
            data,
            settings,
            dir,
            seq: AtomicU32::new(1),
            pg_cleanup,
        }
    }

    /// The next number for a builder's name or code.
    pub fn next_seq(&self) -> u32 {
        self.seq.fetch_add(1, Ordering::Relaxed)
    }

    // -----------------------------------------------------------------------------------------
    // Requests
    // -----------------------------------------------------------------------------------------

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
        let reply = self
            .send(
                method,
                path,
                token,
                body.map(|b| (b.as_bytes(), content_type)),
            )
            .await;
        (reply.status, reply.json_value())
    }

    /// Any request, answered with its status, headers and body.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<(&[u8], &str)>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let req = match body {
            Some((bytes, content_type)) => req
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(bytes.to_owned())),
            None => req.body(Body::empty()),
        }
        .expect("request");
        send(&self.router, req).await
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.request(Method::GET, path, Some(token), None).await
    }

    /// `GET` that must answer 200, read as `T`.
    pub async fn get_ok<T: DeserializeOwned>(&self, path: &str, token: &str) -> T {
        let (status, body) = self.get(path, token).await;
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        decode(&body)
    }

    /// A request that must answer `expected`, its body read as `T`.
    pub async fn expect<T: DeserializeOwned>(
        &self,
        expected: StatusCode,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> T {
        let (status, answer) = self.request(method.clone(), path, token, body).await;
        assert_eq!(status, expected, "{method} {path}: {answer}");
        decode(&answer)
    }

    /// A request that must fail with `expected`; the error in the API's shape.
    pub async fn expect_error(
        &self,
        expected: StatusCode,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> ApiError {
        let (status, answer) = self.request(method.clone(), path, token, body).await;
        assert_eq!(status, expected, "{method} {path}: {answer}");
        error(&answer)
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
        decode::<api::Login>(&body).token
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
            // Dropping needs a connection outside the runtime that is shutting down; the last
            // case to end waits for every drop (see `case_ended`).
            let drop = drop_database(base, name);
            templates().dropping.push(drop);
        }
        case_ended();
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

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

/// An answer with everything in it.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Reply {
    /// The body as JSON; a body that is not JSON becomes a string, an empty one null.
    pub fn json_value(&self) -> Value {
        json_of(&self.bytes)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Any request through a router, for bodies that are not JSON and for headers of the answer.
/// A login from `client` (the peer address the server sees) through `router`.
pub async fn login_from(
    router: &axum::Router,
    client: &str,
    username: &str,
    password: &str,
) -> Reply {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::json!({"username": username, "password": password}).to_string(),
        ))
        .expect("request");
    let peer: std::net::SocketAddr = format!("{client}:40000").parse().expect("an address");
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(peer));
    send(router, req).await
}

pub async fn send(router: &Router, req: Request<Body>) -> Reply {
    let res = router.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Reply {
        status,
        headers,
        bytes: bytes.to_vec(),
    }
}

pub fn json_of(bytes: &[u8]) -> Value {
    if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned()))
    }
}

/// Reads a JSON answer as `T`, saying what did not fit.
pub fn decode<T: DeserializeOwned>(body: &Value) -> T {
    serde_json::from_value(body.clone()).unwrap_or_else(|e| {
        panic!(
            "the answer is not a {}: {e}\n{body:#}",
            std::any::type_name::<T>()
        )
    })
}

/// Asserts the API's error shape and returns the error.
pub fn error(body: &Value) -> ApiError {
    decode::<api::ErrorBody>(body).error
}

/// The field names an error names, in order.
pub fn error_fields(body: &Value) -> Vec<String> {
    error(body).field_names()
}

// ---------------------------------------------------------------------------------------------
// Cases on both backends
// ---------------------------------------------------------------------------------------------

/// Generates a SQLite test and a PostgreSQL test for each async `fn case(app: TestApp)`, on the
/// demo ledger (`demo;`) or on an empty database (`empty;`); `demo, at_once;` and
/// `empty, at_once;` run the case on two threads, so that requests spawned at once run at once
/// (on PostgreSQL, on connections of their own).
#[macro_export]
macro_rules! on_both_backends {
    (demo; $($case:ident),* $(,)?) => {
        $crate::on_both_backends!(@cases Demo, [tokio::test], $($case),*);
    };
    (empty; $($case:ident),* $(,)?) => {
        $crate::on_both_backends!(@cases Empty, [tokio::test], $($case),*);
    };
    (demo, at_once; $($case:ident),* $(,)?) => {
        $crate::on_both_backends!(@cases Demo,
            [tokio::test(flavor = "multi_thread", worker_threads = 2)], $($case),*);
    };
    (empty, at_once; $($case:ident),* $(,)?) => {
        $crate::on_both_backends!(@cases Empty,
            [tokio::test(flavor = "multi_thread", worker_threads = 2)], $($case),*);
    };
    (@cases $data:ident, [$test:meta], $($case:ident),*) => {
        $(
            mod $case {
                #[$test]
                async fn sqlite() {
                    let app = $crate::common::TestApp::on_sqlite($crate::common::Data::$data).await;
                    super::$case(app).await
                }
                #[$test]
                async fn postgres() {
                    if let Some(app) =
                        $crate::common::TestApp::on_postgres($crate::common::Data::$data).await
                    {
                        super::$case(app).await
                    }
                }
            }
        )*
    };
}

// ---------------------------------------------------------------------------------------------
// Dates and the calendar
// ---------------------------------------------------------------------------------------------

/// Today in Asia/Shanghai, the day the service counts from (China has no daylight saving).
pub fn today() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

pub fn d(s: &str) -> NaiveDate {
    s.parse().expect("a date")
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
    // A schedule is never empty: it lists one ordinary weekday as a workday, which changes nothing.
    let weekday = (1..=7)
        .map(|day| NaiveDate::from_ymd_opt(year, 1, day).expect("a January date"))
        .find(|d| d.weekday().number_from_monday() <= 5)
        .expect("a weekday in the first week");
    let schedule = serde_json::json!({"year": year, "papers": ["test: weekdays only"],
        "days": [{"name": "测试", "date": weekday, "isOffDay": false}]});
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
    let next = today().year() + 1;
    for year in 2027..=next {
        load_plain_year(app, year).await;
    }
}

/// The working day `n` working days before today, by the service's calendar.
pub async fn working_days_ago(app: &TestApp, token: &str, n: u32) -> NaiveDate {
    let mut date = today();
    let mut left = n;
    while left > 0 {
        date = date.pred_opt().expect("a date");
        if working_day(app, token, date).await {
            left -= 1;
        }
    }
    date
}

/// The date `days` working days after `from`, by the service's calendar.
pub async fn add_working_days(app: &TestApp, token: &str, from: NaiveDate, days: u32) -> NaiveDate {
    let answer: api::WorkingDays = app
        .get_ok(
            &format!("/api/v1/calendar/add-working-days?from={from}&days={days}"),
            token,
        )
        .await;
    answer.date
}

/// Whether a date is a working day, by the service's calendar.
pub async fn working_day(app: &TestApp, token: &str, date: NaiveDate) -> bool {
    let day: api::CalendarDay = app
        .get_ok(&format!("/api/v1/calendar/days/{date}"), token)
        .await;
    day.working_day
}

/// Where a path of the test data lives, for the few tests that read files the service wrote.
pub fn data_path(app: &TestApp, relative: &str) -> PathBuf {
    app.dir.path().join(relative)
}

// ---------------------------------------------------------------------------------------------
// The outbox worker
// ---------------------------------------------------------------------------------------------

/// A worker that delivers into memory, and the transport to read what it sent.
pub fn memory_worker(
    app: &TestApp,
) -> (
    eiaflow::notify::worker::Worker,
    eiaflow::notify::mailer::MemoryTransport,
) {
    use eiaflow::notify::mailer::{Mailer, MemoryTransport};
    let transport = MemoryTransport::new();
    let worker = eiaflow::notify::worker::Worker::new(
        app.db.clone(),
        Mailer::memory(&transport),
        app.settings.mail.clone(),
    )
    .expect("worker");
    (worker, transport)
}

/// Drains the outbox until a pass handles nothing; how many messages it handled.
pub async fn drain(worker: &eiaflow::notify::worker::Worker) -> usize {
    let mut total = 0;
    loop {
        let n = worker.drain_once().await.expect("drain");
        if n == 0 {
            return total;
        }
        total += n;
    }
}

//! The web interface in a real browser: headless Chromium driven through ChromeDriver, every
//! case on SQLite and on PostgreSQL. Each area's cases are a module under `tests/browser/`;
//! the harness is `tests/common/browser.rs`. Screenshots land in `target/screenshots/`.
mod common;
#[path = "common/browser.rs"]
mod harness;

#[path = "browser/admin.rs"]
mod admin;
#[path = "browser/dashboard.rs"]
mod dashboard;
#[path = "browser/filing.rs"]
mod filing;
#[path = "browser/import.rs"]
mod import;
#[path = "browser/ledger.rs"]
mod ledger;
#[path = "browser/monthly.rs"]
mod monthly;
#[path = "browser/national.rs"]
mod national;
#[path = "browser/portal.rs"]
mod portal;
#[path = "browser/public.rs"]
mod public;
#[path = "browser/sign_in.rs"]
mod sign_in;

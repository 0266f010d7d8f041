//! Browser tests: the application served on a loopback port, driven in headless Chromium
//! through ChromeDriver (Debian's `chromium` and `chromium-driver`). Each case gets its own
//! ChromeDriver and browser profile, killed with their process group when the case ends.
//! Without Chromium a case is skipped with a message, except under CI, where it fails.
//!
//! Screenshots go to `target/screenshots/<name>-<width>.png`; `axe` runs axe-core (vendored in
//! `tests/assets/`) over the page and fails on any serious or critical violation.
#![allow(dead_code)]
use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::common::{DEMO_PASSWORD, TestApp};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const AXE: &str = include_str!("../assets/axe-4.14.1.min.js");

/// The two widths every main page is checked at: a bureau's 1366×768 screen and a phone.
pub const WIDTHS: [(u32, u32); 2] = [(1366, 768), (390, 844)];

pub struct Browser {
    pub client: Client,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    driver: Child,
    server: tokio::task::JoinHandle<()>,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Whether Chromium and ChromeDriver are installed; under CI their absence is a failure.
fn available() -> bool {
    let present = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "Chromium is not installed (apt-get install chromium chromium-driver fonts-noto-cjk); \
             CI must run the browser tests"
        );
        eprintln!("skipped: no Chromium at {CHROMIUM} / {CHROMEDRIVER}");
    }
    present
}

impl Browser {
    /// Serves `app` on a loopback port and opens a browser on it; `None` (skipped) without
    /// Chromium outside CI.
    pub async fn open(app: &TestApp) -> Option<Browser> {
        if !available() {
            return None;
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let router = app.router.clone();
        let server = tokio::spawn(async move {
            axum::serve(listener, router).await.expect("serve");
        });

        let port = free_port();
        let mut command = Command::new(CHROMEDRIVER);
        command
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let driver = command.spawn().expect("start chromedriver");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        let profile = tempfile::tempdir().expect("profile dir");
        let (w, h) = WIDTHS[0];
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-extensions",
                    "--hide-scrollbars", "--lang=zh-CN", "--force-device-scale-factor=1",
                    format!("--window-size={w},{h}"),
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": { "intl.accept_languages": "zh-CN,zh" }
            }
        });
        let caps = match caps {
            Value::Object(map) => map,
            _ => unreachable!(),
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("WebDriver session in Chromium");
        Some(Browser {
            client,
            base,
            driver,
            server,
            _profile: profile,
        })
    }

    /// Ends the browser session (ChromeDriver and the server go with the `Browser`).
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn goto(&self, path: &str) {
        self.client.goto(&self.url(path)).await.expect("navigate");
    }

    /// The path and query the browser is on.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current url");
        let mut path = url.path().to_owned();
        if let Some(q) = url.query() {
            path.push('?');
            path.push_str(q);
        }
        path
    }

    /// Waits until the browser's path starts with `prefix` (after a form or a link).
    pub async fn wait_path(&self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let path = self.path().await;
            if path.starts_with(prefix) {
                self.wait_ready().await;
                return path;
            }
            assert!(
                Instant::now() < deadline,
                "expected to arrive at {prefix}, still on {path}: {}",
                self.text("body").await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while self
            .client
            .execute("return document.readyState", vec![])
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .as_deref()
            != Some("complete")
        {
            assert!(Instant::now() < deadline, "page did not finish loading");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The first element matching a CSS selector, waiting for it to appear.
    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|err| panic!("no element {css} on {}: {err}", self.base))
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .expect("find elements")
    }

    /// The visible text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        match self.client.find(Locator::Css(css)).await {
            Ok(el) => el.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.find(css).await.attr(name).await.expect("attribute")
    }

    /// Types `value` into the field matching `css`, replacing what it held.
    pub async fn fill(&self, css: &str, value: &str) {
        let el = self.find(css).await;
        el.clear().await.expect("clear field");
        el.send_keys(value).await.expect("type into field");
    }

    /// Sets a field's value directly (date inputs, whose typing depends on the locale).
    pub async fn set_value(&self, css: &str, value: &str) {
        let el = self.find(css).await;
        self.client
            .execute(
                "arguments[0].value = arguments[1]; \
                 arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                vec![serde_json::to_value(&el).expect("element"), json!(value)],
            )
            .await
            .expect("set value");
    }

    /// Chooses the option with `value` in the select matching `css`.
    pub async fn select(&self, css: &str, value: &str) {
        let el = self.find(css).await;
        el.select_by_value(value).await.expect("select option");
    }

    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.expect("click");
    }

    /// Clicks a button that asks for confirmation, accepts the dialog and returns its text.
    pub async fn click_confirming(&self, css: &str) -> String {
        self.click(css).await;
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if let Ok(text) = self.client.get_alert_text().await {
                self.client.accept_alert().await.expect("accept dialog");
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "no confirmation dialog after {css}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Signs in through the sign-in page and waits to leave it.
    pub async fn sign_in(&self, username: &str) {
        self.sign_in_with(username, DEMO_PASSWORD).await;
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.path().await.starts_with("/login") {
            assert!(
                Instant::now() < deadline,
                "sign-in as {username} failed: {}",
                self.text("main").await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.wait_ready().await;
    }

    /// Fills and submits the sign-in form on the current page (or `/login`).
    pub async fn sign_in_with(&self, username: &str, password: &str) {
        if !self.path().await.starts_with("/login") {
            self.goto("/login").await;
        }
        self.fill("input[name=username]", username).await;
        self.fill("input[name=password]", password).await;
        self.click("form[action='/login'] button[type=submit]")
            .await;
    }

    /// Signs out with the frame's button.
    pub async fn sign_out(&self) {
        self.click("form[action='/logout'] button").await;
        self.wait_path("/login").await;
    }

    /// Screenshots of the current page at both widths, as `target/screenshots/<name>-<w>.png`.
    pub async fn screenshots(&self, name: &str) -> Vec<PathBuf> {
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let mut written = Vec::new();
        for (w, h) in WIDTHS {
            self.client
                .set_window_size(w, h)
                .await
                .expect("window size");
            self.wait_ready().await;
            let png = self.client.screenshot().await.expect("screenshot");
            let path = dir.join(format!("{name}-{w}.png"));
            std::fs::write(&path, png).expect("write screenshot");
            written.push(path);
        }
        let (w, h) = WIDTHS[0];
        self.client
            .set_window_size(w, h)
            .await
            .expect("window size");
        written
    }

    /// Whether the page scrolls sideways at the current width (it should not on a phone,
    /// except inside a table's own scrolling box).
    pub async fn overflows_horizontally(&self) -> bool {
        self.client
            .execute(
                "return document.documentElement.scrollWidth > window.innerWidth + 1",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }

    /// Runs axe-core over the current page; panics listing every serious or critical
    /// violation.
    pub async fn axe(&self, page: &str) {
        self.client
            .execute(AXE, vec![])
            .await
            .expect("load axe-core");
        let found = self
            .client
            .execute(
                "return axe.run(document, {resultTypes: ['violations']}).then(function (r) { \
                   return r.violations \
                     .filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; }) \
                     .map(function (v) { return { id: v.id, impact: v.impact, help: v.help, \
                       nodes: v.nodes.slice(0, 5).map(function (n) { return n.target.join(' '); }) }; }); \
                 });",
                vec![],
            )
            .await
            .expect("run axe-core");
        let violations = found.as_array().cloned().unwrap_or_default();
        assert!(
            violations.is_empty(),
            "axe-core found serious or critical violations on {page}:\n{}",
            serde_json::to_string_pretty(&violations).unwrap_or_default()
        );
    }

    /// The main checks of a main page: screenshots at both widths, no sideways scrolling on
    /// a phone, and axe-core.
    pub async fn check_page(&self, name: &str) {
        self.axe(name).await;
        self.client.set_window_size(390, 844).await.expect("size");
        self.wait_ready().await;
        assert!(
            !self.overflows_horizontally().await,
            "{name} scrolls sideways at 390 px"
        );
        self.screenshots(name).await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        self.server.abort();
        // ChromeDriver leads its own process group, which holds the browser it started.
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.wait();
    }
}

pub fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("screenshots")
}

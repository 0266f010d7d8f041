//! The web interface: server-rendered pages in Chinese for owners, officers, leadership,
//! administrators and the public, on the same port as the API. Handlers, one module per
//! area, extract, authorize, call a service and draw a template from `templates/`; the frame,
//! sessions and forms are shared (`page`, `session`); every style and script is embedded
//! (`assets/`). No SQL and no rules here.
//!
//! Every core flow works as plain forms (POST, then 303 to the page with a flash message);
//! `assets/app.js` only adds confirmations and auto-submitting filters.
pub mod assets;
pub mod page;
pub mod pager;
pub mod session;

mod admin;
mod chart;
mod dashboard;
mod documents;
mod filing;
mod ledger;
mod ledger_import;
mod national_lists;
mod notices;
mod portal;
mod public;
mod queue;
mod sheets;
mod sign_in;

use axum::Router;
use axum::routing::get;

use crate::http::AppState;

/// Every page, the assets, and the frame's headers around them.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(sign_in::routes())
        .merge(ledger::routes())
        .merge(ledger_import::routes())
        .merge(queue::routes())
        .merge(national_lists::routes())
        .merge(filing::routes())
        .merge(documents::routes())
        .merge(sheets::routes())
        .merge(portal::routes())
        .merge(notices::routes())
        .merge(public::routes())
        .merge(dashboard::routes())
        .merge(admin::routes())
        .route("/assets/{name}", get(assets::serve))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The Content-Security-Policy allows no inline script or style, so no template may hold
    /// one: a `<script>` with a body, a `<style>` element, a `style=` attribute or an `on…=`
    /// event handler would be blocked in the browser (and silently break the page).
    #[test]
    fn templates_hold_no_inline_script_or_style() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web/templates");
        let mut stack = vec![dir];
        let mut checked = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("templates dir") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("template");
                let lower = text.to_lowercase();
                let name = path.display();
                assert!(!lower.contains("<style"), "{name}: <style> element");
                assert!(!lower.contains(" style="), "{name}: style attribute");
                assert!(!lower.contains("javascript:"), "{name}: javascript: URL");
                for (i, _) in lower.match_indices("<script") {
                    let tag_end = lower[i..]
                        .find('>')
                        .map(|e| i + e + 1)
                        .unwrap_or(lower.len());
                    assert!(
                        lower[i..tag_end].contains(" src=")
                            && lower[tag_end..].trim_start().starts_with("</script>"),
                        "{name}: inline script"
                    );
                }
                let bytes = lower.as_bytes();
                for (i, _) in lower.match_indices(" on") {
                    let rest = &lower[i + 3..];
                    let word: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphabetic())
                        .collect();
                    let after = bytes.get(i + 3 + word.len()).copied();
                    assert!(
                        word.is_empty() || after != Some(b'='),
                        "{name}: inline event handler on{word}="
                    );
                }
                checked += 1;
            }
        }
        assert!(checked >= 3, "found the templates");
    }
}

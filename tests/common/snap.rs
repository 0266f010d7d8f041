//! Snapshots (insta) that come out the same on SQLite and PostgreSQL and whatever day the suite
//! runs: row ids and timestamps are redacted by name, and dates a case derives from today are
//! replaced, before the snapshot is taken, by a label that says how they were derived (a date
//! that is not what the label says stays in the snapshot and fails it).
use insta::internals::Content;
use serde_json::Value;

/// Keys whose integer values are row ids, which differ between backends and runs.
const ID_KEYS: [&str; 11] = [
    "id",
    "project_id",
    "filing_id",
    "officer_id",
    "actor_id",
    "organization_id",
    "uploaded_by",
    "decided_by",
    "previous_officer_id",
    "assigned_by",
    "user_id",
];

/// Keys of instants (when a row was written), never the same twice.
const TIME_KEYS: [&str; 10] = [
    "created_at",
    "updated_at",
    "recorded_at",
    "expires_at",
    "uploaded_at",
    "assigned_at",
    "loaded_at",
    "sent_at",
    "read_at",
    "signed_off_at",
];

/// insta settings for snapshots named by the case: `tests/snapshots/<name>.snap`.
pub fn plain() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings
}

/// `plain()` with the id and timestamp redactions.
pub fn settings() -> insta::Settings {
    let mut settings = plain();
    for key in ID_KEYS {
        settings.add_redaction(
            &format!(".**.{key}"),
            insta::dynamic_redaction(|value: Content, _| match value.resolve_inner() {
                Content::I64(_) | Content::U64(_) | Content::I32(_) | Content::U32(_) => {
                    Content::from("[id]")
                }
                _ => value,
            }),
        );
    }
    for key in TIME_KEYS {
        settings.add_redaction(
            &format!(".**.{key}"),
            insta::dynamic_redaction(|value: Content, _| match value.resolve_inner() {
                Content::String(_) => Content::from("[timestamp]"),
                _ => value,
            }),
        );
    }
    settings
}

/// A JSON snapshot named `$name` (the file `tests/snapshots/$name.snap`), with the redactions
/// of `settings()`.
/// `plain:` takes the snapshot as it is, without redactions.
#[macro_export]
macro_rules! assert_snapshot_json {
    (plain: $name:expr, $value:expr $(,)?) => {{
        let value = $value;
        $crate::common::snap::plain().bind(|| {
            insta::assert_json_snapshot!($name, value);
        });
    }};
    ($name:expr, $value:expr $(,)?) => {{
        let value = $value;
        $crate::common::snap::settings().bind(|| {
            insta::assert_json_snapshot!($name, value);
        });
    }};
}

/// Replacements of text that depends on the day or on the order of earlier cases: every
/// occurrence of `from`, in any string of the value (whole or inside a longer text), becomes
/// `to`.
#[derive(Debug, Default, Clone)]
pub struct Scrub {
    pairs: Vec<(String, String)>,
}

impl Scrub {
    pub fn new() -> Scrub {
        Scrub::default()
    }

    pub fn replace(mut self, from: impl ToString, to: impl Into<String>) -> Scrub {
        let from = from.to_string();
        assert!(!from.is_empty(), "nothing to replace");
        self.pairs.push((from, to.into()));
        self
    }

    pub fn apply(&self, value: &Value) -> Value {
        match value {
            Value::String(s) => {
                let mut out = s.clone();
                for (from, to) in &self.pairs {
                    out = out.replace(from.as_str(), to);
                }
                Value::String(out)
            }
            Value::Array(items) => Value::Array(items.iter().map(|v| self.apply(v)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), self.apply(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

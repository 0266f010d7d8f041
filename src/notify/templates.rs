//! Message templates: one folder per message under `templates/mail/` with `subject.txt`,
//! `text.txt` and `html.html`, compiled into the program. `{{name}}` is replaced by a value;
//! in HTML the value is escaped.
use std::collections::BTreeMap;

macro_rules! templates {
    ($($name:literal),+ $(,)?) => {
        /// Every template: name, subject, plain text, HTML.
        pub const TEMPLATES: &[(&str, &str, &str, &str)] = &[
            $((
                $name,
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/mail/", $name, "/subject.txt")),
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/mail/", $name, "/text.txt")),
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/mail/", $name, "/html.html")),
            )),+
        ];
    };
}

templates!(
    "filing_submitted",
    "correction_requested",
    "filing_accepted",
    "filing_refused",
    "filing_decided",
    "deadline_approaching",
    "service_item_due",
    "service_item_urged",
    "service_item_supervised",
    "sheet_reassigned",
    "sheets_reassigned",
    "sheet_reopened",
    "leader_digest",
    "province_monthly_report",
    "monthly_report_drafted",
    "filing_queued",
    "filing_withdrawn",
    "hearing_requested",
    "registration_receipt",
    "filing_overdue",
    "filing_overdue_escalated",
    "calendar_year_missing",
);

/// A message ready to store and send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("no mail template named {0}")]
    Unknown(String),
    #[error("mail template {template} uses {{{{{name}}}}}, which was not given")]
    Missing { template: String, name: String },
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn fill(
    template: &str,
    text: &str,
    vars: &BTreeMap<&str, String>,
    html: bool,
) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return Ok(out);
        };
        let name = after[..end].trim();
        let value = vars.get(name).ok_or_else(|| TemplateError::Missing {
            template: template.to_owned(),
            name: name.to_owned(),
        })?;
        if html {
            out.push_str(&escape_html(value));
        } else {
            out.push_str(value);
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Renders a template with the given values; every placeholder must have a value.
pub fn render(name: &str, vars: &BTreeMap<&str, String>) -> Result<Rendered, TemplateError> {
    let (_, subject, text, html) = TEMPLATES
        .iter()
        .find(|(n, ..)| *n == name)
        .ok_or_else(|| TemplateError::Unknown(name.to_owned()))?;
    Ok(Rendered {
        subject: fill(name, subject.trim(), vars, false)?,
        text: fill(name, text, vars, false)?,
        html: fill(name, html, vars, true)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(text: &str) -> Vec<String> {
        text.split("{{")
            .skip(1)
            .filter_map(|p| p.split("}}").next())
            .map(|p| p.trim().to_owned())
            .collect()
    }

    #[test]
    fn every_template_renders_when_given_its_placeholders() {
        for (name, subject, text, html) in TEMPLATES {
            let mut names = placeholders(subject);
            names.extend(placeholders(text));
            names.extend(placeholders(html));
            let vars: BTreeMap<&str, String> = names
                .iter()
                .map(|n| (n.as_str(), format!("<{n}>")))
                .collect();
            let r = render(name, &vars).unwrap();
            assert!(!r.subject.is_empty() && !r.subject.contains('\n'), "{name}");
            assert!(
                r.html.contains("&lt;"),
                "{name}: values are escaped in HTML"
            );
            assert!(!r.text.contains("{{"), "{name}");
        }
    }

    #[test]
    fn a_missing_value_is_an_error_not_a_blank() {
        let err = render("filing_accepted", &BTreeMap::new()).unwrap_err();
        assert!(matches!(err, TemplateError::Missing { .. }));
        assert!(matches!(
            render("nope", &BTreeMap::new()),
            Err(TemplateError::Unknown(_))
        ));
    }
}

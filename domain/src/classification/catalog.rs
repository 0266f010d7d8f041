//! The catalogue 《建设项目环境影响评价分类管理名录（2021年版）》 as typed data: sections, rows,
//! articles and notes, loaded once from the project's copy of the JSON, with lookup and search.

use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::engine::Tier;
use super::facts::{ScopeParseError, SensitiveArea, parse_sensitive_scope};

/// The catalogue text shipped with the service: 生态环境部令第16号, verbatim, checked row by row.
const EMBEDDED_JSON: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../resources/eia-catalog-2021.json"
));

/// The cell text meaning "this tier does not apply to the row".
pub const NOT_APPLICABLE: &str = "/";

/// One article (条) of the catalogue's preamble.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub no: u8,
    pub text: String,
}

/// One section (industry heading, e.g. "农业01、林业02") and the rows under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub no: u16,
    pub name: String,
    pub rows: Vec<u16>,
}

/// One row (项) of the catalogue, its text verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogRow {
    pub row: u16,
    pub section_no: u16,
    pub section_name: String,
    pub category: String,
    pub report: String,
    pub report_form: String,
    pub registration_form: String,
    pub sensitive_scope: String,
}

impl CatalogRow {
    /// The cell text for `tier`, or `None` when the row marks it "/" (or for `Exempt`, which
    /// has no column).
    pub fn cell(&self, tier: Tier) -> Option<&str> {
        let text = match tier {
            Tier::Exempt => return None,
            Tier::RegistrationForm => &self.registration_form,
            Tier::ReportForm => &self.report_form,
            Tier::Report => &self.report,
        };
        (text != NOT_APPLICABLE).then_some(text.as_str())
    }

    /// Whether the row can yield `tier`. `Exempt` always can (Art. 5 and the rows' exclusions).
    pub fn tier_applies(&self, tier: Tier) -> bool {
        tier == Tier::Exempt || self.cell(tier).is_some()
    }

    /// The sensitive areas named by the row's last column (empty when it names none).
    pub fn sensitive_areas(&self) -> Result<Vec<SensitiveArea>, ScopeParseError> {
        parse_sensitive_scope(&self.sensitive_scope)
    }

    /// Industry codes (GB/T 4754-2017, note 1) written after the section and category names,
    /// e.g. "01", "4411", "301".
    pub fn industry_codes(&self) -> Vec<&str> {
        let mut codes = industry_codes(&self.section_name);
        codes.extend(industry_codes(&self.category));
        codes
    }

    /// All the row's words, for citing checks: category, the three cells, the scope column.
    pub fn all_text(&self) -> [&str; 5] {
        [
            &self.category,
            &self.report,
            &self.report_form,
            &self.registration_form,
            &self.sensitive_scope,
        ]
    }
}

/// Digit runs of 2–4 digits that stand as codes: followed by the end, `*` or punctuation, so
/// that quantities such as "5000平方米" or "1.6兆帕" are not taken for codes.
fn industry_codes(text: &str) -> Vec<&str> {
    let mut codes = Vec::new();
    let mut start: Option<usize> = None;
    let mut prev: Option<char> = None;
    for (i, ch) in text
        .char_indices()
        .chain(std::iter::once((text.len(), '\0')))
    {
        if ch.is_ascii_digit() {
            if start.is_none() && prev != Some('.') {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            let len = i - s;
            let ends_code = matches!(ch, '\0' | '*' | '；' | '、' | '（' | '和' | '均');
            if (2..=4).contains(&len) && ends_code {
                codes.push(&text[s..i]);
            }
        }
        prev = Some(ch);
    }
    codes
}

/// The whole catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Catalog {
    pub title: String,
    pub issued_by: String,
    pub order: String,
    pub effective: String,
    pub source: String,
    pub articles: Vec<Article>,
    pub notes: Vec<String>,
    pub sections: Vec<Section>,
    rows: Vec<CatalogRow>,
}

/// Why a catalogue file could not be loaded.
#[derive(Debug)]
pub enum CatalogError {
    Json(serde_json::Error),
    Invalid(String),
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogError::Json(e) => write!(f, "catalogue JSON: {e}"),
            CatalogError::Invalid(msg) => write!(f, "catalogue content: {msg}"),
        }
    }
}

impl std::error::Error for CatalogError {}

#[derive(Deserialize)]
struct RawCatalog {
    title: String,
    issued_by: String,
    order: String,
    effective: String,
    source: String,
    articles: Vec<Article>,
    notes: Vec<String>,
    sections: Vec<RawSection>,
}

#[derive(Deserialize)]
struct RawSection {
    no: u16,
    name: String,
    rows: Vec<RawRow>,
}

#[derive(Deserialize)]
struct RawRow {
    row: u16,
    category: String,
    report: String,
    report_form: String,
    registration_form: String,
    sensitive_scope: String,
}

impl Catalog {
    /// The catalogue compiled into the binary, parsed once.
    ///
    /// # Panics
    ///
    /// If the embedded file is malformed: a packaging error that the tests catch.
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            // The file is part of the build, not user input; the test suite loads it, so a
            // failure here is a packaging error that must stop the service.
            Catalog::from_json(EMBEDDED_JSON).expect("embedded catalogue must be valid")
        })
    }

    /// Parses a catalogue in the shape of `resources/eia-catalog-2021.json`. Rows must be numbered
    /// 1, 2, 3, … in order, so that a row number is also its index.
    ///
    /// # Errors
    ///
    /// `Json` for text that is not a catalogue, `Invalid` for rows out of sequence.
    pub fn from_json(json: &str) -> Result<Catalog, CatalogError> {
        let raw: RawCatalog = serde_json::from_str(json).map_err(CatalogError::Json)?;
        let mut sections = Vec::with_capacity(raw.sections.len());
        let mut rows = Vec::new();
        for section in raw.sections {
            let mut numbers = Vec::with_capacity(section.rows.len());
            for r in section.rows {
                let expected = rows.len() + 1;
                if usize::from(r.row) != expected {
                    return Err(CatalogError::Invalid(format!(
                        "row {} found where row {expected} was expected",
                        r.row
                    )));
                }
                numbers.push(r.row);
                rows.push(CatalogRow {
                    row: r.row,
                    section_no: section.no,
                    section_name: section.name.clone(),
                    category: r.category,
                    report: r.report,
                    report_form: r.report_form,
                    registration_form: r.registration_form,
                    sensitive_scope: r.sensitive_scope,
                });
            }
            sections.push(Section {
                no: section.no,
                name: section.name,
                rows: numbers,
            });
        }
        Ok(Catalog {
            title: raw.title,
            issued_by: raw.issued_by,
            order: raw.order,
            effective: raw.effective,
            source: raw.source,
            articles: raw.articles,
            notes: raw.notes,
            sections,
            rows,
        })
    }

    /// All rows, in order.
    pub fn rows(&self) -> &[CatalogRow] {
        &self.rows
    }

    /// The row numbered `row` (1-based), if the catalogue has it.
    pub fn row(&self, row: u16) -> Option<&CatalogRow> {
        let index = usize::from(row).checked_sub(1)?;
        self.rows.get(index)
    }

    /// Article `no` (第N条).
    pub fn article(&self, no: u8) -> Option<&Article> {
        self.articles.iter().find(|a| a.no == no)
    }

    /// The title in book-title marks, as cited in a decision: 《…》.
    pub fn cited_title(&self) -> String {
        format!("《{}》", self.title)
    }

    /// Rows matching every whitespace-separated term of `query`, best first.
    ///
    /// A term of digits matches industry codes: the same code, a finer code under it
    /// ("44" finds 4411), or a coarser code it falls under ("3011" finds row 54, class 301).
    /// Any other term matches the category or section name as a substring.
    pub fn search(&self, query: &str) -> Vec<&CatalogRow> {
        let terms: Vec<&str> = query.split_whitespace().collect();
        if terms.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(u32, &CatalogRow)> = self
            .rows
            .iter()
            .filter_map(|row| {
                terms
                    .iter()
                    .map(|term| term_score(row, term))
                    .try_fold(0u32, |acc, s| s.map(|s| acc + s))
                    .map(|score| (score, row))
            })
            .collect();
        // Higher score first; the catalogue order breaks ties so results are stable.
        hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.row.cmp(&b.1.row)));
        hits.into_iter().map(|(_, row)| row).collect()
    }
}

/// How well one search term fits a row; `None` when it does not match at all.
fn term_score(row: &CatalogRow, term: &str) -> Option<u32> {
    if term.chars().all(|c| c.is_ascii_digit()) {
        let codes = row.industry_codes();
        if codes.contains(&term) {
            return Some(4);
        }
        if codes.iter().any(|c| c.starts_with(term)) {
            return Some(3);
        }
        // A finer code than the row's: only class level (3+ digits) and up, so that a code
        // does not drag in every row of its two-digit division.
        if codes.iter().any(|c| c.len() >= 3 && term.starts_with(c)) {
            return Some(2);
        }
        if codes.iter().any(|c| term.starts_with(c)) {
            return Some(1);
        }
        return None;
    }
    let needle = term.to_lowercase();
    if row.category.to_lowercase().contains(&needle) {
        Some(3)
    } else if row.section_name.to_lowercase().contains(&needle) {
        Some(1)
    } else {
        None
    }
}

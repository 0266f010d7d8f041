//! EIA classification (分类管理名录 2021): which document a project needs — 报告书, 报告表,
//! 登记表 or none — from its catalogue rows and facts, with the catalogue words as the basis.
//!
//! Policy exemptions are not applied here: the service layer overrides an [`Outcome`] with
//! [`Outcome::override_exempt`].

mod catalog;
mod engine;
mod facts;
mod rules;

#[cfg(test)]
mod tests;

pub use catalog::{Article, Catalog, CatalogError, CatalogRow, NOT_APPLICABLE, Section};
pub use engine::{
    ART4_STRICTEST, ART5_OUTSIDE, ClassifyInput, FactError, FactErrorKind, Outcome, RowOutcome,
    RowSchema, Tier, classify, fact_specs, row_schema, structured_rows,
};
pub use facts::{
    Art3Group, CONSTRUCTION_KEY, CONSTRUCTION_SPEC, Choice, Construction, FactKind, FactSpec,
    SENSITIVE_AREAS_KEY, SENSITIVE_AREAS_SPEC, ScopeParseError, SensitiveArea,
    parse_sensitive_scope,
};

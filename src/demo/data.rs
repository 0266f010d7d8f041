//! The demo ledger as `resources/demo/shangluo-2023.json` holds it. Every code in the file reads
//! straight into the domain's own enums, so a misspelt action, tier or role fails to parse
//! instead of reaching a service as a string.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::filing::{Action, DisapprovalGround};
use crate::domain::ledger::Tier;
use crate::domain::money::Wan;
use crate::domain::point_to_point::ItemKind;
use crate::domain::role::Role;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ledger {
    pub accounts: Vec<Account>,
    pub organizations: Vec<Organization>,
    pub projects: Vec<Project>,
}

/// A demo account; all share the password of the `demo.password` setting.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub username: String,
    pub role: Role,
    pub display_name: String,
    /// The organisation's name, for owners.
    #[serde(default)]
    pub organization: Option<String>,
    pub email: String,
}

/// An owner (建设单位).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    pub name: String,
    /// 统一社会信用代码
    pub credit_code: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
}

/// A key project of the ledger (台账), with what happened to it up to the end of 2023.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub name: String,
    /// 投资项目统一代码
    pub project_code: String,
    /// The owner's name, as in `organizations`.
    pub organization: String,
    /// County code (GB/T 2260).
    pub county: String,
    pub provincial: bool,
    pub municipal: bool,
    /// One of the keys of [`crate::domain::ledger::INDUSTRIES`].
    pub industry: String,
    pub total_investment_wan: Wan,
    pub point_to_point: bool,
    /// 未批先建
    pub built_before_approval: bool,
    pub penalty_settled: bool,
    pub listed_on: NaiveDate,
    pub status_verified_on: NaiveDate,
    /// The officer's username who classifies the project, records the bureau's steps and keeps
    /// its service sheet.
    pub officer: String,
    pub classification: Classification,
    /// None exactly for exempt projects.
    #[serde(default)]
    pub filing: Option<Filing>,
    /// Point-to-point projects only.
    #[serde(default)]
    pub service_sheet: Option<ServiceSheet>,
}

/// The classification request an officer sends, and the tier it must give.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Classification {
    /// Catalogue rows; empty for none (Art. 5).
    #[serde(default)]
    pub rows: Vec<u16>,
    #[serde(default)]
    pub facts: serde_json::Map<String, serde_json::Value>,
    /// The officer's tier for rows without a structured rule.
    #[serde(default)]
    pub clauses: BTreeMap<u16, Tier>,
    /// Document number of the policy exemption cited.
    #[serde(default)]
    pub policy_exemption: Option<String>,
    pub decided_on: NaiveDate,
    /// What the catalogue rules give for this request; the loader stops on any disagreement.
    pub tier: Tier,
}

/// One EIA filing; its tier is the project's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filing {
    pub steps: Vec<Step>,
}

/// Whose step it was. Owners' steps reached the bureau on paper and are recorded by the
/// project's officer on the owner's behalf.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum By {
    Owner,
    Officer,
}

/// One step of a filing's history, as an officer enters it from the paper file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub action: Action,
    /// The date it took effect.
    pub on: NaiveDate,
    pub by: By,
    /// A refusal's or a disapproval's reason.
    #[serde(default)]
    pub reason: Option<String>,
    /// A correction request's items.
    #[serde(default)]
    pub missing_items: Vec<String>,
    /// A resubmission's answers, one per item asked for.
    #[serde(default)]
    pub answers: Vec<String>,
    /// A disapproval's grounds (条例 Art. 11).
    #[serde(default)]
    pub grounds: Vec<DisapprovalGround>,
    /// The number on a paper decision; without one the year's sequence issues the next.
    #[serde(default)]
    pub number: Option<String>,
}

/// A point-to-point service sheet (服务单); its officer is the project's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSheet {
    pub bureau_contact_name: String,
    pub bureau_contact_phone: String,
    pub owner_contact_name: String,
    pub owner_contact_phone: String,
    pub owner_contact_email: String,
    pub items: Vec<ServiceItem>,
    /// The owner's note on signing the sheet off; none while unsigned.
    #[serde(default)]
    pub sign_off_note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceItem {
    pub kind: ItemKind,
    pub description: String,
    pub promised_on: NaiveDate,
    /// Set for an item delivered.
    #[serde(default)]
    pub done_on: Option<NaiveDate>,
    #[serde(default)]
    pub evidence: Option<String>,
}

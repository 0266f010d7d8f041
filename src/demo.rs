//! TEMPORARY placeholder until the generator lands.
pub use crate::domain::ledger::Tier;
use chrono::NaiveDate;
pub struct DemoLedger {
    pub organizations: Vec<DemoOrganization>,
    pub projects: Vec<DemoProject>,
}
pub struct DemoOrganization {
    pub name: String,
    pub credit_code: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
}
pub struct DemoProject {
    pub name: String,
    pub project_code: String,
    pub organization: usize,
    pub county_code: &'static str,
    pub provincial: bool,
    pub municipal: bool,
    pub industry: &'static str,
    pub investment_hundredths: i64,
    pub point_to_point: bool,
    pub built_before_approval: bool,
    pub penalty_settled: bool,
    pub listed_on: NaiveDate,
    pub status_verified_on: NaiveDate,
    pub classification: DemoClassification,
    pub filing: Option<DemoFiling>,
}
pub struct DemoClassification {
    pub rows: Vec<u16>,
    pub facts: serde_json::Value,
    pub tier: Tier,
    pub basis: String,
    pub policy_exemption: Option<String>,
    pub decided_on: NaiveDate,
}
pub struct DemoFiling {
    pub tier: Tier,
    pub steps: Vec<DemoStep>,
}
pub struct DemoStep {
    pub action: &'static str,
    pub to_state: &'static str,
    pub on: NaiveDate,
    pub actor: &'static str,
    pub reason: Option<String>,
    pub decision_no: Option<String>,
}
pub fn generate() -> DemoLedger {
    DemoLedger {
        organizations: vec![],
        projects: vec![],
    }
}

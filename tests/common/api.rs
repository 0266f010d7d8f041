//! The answers of the API as tests read them: typed, so that a test names the field it checks
//! and a renamed or retyped field fails to decode instead of comparing as null. Fields a test
//! does not look at may be left out; the snapshots pin the whole shape.
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::Value;

/// `{"error": {...}}` — the one error shape (api.md).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    pub error: ApiError,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    pub fields: Vec<FieldMessage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldMessage {
    pub field: String,
    pub message: String,
}

impl ApiError {
    pub fn field_names(&self) -> Vec<String> {
        self.fields.iter().map(|f| f.field.clone()).collect()
    }

    /// The message for `field`; panics when the error does not name it.
    pub fn message_for(&self, field: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.field == field)
            .map(|f| f.message.as_str())
            .unwrap_or_else(|| panic!("no message for {field} in {self:?}"))
    }
}

// ---------------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
pub struct Login {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: SignedIn,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SignedIn {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub display_name: String,
    pub organization_id: Option<i64>,
}

/// `GET /auth/me`.
#[derive(Debug, Clone, Deserialize)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub organization_id: Option<i64>,
}

/// `GET/POST /users`, `PATCH /users/{id}`.
#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub organization_id: Option<i64>,
    pub email: Option<String>,
    pub supervisor_id: Option<i64>,
    pub active: bool,
    pub version: i32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Organization {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub version: i32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct County {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub city_code: String,
    pub city_name: String,
}

// ---------------------------------------------------------------------------------------------
// The ledger
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
pub struct Project {
    pub id: i64,
    pub name: String,
    pub project_code: String,
    pub organization: OrganizationRef,
    pub county: CountyRef,
    pub provincial: bool,
    pub municipal: bool,
    pub industry: String,
    pub industry_label: String,
    pub total_investment_wan: String,
    pub point_to_point: bool,
    pub built_before_approval: bool,
    pub penalty_settled: bool,
    pub listed_on: NaiveDate,
    pub status_verified_on: Option<NaiveDate>,
    pub description: Option<String>,
    pub tier: Option<String>,
    /// Present on single-project reads of a classified project.
    #[serde(default)]
    pub classification: Option<ClassificationSummary>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The project's latest filing, with the due date of its open clock.
    pub current_filing: Option<CurrentFiling>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurrentFiling {
    pub id: i64,
    pub tier: String,
    pub state: String,
    pub state_label: String,
    pub due_on: Option<NaiveDate>,
    pub due_for: Option<String>,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OrganizationRef {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CountyRef {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ClassificationSummary {
    pub tier: String,
    pub required: bool,
    pub basis: String,
    pub policy_exemption: Option<String>,
    pub decided_on: NaiveDate,
    pub decided_by: Option<i64>,
}

/// One page of any list: `{"items", "total", "page", "per_page"}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ProjectPage {
    pub items: Vec<Project>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl ProjectPage {
    pub fn ids(&self) -> Vec<i64> {
        self.items.iter().map(|p| p.id).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Classification
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
pub struct CatalogPage {
    pub title: String,
    pub total: u64,
    pub items: Vec<CatalogRow>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CatalogRow {
    pub row: u16,
    pub section_no: u16,
    pub section_name: String,
    pub category: String,
    pub report: String,
    pub report_form: String,
    pub registration_form: String,
    pub sensitive_scope: String,
    pub structured: bool,
    /// On `GET /catalog/{row}` only.
    #[serde(default)]
    pub schema: Option<Value>,
}

/// A dry run (`POST /classify`).
#[derive(Debug, Clone, Deserialize)]
pub struct Classified {
    pub tier: String,
    pub required: bool,
    pub rows: Vec<RowOutcome>,
    pub basis: String,
    pub policy_exemption: Option<String>,
    pub manual: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RowOutcome {
    pub row: u16,
    pub tier: String,
    pub clause: String,
    pub manual: bool,
    pub reason: String,
}

/// A stored decision (`PUT /projects/{id}/classification`, its history).
#[derive(Debug, Clone, Deserialize)]
pub struct Classification {
    pub id: i64,
    pub project_id: i64,
    pub tier: String,
    pub required: bool,
    pub catalog_rows: Vec<u16>,
    pub facts: Value,
    pub rows: Vec<RowOutcome>,
    pub basis: String,
    pub policy_exemption: Option<String>,
    pub manual: bool,
    pub decided_by: Option<DecidedBy>,
    pub decided_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
    pub current: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DecidedBy {
    pub id: i64,
    pub username: String,
    pub display_name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PolicyExemption {
    pub id: i64,
    pub document_no: String,
    pub title: String,
    pub note: Option<String>,
    pub active: bool,
    pub version: i32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Reevaluation {
    pub changes: Vec<TierChange>,
    pub unchanged: u64,
    pub manual: u64,
    pub failed: Vec<Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TierChange {
    pub project_id: i64,
    pub project_name: String,
    pub from_tier: String,
    pub to_tier: String,
    pub basis: String,
}

// ---------------------------------------------------------------------------------------------
// Reports and the calendar
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
pub struct Summary {
    pub as_of: NaiveDate,
    #[serde(flatten)]
    pub figures: Figures,
    pub total_investment_yi: String,
    pub definition: String,
    pub group_by: Option<String>,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Figures {
    pub projects: u64,
    pub exempt: u64,
    pub required: u64,
    pub unclassified: u64,
    pub point_to_point: u64,
    pub accepted_or_decided: u64,
    pub acceptance_rate: Option<f64>,
    pub acceptance_rate_by_investment: Option<f64>,
    pub total_investment_wan: String,
    pub required_investment_wan: String,
    pub accepted_investment_wan: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Group {
    pub key: String,
    pub label: String,
    #[serde(flatten)]
    pub figures: Figures,
}

/// `GET /reports/projects`: the projects behind a figure.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Drilldown {
    pub as_of: NaiveDate,
    pub measure: String,
    pub measure_label: String,
    pub group_by: Option<String>,
    pub group: Option<String>,
    pub items: Vec<DrilldownProject>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl Drilldown {
    pub fn ids(&self) -> Vec<i64> {
        self.items.iter().map(|p| p.project.id).collect()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct DrilldownProject {
    #[serde(flatten)]
    pub project: Project,
    pub tier_as_of: Option<String>,
    pub accepted_or_decided_as_of: bool,
    pub filing_as_of: Option<FilingAsOf>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilingAsOf {
    pub id: i64,
    pub state: String,
    pub state_label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WorkingDays {
    pub from: NaiveDate,
    pub days: u32,
    pub date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub working_day: bool,
    pub name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Schedule {
    pub year: i32,
    pub papers: Vec<String>,
    pub days: u64,
}

// ---------------------------------------------------------------------------------------------
// Filings
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
pub struct Filing {
    pub id: i64,
    pub project: FilingProject,
    pub tier: String,
    pub state: String,
    pub state_label: String,
    pub version: i32,
    pub receipt_no: Option<String>,
    pub decision_no: Option<String>,
    pub officer_id: Option<i64>,
    pub clock: Option<Clock>,
    pub clock_error: Option<String>,
    pub allowed_actions: Vec<String>,
    pub open_correction: Option<Vec<String>>,
    pub suggested_refusal_reason: Option<String>,
    #[serde(default)]
    pub correction_rounds: u32,
    #[serde(default)]
    pub stops: Vec<Value>,
    #[serde(default)]
    pub hearings: Vec<Value>,
    #[serde(default)]
    pub decision_blocked: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Filing {
    /// The clock, which must be computable.
    pub fn clock(&self) -> &Clock {
        self.clock.as_ref().unwrap_or_else(|| {
            panic!(
                "the clock should be computable: {:?}",
                self.clock_error.as_deref()
            )
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FilingProject {
    pub id: i64,
    pub name: String,
    pub project_code: String,
    pub organization_id: i64,
    pub organization_name: String,
    pub county_code: String,
    pub county_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Clock {
    pub status: String,
    pub clock: Option<String>,
    pub unit: Option<String>,
    pub acceptance_due: Option<NaiveDate>,
    pub decision_due: Option<NaiveDate>,
    pub stopped: Vec<Stop>,
    pub days_used: u32,
    pub days_left: i64,
    pub overdue: bool,
    pub estimated: bool,
    pub estimate_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Stop {
    pub reason: String,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl Stop {
    pub fn new(reason: &str, from: &str, to: &str) -> Stop {
        Stop {
            reason: reason.into(),
            from: super::d(from),
            to: Some(super::d(to)),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Event {
    pub kind: String,
    pub id: i64,
    /// Empty for the entries beside the steps (stops, hearings).
    #[serde(deserialize_with = "null_as_empty")]
    pub action: String,
    pub action_label: String,
    pub from_state: Option<String>,
    #[serde(deserialize_with = "null_as_empty")]
    pub to_state: String,
    pub actor_id: Option<i64>,
    pub actor_role: String,
    pub reason: Option<String>,
    pub detail: Value,
    pub effective_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
    pub voided_at: Option<DateTime<Utc>>,
    pub void_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Notice {
    pub kind: String,
    pub title: String,
    pub body: String,
    pub posted_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// A notice on the public register.
#[derive(Debug, Clone, Deserialize)]
pub struct PublicNotice {
    pub filing_id: i64,
    pub project_name: String,
    pub county_name: String,
    #[serde(flatten)]
    pub notice: Notice,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Document {
    pub id: i64,
    pub filing_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
    pub uploaded_by: Option<i64>,
    pub uploaded_at: DateTime<Utc>,
}

// ---------------------------------------------------------------------------------------------
// Notifications and service sheets
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub template: String,
    pub subject: String,
    pub body: String,
    pub link: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub read_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Sheet {
    pub id: i64,
    pub project_id: i64,
    pub project_name: String,
    pub organization_id: i64,
    pub officer_id: i64,
    pub officer_name: String,
    pub items: Vec<SheetItem>,
    pub assignments: Vec<Assignment>,
    pub version: i32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SheetItem {
    pub id: i64,
    pub kind: String,
    pub description: String,
    pub promised_on: NaiveDate,
    pub status: String,
    pub done_on: Option<NaiveDate>,
    pub urged_on: Option<NaiveDate>,
    pub supervised_on: Option<NaiveDate>,
    pub version: i32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Assignment {
    pub officer_id: i64,
    pub previous_officer_id: Option<i64>,
    pub reason: Option<String>,
    pub assigned_by: Option<i64>,
}

/// A string that the server sends as null where it does not apply.
fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

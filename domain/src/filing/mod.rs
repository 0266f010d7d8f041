//! The filing (环评申报) lifecycle: its states, who may move it and how ([`transition()`]), the
//! grounds for disapproval, and its statutory clocks ([`filing_clock()`]). No database, no HTTP.

mod clock;
mod detail;
mod grounds;
mod hearing;
mod materials;
mod numbering;
mod recording;
mod rules;
mod source;
mod stage;

mod state;
mod transition;

#[cfg(test)]
mod tests;

pub use crate::names::UnknownCode;
pub use clock::{
    ClockError, ClockInput, ClockKind, ClockSettings, ClockStatus, ClockStop, DayUnit, FilingClock,
    MAX_LIMIT_DAYS, StopReason, filing_clock,
};
pub use detail::{Answer, EventDetail, RecordedFor};
pub use grounds::DisapprovalGround;
pub use hearing::{HearingParty, HearingStatus};
pub use materials::{Material, RequiredMaterials, missing_materials_error};
pub use numbering::{NumberKind, format_number, parse_number};
pub use recording::{
    Reader, acting_role, check_paper_number, effective_date, offered_actions, suggested_refusal,
};
pub use rules::{
    ActionContent, CorrectionBasis, RuleBreach, UNSETTLED_PENALTY_REASON, check_content,
};
pub use source::{LocalGate, StepSource, check_source, gate_applies};
pub use stage::{Mark, Progress, Stage, progress};
pub use state::{Action, FilingState, Role, Tier};
pub use transition::{TransitionError, allowed_actions, transition};

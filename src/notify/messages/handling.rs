//! Who handles a filing, and what they hear besides its steps: a filing waiting in the shared
//! queue, a withdrawal, the receipt of a filed registration form, and an acceptance or decision
//! past due (to the officer, then to the officer's leader).
use chrono::NaiveDate;

use super::{Due, Message, Vars};
use crate::domain::filing::{ClockKind, Tier};
use crate::links::Page;

/// To the officers who may claim it: a submitted filing nobody is assigned to waits in the
/// shared queue (共享待办).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingQueued {
    pub filing_id: i64,
    pub project_name: String,
    pub project_code: String,
    pub owner_name: String,
    pub county_name: String,
    pub tier: Tier,
    pub on: NaiveDate,
    /// When acceptance is due.
    pub due: Due,
}

impl Message for FilingQueued {
    const TEMPLATE: &'static str = "filing_queued";

    fn page(&self) -> Option<Page> {
        Some(Page::Filing(self.filing_id))
    }

    fn vars(&self) -> Vars {
        Vars::from([
            ("project_name", self.project_name.clone()),
            ("project_code", self.project_code.clone()),
            ("owner_name", self.owner_name.clone()),
            ("county_name", self.county_name.clone()),
            ("tier_label", self.tier.label().to_owned()),
            ("on", self.on.to_string()),
            ("due", self.due.text()),
        ])
    }
}

/// To the officer handling it: a hearing was asked for during the pre-decision notice; no
/// decision until it is held or withdrawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HearingRequested {
    pub filing_id: i64,
    pub project_name: String,
    pub tier: Tier,
    /// 申请人 or 利害关系人.
    pub party_label: &'static str,
    pub requester: String,
    pub requested_on: NaiveDate,
}

impl Message for HearingRequested {
    const TEMPLATE: &'static str = "hearing_requested";

    fn page(&self) -> Option<Page> {
        Some(Page::Filing(self.filing_id))
    }

    fn vars(&self) -> Vars {
        Vars::from([
            ("project_name", self.project_name.clone()),
            ("tier_label", self.tier.label().to_owned()),
            ("party_label", self.party_label.to_owned()),
            ("requester", self.requester.clone()),
            ("requested_on", self.requested_on.to_string()),
        ])
    }
}

/// To the officer handling it: the owner withdrew the filing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingWithdrawn {
    pub filing_id: i64,
    pub project_name: String,
    pub owner_name: String,
    pub tier: Tier,
    pub on: NaiveDate,
    /// The owner's note, if any.
    pub note: Option<String>,
}

impl Message for FilingWithdrawn {
    const TEMPLATE: &'static str = "filing_withdrawn";

    fn page(&self) -> Option<Page> {
        Some(Page::Filing(self.filing_id))
    }

    fn vars(&self) -> Vars {
        Vars::from([
            ("project_name", self.project_name.clone()),
            ("owner_name", self.owner_name.clone()),
            ("tier_label", self.tier.label().to_owned()),
            ("on", self.on.to_string()),
            (
                "note",
                self.note.clone().unwrap_or_else(|| "（未说明）".into()),
            ),
        ])
    }
}

/// To the owner: the registration form is filed (备案), with its receipt number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationReceipt {
    pub filing_id: i64,
    pub project_name: String,
    pub project_code: String,
    pub on: NaiveDate,
    pub receipt_no: String,
}

impl Message for RegistrationReceipt {
    const TEMPLATE: &'static str = "registration_receipt";

    fn page(&self) -> Option<Page> {
        Some(Page::Filing(self.filing_id))
    }

    fn vars(&self) -> Vars {
        Vars::from([
            ("project_name", self.project_name.clone()),
            ("project_code", self.project_code.clone()),
            ("on", self.on.to_string()),
            ("receipt_no", self.receipt_no.clone()),
        ])
    }
}

/// To the officer handling it (or those who may claim it): an acceptance or decision is past
/// its due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingOverdue {
    pub filing_id: i64,
    pub project_name: String,
    pub tier: Tier,
    pub clock: ClockKind,
    pub due: NaiveDate,
    /// When the officer's leader hears of it, if it is still open.
    pub escalate_after_working_days: u32,
}

impl Message for FilingOverdue {
    const TEMPLATE: &'static str = "filing_overdue";

    fn page(&self) -> Option<Page> {
        Some(Page::Filing(self.filing_id))
    }

    fn vars(&self) -> Vars {
        Vars::from([
            ("project_name", self.project_name.clone()),
            ("tier_label", self.tier.label().to_owned()),
            ("clock_label", self.clock.label().to_owned()),
            ("action", action(self.clock).to_owned()),
            ("due", self.due.to_string()),
            (
                "escalate_after",
                self.escalate_after_working_days.to_string(),
            ),
        ])
    }
}

/// To the officer's leader: an acceptance or decision is still not made some working days past
/// its due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingOverdueEscalated {
    pub filing_id: i64,
    pub project_name: String,
    pub tier: Tier,
    pub clock: ClockKind,
    pub due: NaiveDate,
    pub working_days_late: i64,
    /// Who handles it; 未分配 when nobody does.
    pub officer_name: Option<String>,
}

impl Message for FilingOverdueEscalated {
    const TEMPLATE: &'static str = "filing_overdue_escalated";

    fn page(&self) -> Option<Page> {
        Some(Page::Filing(self.filing_id))
    }

    fn vars(&self) -> Vars {
        Vars::from([
            ("project_name", self.project_name.clone()),
            ("tier_label", self.tier.label().to_owned()),
            ("clock_label", self.clock.label().to_owned()),
            ("action", action(self.clock).to_owned()),
            ("due", self.due.to_string()),
            ("days_late", self.working_days_late.to_string()),
            (
                "officer_name",
                self.officer_name
                    .clone()
                    .unwrap_or_else(|| "未分配（共享待办）".into()),
            ),
        ])
    }
}

/// What is late when a clock runs out.
fn action(clock: ClockKind) -> &'static str {
    match clock {
        ClockKind::Acceptance => "受理决定（受理、不予受理或一次性告知补正）",
        ClockKind::Decision => "审批决定",
    }
}

//! What owners and officers hear of a filing: submitted, correction requested, accepted,
//! refused, decided, and a deadline drawing near.
use chrono::NaiveDate;

use super::{Due, Message, Vars};
use crate::domain::filing::{ClockKind, Tier};
use crate::links::Page;

/// To the officer the filing is assigned to: a filing awaits acceptance (an unassigned one is
/// `FilingQueued`, to the officers who may claim it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingSubmitted {
    pub filing_id: i64,
    pub project_name: String,
    pub project_code: String,
    pub owner_name: String,
    pub tier: Tier,
    pub on: NaiveDate,
    /// When acceptance is due.
    pub due: Due,
}

impl Message for FilingSubmitted {
    const TEMPLATE: &'static str = "filing_submitted";

    fn page(&self) -> Option<Page> {
        Some(Page::Filing(self.filing_id))
    }

    fn vars(&self) -> Vars {
        Vars::from([
            ("project_name", self.project_name.clone()),
            ("project_code", self.project_code.clone()),
            ("owner_name", self.owner_name.clone()),
            ("tier_label", self.tier.label().to_owned()),
            ("on", self.on.to_string()),
            ("due", self.due.text()),
        ])
    }
}

/// To the owner: every missing item at once (一次性告知).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionRequested {
    pub filing_id: i64,
    pub project_name: String,
    pub tier: Tier,
    pub items: Vec<String>,
}

impl Message for CorrectionRequested {
    const TEMPLATE: &'static str = "correction_requested";

    fn page(&self) -> Option<Page> {
        Some(Page::Filing(self.filing_id))
    }

    fn vars(&self) -> Vars {
        let items: Vec<String> = self
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| format!("{}. {item}", i + 1))
            .collect();
        Vars::from([
            ("project_name", self.project_name.clone()),
            ("tier_label", self.tier.label().to_owned()),
            ("items", items.join("\n")),
        ])
    }
}

/// To the owner: accepted, and when the decision is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingAccepted {
    pub filing_id: i64,
    pub project_name: String,
    pub tier: Tier,
    pub on: NaiveDate,
    pub due: Due,
}

impl Message for FilingAccepted {
    const TEMPLATE: &'static str = "filing_accepted";

    fn page(&self) -> Option<Page> {
        Some(Page::Filing(self.filing_id))
    }

    fn vars(&self) -> Vars {
        Vars::from([
            ("project_name", self.project_name.clone()),
            ("tier_label", self.tier.label().to_owned()),
            ("on", self.on.to_string()),
            ("due", self.due.text()),
        ])
    }
}

/// To the owner: not accepted, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingRefused {
    pub filing_id: i64,
    pub project_name: String,
    pub tier: Tier,
    pub on: NaiveDate,
    pub reason: String,
}

impl Message for FilingRefused {
    const TEMPLATE: &'static str = "filing_refused";

    fn page(&self) -> Option<Page> {
        Some(Page::Filing(self.filing_id))
    }

    fn vars(&self) -> Vars {
        Vars::from([
            ("project_name", self.project_name.clone()),
            ("tier_label", self.tier.label().to_owned()),
            ("on", self.on.to_string()),
            ("reason", self.reason.clone()),
        ])
    }
}

/// How a filing was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// 予以批复, with the decision's text (批复意见) when the officer wrote one.
    Approved { decision_text: Option<String> },
    /// 不予批准, citing 条例 Art. 11, with the officer's explanation.
    Disapproved {
        citations: Vec<String>,
        reason: String,
    },
}

/// To the owner: the decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingDecided {
    pub filing_id: i64,
    pub project_name: String,
    pub tier: Tier,
    pub on: NaiveDate,
    pub decision_no: Option<String>,
    pub decision: Decision,
}

impl Message for FilingDecided {
    const TEMPLATE: &'static str = "filing_decided";

    fn page(&self) -> Option<Page> {
        Some(Page::Filing(self.filing_id))
    }

    fn vars(&self) -> Vars {
        let (outcome, explanation) = match &self.decision {
            Decision::Approved { decision_text } => (
                "予以批复",
                decision_text.clone().unwrap_or_else(|| {
                    "请严格落实环境影响评价文件和批复提出的各项生态环境保护措施。".into()
                }),
            ),
            Decision::Disapproved { citations, reason } => (
                "不予批准",
                format!("依据{}：{reason}", citations.join("、")),
            ),
        };
        Vars::from([
            ("project_name", self.project_name.clone()),
            ("tier_label", self.tier.label().to_owned()),
            ("on", self.on.to_string()),
            ("outcome", outcome.to_owned()),
            (
                "decision_no",
                self.decision_no.clone().unwrap_or_else(|| "—".into()),
            ),
            ("explanation", explanation),
        ])
    }
}

/// To the officer: a statutory deadline falls within the reminder window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineApproaching {
    pub filing_id: i64,
    pub project_name: String,
    pub tier: Tier,
    pub clock: ClockKind,
    pub due: NaiveDate,
    /// The due date reaches a year whose holidays are not loaded: said as 预计.
    pub estimated: bool,
    pub working_days_left: i64,
}

impl Message for DeadlineApproaching {
    const TEMPLATE: &'static str = "deadline_approaching";

    fn page(&self) -> Option<Page> {
        Some(Page::Filing(self.filing_id))
    }

    fn vars(&self) -> Vars {
        Vars::from([
            ("project_name", self.project_name.clone()),
            ("tier_label", self.tier.label().to_owned()),
            ("clock_label", self.clock.label().to_owned()),
            (
                "due",
                if self.estimated {
                    format!("预计{}", self.due)
                } else {
                    self.due.to_string()
                },
            ),
            ("days_left", self.working_days_left.to_string()),
        ])
    }
}

//! A filing's progress as owners see it on the portal, the way government service portals show
//! it (docs/domain.md §7): 已收件 / 已受理 / 审批中 / 特别程序 / 已办结. Every state, and a special
//! procedure (an expert review or a hearing) running beside it, maps to one stage, with what is
//! asked of the owner now or the outcome. No database, no HTTP.
use serde::{Deserialize, Serialize};

use super::{FilingState, StopReason};
use crate::names::{UnknownCode, named_enum};

/// One step of the portal's progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 已收件 — the bureau has the filing and decides whether to take it in (or asked for
    /// corrections).
    Received,
    /// 已受理 — formally accepted; the decision clock runs.
    Accepted,
    /// 审批中 — under technical evaluation, evaluated, or on pre-decision notice.
    UnderReview,
    /// 特别程序 — an expert review or a hearing stops the clock (行政许可法 Art. 45).
    SpecialProcedure,
    /// 已办结 — approved, disapproved, refused, withdrawn or filed.
    Concluded,
}

named_enum!(Stage {
    Received => "received", "已收件";
    Accepted => "accepted", "已受理";
    UnderReview => "under_review", "审批中";
    SpecialProcedure => "special_procedure", "特别程序";
    Concluded => "concluded", "已办结";
});

/// Where a step of the progress bar stands against the filing's stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Done,
    Current,
    Ahead,
}

/// A filing's progress: its stage (none for a draft the bureau has not received), the words
/// shown beside it, and what the owner is asked to do now, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub stage: Option<Stage>,
    /// The situation in the bureau's words: 待受理, 待补正, 技术评估中, 专家评审, 已批复, …
    pub status: &'static str,
    /// What the owner must do now: 提交申报, 补正材料.
    pub asked: Option<&'static str>,
}

impl Progress {
    /// Whether the filing's procedure has ended (its outcome is `status`).
    pub const fn concluded(&self) -> bool {
        matches!(self.stage, Some(Stage::Concluded))
    }

    /// The five steps with their marks: those before the stage done, the stage current. A
    /// special procedure is a side step, passed through only by some filings: it is never shown
    /// as done.
    pub fn steps(&self) -> [(Stage, Mark); 5] {
        Stage::ALL.map(|s| {
            let mark = match self.stage {
                Some(current) if s == current => Mark::Current,
                Some(_) if s == Stage::SpecialProcedure => Mark::Ahead,
                Some(current) if s < current => Mark::Done,
                _ => Mark::Ahead,
            };
            (s, mark)
        })
    }
}

/// The progress of a filing in `state`; `running` is the reason of a clock stop an officer
/// recorded that still runs (an expert review, a hearing), if any.
pub const fn progress(state: FilingState, running: Option<StopReason>) -> Progress {
    // A special procedure shows only while the bureau works on an accepted filing.
    let special = match running {
        Some(StopReason::ExpertReview) => Some("专家评审"),
        Some(StopReason::Hearing) => Some("听证"),
        // Opened and closed by the filing's own steps, and shown by its state.
        Some(StopReason::TechnicalEvaluation | StopReason::CorrectionRequest) | None => None,
    };
    let (stage, status, asked) = match state {
        FilingState::Draft => (None, "草稿，尚未提交", Some("提交申报")),
        FilingState::Submitted => (Some(Stage::Received), "待受理", None),
        FilingState::CorrectionRequested => (Some(Stage::Received), "待补正", Some("补正材料")),
        FilingState::Accepted => match special {
            Some(s) => (Some(Stage::SpecialProcedure), s, None),
            None => (Some(Stage::Accepted), "已受理", None),
        },
        FilingState::TechnicalEvaluation => match special {
            Some(s) => (Some(Stage::SpecialProcedure), s, None),
            None => (Some(Stage::UnderReview), "技术评估中", None),
        },
        FilingState::PreDecisionNotice => match special {
            Some(s) => (Some(Stage::SpecialProcedure), s, None),
            None => (Some(Stage::UnderReview), "拟审批公示", None),
        },
        FilingState::Approved => (Some(Stage::Concluded), "已批复", None),
        FilingState::Disapproved => (Some(Stage::Concluded), "不予批准", None),
        FilingState::Refused => (Some(Stage::Concluded), "不予受理", None),
        FilingState::Withdrawn => (Some(Stage::Concluded), "已撤回", None),
        FilingState::Registered => (Some(Stage::Concluded), "已备案", None),
    };
    Progress {
        stage,
        status,
        asked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::assert_codes_consistent;

    #[test]
    fn codes_and_labels() {
        assert_codes_consistent(&Stage::ALL);
        let labels: Vec<&str> = Stage::ALL.iter().map(|s| s.label()).collect();
        assert_eq!(labels, ["已收件", "已受理", "审批中", "特别程序", "已办结"]);
    }

    #[test]
    fn every_state_has_its_stage() {
        use FilingState as F;
        let expected = [
            (F::Draft, None, "草稿，尚未提交"),
            (F::Submitted, Some(Stage::Received), "待受理"),
            (F::CorrectionRequested, Some(Stage::Received), "待补正"),
            (F::Accepted, Some(Stage::Accepted), "已受理"),
            (F::Refused, Some(Stage::Concluded), "不予受理"),
            (
                F::TechnicalEvaluation,
                Some(Stage::UnderReview),
                "技术评估中",
            ),
            (F::PreDecisionNotice, Some(Stage::UnderReview), "拟审批公示"),
            (F::Approved, Some(Stage::Concluded), "已批复"),
            (F::Disapproved, Some(Stage::Concluded), "不予批准"),
            (F::Withdrawn, Some(Stage::Concluded), "已撤回"),
            (F::Registered, Some(Stage::Concluded), "已备案"),
        ];
        assert_eq!(expected.len(), F::ALL.len());
        for (state, stage, status) in expected {
            let p = progress(state, None);
            assert_eq!((p.stage, p.status), (stage, status), "{state}");
        }
    }

    #[test]
    fn only_drafts_and_corrections_ask_the_owner() {
        for state in FilingState::ALL {
            let asked = progress(state, None).asked;
            match state {
                FilingState::Draft => assert_eq!(asked, Some("提交申报")),
                FilingState::CorrectionRequested => assert_eq!(asked, Some("补正材料")),
                _ => assert_eq!(asked, None, "{state}"),
            }
        }
    }

    #[test]
    fn an_expert_review_or_hearing_is_a_special_procedure_while_the_bureau_works() {
        for state in [
            FilingState::Accepted,
            FilingState::TechnicalEvaluation,
            FilingState::PreDecisionNotice,
        ] {
            let p = progress(state, Some(StopReason::ExpertReview));
            assert_eq!(
                (p.stage, p.status),
                (Some(Stage::SpecialProcedure), "专家评审")
            );
            let p = progress(state, Some(StopReason::Hearing));
            assert_eq!((p.stage, p.status), (Some(Stage::SpecialProcedure), "听证"));
            // The filing's own stops are its state, not a special procedure.
            let p = progress(state, Some(StopReason::TechnicalEvaluation));
            assert_ne!(p.stage, Some(Stage::SpecialProcedure));
        }
        // A decided or not yet accepted filing is not held by a stop.
        let p = progress(FilingState::Approved, Some(StopReason::Hearing));
        assert_eq!(p.stage, Some(Stage::Concluded));
        let p = progress(FilingState::Submitted, Some(StopReason::ExpertReview));
        assert_eq!(p.stage, Some(Stage::Received));
    }

    #[test]
    fn steps_before_the_stage_are_done() {
        let p = progress(FilingState::TechnicalEvaluation, None);
        let marks: Vec<Mark> = p.steps().iter().map(|(_, m)| *m).collect();
        assert_eq!(
            marks,
            [
                Mark::Done,
                Mark::Done,
                Mark::Current,
                Mark::Ahead,
                Mark::Ahead
            ]
        );
        let draft = progress(FilingState::Draft, None);
        assert!(draft.steps().iter().all(|(_, m)| *m == Mark::Ahead));
        let done = progress(FilingState::Approved, None);
        assert!(done.concluded());
        let marks: Vec<Mark> = done.steps().iter().map(|(_, m)| *m).collect();
        assert_eq!(
            marks,
            [
                Mark::Done,
                Mark::Done,
                Mark::Done,
                Mark::Ahead,
                Mark::Current
            ]
        );
        let special = progress(FilingState::PreDecisionNotice, Some(StopReason::Hearing));
        assert_eq!(special.steps()[3], (Stage::SpecialProcedure, Mark::Current));
    }
}

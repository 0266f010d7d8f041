//! The vocabulary of the filing lifecycle (docs/domain.md §4): states, document tiers, roles and the
//! actions that move a filing, each with its stable code and Chinese label.

use serde::{Deserialize, Serialize};

use crate::names::{UnknownCode, named_enum};
pub use crate::role::Role;

/// Where a filing (环评申报) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilingState {
    /// 草稿 — being prepared by the owner; the bureau has not received it.
    Draft,
    /// 已提交 — received; the 5-working-day acceptance clock runs.
    Submitted,
    /// 待补正 — a correction notice listing every missing item is out; the owner must answer.
    CorrectionRequested,
    /// 已受理 — formally taken in; the decision clock runs.
    Accepted,
    /// 不予受理 — declined at the door (e.g. built before approval with the penalty unsettled).
    Refused,
    /// 技术评估中 — under expert technical evaluation; the decision clock is stopped.
    TechnicalEvaluation,
    /// 拟审批公示 — the proposed decision is on public notice.
    PreDecisionNotice,
    /// 已批复 — approved, with a decision number.
    Approved,
    /// 不予批准 — disapproved, on grounds from 条例 Art. 11.
    Disapproved,
    /// 已撤回 — withdrawn by the owner before a decision.
    Withdrawn,
    /// 已备案 — a registration form, filed at once with a receipt number.
    Registered,
}

named_enum!(FilingState {
    Draft => "draft", "草稿";
    Submitted => "submitted", "已提交";
    CorrectionRequested => "correction_requested", "待补正";
    Accepted => "accepted", "已受理";
    Refused => "refused", "不予受理";
    TechnicalEvaluation => "technical_evaluation", "技术评估中";
    PreDecisionNotice => "pre_decision_notice", "拟审批公示";
    Approved => "approved", "已批复";
    Disapproved => "disapproved", "不予批准";
    Withdrawn => "withdrawn", "已撤回";
    Registered => "registered", "已备案";
});

impl FilingState {
    /// The states whose filings the public register (公示公告) may show notices of: accepted,
    /// under evaluation, in the pre-decision notice, or decided. Drafts, submissions and
    /// refusals are between the owner and the bureau.
    pub const PUBLISHED: [FilingState; 5] = [
        FilingState::Accepted,
        FilingState::TechnicalEvaluation,
        FilingState::PreDecisionNotice,
        FilingState::Approved,
        FilingState::Disapproved,
    ];

    /// Whose clocks run: submitted and not yet terminal.
    pub const fn clock_runs(self) -> bool {
        !self.is_terminal() && !matches!(self, FilingState::Draft)
    }

    /// No action leaves a terminal state; a new attempt is a new filing.
    pub const fn is_terminal(self) -> bool {
        match self {
            FilingState::Refused
            | FilingState::Approved
            | FilingState::Disapproved
            | FilingState::Withdrawn
            | FilingState::Registered => true,
            FilingState::Draft
            | FilingState::Submitted
            | FilingState::CorrectionRequested
            | FilingState::Accepted
            | FilingState::TechnicalEvaluation
            | FilingState::PreDecisionNotice => false,
        }
    }

    /// Whether the filing counts in the numerator of the acceptance-and-approval rate (受理审批率):
    /// formally accepted, or decided after acceptance, or (for a registration form) filed.
    pub const fn counts_as_accepted_or_decided(self) -> bool {
        match self {
            FilingState::Accepted
            | FilingState::TechnicalEvaluation
            | FilingState::PreDecisionNotice
            | FilingState::Approved
            | FilingState::Disapproved
            | FilingState::Registered => true,
            FilingState::Draft
            | FilingState::Submitted
            | FilingState::CorrectionRequested
            | FilingState::Refused
            | FilingState::Withdrawn => false,
        }
    }
}

/// The EIA document tier a filing carries (分类管理名录).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// 报告书 — full report; 60-day decision limit by default.
    Report,
    /// 报告表 — report form; 30-day decision limit by default.
    ReportForm,
    /// 登记表 — registration form; filed online (备案), never approved.
    RegistrationForm,
}

named_enum!(Tier {
    Report => "report", "报告书";
    ReportForm => "report_form", "报告表";
    RegistrationForm => "registration_form", "登记表";
});

/// What someone does to a filing. Each action has exactly one target state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// 提交 — the owner sends the draft; this is the receipt date.
    Submit,
    /// 通知补正 — the officer lists every missing item at once (一次性告知).
    RequestCorrection,
    /// 补正后重新提交 — the owner answers; a new receipt date (行政许可法 Art. 32).
    Resubmit,
    /// 受理 — a dated written acceptance.
    Accept,
    /// 不予受理 — a dated written refusal, with a reason.
    Refuse,
    /// 送技术评估 — sent for technical evaluation; the decision clock stops.
    StartEvaluation,
    /// 完成技术评估 — evaluation back; the proposed decision goes on notice (拟审批公示).
    FinishEvaluation,
    /// 批复 — approve.
    Approve,
    /// 不予批准 — disapprove.
    Disapprove,
    /// 撤回 — the owner withdraws before a decision.
    Withdraw,
    /// 备案 — the owner files a registration form.
    Register,
}

named_enum!(Action {
    Submit => "submit", "提交";
    RequestCorrection => "request_correction", "通知补正";
    Resubmit => "resubmit", "补正后重新提交";
    Accept => "accept", "受理";
    Refuse => "refuse", "不予受理";
    StartEvaluation => "start_evaluation", "送技术评估";
    FinishEvaluation => "finish_evaluation", "完成技术评估";
    Approve => "approve", "批复";
    Disapprove => "disapprove", "不予批准";
    Withdraw => "withdraw", "撤回";
    Register => "register", "备案";
});

/// An exempt project has no filing; every other ledger tier is a filing tier.
impl TryFrom<crate::ledger::Tier> for Tier {
    type Error = crate::ledger::Tier;

    fn try_from(tier: crate::ledger::Tier) -> Result<Self, Self::Error> {
        use crate::ledger::Tier as Ledger;
        match tier {
            Ledger::Report => Ok(Tier::Report),
            Ledger::ReportForm => Ok(Tier::ReportForm),
            Ledger::RegistrationForm => Ok(Tier::RegistrationForm),
            Ledger::Exempt => Err(tier),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::assert_codes_consistent;

    #[test]
    fn codes_match_serde_and_parse_back() {
        assert_codes_consistent(&FilingState::ALL);
        assert_codes_consistent(&Tier::ALL);
        assert_codes_consistent(&Role::ALL);
        assert_codes_consistent(&Action::ALL);
    }

    #[test]
    fn an_unknown_code_says_what_it_is() {
        let err = "approvedd".parse::<FilingState>().expect_err("unknown");
        assert_eq!(err.to_string(), "“approvedd” is not a known FilingState");
    }

    #[test]
    fn labels_are_the_bureaus_words() {
        let labels: Vec<&str> = FilingState::ALL.iter().map(|s| s.label()).collect();
        assert_eq!(
            labels,
            [
                "草稿",
                "已提交",
                "待补正",
                "已受理",
                "不予受理",
                "技术评估中",
                "拟审批公示",
                "已批复",
                "不予批准",
                "已撤回",
                "已备案"
            ]
        );
        assert_eq!(Tier::ReportForm.label(), "报告表");
    }

    #[test]
    fn roles_are_ordered_owner_leader_officer_admin() {
        assert!(Role::Owner < Role::Leader);
        assert!(Role::Leader < Role::Officer);
        assert!(Role::Officer < Role::Admin);
        let mut shuffled = [Role::Admin, Role::Owner, Role::Officer, Role::Leader];
        shuffled.sort();
        assert_eq!(shuffled, Role::ALL);
    }

    #[test]
    fn accepted_or_decided_is_the_rate_numerator() {
        let counted: Vec<FilingState> = FilingState::ALL
            .into_iter()
            .filter(|s| s.counts_as_accepted_or_decided())
            .collect();
        assert_eq!(
            counted,
            [
                FilingState::Accepted,
                FilingState::TechnicalEvaluation,
                FilingState::PreDecisionNotice,
                FilingState::Approved,
                FilingState::Disapproved,
                FilingState::Registered
            ]
        );
    }
}

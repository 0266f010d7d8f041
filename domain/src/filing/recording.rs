//! How a step gets onto the record (docs/domain.md §4): the date it takes effect, whose step it
//! counts as, the paper number it may carry, and which actions a reader is offered. Officers
//! enter what happened on paper or at the service window; everyone else acts today, as
//! themselves, and takes the number the system issues.
use chrono::NaiveDate;

use super::rules::UNSETTLED_PENALTY_REASON;
use super::{Action, FilingState, Role, Tier, allowed_actions};
use crate::FieldError;

/// The date a step takes effect: today, or for officers a date on paper that is neither in the
/// future nor before the previous step.
pub fn effective_date(
    requested: Option<NaiveDate>,
    recorder: Role,
    today: NaiveDate,
    previous: Option<NaiveDate>,
) -> Result<NaiveDate, FieldError> {
    let date = match requested {
        None => today,
        Some(_) if !recorder.keeps_ledger() => {
            return Err(FieldError::new(
                "effective_on",
                "只有审批人员可以补录以往日期的办理环节",
            ));
        }
        Some(date) => match crate::past_date_problem(date, today) {
            Some(problem) => return Err(FieldError::new("effective_on", problem)),
            None => date,
        },
    };
    match previous {
        Some(previous) if date < previous => Err(FieldError::new(
            "effective_on",
            format!("日期不能早于上一环节（{previous}）"),
        )),
        _ => Ok(date),
    }
}

/// The role a step is checked against: the recorder's own, or the owner's when an officer
/// enters an owner's step (submit, resubmit, register, withdraw) that reached the bureau on
/// paper or at the service window.
pub fn acting_role(
    recorder: Role,
    on_behalf_of_owner: bool,
    action: Action,
) -> Result<Role, FieldError> {
    if !on_behalf_of_owner {
        return Ok(recorder);
    }
    if !recorder.keeps_ledger() {
        return Err(FieldError::new(
            "on_behalf_of_owner",
            "只有审批人员可以代建设单位录入",
        ));
    }
    if !action.permits(Role::Owner) {
        return Err(FieldError::new(
            "on_behalf_of_owner",
            format!("“{}”不是建设单位的操作", action.label()),
        ));
    }
    Ok(Role::Owner)
}

/// Only decisions and registration receipts have numbers, and a number is written by hand only
/// when an officer records a past paper step (`backdated`); otherwise the system issues it.
pub fn check_paper_number(
    action: Action,
    number: &str,
    recorder: Role,
    backdated: bool,
) -> Result<(), FieldError> {
    let message = if !matches!(
        action,
        Action::Approve | Action::Disapprove | Action::Register
    ) {
        Some("只有批复、不予批准和登记表备案有文号")
    } else if !backdated || !recorder.keeps_ledger() {
        Some("只有审批人员补录以往的纸质决定或回执时填写文号，其余由系统编号")
    } else if number.trim().is_empty() || number.chars().count() > 60 {
        Some("文号不能为空且不超过60字")
    } else {
        None
    };
    match message {
        Some(message) => Err(FieldError::new("number", message)),
        None => Ok(()),
    }
}

/// What a reader of a filing is looking at, for the actions offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reader {
    pub role: Role,
    /// An owner reading its own organisation's filing.
    pub owns_project: bool,
}

/// The actions a reader is offered now: the state machine's, nothing for another
/// organisation's owner, and no acceptance while a project built before approval has its
/// penalty unsettled (the bureau refuses instead).
pub fn offered_actions(
    state: FilingState,
    tier: Tier,
    reader: Reader,
    penalty_unsettled: bool,
) -> Vec<Action> {
    if reader.role == Role::Owner && !reader.owns_project {
        return Vec::new();
    }
    let mut actions = allowed_actions(state, tier, reader.role);
    if penalty_unsettled {
        actions.retain(|a| *a != Action::Accept);
    }
    actions
}

/// The refusal reason offered to an officer deciding on a submission whose project was built
/// before approval with its penalty unsettled.
pub fn suggested_refusal(
    state: FilingState,
    reader: Role,
    penalty_unsettled: bool,
) -> Option<&'static str> {
    (penalty_unsettled && state == FilingState::Submitted && reader.keeps_ledger())
        .then_some(UNSETTLED_PENALTY_REASON)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn officers_backdate_within_the_history_others_act_today() {
        let today = d("2023-06-30");
        assert_eq!(effective_date(None, Role::Owner, today, None), Ok(today));
        assert_eq!(
            effective_date(
                Some(d("2023-06-01")),
                Role::Officer,
                today,
                Some(d("2023-05-30"))
            ),
            Ok(d("2023-06-01"))
        );
        for (requested, role, previous) in [
            (d("2023-06-01"), Role::Owner, None),
            (d("2023-07-01"), Role::Officer, None),
            (d("2023-06-01"), Role::Officer, Some(d("2023-06-02"))),
        ] {
            let err = effective_date(Some(requested), role, today, previous).unwrap_err();
            assert_eq!(err.field, "effective_on");
        }
    }

    #[test]
    fn officers_enter_owner_steps_only() {
        assert_eq!(
            acting_role(Role::Officer, true, Action::Submit),
            Ok(Role::Owner)
        );
        assert_eq!(
            acting_role(Role::Officer, false, Action::Accept),
            Ok(Role::Officer)
        );
        assert!(acting_role(Role::Owner, true, Action::Submit).is_err());
        assert!(acting_role(Role::Officer, true, Action::Accept).is_err());
    }

    #[test]
    fn paper_numbers_only_for_backdated_decisions_and_receipts() {
        assert!(
            check_paper_number(Action::Approve, "商环批复〔2023〕3号", Role::Officer, true).is_ok()
        );
        assert!(check_paper_number(Action::Accept, "x", Role::Officer, true).is_err());
        assert!(check_paper_number(Action::Approve, "x", Role::Officer, false).is_err());
        assert!(check_paper_number(Action::Register, " ", Role::Admin, true).is_err());
        assert!(check_paper_number(Action::Register, &"号".repeat(61), Role::Admin, true).is_err());
    }

    #[test]
    fn no_acceptance_offered_while_the_penalty_is_unsettled() {
        let officer = Reader {
            role: Role::Officer,
            owns_project: false,
        };
        let offered = offered_actions(FilingState::Submitted, Tier::Report, officer, false);
        assert!(offered.contains(&Action::Accept));
        let offered = offered_actions(FilingState::Submitted, Tier::Report, officer, true);
        assert!(!offered.contains(&Action::Accept) && offered.contains(&Action::Refuse));
        let stranger = Reader {
            role: Role::Owner,
            owns_project: false,
        };
        assert!(offered_actions(FilingState::Draft, Tier::Report, stranger, false).is_empty());
        assert_eq!(
            suggested_refusal(FilingState::Submitted, Role::Officer, true),
            Some(UNSETTLED_PENALTY_REASON)
        );
        assert_eq!(
            suggested_refusal(FilingState::Submitted, Role::Owner, true),
            None
        );
    }

    #[test]
    fn the_register_shows_accepted_and_decided_filings_only() {
        for state in FilingState::ALL {
            let shown = FilingState::PUBLISHED.contains(&state);
            let expected = matches!(
                state,
                FilingState::Accepted
                    | FilingState::TechnicalEvaluation
                    | FilingState::PreDecisionNotice
                    | FilingState::Approved
                    | FilingState::Disapproved
            );
            assert_eq!(shown, expected, "{state}");
        }
    }
}

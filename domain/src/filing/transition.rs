//! The one place that decides whether an action may move a filing, and where to. Everything else
//! (HTTP handlers, the clock's replay of history, the UI's buttons) asks [`transition()`].

use super::state::{Action, FilingState, Role, Tier};

/// Why a transition was refused: never for this role, never for this tier, or not in this
/// state. Callers tell the three apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The role may never take this action, whatever the filing's state.
    #[error("a {} ({role}) may not {} ({action}) a filing", role.label(), action.label())]
    Forbidden { action: Action, role: Role },

    /// The action never applies to a filing of this tier: only registration forms are registered,
    /// and they are never submitted or decided.
    #[error("{} ({action}) does not apply to a {} ({tier}) filing", action.label(), tier.label())]
    NotForTier { action: Action, tier: Tier },

    /// The action is not allowed while the filing is in this state.
    #[error("cannot {} ({action}) a filing that is {} ({state})", action.label(), state.label())]
    NotAllowed { action: Action, state: FilingState },
}

/// Decides one transition: checks the role, then the tier, then the state, and returns the new
/// state. Pure; the caller persists it with a conditional update on the state it read.
pub fn transition(
    state: FilingState,
    tier: Tier,
    action: Action,
    role: Role,
) -> Result<FilingState, TransitionError> {
    if !action.permits(role) {
        return Err(TransitionError::Forbidden { action, role });
    }
    next_state(state, tier, action)
}

/// The actions `role` may take on the filing now, for the buttons a page shows.
pub fn allowed_actions(state: FilingState, tier: Tier, role: Role) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|&action| transition(state, tier, action, role).is_ok())
        .collect()
}

/// [`transition`] without the role check, for replaying a recorded history whose actors were
/// checked when it was written.
pub(super) fn next_state(
    state: FilingState,
    tier: Tier,
    action: Action,
) -> Result<FilingState, TransitionError> {
    if !action.applies_to(tier) {
        return Err(TransitionError::NotForTier { action, tier });
    }
    if !action.sources().contains(&state) {
        return Err(TransitionError::NotAllowed { action, state });
    }
    Ok(action.target())
}

/// States from which the owner may withdraw: everything before a decision.
const BEFORE_DECISION: &[FilingState] = &[
    FilingState::Draft,
    FilingState::Submitted,
    FilingState::CorrectionRequested,
    FilingState::Accepted,
    FilingState::TechnicalEvaluation,
    FilingState::PreDecisionNotice,
];

impl Action {
    /// Whether `role` may ever take this action. Owners act on their own filings; officers (and
    /// admins, who may do what an officer may) act for the bureau; leadership only reads.
    pub const fn permits(self, role: Role) -> bool {
        let owners_action = match self {
            Action::Submit | Action::Resubmit | Action::Withdraw | Action::Register => true,
            Action::RequestCorrection
            | Action::Accept
            | Action::Refuse
            | Action::StartEvaluation
            | Action::FinishEvaluation
            | Action::Approve
            | Action::Disapprove => false,
        };
        match role {
            Role::Owner => owners_action,
            Role::Leader => false,
            Role::Officer | Role::Admin => !owners_action,
        }
    }

    /// Whether the action belongs to a filing of this tier at all. A registration form is filed
    /// at once (备案), so its only moves are register and withdraw (from draft).
    pub const fn applies_to(self, tier: Tier) -> bool {
        let registration = match tier {
            Tier::Report | Tier::ReportForm => false,
            Tier::RegistrationForm => true,
        };
        match self {
            Action::Register => registration,
            Action::Withdraw => true,
            Action::Submit
            | Action::RequestCorrection
            | Action::Resubmit
            | Action::Accept
            | Action::Refuse
            | Action::StartEvaluation
            | Action::FinishEvaluation
            | Action::Approve
            | Action::Disapprove => !registration,
        }
    }

    /// The states the action may be taken from.
    pub const fn sources(self) -> &'static [FilingState] {
        match self {
            Action::Submit | Action::Register => &[FilingState::Draft],
            Action::RequestCorrection | Action::Accept | Action::Refuse => {
                &[FilingState::Submitted]
            }
            Action::Resubmit => &[FilingState::CorrectionRequested],
            Action::StartEvaluation => &[FilingState::Accepted],
            Action::FinishEvaluation => &[FilingState::TechnicalEvaluation],
            Action::Approve | Action::Disapprove => &[FilingState::PreDecisionNotice],
            Action::Withdraw => BEFORE_DECISION,
        }
    }

    /// The state the action leads to.
    pub const fn target(self) -> FilingState {
        match self {
            Action::Submit | Action::Resubmit => FilingState::Submitted,
            Action::RequestCorrection => FilingState::CorrectionRequested,
            Action::Accept => FilingState::Accepted,
            Action::Refuse => FilingState::Refused,
            Action::StartEvaluation => FilingState::TechnicalEvaluation,
            Action::FinishEvaluation => FilingState::PreDecisionNotice,
            Action::Approve => FilingState::Approved,
            Action::Disapprove => FilingState::Disapproved,
            Action::Withdraw => FilingState::Withdrawn,
            Action::Register => FilingState::Registered,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use Action as A;
    use FilingState as S;

    #[test]
    fn the_report_path_end_to_end() {
        let steps = [
            (A::Submit, Role::Owner, S::Submitted),
            (A::RequestCorrection, Role::Officer, S::CorrectionRequested),
            (A::Resubmit, Role::Owner, S::Submitted),
            (A::Accept, Role::Officer, S::Accepted),
            (A::StartEvaluation, Role::Officer, S::TechnicalEvaluation),
            (A::FinishEvaluation, Role::Officer, S::PreDecisionNotice),
            (A::Approve, Role::Officer, S::Approved),
        ];
        let mut state = S::Draft;
        for (action, role, expected) in steps {
            state = transition(state, Tier::Report, action, role).expect("allowed");
            assert_eq!(state, expected);
        }
    }

    #[test]
    fn a_registration_form_is_filed_at_once() {
        assert_eq!(
            transition(S::Draft, Tier::RegistrationForm, A::Register, Role::Owner),
            Ok(S::Registered)
        );
        assert_eq!(
            transition(S::Draft, Tier::RegistrationForm, A::Submit, Role::Owner),
            Err(TransitionError::NotForTier {
                action: A::Submit,
                tier: Tier::RegistrationForm
            })
        );
        assert_eq!(
            transition(S::Draft, Tier::Report, A::Register, Role::Owner),
            Err(TransitionError::NotForTier {
                action: A::Register,
                tier: Tier::Report
            })
        );
    }

    #[test]
    fn forbidden_and_not_allowed_name_the_role_and_the_state() {
        let forbidden = transition(S::Submitted, Tier::Report, A::Accept, Role::Owner)
            .expect_err("owners do not accept");
        assert!(matches!(forbidden, TransitionError::Forbidden { .. }));
        assert_eq!(
            forbidden.to_string(),
            "a 建设单位 (owner) may not 受理 (accept) a filing"
        );

        let not_now = transition(S::Draft, Tier::Report, A::Accept, Role::Officer)
            .expect_err("nothing to accept yet");
        assert_eq!(
            not_now,
            TransitionError::NotAllowed {
                action: A::Accept,
                state: S::Draft
            }
        );
        assert_eq!(
            not_now.to_string(),
            "cannot 受理 (accept) a filing that is 草稿 (draft)"
        );
    }

    #[test]
    fn a_role_check_comes_before_the_state_check() {
        // An owner asking to approve a draft learns they may never approve, not that it is a draft.
        assert_eq!(
            transition(S::Draft, Tier::Report, A::Approve, Role::Owner),
            Err(TransitionError::Forbidden {
                action: A::Approve,
                role: Role::Owner
            })
        );
    }

    #[test]
    fn leadership_can_do_nothing() {
        for state in S::ALL {
            for tier in Tier::ALL {
                assert_eq!(allowed_actions(state, tier, Role::Leader), []);
            }
        }
    }

    #[test]
    fn admin_may_do_what_an_officer_may_and_no_more() {
        for state in S::ALL {
            for tier in Tier::ALL {
                assert_eq!(
                    allowed_actions(state, tier, Role::Admin),
                    allowed_actions(state, tier, Role::Officer),
                    "{state} {tier}"
                );
            }
        }
        assert!(matches!(
            transition(S::Draft, Tier::Report, A::Submit, Role::Admin),
            Err(TransitionError::Forbidden { .. })
        ));
    }

    #[test]
    fn the_owner_may_withdraw_until_a_decision_and_not_after() {
        for state in S::ALL {
            let result = transition(state, Tier::ReportForm, A::Withdraw, Role::Owner);
            if state.is_terminal() {
                assert!(result.is_err(), "{state}");
            } else {
                assert_eq!(result, Ok(S::Withdrawn), "{state}");
            }
        }
    }

    #[test]
    fn what_an_officer_sees_on_a_submitted_report() {
        assert_eq!(
            allowed_actions(S::Submitted, Tier::Report, Role::Officer),
            [A::RequestCorrection, A::Accept, A::Refuse]
        );
        assert_eq!(
            allowed_actions(S::Submitted, Tier::Report, Role::Owner),
            [A::Withdraw]
        );
    }

    #[test]
    fn the_table_never_leaves_a_terminal_state_and_never_enters_draft() {
        for action in A::ALL {
            assert!(
                action.sources().iter().all(|s| !s.is_terminal()),
                "{action}"
            );
            assert_ne!(action.target(), S::Draft);
        }
    }

    #[test]
    fn every_open_state_has_a_way_out() {
        for state in S::ALL.into_iter().filter(|s| !s.is_terminal()) {
            assert!(
                A::ALL.iter().any(|a| a.sources().contains(&state)),
                "{state}"
            );
        }
    }
}

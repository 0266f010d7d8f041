//! Properties of the state machine over random sequences of actions and roles.

use proptest::prelude::*;

use super::*;
use crate::calendar::WorkCalendar;

/// A step is either any (action, role) at all, mostly refused, or one of the moves allowed now,
/// so that walks also get deep into the lifecycle instead of bouncing off `draft`.
#[derive(Debug, Clone, Copy)]
enum Step {
    Any(Action, Role),
    Allowed(usize),
}

fn any_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (
            prop::sample::select(Action::ALL.to_vec()),
            prop::sample::select(Role::ALL.to_vec()),
        )
            .prop_map(|(action, role)| Step::Any(action, role)),
        any::<usize>().prop_map(Step::Allowed),
    ]
}

fn moves(state: FilingState, tier: Tier) -> Vec<(Action, Role)> {
    Role::ALL
        .into_iter()
        .flat_map(|role| {
            allowed_actions(state, tier, role)
                .into_iter()
                .map(move |action| (action, role))
        })
        .collect()
}

fn resolve(step: Step, state: FilingState, tier: Tier) -> (Action, Role) {
    match step {
        Step::Any(action, role) => (action, role),
        Step::Allowed(index) => {
            let moves = moves(state, tier);
            match moves.get(index % moves.len().max(1)) {
                Some(&chosen) => chosen,
                // Nothing is allowed (a terminal state): try something that must be refused.
                None => (Action::Submit, Role::Owner),
            }
        }
    }
}

/// Every state is reachable for report tiers, and only draft, registered and withdrawn for a
/// registration form: an exhaustive search over all actions and roles.
#[test]
fn reachable_states_per_tier() {
    for tier in Tier::ALL {
        let mut reached = vec![FilingState::Draft];
        let mut frontier = vec![FilingState::Draft];
        while let Some(state) = frontier.pop() {
            for (action, role) in moves(state, tier) {
                let next = transition(state, tier, action, role).expect("allowed move");
                if !reached.contains(&next) {
                    reached.push(next);
                    frontier.push(next);
                }
            }
        }
        let in_order: Vec<FilingState> = FilingState::ALL
            .into_iter()
            .filter(|s| reached.contains(s))
            .collect();
        let expected: Vec<FilingState> = match tier {
            Tier::Report | Tier::ReportForm => FilingState::ALL
                .into_iter()
                .filter(|&s| s != FilingState::Registered)
                .collect(),
            Tier::RegistrationForm => vec![
                FilingState::Draft,
                FilingState::Withdrawn,
                FilingState::Registered,
            ],
        };
        assert_eq!(in_order, expected, "{tier}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_walks_from_draft_obey_the_rules(
        tier in prop::sample::select(Tier::ALL.to_vec()),
        steps in prop::collection::vec(any_step(), 0..40),
    ) {
        let mut state = FilingState::Draft;
        for step in steps {
            let (action, role) = resolve(step, state, tier);
            if state.is_terminal() {
                for action in Action::ALL {
                    for role in Role::ALL {
                        prop_assert!(transition(state, tier, action, role).is_err());
                    }
                }
            }
            match transition(state, tier, action, role) {
                Ok(next) => {
                    prop_assert!(FilingState::ALL.contains(&next));
                    prop_assert!(action.permits(role) && action.applies_to(tier));
                    prop_assert!(!state.is_terminal());
                    prop_assert_eq!(next, action.target());
                    if next == FilingState::Registered {
                        prop_assert_eq!(tier, Tier::RegistrationForm);
                    }
                    if tier == Tier::RegistrationForm {
                        prop_assert!(matches!(next, FilingState::Registered | FilingState::Withdrawn));
                    }
                    state = next;
                }
                // A refused transition leaves the state as it was (the caller keeps `state`);
                // here we check the refusal is the right one, in the right order.
                Err(TransitionError::Forbidden { action: a, role: r }) => {
                    prop_assert_eq!((a, r), (action, role));
                    prop_assert!(!action.permits(role));
                }
                Err(TransitionError::NotForTier { action: a, tier: t }) => {
                    prop_assert_eq!((a, t), (action, tier));
                    prop_assert!(action.permits(role) && !action.applies_to(tier));
                }
                Err(TransitionError::NotAllowed { action: a, state: s }) => {
                    prop_assert_eq!((a, s), (action, state));
                    prop_assert!(action.permits(role) && action.applies_to(tier));
                    prop_assert!(!action.sources().contains(&state));
                }
            }
        }
    }

    /// A history replayed by the clock is exactly one the state machine accepts.
    #[test]
    fn the_clock_accepts_every_history_the_machine_allows(
        tier in prop::sample::select(Tier::ALL.to_vec()),
        steps in prop::collection::vec(any_step(), 0..20),
        gaps in prop::collection::vec(0_u64..20, 20),
    ) {
        let calendar = WorkCalendar::embedded();
        let mut state = FilingState::Draft;
        let mut on = chrono::NaiveDate::from_ymd_opt(2021, 1, 4).expect("valid");
        let mut history = Vec::new();
        for (step, gap) in steps.into_iter().zip(gaps) {
            let (action, role) = resolve(step, state, tier);
            if let Ok(next) = transition(state, tier, action, role) {
                on = on.checked_add_days(chrono::Days::new(gap)).expect("in range");
                history.push((action, on));
                state = next;
            }
        }
        let input = ClockInput { tier, state, history: &history, extra_stops: &[] };
        let clock = filing_clock(&input, on, &ClockSettings::default(), &calendar);
        prop_assert!(clock.is_ok(), "{:?}", clock);
        let clock = clock.expect("checked");
        if let Some(due) = clock.decision_due {
            prop_assert!(clock.acceptance_due.is_none_or(|a| a <= due));
        }
        prop_assert_eq!(clock.status == ClockStatus::Finished, state.is_terminal() && tier != Tier::RegistrationForm);
    }
}

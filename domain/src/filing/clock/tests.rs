//! Clock scenarios on the real 2023 calendar. Every expected date was counted by hand against
//! resources/holidays-cn/2023.json; the counts are spelled out beside each one.

use chrono::NaiveDate;

use super::*;

use Action as A;
use FilingState as S;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

fn clock_with(
    tier: Tier,
    state: FilingState,
    history: &[(Action, NaiveDate)],
    extra_stops: &[ClockStop],
    today: NaiveDate,
    settings: &ClockSettings,
) -> Result<FilingClock, ClockError> {
    let input = ClockInput {
        tier,
        state,
        history,
        extra_stops,
    };
    filing_clock(&input, today, settings, &WorkCalendar::embedded())
}

fn clock(
    tier: Tier,
    state: FilingState,
    history: &[(Action, NaiveDate)],
    today: NaiveDate,
) -> FilingClock {
    clock_with(tier, state, history, &[], today, &ClockSettings::default()).expect("valid history")
}

fn evaluation(from: NaiveDate, to: Option<NaiveDate>) -> ClockStop {
    ClockStop {
        reason: StopReason::TechnicalEvaluation,
        from,
        to,
    }
}

#[test]
fn defaults_are_the_statutory_limits() {
    let settings = ClockSettings::default();
    assert_eq!(settings.acceptance_working_days, 5);
    assert_eq!(settings.decision_days(Tier::Report), Some(60));
    assert_eq!(settings.decision_days(Tier::ReportForm), Some(30));
    assert_eq!(settings.decision_days(Tier::RegistrationForm), None);
    assert_eq!(settings.decision_unit(), DayUnit::WorkingDays);
    // Settings stored as JSON may leave fields out.
    let partial: ClockSettings =
        serde_json::from_str(r#"{"report_days": 20}"#).expect("partial settings");
    assert_eq!(partial.report_days, 20);
    assert_eq!(partial.acceptance_working_days, 5);
}

#[test]
fn acceptance_across_the_2023_spring_festival() {
    let history = [(A::Submit, date(2023, 1, 19))];
    // Receipt Thu 01-19: Fri 01-20 is 1, 01-21..27 are off, make-up Sat 01-28 is 2, Sun 01-29
    // is 3, Mon 01-30 is 4, Tue 01-31 is 5.
    let on_friday = clock(Tier::Report, S::Submitted, &history, date(2023, 1, 20));
    assert_eq!(on_friday.status, ClockStatus::Running);
    assert_eq!(on_friday.clock, Some(ClockKind::Acceptance));
    assert_eq!(on_friday.acceptance_due, Some(date(2023, 1, 31)));
    assert_eq!((on_friday.days_used, on_friday.days_left), (1, 4));
    assert!(!on_friday.overdue);

    // Mid-holiday nothing is used up.
    let mid_holiday = clock(Tier::Report, S::Submitted, &history, date(2023, 1, 27));
    assert_eq!(mid_holiday.days_used, 1);

    let on_due_day = clock(Tier::Report, S::Submitted, &history, date(2023, 1, 31));
    assert_eq!((on_due_day.days_used, on_due_day.overdue), (5, false));

    let day_after = clock(Tier::Report, S::Submitted, &history, date(2023, 2, 1));
    assert_eq!((day_after.days_used, day_after.days_left), (6, -1));
    assert!(day_after.overdue);
}

#[test]
fn a_correction_request_stops_acceptance_and_resubmission_restarts_it() {
    let requested = [
        (A::Submit, date(2023, 1, 16)),
        (A::RequestCorrection, date(2023, 1, 18)),
    ];
    // Mon 01-16 receipt; Tue 01-17 and Wed 01-18 used before the notice went out.
    let waiting = clock(
        Tier::ReportForm,
        S::CorrectionRequested,
        &requested,
        date(2023, 2, 20),
    );
    assert_eq!(waiting.status, ClockStatus::Stopped);
    assert_eq!(waiting.acceptance_due, None);
    assert_eq!((waiting.days_used, waiting.days_left), (2, 3));
    assert!(!waiting.overdue, "the owner's time does not count");
    assert_eq!(
        waiting.stopped,
        [ClockStop {
            reason: StopReason::CorrectionRequest,
            from: date(2023, 1, 18),
            to: None
        }]
    );

    // Resubmitted on Fri 01-27, a holiday (online): a new receipt with a fresh 5 working days,
    // make-up Sat 01-28 and Sun 01-29 first: 28, 29, 30, 31, then Wed 02-01.
    let mut resubmitted = requested.to_vec();
    resubmitted.push((A::Resubmit, date(2023, 1, 27)));
    let running = clock(
        Tier::ReportForm,
        S::Submitted,
        &resubmitted,
        date(2023, 1, 30),
    );
    assert_eq!(running.status, ClockStatus::Running);
    assert_eq!(running.acceptance_due, Some(date(2023, 2, 1)));
    assert_eq!(running.days_used, 3);
    assert_eq!(
        running.stopped,
        [ClockStop {
            reason: StopReason::CorrectionRequest,
            from: date(2023, 1, 18),
            to: Some(date(2023, 1, 27))
        }]
    );
}

#[test]
fn a_late_correction_request_is_overdue() {
    // Receipt Mon 2023-01-09; the notice went out on Tue 01-17, the 6th working day.
    let history = [
        (A::Submit, date(2023, 1, 9)),
        (A::RequestCorrection, date(2023, 1, 17)),
    ];
    let late = clock(
        Tier::Report,
        S::CorrectionRequested,
        &history,
        date(2023, 1, 20),
    );
    assert_eq!(late.days_used, 6);
    assert!(late.overdue);
}

#[test]
fn refusal_closes_the_acceptance_clock() {
    let history = [
        (A::Submit, date(2023, 9, 27)),
        (A::Refuse, date(2023, 10, 9)),
    ];
    // Receipt Wed 09-27: Thu 09-28 1, 09-29..10-06 off, Sat 10-07 2, Sun 10-08 3, Mon 10-09 4,
    // Tue 10-10 5.
    let refused = clock(Tier::Report, S::Refused, &history, date(2023, 12, 1));
    assert_eq!(refused.status, ClockStatus::Finished);
    assert_eq!(refused.acceptance_due, Some(date(2023, 10, 10)));
    assert_eq!((refused.days_used, refused.overdue), (4, false));
}

#[test]
fn decision_across_national_day_in_working_days() {
    let history = [
        (A::Submit, date(2023, 9, 14)),
        (A::Accept, date(2023, 9, 20)),
    ];
    // Accepted Wed 09-20. Working days: 09-21, 22, 25, 26, 27, 28 (6); 09-29..10-06 off; make-up
    // Sat 10-07 (7) and Sun 10-08 (8); 10-09..13 (13); 10-16..20 (18); 10-23..27 (23);
    // 10-30..11-03 (28); 11-06 (29); 11-07 (30).
    let accepted = clock(Tier::ReportForm, S::Accepted, &history, date(2023, 10, 9));
    assert_eq!(accepted.clock, Some(ClockKind::Decision));
    assert_eq!(accepted.unit, Some(DayUnit::WorkingDays));
    assert_eq!(accepted.decision_due, Some(date(2023, 11, 7)));
    assert_eq!((accepted.days_used, accepted.days_left), (9, 21));
    // Receipt Thu 09-14: 15, 18, 19, 20, 21.
    assert_eq!(accepted.acceptance_due, Some(date(2023, 9, 21)));
    assert!(!accepted.overdue);
}

#[test]
fn decision_over_the_spring_festival_for_a_report() {
    let history = [
        (A::Submit, date(2023, 1, 3)),
        (A::Accept, date(2023, 1, 10)),
    ];
    // Accepted Tue 01-10. January: 11, 12, 13, 16..20 (8), make-up 28, 29 (10), 30, 31 (12);
    // February has 20 working days (32); March 23 (55); April: 3, 4 (57), 05 清明 off, 6, 7 (59),
    // Mon 04-10 (60).
    let accepted = clock(Tier::Report, S::Accepted, &history, date(2023, 1, 10));
    assert_eq!(accepted.decision_due, Some(date(2023, 4, 10)));
    assert_eq!((accepted.days_used, accepted.days_left), (0, 60));
}

#[test]
fn a_technical_evaluation_stops_the_decision_clock() {
    let mut history = vec![
        (A::Submit, date(2023, 9, 14)),
        (A::Accept, date(2023, 9, 20)),
        (A::StartEvaluation, date(2023, 9, 25)),
    ];

    // While the evaluation runs the due date is unknown and the count is frozen at 09-21, 22, 25.
    let evaluating = clock(
        Tier::ReportForm,
        S::TechnicalEvaluation,
        &history,
        date(2023, 10, 12),
    );
    assert_eq!(evaluating.status, ClockStatus::Stopped);
    assert_eq!(evaluating.decision_due, None);
    assert_eq!((evaluating.days_used, evaluating.days_left), (3, 27));
    assert_eq!(evaluating.stopped, [evaluation(date(2023, 9, 25), None)]);
    assert!(!evaluating.overdue);

    // Stopped on the day it went out, too.
    let same_day = clock(
        Tier::ReportForm,
        S::TechnicalEvaluation,
        &history,
        date(2023, 9, 25),
    );
    assert_eq!(same_day.status, ClockStatus::Stopped);

    // Back on Mon 10-16. Stopped working days in (09-25, 10-16]: 26, 27, 28, make-up 10-07 and
    // 10-08, 10-09..13, 10-16 = 11, so the due date moves from 11-07 by 11 working days: 11-08,
    // 09, 10, 13, 14, 15, 16, 17, 20, 21, 22.
    history.push((A::FinishEvaluation, date(2023, 10, 16)));
    let noticed = clock(
        Tier::ReportForm,
        S::PreDecisionNotice,
        &history,
        date(2023, 10, 20),
    );
    assert_eq!(noticed.status, ClockStatus::Running);
    assert_eq!(noticed.decision_due, Some(date(2023, 11, 22)));
    // 09-21, 22, 25, then 10-17, 18, 19, 20.
    assert_eq!((noticed.days_used, noticed.days_left), (7, 23));
    assert_eq!(
        noticed.stopped,
        [evaluation(date(2023, 9, 25), Some(date(2023, 10, 16)))]
    );

    // Approved on 11-22, the last day: finished, on time.
    history.push((A::Approve, date(2023, 11, 22)));
    let approved = clock(Tier::ReportForm, S::Approved, &history, date(2024, 3, 1));
    assert_eq!(approved.status, ClockStatus::Finished);
    assert_eq!(approved.decision_due, Some(date(2023, 11, 22)));
    assert_eq!((approved.days_used, approved.days_left), (30, 0));
    assert!(!approved.overdue);
}

#[test]
fn overlapping_stops_are_not_counted_twice() {
    let history = [
        (A::Submit, date(2023, 9, 14)),
        (A::Accept, date(2023, 9, 20)),
        (A::StartEvaluation, date(2023, 9, 25)),
        (A::FinishEvaluation, date(2023, 10, 16)),
    ];
    // A hearing (10-10, 10-20] overlapping the evaluation adds only 10-17..20 (4) to its 11:
    // 15 stopped working days, so 11-07 + 15 = 11-28.
    let hearing = ClockStop {
        reason: StopReason::Hearing,
        from: date(2023, 10, 10),
        to: Some(date(2023, 10, 20)),
    };
    let result = clock_with(
        Tier::ReportForm,
        S::PreDecisionNotice,
        &history,
        &[hearing],
        date(2023, 10, 18),
        &ClockSettings::default(),
    )
    .expect("valid");
    assert_eq!(result.decision_due, Some(date(2023, 11, 28)));
    assert_eq!(
        result.status,
        ClockStatus::Stopped,
        "the hearing runs until 10-20"
    );
    assert_eq!(
        result.stopped,
        [
            evaluation(date(2023, 9, 25), Some(date(2023, 10, 16))),
            hearing
        ]
    );
}

#[test]
fn calendar_day_decision_limits_count_stops_in_calendar_days() {
    let settings = ClockSettings {
        decision_days_are_working_days: false,
        ..ClockSettings::default()
    };
    let history = [
        (A::Submit, date(2023, 1, 3)),
        (A::Accept, date(2023, 1, 10)),
        (A::StartEvaluation, date(2023, 1, 20)),
        (A::FinishEvaluation, date(2023, 2, 10)),
    ];
    // 01-10 + 60 calendar days = 03-11; the evaluation (01-20, 02-10] is 21 days, so 04-01.
    let result = clock_with(
        Tier::Report,
        S::PreDecisionNotice,
        &history,
        &[],
        date(2023, 2, 15),
        &settings,
    )
    .expect("valid");
    assert_eq!(result.unit, Some(DayUnit::CalendarDays));
    assert_eq!(result.decision_due, Some(date(2023, 4, 1)));
    // 01-11..20 (10) and 02-11..15 (5).
    assert_eq!((result.days_used, result.days_left), (15, 45));
}

#[test]
fn an_overdue_decision() {
    let history = [
        (A::Submit, date(2023, 9, 14)),
        (A::Accept, date(2023, 9, 20)),
    ];
    let late = clock(Tier::ReportForm, S::Accepted, &history, date(2023, 11, 8));
    assert_eq!((late.days_used, late.days_left), (31, -1));
    assert!(late.overdue);
    // Due Tue 11-07; by Sat 11-11 four more working days have gone.
    let weekend = clock(Tier::ReportForm, S::Accepted, &history, date(2023, 11, 11));
    assert_eq!(weekend.days_left, -3);
    assert!(weekend.overdue);
}

#[test]
fn withdrawal_closes_open_stops() {
    let history = [
        (A::Submit, date(2023, 9, 14)),
        (A::Accept, date(2023, 9, 20)),
        (A::StartEvaluation, date(2023, 9, 25)),
        (A::Withdraw, date(2023, 10, 9)),
    ];
    let withdrawn = clock(Tier::Report, S::Withdrawn, &history, date(2023, 12, 1));
    assert_eq!(withdrawn.status, ClockStatus::Finished);
    assert_eq!(withdrawn.days_used, 3);
    assert_eq!(
        withdrawn.stopped,
        [evaluation(date(2023, 9, 25), Some(date(2023, 10, 9)))]
    );
}

#[test]
fn drafts_and_registration_forms_have_no_running_clock() {
    let draft = clock(Tier::Report, S::Draft, &[], date(2023, 1, 5));
    assert_eq!((draft.status, draft.clock), (ClockStatus::NotStarted, None));

    let withdrawn_draft = clock(
        Tier::Report,
        S::Withdrawn,
        &[(A::Withdraw, date(2023, 1, 4))],
        date(2023, 1, 5),
    );
    assert_eq!(withdrawn_draft.status, ClockStatus::Finished);

    let registered = clock(
        Tier::RegistrationForm,
        S::Registered,
        &[(A::Register, date(2023, 1, 4))],
        date(2023, 1, 5),
    );
    assert_eq!(registered.status, ClockStatus::NotApplicable);
    assert_eq!(
        (registered.acceptance_due, registered.decision_due),
        (None, None)
    );
}

#[test]
fn inconsistent_histories_are_rejected() {
    let settings = ClockSettings::default();
    let today = date(2023, 3, 1);
    let run = |state, history: &[(Action, NaiveDate)]| {
        clock_with(Tier::Report, state, history, &[], today, &settings)
    };

    assert_eq!(
        run(S::Accepted, &[(A::Submit, date(2023, 1, 3))]),
        Err(ClockError::StateMismatch {
            recorded: S::Accepted,
            replayed: S::Submitted
        })
    );
    assert_eq!(
        run(S::Accepted, &[(A::Accept, date(2023, 1, 3))]),
        Err(ClockError::Replay {
            index: 0,
            error: TransitionError::NotAllowed {
                action: A::Accept,
                state: S::Draft
            }
        })
    );
    assert_eq!(
        run(
            S::Accepted,
            &[(A::Submit, date(2023, 1, 5)), (A::Accept, date(2023, 1, 3))]
        ),
        Err(ClockError::OutOfOrder { index: 1 })
    );
    assert_eq!(
        run(S::Submitted, &[(A::Submit, date(2023, 3, 2))]),
        Err(ClockError::AfterToday {
            index: 0,
            date: date(2023, 3, 2)
        })
    );
    let backwards = ClockStop {
        reason: StopReason::ExpertReview,
        from: date(2023, 2, 1),
        to: Some(date(2023, 1, 31)),
    };
    assert_eq!(
        clock_with(Tier::Report, S::Draft, &[], &[backwards], today, &settings),
        Err(ClockError::InvalidStop { index: 0 })
    );
}

#[test]
fn implausible_settings_and_unheld_years_are_errors_not_guesses() {
    let settings = ClockSettings {
        report_days: 100_000,
        ..ClockSettings::default()
    };
    assert_eq!(
        clock_with(
            Tier::Report,
            S::Draft,
            &[],
            &[],
            date(2023, 1, 1),
            &settings
        ),
        Err(ClockError::ImplausibleSetting {
            setting: "report_days",
            days: 100_000
        })
    );

    // Accepted at the end of 2026: the due date lies in 2027, which is not loaded. It is
    // estimated on weekends only, and says so: Dec 7–31 give 19 working days, then 2027 from
    // Jan 1 (a Friday, taken as a working day) … the 60th is Friday 2027-02-26.
    let history = [
        (A::Submit, date(2026, 12, 1)),
        (A::Accept, date(2026, 12, 4)),
    ];
    let clock = clock_with(
        Tier::Report,
        S::Accepted,
        &history,
        &[],
        date(2026, 12, 10),
        &ClockSettings::default(),
    )
    .expect("an estimated clock");
    assert_eq!(clock.decision_due, Some(date(2027, 2, 26)));
    assert!(clock.estimated);
    assert!(
        clock
            .estimate_note
            .as_deref()
            .is_some_and(|n| n.contains("2027年节假日安排尚未导入"))
    );
    // Dec 7–10: four working days used.
    assert_eq!(clock.days_used, 4);
    assert_eq!(clock.acceptance_due, Some(date(2026, 12, 8)));
    assert!(!clock.overdue);

    // Today itself in 2027 is counted the same way: Dec 7–31 (19) and Jan 1, 4–8 (6).
    let later = clock_with(
        Tier::Report,
        S::Accepted,
        &history,
        &[],
        date(2027, 1, 10),
        &ClockSettings::default(),
    )
    .expect("an estimated clock");
    assert_eq!(later.days_used, 25);
    assert!(later.estimated);
}

#[test]
fn officer_dated_stops_cover_both_ends_and_overlaps_count_once() {
    // A report form accepted Mon 2023-03-06: 30 working days → 2023-04-17 (Qingming 04-05 off).
    let history = [(A::Submit, date(2023, 3, 1)), (A::Accept, date(2023, 3, 6))];
    let due = |stops: &[ClockStop]| {
        clock_with(
            Tier::ReportForm,
            S::Accepted,
            &history,
            stops,
            date(2023, 3, 31),
            &ClockSettings::default(),
        )
        .expect("valid")
        .decision_due
        .expect("a due date")
    };
    let base = due(&[]);
    assert_eq!(base, date(2023, 4, 18));
    let hearing = |from, to| ClockStop {
        reason: StopReason::Hearing,
        from,
        to: Some(to),
    };
    // A one-day hearing on Wed 03-15 moves it by one working day.
    assert_eq!(
        due(&[hearing(date(2023, 3, 15), date(2023, 3, 15))]),
        date(2023, 4, 19)
    );
    // An expert review over 8 working days (Mon 03-13 … Wed 03-22) moves it by 8: 04-19, 20,
    // 21, 23 (a Sunday worked for Labour Day), 24, 25, 26, 27.
    let review = ClockStop {
        reason: StopReason::ExpertReview,
        from: date(2023, 3, 13),
        to: Some(date(2023, 3, 22)),
    };
    assert_eq!(due(&[review]), date(2023, 4, 27));
    // The hearing inside the review counts once.
    assert_eq!(
        due(&[review, hearing(date(2023, 3, 15), date(2023, 3, 15))]),
        date(2023, 4, 27)
    );
}

#[test]
fn steps_entered_from_the_national_system_replay_on_their_dates() {
    // A 受理公示 list: submit and accept on the same day, Mon 2023-11-06; a 审批决定公告 list:
    // evaluation started, finished and the approval all on Mon 2023-11-20.
    let accepted = date(2023, 11, 6);
    let decided = date(2023, 11, 20);
    let history = [
        (A::Submit, accepted),
        (A::Accept, accepted),
        (A::StartEvaluation, decided),
        (A::FinishEvaluation, decided),
        (A::Approve, decided),
    ];
    let accepted_only = clock(
        Tier::ReportForm,
        S::Accepted,
        &history[..2],
        date(2023, 11, 8),
    );
    // Accepted the day it arrived: on time; the decision clock runs from the acceptance, with
    // Tue 11-07 and Wed 11-08 used.
    assert_eq!(accepted_only.clock, Some(ClockKind::Decision));
    assert_eq!(accepted_only.acceptance_due, Some(date(2023, 11, 13)));
    assert_eq!(accepted_only.days_used, 2);
    assert!(!accepted_only.overdue);
    let done = clock(Tier::ReportForm, S::Approved, &history, date(2023, 12, 1));
    assert_eq!(done.status, ClockStatus::Finished);
    // 11-07..11-20 are 10 working days: an evaluation begun and ended on the day of the
    // decision stops nothing, and the decision day counts as usual.
    assert_eq!(done.days_used, 10);
    assert!(!done.overdue);
}

//! The statutory clocks of one filing, computed from its dated history: the acceptance clock that
//! every receipt starts, and the decision clock that acceptance starts, with the stops that do not
//! count against it (docs/domain.md §4). Pure: history, settings, calendar and `today` in; dates out.

use std::cell::RefCell;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::state::{Action, FilingState, Tier};
use super::transition::{TransitionError, next_state};
use crate::calendar::{CalendarError, Estimated, WorkCalendar, estimate_note};
use crate::names::{UnknownCode, named_enum};

#[cfg(test)]
mod tests;

/// The time limits, each a setting because they differ by province, level and local promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClockSettings {
    /// Working days to accept, refuse or request corrections after a receipt (行政许可法 Art. 32).
    pub acceptance_working_days: u32,
    /// Days to decide on a report (报告书) after acceptance (环评法 Art. 22).
    pub report_days: u32,
    /// Days to decide on a report form (报告表) after acceptance (环评法 Art. 22).
    pub report_form_days: u32,
    /// Whether the decision limits count working days or calendar days. Default `true`: the
    /// Administrative Licensing Law counts licensing periods in working days (Art. 82), and
    /// provincial service guides list the 60 / 30-day limits as working days. A province that reads
    /// 环评法's "日" as calendar days sets this to `false`.
    pub decision_days_are_working_days: bool,
}

impl Default for ClockSettings {
    fn default() -> Self {
        ClockSettings {
            acceptance_working_days: 5,
            report_days: 60,
            report_form_days: 30,
            decision_days_are_working_days: true,
        }
    }
}

/// Above this a limit is a typo, not a promise; it also bounds the day-by-day walks.
pub const MAX_LIMIT_DAYS: u32 = 1000;

impl ClockSettings {
    /// The decision limit for a tier; `None` for a registration form, which is never decided.
    pub const fn decision_days(&self, tier: Tier) -> Option<u32> {
        match tier {
            Tier::Report => Some(self.report_days),
            Tier::ReportForm => Some(self.report_form_days),
            Tier::RegistrationForm => None,
        }
    }

    pub const fn decision_unit(&self) -> DayUnit {
        if self.decision_days_are_working_days {
            DayUnit::WorkingDays
        } else {
            DayUnit::CalendarDays
        }
    }

    pub fn validate(&self) -> Result<(), ClockError> {
        let limits = [
            ("acceptance_working_days", self.acceptance_working_days),
            ("report_days", self.report_days),
            ("report_form_days", self.report_form_days),
        ];
        match limits.into_iter().find(|&(_, days)| days > MAX_LIMIT_DAYS) {
            Some((setting, days)) => Err(ClockError::ImplausibleSetting { setting, days }),
            None => Ok(()),
        }
    }
}

/// What the days of a clock are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayUnit {
    WorkingDays,
    CalendarDays,
}

named_enum!(DayUnit {
    WorkingDays => "working_days", "工作日";
    CalendarDays => "calendar_days", "自然日";
});

/// Why a clock stopped (行政许可法 Art. 45, and an outstanding correction request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    TechnicalEvaluation,
    ExpertReview,
    Hearing,
    CorrectionRequest,
}

named_enum!(StopReason {
    TechnicalEvaluation => "technical_evaluation", "技术评估";
    ExpertReview => "expert_review", "专家评审";
    Hearing => "hearing", "听证";
    CorrectionRequest => "correction_request", "补正";
});

/// A period the clock does not run. A stop an officer dates (an expert review, a hearing) covers
/// its days from `from` to `to`, both ends inclusive: a one-day hearing (`from` = `to`) stops
/// the clock for one day. A stop that an action opens (technical evaluation, a correction
/// request) begins the day after that action, whose own day still counts, the way days are
/// counted from a receipt or an acceptance, and ends with the day of the action that closes
/// it. `to` is `None` while the stop runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockStop {
    pub reason: StopReason,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl StopReason {
    /// Whether the stop is dated by the officer (both ends inclusive) rather than opened and
    /// closed by the filing's own actions.
    pub const fn dated_by_officer(self) -> bool {
        match self {
            StopReason::ExpertReview | StopReason::Hearing => true,
            StopReason::TechnicalEvaluation | StopReason::CorrectionRequest => false,
        }
    }
}

impl ClockStop {
    /// The first day the clock does not run.
    fn first_day(&self) -> NaiveDate {
        if self.reason.dated_by_officer() {
            self.from
        } else {
            self.from.succ_opt().unwrap_or(self.from)
        }
    }

    /// Whether the clock does not run on `date`.
    fn covers(&self, date: NaiveDate) -> bool {
        self.first_day() <= date && self.to.is_none_or(|to| date <= to)
    }

    /// Whether the stop has begun and not yet ended on `today`: the clock is shown as stopped from
    /// the day it was sent out until the day it comes back (an officer's stop through its last day).
    fn in_force(&self, today: NaiveDate) -> bool {
        self.from <= today
            && self.to.is_none_or(|to| {
                if self.reason.dated_by_officer() {
                    today <= to
                } else {
                    today < to
                }
            })
    }
}

/// Which clock `days_used`, `days_left` and `overdue` are about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    /// 受理时限 — from the latest receipt to accept, refuse or a correction request.
    Acceptance,
    /// 审批时限 — from acceptance to the decision.
    Decision,
}

named_enum!(ClockKind {
    Acceptance => "acceptance", "受理时限";
    Decision => "decision", "审批时限";
});

/// Where the current clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStatus {
    /// A registration form: filed at once, no clock.
    NotApplicable,
    /// A draft: nothing received yet.
    NotStarted,
    Running,
    /// A stop is in force (see `stopped`), or a correction request is outstanding.
    Stopped,
    /// The clock was closed by acceptance-stage refusal, a decision or withdrawal.
    Finished,
}

named_enum!(ClockStatus {
    NotApplicable => "not_applicable", "不适用";
    NotStarted => "not_started", "未开始";
    Running => "running", "计时中";
    Stopped => "stopped", "暂停计时";
    Finished => "finished", "已结束";
});

/// A filing's clocks as of `today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilingClock {
    pub status: ClockStatus,
    /// The clock the counts below are about; `None` when no clock has started.
    pub clock: Option<ClockKind>,
    /// The unit of `days_used` and `days_left`; `None` with `clock`.
    pub unit: Option<DayUnit>,
    /// 5 working days after the latest receipt. Kept after acceptance to show whether acceptance
    /// was on time; `None` before any receipt and while a correction request stands unanswered
    /// (the resubmission will be a new receipt with a fresh 5 days, 行政许可法 Art. 32).
    pub acceptance_due: Option<NaiveDate>,
    /// The last day for the decision, moved out by every stop. `None` before acceptance and while
    /// a stop with no end is in force, since its length is not yet known.
    pub decision_due: Option<NaiveDate>,
    /// Every stop, from the history and from outside it, in order of start.
    pub stopped: Vec<ClockStop>,
    /// Days of the current clock used so far (up to today, or up to the closing event for a
    /// finished clock), stopped days excluded.
    pub days_used: u32,
    /// The limit minus `days_used`; negative once overrun. While a correction request stands this
    /// is what was left when it was sent; the resubmission will start a fresh acceptance clock.
    pub days_left: i64,
    /// The clock passed its due date before it closed (or before today, while open). A working-day
    /// clock due on a Friday is overdue on the Saturday although `days_left` is still 0 then.
    pub overdue: bool,
    /// A date or count reaches a year whose holiday schedule is not loaded yet (the State Council
    /// publishes next year's in November or December): it is counted on weekends only and is an
    /// estimate (预计) until the schedule is loaded; `estimate_note` says why.
    pub estimated: bool,
    pub estimate_note: Option<String>,
}

/// A filing's history as recorded, to compute its clocks from.
#[derive(Debug, Clone, Copy)]
pub struct ClockInput<'a> {
    pub tier: Tier,
    /// The state the filing is recorded in; the history must lead to it.
    pub state: FilingState,
    /// Every action taken, with its effective date (the date on the written receipt or decision),
    /// oldest first.
    pub history: &'a [(Action, NaiveDate)],
    /// Stops that are not state changes: an expert review or a hearing recorded by the officer.
    /// They stop the decision clock only.
    pub extra_stops: &'a [ClockStop],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error("history entry {index} is dated before the entry preceding it")]
    OutOfOrder { index: usize },

    #[error(
        "history entry {index} is dated {date}, after today; compute an earlier view from the history up to that day"
    )]
    AfterToday { index: usize, date: NaiveDate },

    #[error("history entry {index} cannot be replayed: {error}")]
    Replay {
        index: usize,
        error: TransitionError,
    },

    #[error("the history leads to {replayed}, but the filing is recorded as {recorded}")]
    StateMismatch {
        recorded: FilingState,
        replayed: FilingState,
    },

    #[error("stop {index} must start on or before today and end on or after its start")]
    InvalidStop { index: usize },

    #[error("{setting} = {days} is not a plausible time limit (at most {MAX_LIMIT_DAYS})")]
    ImplausibleSetting { setting: &'static str, days: u32 },

    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

/// Computes the clocks of one filing as of `today`.
pub fn filing_clock(
    input: &ClockInput<'_>,
    today: NaiveDate,
    settings: &ClockSettings,
    calendar: &WorkCalendar,
) -> Result<FilingClock, ClockError> {
    settings.validate()?;
    let replay = Replay::run(input, today)?;
    for (index, stop) in input.extra_stops.iter().enumerate() {
        if stop.from > today || stop.to.is_some_and(|to| to < stop.from) {
            return Err(ClockError::InvalidStop { index });
        }
    }
    let mut stopped: Vec<ClockStop> = replay
        .stops
        .iter()
        .chain(input.extra_stops)
        .copied()
        .collect();
    stopped.sort_by_key(|stop| stop.from);

    let Some(decision_days) = settings.decision_days(input.tier) else {
        return Ok(FilingClock::without_clock(ClockStatus::NotApplicable));
    };
    let Some(receipt) = replay.receipt else {
        // Never received: a draft, or a draft withdrawn.
        let status = match replay.ended {
            Some(_) => ClockStatus::Finished,
            None => ClockStatus::NotStarted,
        };
        return Ok(FilingClock::without_clock(status));
    };

    let acceptance_limit = settings.acceptance_working_days;
    let mut unloaded = Vec::new();
    let acceptance_due = if replay.correction_pending_on_receipt {
        None
    } else {
        let due = calendar.add_working_days_or_estimate(receipt, acceptance_limit);
        due.note_into(&mut unloaded);
        Some(due.value)
    };

    let Some(accepted) = replay.accepted else {
        // The acceptance clock: no stops of its own; a correction request ends it and a
        // resubmission starts a fresh one.
        let counter = Counter::new(calendar, DayUnit::WorkingDays, &[]);
        let end = replay.acceptance_end.unwrap_or(today);
        let days_used = counter.count(receipt, end)?;
        counter.note_into(&mut unloaded);
        let status = if replay.ended.is_some() {
            ClockStatus::Finished
        } else if replay.correction_pending_on_receipt {
            ClockStatus::Stopped
        } else {
            ClockStatus::Running
        };
        return Ok(FilingClock {
            status,
            clock: Some(ClockKind::Acceptance),
            unit: Some(DayUnit::WorkingDays),
            acceptance_due,
            decision_due: None,
            stopped,
            days_used,
            days_left: i64::from(acceptance_limit) - i64::from(days_used),
            overdue: is_overdue(acceptance_due, end, days_used, acceptance_limit),
            estimated: !unloaded.is_empty(),
            estimate_note: estimate_note(&unloaded),
        });
    };

    // The decision clock. Once it is closed no stop can outlast it, so an open stop is read as
    // ending on the closing day; that keeps the due date computable for a finished filing.
    let end = replay.ended.unwrap_or(today);
    let counting_stops: Vec<ClockStop> = match replay.ended {
        Some(closed) => stopped
            .iter()
            .map(|stop| ClockStop {
                to: Some(stop.to.unwrap_or(closed)),
                ..*stop
            })
            .collect(),
        None => stopped.clone(),
    };
    let counter = Counter::new(calendar, settings.decision_unit(), &counting_stops);
    let days_used = counter.count(accepted, end)?;
    let decision_due = counter.due(accepted, decision_days)?;
    counter.note_into(&mut unloaded);
    let status = if replay.ended.is_some() {
        ClockStatus::Finished
    } else if counting_stops.iter().any(|stop| stop.in_force(today)) {
        ClockStatus::Stopped
    } else {
        ClockStatus::Running
    };
    Ok(FilingClock {
        status,
        clock: Some(ClockKind::Decision),
        unit: Some(settings.decision_unit()),
        acceptance_due,
        decision_due,
        stopped,
        days_used,
        days_left: i64::from(decision_days) - i64::from(days_used),
        overdue: is_overdue(decision_due, end, days_used, decision_days),
        estimated: !unloaded.is_empty(),
        estimate_note: estimate_note(&unloaded),
    })
}

impl FilingClock {
    fn without_clock(status: ClockStatus) -> Self {
        FilingClock {
            status,
            clock: None,
            unit: None,
            acceptance_due: None,
            decision_due: None,
            stopped: Vec::new(),
            days_used: 0,
            days_left: 0,
            overdue: false,
            estimated: false,
            estimate_note: None,
        }
    }
}

/// Past the due date by the calendar when it is known; while it is not (a stop with no end), by
/// the days already used.
fn is_overdue(due: Option<NaiveDate>, end: NaiveDate, used: u32, limit: u32) -> bool {
    match due {
        Some(due) => end > due,
        None => used > limit,
    }
}

/// What the history says about the clocks, gathered in one pass that also checks the history
/// against the state machine.
#[derive(Debug, Default)]
struct Replay {
    /// The latest submission or resubmission: the receipt the acceptance clock counts from.
    receipt: Option<NaiveDate>,
    /// The latest receipt's acceptance clock was ended by a correction request.
    correction_pending_on_receipt: bool,
    /// The day the latest receipt's acceptance clock closed (accept, refuse, correction request,
    /// withdrawal).
    acceptance_end: Option<NaiveDate>,
    accepted: Option<NaiveDate>,
    /// Refusal, decision, registration or withdrawal.
    ended: Option<NaiveDate>,
    stops: Vec<ClockStop>,
}

impl Replay {
    fn run(input: &ClockInput<'_>, today: NaiveDate) -> Result<Self, ClockError> {
        let mut replay = Replay::default();
        let mut state = FilingState::Draft;
        let mut previous: Option<NaiveDate> = None;
        let mut correction_since: Option<NaiveDate> = None;
        let mut evaluation_since: Option<NaiveDate> = None;

        for (index, &(action, on)) in input.history.iter().enumerate() {
            if on > today {
                return Err(ClockError::AfterToday { index, date: on });
            }
            if previous.is_some_and(|previous| on < previous) {
                return Err(ClockError::OutOfOrder { index });
            }
            previous = Some(on);
            state = next_state(state, input.tier, action)
                .map_err(|error| ClockError::Replay { index, error })?;

            match action {
                Action::Submit | Action::Resubmit => {
                    if let Some(from) = correction_since.take() {
                        replay.close(StopReason::CorrectionRequest, from, on);
                    }
                    replay.receipt = Some(on);
                    replay.correction_pending_on_receipt = false;
                    replay.acceptance_end = None;
                }
                Action::RequestCorrection => {
                    correction_since = Some(on);
                    replay.correction_pending_on_receipt = true;
                    replay.acceptance_end = Some(on);
                }
                Action::Accept => {
                    replay.accepted = Some(on);
                    replay.acceptance_end = Some(on);
                }
                Action::Refuse => {
                    replay.acceptance_end = Some(on);
                    replay.ended = Some(on);
                }
                Action::StartEvaluation => evaluation_since = Some(on),
                Action::FinishEvaluation => {
                    if let Some(from) = evaluation_since.take() {
                        replay.close(StopReason::TechnicalEvaluation, from, on);
                    }
                }
                Action::Approve | Action::Disapprove | Action::Register => {
                    replay.ended = Some(on);
                }
                Action::Withdraw => {
                    replay.ended = Some(on);
                    replay.acceptance_end.get_or_insert(on);
                    if let Some(from) = correction_since.take() {
                        replay.close(StopReason::CorrectionRequest, from, on);
                    }
                    if let Some(from) = evaluation_since.take() {
                        replay.close(StopReason::TechnicalEvaluation, from, on);
                    }
                }
            }
        }

        if state != input.state {
            return Err(ClockError::StateMismatch {
                recorded: input.state,
                replayed: state,
            });
        }
        for (reason, from) in [
            (StopReason::CorrectionRequest, correction_since),
            (StopReason::TechnicalEvaluation, evaluation_since),
        ] {
            if let Some(from) = from {
                replay.stops.push(ClockStop {
                    reason,
                    from,
                    to: None,
                });
            }
        }
        Ok(replay)
    }

    fn close(&mut self, reason: StopReason, from: NaiveDate, to: NaiveDate) {
        self.stops.push(ClockStop {
            reason,
            from,
            to: Some(to),
        });
    }
}

/// Counts the days of one clock: days of its unit that no stop covers. Working days in a year
/// whose schedule is not loaded are estimated (weekends only); the years it estimated are kept.
struct Counter<'a> {
    calendar: &'a WorkCalendar,
    unit: DayUnit,
    stops: &'a [ClockStop],
    unloaded: RefCell<Vec<i32>>,
}

impl<'a> Counter<'a> {
    fn new(calendar: &'a WorkCalendar, unit: DayUnit, stops: &'a [ClockStop]) -> Self {
        Counter {
            calendar,
            unit,
            stops,
            unloaded: RefCell::new(Vec::new()),
        }
    }

    fn note_into(&self, years: &mut Vec<i32>) {
        Estimated {
            value: (),
            unloaded_years: self.unloaded.borrow().clone(),
        }
        .note_into(years);
    }

    fn counts(&self, date: NaiveDate) -> bool {
        if self.stops.iter().any(|stop| stop.covers(date)) {
            return false;
        }
        match self.unit {
            DayUnit::WorkingDays => {
                let working = self.calendar.working_day_or_estimate(date);
                working.note_into(&mut self.unloaded.borrow_mut());
                working.value
            }
            DayUnit::CalendarDays => true,
        }
    }

    /// Counted days in `(from, to]`; 0 when `to` is not after `from`.
    fn count(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, CalendarError> {
        let mut used = 0;
        let mut date = from;
        while date < to {
            date = self.next(date)?;
            if self.counts(date) {
                used += 1;
            }
        }
        Ok(used)
    }

    /// The day the `limit`-th counted day after `from` falls on; `None` if a stop with no end
    /// is reached first, because the clock will not move again until it ends.
    fn due(&self, from: NaiveDate, limit: u32) -> Result<Option<NaiveDate>, CalendarError> {
        let mut left = limit;
        let mut date = from;
        while left > 0 {
            date = self.next(date)?;
            if self.counts(date) {
                left -= 1;
            } else if self
                .stops
                .iter()
                .any(|stop| stop.to.is_none() && stop.covers(date))
            {
                return Ok(None);
            }
        }
        Ok(Some(date))
    }

    fn next(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        date.succ_opt().ok_or_else(|| CalendarError::OutOfRange {
            date,
            held_years: self.calendar.years(),
        })
    }
}

//! [`WorkCalendar`]: the loaded schedules merged into one date index, and the questions the
//! clocks ask of it (is this a working day, what date is N working days on, how many lie between).

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::{CalendarError, HolidaySchedule, embedded_schedules};

/// Appended to a holiday's name for its make-up workdays, so "春节" becomes "春节（调休上班）".
pub const MAKE_UP_WORKDAY_SUFFIX: &str = "（调休上班）";

/// What kind of day a date is; `working_day` in [`DayInfo`] follows from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// An ordinary Monday–Friday (工作日).
    Workday,
    /// An ordinary Saturday or Sunday (周末).
    Weekend,
    /// A statutory day off, whether or not it falls on a weekend (法定节假日).
    Holiday,
    /// A Saturday or Sunday worked in exchange for a holiday (调休上班).
    MakeUpWorkday,
}

impl DayKind {
    pub fn is_working_day(self) -> bool {
        match self {
            DayKind::Workday | DayKind::MakeUpWorkday => true,
            DayKind::Weekend | DayKind::Holiday => false,
        }
    }
}

/// The answer to "what is this date?", shaped for `GET /api/v1/calendar/days/{date}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DayInfo {
    pub date: NaiveDate,
    pub working_day: bool,
    pub kind: DayKind,
    /// The holiday's name on a day off ("春节"); the holiday's name plus
    /// [`MAKE_UP_WORKDAY_SUFFIX`] on a make-up workday ("春节（调休上班）"), so a user sees why a
    /// Sunday is worked; `None` on ordinary workdays and weekends.
    pub name: Option<String>,
}

/// One date's entry in the merged index.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Listed {
    off_day: bool,
    name: String,
    /// The schedule it came from, to settle which notice wins when two list the same date.
    source_year: i32,
}

/// The working-day calendar over the years whose schedules are loaded.
///
/// A year is *held* iff its schedule is loaded. An entry that a schedule lists for a neighbouring
/// year (2023's New Year holiday starting on 2022-12-31) applies to that date whichever file it
/// came from, but only answers questions if the date's own year is held too.
/// A value the calendar computed, and the years it had to estimate for because their schedule
/// is not loaded (empty when the value is exact).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estimated<T> {
    pub value: T,
    pub unloaded_years: Vec<i32>,
}

impl<T> Estimated<T> {
    pub fn known(value: T) -> Self {
        Estimated {
            value,
            unloaded_years: Vec::new(),
        }
    }

    pub fn is_estimate(&self) -> bool {
        !self.unloaded_years.is_empty()
    }

    /// Adds the years this value estimated to `years`, keeping them sorted and unique.
    pub fn note_into(&self, years: &mut Vec<i32>) {
        for &year in &self.unloaded_years {
            if let Err(at) = years.binary_search(&year) {
                years.insert(at, year);
            }
        }
    }
}

/// Why a date is an estimate, as every view and mail says it: "2027年节假日安排尚未导入，按双休日推算".
pub fn estimate_note(unloaded_years: &[i32]) -> Option<String> {
    if unloaded_years.is_empty() {
        return None;
    }
    let years: Vec<String> = unloaded_years.iter().map(|y| format!("{y}年")).collect();
    Some(format!(
        "{}节假日安排尚未导入，按双休日推算，导入后以实际为准",
        years.join("、")
    ))
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    schedules: BTreeMap<i32, HolidaySchedule>,
    /// Derived from `schedules`; rebuilt whole on every change so a replaced year leaves nothing
    /// behind.
    index: HashMap<NaiveDate, Listed>,
}

impl WorkCalendar {
    /// A calendar holding the given schedules; of two with the same year the later wins.
    pub fn new(schedules: impl IntoIterator<Item = HolidaySchedule>) -> Self {
        let mut calendar = WorkCalendar::default();
        for schedule in schedules {
            calendar.schedules.insert(schedule.year, schedule);
        }
        calendar.rebuild_index();
        calendar
    }

    /// The official schedules for 2019–2026 compiled into the crate (parsed once per process).
    pub fn embedded() -> Self {
        static EMBEDDED: OnceLock<WorkCalendar> = OnceLock::new();
        EMBEDDED
            .get_or_init(|| WorkCalendar::new(embedded_schedules()))
            .clone()
    }

    /// This calendar with `schedule` added, replacing (and dropping every entry of) any schedule
    /// already loaded for that year.
    #[must_use]
    pub fn with_schedule(mut self, schedule: HolidaySchedule) -> Self {
        self.insert_schedule(schedule);
        self
    }

    /// Adds or replaces one year's schedule in place; returns the schedule it replaced.
    pub fn insert_schedule(&mut self, schedule: HolidaySchedule) -> Option<HolidaySchedule> {
        let replaced = self.schedules.insert(schedule.year, schedule);
        self.rebuild_index();
        replaced
    }

    /// The held years, ascending. Not necessarily contiguous: an administrator may load a year
    /// ahead of a missing one.
    pub fn years(&self) -> Vec<i32> {
        self.schedules.keys().copied().collect()
    }

    pub fn holds(&self, year: i32) -> bool {
        self.schedules.contains_key(&year)
    }

    /// The loaded schedule for `year`, e.g. to show an administrator its source notices.
    pub fn schedule(&self, year: i32) -> Option<&HolidaySchedule> {
        self.schedules.get(&year)
    }

    pub fn schedules(&self) -> impl Iterator<Item = &HolidaySchedule> {
        self.schedules.values()
    }

    /// What kind of day `date` is, with the holiday's name where it has one.
    pub fn day(&self, date: NaiveDate) -> Result<DayInfo, CalendarError> {
        self.check_held(date)?;
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        let (kind, name) = match (self.index.get(&date), weekend) {
            (Some(listed), _) if listed.off_day => (DayKind::Holiday, Some(listed.name.clone())),
            (Some(listed), true) => (
                DayKind::MakeUpWorkday,
                Some(format!("{}{MAKE_UP_WORKDAY_SUFFIX}", listed.name)),
            ),
            // A weekday listed as a workday is an ordinary workday: the data uses this to mark
            // the end of an extended holiday (2020-02-03 after the extended Spring Festival).
            (Some(_), false) | (None, false) => (DayKind::Workday, None),
            (None, true) => (DayKind::Weekend, None),
        };
        Ok(DayInfo {
            date,
            working_day: kind.is_working_day(),
            kind,
            name,
        })
    }

    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.check_held(date)?;
        // The rule itself, without building a DayInfo: the clocks call this once per day walked.
        Ok(match self.index.get(&date) {
            Some(listed) => !listed.off_day,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        })
    }

    /// Whether `date` is a working day, and whether that is an estimate: in a year whose schedule
    /// is not loaded (next year's is published each November or December) Monday to Friday are
    /// taken as working days and weekends as days off, the only rule known before the schedule.
    pub fn working_day_or_estimate(&self, date: NaiveDate) -> Estimated<bool> {
        match self.is_working_day(date) {
            Ok(working) => Estimated::known(working),
            Err(_) => Estimated {
                value: !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
                unloaded_years: vec![date.year()],
            },
        }
    }

    /// [`add_working_days`](Self::add_working_days) that walks on through years not loaded yet,
    /// counting their weekends only, and says which years it estimated.
    pub fn add_working_days_or_estimate(&self, from: NaiveDate, n: u32) -> Estimated<NaiveDate> {
        let mut date = from;
        let mut left = n;
        let mut unloaded = Vec::new();
        while left > 0 {
            let Some(next) = date.succ_opt() else { break };
            date = next;
            let working = self.working_day_or_estimate(date);
            working.note_into(&mut unloaded);
            if working.value {
                left -= 1;
            }
        }
        Estimated {
            value: date,
            unloaded_years: unloaded,
        }
    }

    /// The date `n` working days after `from`; `from` itself is not counted, so `n = 0` gives
    /// `from`. Every date passed, `from` included, must lie in a held year.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        self.check_held(from)?;
        let mut date = from;
        let mut left = n;
        while left > 0 {
            date = self.next_day(date)?;
            if self.is_working_day(date)? {
                left -= 1;
            }
        }
        Ok(date)
    }

    /// The number of working days in `(a, b]`; negative (minus the count in `(b, a]`) when `b` is
    /// before `a`, so that `working_days_between(a, add_working_days(a, n)) == n`. Both ends
    /// must lie in held years.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> Result<i64, CalendarError> {
        self.check_held(a)?;
        self.check_held(b)?;
        let (start, end, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let mut count = 0_i64;
        let mut date = start;
        while date < end {
            date = self.next_day(date)?;
            if self.is_working_day(date)? {
                count += 1;
            }
        }
        Ok(sign * count)
    }

    fn next_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        // The end of chrono's range is certainly not a held year; report it the same way.
        date.succ_opt().ok_or_else(|| self.out_of_range(date))
    }

    fn check_held(&self, date: NaiveDate) -> Result<(), CalendarError> {
        if self.holds(date.year()) {
            Ok(())
        } else {
            Err(self.out_of_range(date))
        }
    }

    fn out_of_range(&self, date: NaiveDate) -> CalendarError {
        CalendarError::OutOfRange {
            date,
            held_years: self.years(),
        }
    }

    fn rebuild_index(&mut self) {
        self.index.clear();
        for schedule in self.schedules.values() {
            for day in &schedule.days {
                let listed = Listed {
                    off_day: day.off_day,
                    name: day.name.clone(),
                    source_year: schedule.year,
                };
                // Two notices listing one date (each may reach a day into its neighbour): the later
                // notice wins, since it was written knowing the earlier one. Schedules are visited
                // in ascending year, so an existing entry is from an earlier or the same notice;
                // within one notice the first listing stands (repeats agree, `validate` saw to it).
                match self.index.get(&day.date) {
                    Some(existing) if existing.source_year >= schedule.year => {}
                    Some(_) | None => {
                        self.index.insert(day.date, listed);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::ScheduleDay;
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    fn schedule(year: i32, days: &[(&str, NaiveDate, bool)]) -> HolidaySchedule {
        HolidaySchedule {
            year,
            papers: vec![],
            days: days
                .iter()
                .map(|&(name, date, off_day)| ScheduleDay {
                    name: name.into(),
                    date,
                    off_day,
                })
                .collect(),
        }
    }

    #[test]
    fn an_empty_calendar_holds_nothing() {
        let calendar = WorkCalendar::default();
        assert_eq!(calendar.years(), Vec::<i32>::new());
        assert_eq!(
            calendar.is_working_day(date(2023, 1, 3)),
            Err(CalendarError::OutOfRange {
                date: date(2023, 1, 3),
                held_years: vec![]
            })
        );
    }

    #[test]
    fn replacing_a_year_drops_its_old_entries() {
        let original = schedule(2030, &[("假日", date(2030, 3, 4), true)]);
        let replacement = schedule(2030, &[("新假日", date(2030, 3, 5), true)]);
        let calendar = WorkCalendar::new([original]);
        assert_eq!(calendar.is_working_day(date(2030, 3, 4)), Ok(false));

        let calendar = calendar.with_schedule(replacement.clone());
        assert_eq!(calendar.years(), vec![2030]);
        assert_eq!(calendar.is_working_day(date(2030, 3, 4)), Ok(true));
        assert_eq!(calendar.is_working_day(date(2030, 3, 5)), Ok(false));
        assert_eq!(calendar.schedule(2030), Some(&replacement));
    }

    #[test]
    fn replacing_a_year_drops_the_entries_it_lent_a_neighbour() {
        let with_eve = schedule(2031, &[("元旦", date(2030, 12, 31), true)]);
        let without_eve = schedule(2031, &[("元旦", date(2031, 1, 1), true)]);
        let mut calendar = WorkCalendar::new([schedule(2030, &[]), with_eve]);
        assert_eq!(calendar.is_working_day(date(2030, 12, 31)), Ok(false));
        let replaced = calendar.insert_schedule(without_eve);
        assert!(replaced.is_some());
        assert_eq!(calendar.is_working_day(date(2030, 12, 31)), Ok(true));
    }

    #[test]
    fn a_neighbours_entry_needs_its_own_year_held() {
        let calendar = WorkCalendar::new([schedule(2031, &[("元旦", date(2030, 12, 31), true)])]);
        assert!(matches!(
            calendar.day(date(2030, 12, 31)),
            Err(CalendarError::OutOfRange { .. })
        ));
    }

    #[test]
    fn the_later_notice_wins_a_date_both_list() {
        let earlier = schedule(2030, &[("旧", date(2030, 12, 31), false)]);
        let later = schedule(2031, &[("元旦", date(2030, 12, 31), true)]);
        // Insertion order must not matter.
        for calendar in [
            WorkCalendar::new([earlier.clone(), later.clone()]),
            WorkCalendar::new([later, earlier]),
        ] {
            let day = calendar.day(date(2030, 12, 31)).expect("held");
            assert_eq!(day.kind, DayKind::Holiday);
            assert_eq!(day.name.as_deref(), Some("元旦"));
        }
    }

    #[test]
    fn weekend_and_weekday_defaults_apply_to_unlisted_days() {
        let calendar = WorkCalendar::new([schedule(2030, &[])]);
        // 2030-03-02 is a Saturday, 2030-03-04 a Monday.
        let saturday = calendar.day(date(2030, 3, 2)).expect("held");
        assert_eq!((saturday.kind, saturday.name), (DayKind::Weekend, None));
        let monday = calendar.day(date(2030, 3, 4)).expect("held");
        assert_eq!((monday.kind, monday.working_day), (DayKind::Workday, true));
    }

    #[test]
    fn out_of_range_names_the_held_years() {
        let calendar = WorkCalendar::new([schedule(2030, &[]), schedule(2032, &[])]);
        let err = calendar
            .add_working_days(date(2030, 12, 30), 3)
            .expect_err("2031 is not held");
        assert_eq!(
            err,
            CalendarError::OutOfRange {
                date: date(2031, 1, 1),
                held_years: vec![2030, 2032]
            }
        );
        assert_eq!(
            err.to_string(),
            "2031-01-01 is outside the working-day calendar, which holds the years 2030, 2032"
        );
    }

    #[test]
    fn between_is_antisymmetric_and_zero_on_the_same_day() {
        let calendar = WorkCalendar::new([schedule(2030, &[])]);
        let (a, b) = (date(2030, 3, 1), date(2030, 3, 11));
        assert_eq!(calendar.working_days_between(a, a), Ok(0));
        assert_eq!(calendar.working_days_between(a, b), Ok(6));
        assert_eq!(calendar.working_days_between(b, a), Ok(-6));
    }
}

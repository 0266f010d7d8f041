//! The working-day calendar: China's statutory holidays and make-up workdays (调休), kept as data
//! an administrator can load year by year, and the working-day arithmetic the statutory clocks use.
//!
//! A date is a working day iff it is an explicit make-up workday, or it is Monday–Friday and not
//! an explicit day off. Only years whose schedule is loaded are known; anything else is
//! [`CalendarError::OutOfRange`], never a guess, because the State Council publishes each year's
//! schedule only in the preceding November or December.

mod embedded;
mod schedule;
mod work_calendar;

#[cfg(test)]
mod tests;

pub use embedded::{EMBEDDED_SCHEDULES, embedded_schedules};
pub use schedule::{HolidaySchedule, PLAUSIBLE_YEARS, ScheduleDay};
pub use work_calendar::{
    DayInfo, DayKind, Estimated, MAKE_UP_WORKDAY_SUFFIX, WorkCalendar, estimate_note,
};

use chrono::NaiveDate;

/// Everything that can go wrong loading a schedule or asking the calendar about a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The text is not JSON of the schedule shape (this includes a date that does not parse).
    #[error("holiday schedule is malformed: {0}")]
    Malformed(String),

    /// The schedule's `year` is outside [`PLAUSIBLE_YEARS`]; almost certainly a typo.
    #[error("holiday schedule year {year} is not plausible (expected {}–{})", PLAUSIBLE_YEARS.start(), PLAUSIBLE_YEARS.end())]
    ImplausibleYear { year: i32 },

    /// A schedule may reach into the neighbouring years only at the edge of a holiday its own
    /// year continues (a New Year holiday starting on 31 December).
    #[error("holiday schedule for {year} lists {date}, which belongs to another year")]
    DateOutsideYear { year: i32, date: NaiveDate },

    /// A schedule with no day of its own year: empty, or another year's dates.
    #[error("holiday schedule for {year} lists no day of {year}")]
    NoDaysInYear { year: i32 },

    /// The same date is listed both as a day off and as a workday.
    #[error("holiday schedule for {year} lists {date} both as a day off and as a workday")]
    ConflictingDay { year: i32, date: NaiveDate },

    /// The date's year has no schedule loaded. `held_years` lets the API say which years it holds.
    #[error("{date} is outside the working-day calendar, which holds {}", describe_years(.held_years))]
    OutOfRange {
        date: NaiveDate,
        held_years: Vec<i32>,
    },
}

/// "2019–2026", or "2019–2021, 2023" when there are gaps; for error messages.
pub fn describe_years(years: &[i32]) -> String {
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for &year in years {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == year => *end = year,
            Some(_) | None => runs.push((year, year)),
        }
    }
    let label = match runs.as_slice() {
        [] => return "no years".to_owned(),
        [(start, end)] if start == end => "the year",
        _ => "the years",
    };
    let parts: Vec<String> = runs
        .iter()
        .map(|&(start, end)| {
            if start == end {
                start.to_string()
            } else {
                format!("{start}–{end}")
            }
        })
        .collect();
    format!("{label} {}", parts.join(", "))
}

//! What administrators hear of the working-day calendar: next year's holiday schedule is not
//! loaded yet.
use super::{Message, Vars};
use crate::links::Page;

/// To every administrator, once a week from 1 November until the year's schedule is loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarYearMissing {
    /// The year whose schedule is missing.
    pub year: i32,
    /// Open filings whose deadline falls in a year the calendar does not hold.
    pub deadlines_beyond_calendar: u64,
}

impl Message for CalendarYearMissing {
    const TEMPLATE: &'static str = "calendar_year_missing";

    fn page(&self) -> Option<Page> {
        Some(Page::Home)
    }

    fn vars(&self) -> Vars {
        Vars::from([
            ("year", self.year.to_string()),
            ("deadlines", self.deadlines_beyond_calendar.to_string()),
        ])
    }
}

//! One year's official holiday schedule, in the JSON shape of the holiday-cn data set
//! (`year`, `papers`, `days: [{name, date, isOffDay}]`), parsed and checked before use.

use std::collections::HashMap;
use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::CalendarError;

/// Years a schedule may claim. Filings are recent, so an older year is a typo, and so is one past
/// 2100; a wider range would only let mistakes in.
pub const PLAUSIBLE_YEARS: RangeInclusive<i32> = 2000..=2100;

/// The State Council's schedule for one year (国务院办公厅关于某年部分节假日安排的通知).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidaySchedule {
    pub year: i32,
    /// Addresses of the notices the schedule was taken from; shown to administrators as its source.
    #[serde(default)]
    pub papers: Vec<String>,
    pub days: Vec<ScheduleDay>,
}

/// One listed date: a day off (`off_day`), or a workday that would otherwise be a weekend day
/// (a make-up workday, 调休上班).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleDay {
    /// The holiday the date belongs to, e.g. "春节" or "中秋节、国庆节".
    pub name: String,
    pub date: NaiveDate,
    #[serde(rename = "isOffDay")]
    pub off_day: bool,
}

impl HolidaySchedule {
    /// Parses and validates a schedule. Unknown keys (`$schema`, `$id`) are ignored.
    pub fn parse(json: &str) -> Result<Self, CalendarError> {
        let schedule: Self =
            serde_json::from_str(json).map_err(|e| CalendarError::Malformed(e.to_string()))?;
        schedule.validate()?;
        Ok(schedule)
    }

    /// Checks what [`parse`](Self::parse) checks, for a schedule built in code or deserialized
    /// elsewhere: a plausible year, every date within the neighbouring years, and no date listed
    /// both as a day off and as a workday. A date listed twice the same way is tolerated.
    pub fn validate(&self) -> Result<(), CalendarError> {
        let year = self.year;
        if !PLAUSIBLE_YEARS.contains(&year) {
            return Err(CalendarError::ImplausibleYear { year });
        }
        let mut seen: HashMap<NaiveDate, bool> = HashMap::with_capacity(self.days.len());
        for day in &self.days {
            // A holiday may start on 31 December of the year before (2023.json holds 2022-12-31),
            // so the neighbours are allowed, but nothing further away.
            if (day.date.year() - year).abs() > 1 {
                return Err(CalendarError::DateOutsideYear {
                    year,
                    date: day.date,
                });
            }
            if let Some(&earlier) = seen.get(&day.date)
                && earlier != day.off_day
            {
                return Err(CalendarError::ConflictingDay {
                    year,
                    date: day.date,
                });
            }
            seen.insert(day.date, day.off_day);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn parses_the_holiday_cn_shape() {
        let json = r#"{
            "$schema": "https://example.invalid/schema.json",
            "year": 2023,
            "papers": ["http://www.gov.cn/x.htm"],
            "days": [
                {"name": "元旦", "date": "2022-12-31", "isOffDay": true},
                {"name": "春节", "date": "2023-01-28", "isOffDay": false}
            ]
        }"#;
        let schedule = HolidaySchedule::parse(json).expect("valid schedule");
        assert_eq!(schedule.year, 2023);
        assert_eq!(schedule.papers.len(), 1);
        assert_eq!(
            schedule.days[1],
            ScheduleDay {
                name: "春节".into(),
                date: date(2023, 1, 28),
                off_day: false
            }
        );
    }

    #[test]
    fn round_trips_through_json_with_the_original_key() {
        let schedule = HolidaySchedule {
            year: 2024,
            papers: vec![],
            days: vec![ScheduleDay {
                name: "元旦".into(),
                date: date(2024, 1, 1),
                off_day: true,
            }],
        };
        let json = serde_json::to_string(&schedule).expect("serializes");
        assert!(json.contains(r#""isOffDay":true"#), "{json}");
        assert_eq!(HolidaySchedule::parse(&json), Ok(schedule));
    }

    #[test]
    fn rejects_an_unparseable_date() {
        let json = r#"{"year": 2023, "papers": [], "days": [{"name": "x", "date": "2023-02-30", "isOffDay": true}]}"#;
        assert!(matches!(
            HolidaySchedule::parse(json),
            Err(CalendarError::Malformed(_))
        ));
    }

    #[test]
    fn rejects_missing_fields_and_non_json() {
        assert!(matches!(
            HolidaySchedule::parse(r#"{"year": 2023}"#),
            Err(CalendarError::Malformed(_))
        ));
        assert!(matches!(
            HolidaySchedule::parse("not json"),
            Err(CalendarError::Malformed(_))
        ));
    }

    #[test]
    fn rejects_an_implausible_year() {
        let json = r#"{"year": 203, "papers": [], "days": []}"#;
        assert_eq!(
            HolidaySchedule::parse(json),
            Err(CalendarError::ImplausibleYear { year: 203 })
        );
    }

    #[test]
    fn allows_the_neighbouring_years_but_nothing_further() {
        let ok = r#"{"year": 2023, "papers": [], "days": [
            {"name": "元旦", "date": "2022-12-31", "isOffDay": true},
            {"name": "元旦", "date": "2024-01-01", "isOffDay": true}]}"#;
        assert!(HolidaySchedule::parse(ok).is_ok());
        let far = r#"{"year": 2023, "papers": [], "days": [
            {"name": "元旦", "date": "2021-12-31", "isOffDay": true}]}"#;
        assert_eq!(
            HolidaySchedule::parse(far),
            Err(CalendarError::DateOutsideYear {
                year: 2023,
                date: date(2021, 12, 31)
            })
        );
    }

    #[test]
    fn rejects_a_date_that_is_both_off_and_on() {
        let json = r#"{"year": 2023, "papers": [], "days": [
            {"name": "春节", "date": "2023-01-28", "isOffDay": true},
            {"name": "春节", "date": "2023-01-28", "isOffDay": false}]}"#;
        assert_eq!(
            HolidaySchedule::parse(json),
            Err(CalendarError::ConflictingDay {
                year: 2023,
                date: date(2023, 1, 28)
            })
        );
    }

    #[test]
    fn tolerates_a_date_repeated_the_same_way() {
        let json = r#"{"year": 2023, "papers": [], "days": [
            {"name": "春节", "date": "2023-01-27", "isOffDay": true},
            {"name": "春节", "date": "2023-01-27", "isOffDay": true}]}"#;
        assert!(HolidaySchedule::parse(json).is_ok());
    }
}

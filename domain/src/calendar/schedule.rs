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
        // A schedule is its year's: at least one of its days lies in it, and a day of a
        // neighbouring year is only the edge of a holiday that the year's own days continue (2023's
        // New Year holiday starting on 2022-12-31; 2019's make-up day 2018-12-29): within a week of
        // the new year and named like one of the year's own days. 2026's dates uploaded as 2027
        // are refused.
        let own_names: std::collections::HashSet<&str> = self
            .days
            .iter()
            .filter(|d| d.date.year() == year)
            .map(|d| d.name.as_str())
            .collect();
        if own_names.is_empty() {
            return Err(CalendarError::NoDaysInYear { year });
        }
        let mut seen: HashMap<NaiveDate, bool> = HashMap::with_capacity(self.days.len());
        for day in &self.days {
            if day.date.year() != year {
                let near_new_year = match day.date.year() - year {
                    -1 => day.date >= NaiveDate::from_ymd_opt(year - 1, 12, 25).unwrap_or(day.date),
                    1 => day.date <= NaiveDate::from_ymd_opt(year + 1, 1, 7).unwrap_or(day.date),
                    _ => false,
                };
                if !near_new_year || !own_names.contains(day.name.as_str()) {
                    return Err(CalendarError::DateOutsideYear {
                        year,
                        date: day.date,
                    });
                }
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
                {"name": "元旦", "date": "2023-01-01", "isOffDay": true},
                {"name": "春节", "date": "2023-01-28", "isOffDay": false}
            ]
        }"#;
        let schedule = HolidaySchedule::parse(json).expect("valid schedule");
        assert_eq!(schedule.year, 2023);
        assert_eq!(schedule.papers.len(), 1);
        assert_eq!(
            schedule.days[2],
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
            {"name": "元旦", "date": "2023-01-02", "isOffDay": true},
            {"name": "元旦", "date": "2024-01-01", "isOffDay": true}]}"#;
        assert!(HolidaySchedule::parse(ok).is_ok());
        let far = r#"{"year": 2023, "papers": [], "days": [
            {"name": "元旦", "date": "2023-01-02", "isOffDay": true},
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
    fn a_schedule_holds_its_own_year_and_is_never_empty() {
        let empty = r#"{"year": 2027, "papers": [], "days": []}"#;
        assert_eq!(
            HolidaySchedule::parse(empty),
            Err(CalendarError::NoDaysInYear { year: 2027 })
        );
        // 2026's official dates uploaded as 2027's.
        let source = include_str!("../../../resources/holidays-cn/2026.json");
        let relabelled = source.replacen("\"year\": 2026", "\"year\": 2027", 1);
        assert!(
            relabelled.contains("\"year\": 2027"),
            "the file names its year"
        );
        assert_eq!(
            HolidaySchedule::parse(&relabelled),
            Err(CalendarError::NoDaysInYear { year: 2027 })
        );
        // A late-December day of another holiday than the new year's own is refused too.
        let stray = r#"{"year": 2027, "papers": [], "days": [
            {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
            {"name": "国庆节", "date": "2026-12-30", "isOffDay": true}]}"#;
        assert_eq!(
            HolidaySchedule::parse(stray),
            Err(CalendarError::DateOutsideYear {
                year: 2027,
                date: date(2026, 12, 30)
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

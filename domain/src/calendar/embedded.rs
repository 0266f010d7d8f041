//! The official schedules for 2019–2026, compiled into the binary so a fresh install can count
//! working days before an administrator loads anything. Source: the holiday-cn data set (MIT,
//! see `resources/holidays-cn/LICENSE`), taken from the State Council's notices.

use super::HolidaySchedule;

macro_rules! embedded_year {
    ($year:literal) => {
        (
            $year,
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../resources/holidays-cn/",
                stringify!($year),
                ".json"
            )),
        )
    };
}

/// `(year, JSON text)` for every embedded schedule, oldest first.
pub const EMBEDDED_SCHEDULES: [(i32, &str); 8] = [
    embedded_year!(2019),
    embedded_year!(2020),
    embedded_year!(2021),
    embedded_year!(2022),
    embedded_year!(2023),
    embedded_year!(2024),
    embedded_year!(2025),
    embedded_year!(2026),
];

/// The embedded schedules, parsed and validated.
pub fn embedded_schedules() -> Vec<HolidaySchedule> {
    EMBEDDED_SCHEDULES
        .iter()
        .map(|&(year, json)| {
            let schedule = HolidaySchedule::parse(json).unwrap_or_else(|e| {
                panic!("embedded holiday schedule {year}.json is invalid: {e}")
            });
            assert_eq!(
                schedule.year, year,
                "embedded holiday schedule {year}.json claims another year"
            );
            schedule
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_schedule_parses_and_matches_its_file_name() {
        let schedules = embedded_schedules();
        let years: Vec<i32> = schedules.iter().map(|s| s.year).collect();
        assert_eq!(years, (2019..=2026).collect::<Vec<_>>());
        for schedule in &schedules {
            assert!(!schedule.days.is_empty(), "{} has no days", schedule.year);
            assert!(
                !schedule.papers.is_empty(),
                "{} cites no notice",
                schedule.year
            );
        }
    }
}

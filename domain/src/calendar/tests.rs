//! The calendar against the real official schedules: dates pinned by hand from the JSON files,
//! and properties of the working-day arithmetic over the embedded years.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use proptest::prelude::*;

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

fn calendar() -> WorkCalendar {
    WorkCalendar::embedded()
}

#[test]
fn holds_the_eight_official_years() {
    assert_eq!(calendar().years(), (2019..=2026).collect::<Vec<_>>());
}

#[test]
fn agrees_with_every_listed_date_in_the_embedded_json() {
    let calendar = calendar();
    for schedule in embedded_schedules() {
        for listed in &schedule.days {
            if !calendar.holds(listed.date.year()) {
                // 2019.json reaches back to 2018, which is not held.
                continue;
            }
            let day = calendar.day(listed.date).expect("held year");
            assert_eq!(day.working_day, !listed.off_day, "{}", listed.date);
        }
    }
}

#[test]
fn spring_festival_2023() {
    let calendar = calendar();
    // 2023.json: 春节 off 01-21 (Sat) … 01-27 (Fri); make-up workdays Sat 01-28 and Sun 01-29.
    for d in 21..=27 {
        let day = calendar.day(date(2023, 1, d)).expect("held");
        assert_eq!(day.kind, DayKind::Holiday, "2023-01-{d}");
        assert!(!day.working_day);
        assert_eq!(day.name.as_deref(), Some("春节"));
    }
    for d in [28, 29] {
        let day = calendar.day(date(2023, 1, d)).expect("held");
        assert!(matches!(
            date(2023, 1, d).weekday(),
            Weekday::Sat | Weekday::Sun
        ));
        assert_eq!(day.kind, DayKind::MakeUpWorkday);
        assert!(day.working_day);
        assert_eq!(day.name.as_deref(), Some("春节（调休上班）"));
    }
    // Thursday 01-19 → Friday 01-20; Friday 01-20 → the make-up Saturday 01-28.
    assert_eq!(
        calendar.add_working_days(date(2023, 1, 19), 1),
        Ok(date(2023, 1, 20))
    );
    assert_eq!(
        calendar.add_working_days(date(2023, 1, 20), 1),
        Ok(date(2023, 1, 28))
    );
    // 01-20 + 5: 28 (Sat), 29 (Sun), 30, 31, 02-01.
    assert_eq!(
        calendar.add_working_days(date(2023, 1, 20), 5),
        Ok(date(2023, 2, 1))
    );
    assert_eq!(
        calendar.working_days_between(date(2023, 1, 20), date(2023, 2, 1)),
        Ok(5)
    );
}

#[test]
fn national_day_and_mid_autumn_2023() {
    let calendar = calendar();
    // 2023.json: 中秋节、国庆节 off 09-29 (Fri) … 10-06 (Fri); make-up Sat 10-07 and Sun 10-08.
    let mut d = date(2023, 9, 29);
    while d <= date(2023, 10, 6) {
        let day = calendar.day(d).expect("held");
        assert_eq!(day.kind, DayKind::Holiday, "{d}");
        assert_eq!(day.name.as_deref(), Some("中秋节、国庆节"));
        d = d.succ_opt().expect("in range");
    }
    for d in [date(2023, 10, 7), date(2023, 10, 8)] {
        assert_eq!(
            calendar.day(d).expect("held").kind,
            DayKind::MakeUpWorkday,
            "{d}"
        );
    }
    // 09-28 + 5: 10-07 (Sat) 1, 10-08 (Sun) 2, 10-09 3, 10-10 4, 10-11 5.
    assert_eq!(
        calendar.add_working_days(date(2023, 9, 28), 5),
        Ok(date(2023, 10, 11))
    );
    assert_eq!(
        calendar.add_working_days(date(2023, 9, 28), 1),
        Ok(date(2023, 10, 7))
    );
    assert_eq!(
        calendar.working_days_between(date(2023, 9, 28), date(2023, 10, 6)),
        Ok(0)
    );
}

#[test]
fn a_neighbouring_years_entry_applies_to_its_date() {
    let calendar = calendar();
    // 2022-12-31 (Sat) is listed in 2023.json, not 2022.json, as 元旦.
    let day = calendar.day(date(2022, 12, 31)).expect("2022 is held");
    assert_eq!(day.kind, DayKind::Holiday);
    assert_eq!(day.name.as_deref(), Some("元旦"));
    // Friday 2022-12-30 + 1: 12-31, 01-01 and 01-02 are off, so Tuesday 2023-01-03.
    assert_eq!(
        calendar.add_working_days(date(2022, 12, 30), 1),
        Ok(date(2023, 1, 3))
    );
    // 2019.json reaches back to 2018-12-29, but 2018 itself is not held.
    assert_eq!(
        calendar.day(date(2018, 12, 29)),
        Err(CalendarError::OutOfRange {
            date: date(2018, 12, 29),
            held_years: (2019..=2026).collect()
        })
    );
}

#[test]
fn held_years_are_described_compactly() {
    assert_eq!(describe_years(&[]), "no years");
    assert_eq!(describe_years(&[2027]), "the year 2027");
    assert_eq!(
        describe_years(&[2019, 2020, 2021, 2023]),
        "the years 2019–2021, 2023"
    );
}

#[test]
fn a_weekday_listed_as_workday_is_an_ordinary_workday() {
    // 2020.json marks Monday 2020-02-03 as a workday after the extended Spring Festival.
    let day = calendar().day(date(2020, 2, 3)).expect("held");
    assert_eq!((day.kind, day.name), (DayKind::Workday, None));
}

#[test]
fn zero_days_is_the_same_date_even_on_a_holiday() {
    let calendar = calendar();
    assert_eq!(
        calendar.add_working_days(date(2023, 1, 22), 0),
        Ok(date(2023, 1, 22))
    );
}

#[test]
fn counting_past_the_last_held_year_fails_and_says_which_years_are_held() {
    let err = calendar()
        .add_working_days(date(2026, 12, 30), 5)
        .expect_err("2027 is not held");
    assert!(matches!(err, CalendarError::OutOfRange { .. }));
    assert_eq!(
        err.to_string(),
        "2027-01-01 is outside the working-day calendar, which holds the years 2019–2026"
    );
}

#[test]
fn an_administrator_can_load_the_next_year() {
    let next = HolidaySchedule::parse(
        r#"{"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}"#,
    )
    .expect("valid");
    let calendar = calendar().with_schedule(next);
    assert_eq!(calendar.years(), (2019..=2027).collect::<Vec<_>>());
    // Wednesday 2026-12-30 + 2: Thursday 12-31, then Friday 2027-01-01 is off, so Monday 01-04.
    assert_eq!(
        calendar.add_working_days(date(2026, 12, 30), 2),
        Ok(date(2027, 1, 4))
    );
}

fn embedded_date(offset: u64) -> NaiveDate {
    date(2019, 1, 1)
        .checked_add_days(Days::new(offset))
        .expect("in range")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Over the embedded years (starting dates up to the end of 2024 and up to 300 working days
    /// stay well inside 2026): more days never give an earlier date, and counting back recovers n.
    #[test]
    fn add_is_monotone_and_inverted_by_between(offset in 0_u64..(6 * 365), n in 0_u32..300, m in 0_u32..300) {
        let calendar = calendar();
        let from = embedded_date(offset);
        let at_n = calendar.add_working_days(from, n).expect("inside held years");
        let at_m = calendar.add_working_days(from, m).expect("inside held years");
        prop_assert_eq!(n.cmp(&m), at_n.cmp(&at_m));
        prop_assert_eq!(calendar.working_days_between(from, at_n), Ok(i64::from(n)));
        prop_assert_eq!(calendar.working_days_between(at_n, from), Ok(-i64::from(n)));
        if n > 0 {
            prop_assert!(calendar.is_working_day(at_n).expect("held"));
        }
    }

    #[test]
    fn day_and_is_working_day_agree(offset in 0_u64..(8 * 365)) {
        let calendar = calendar();
        let d = embedded_date(offset);
        let day = calendar.day(d).expect("held");
        prop_assert_eq!(calendar.is_working_day(d), Ok(day.working_day));
        prop_assert_eq!(day.working_day, day.kind.is_working_day());
        prop_assert_eq!(day.name.is_some(), matches!(day.kind, DayKind::Holiday | DayKind::MakeUpWorkday));
    }
}

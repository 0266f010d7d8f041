//! The working-day calendar over HTTP, pinned to the official 2023 schedule.
mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, api, error, error_fields};
use serde_json::json;

async fn working_days_across_the_2023_holidays(app: TestApp) {
    // Any signed-in user may ask; an owner does here.
    let token = app.new_owner("owner2").await.token;
    // Spring Festival: off 01-21..01-27, make-up workdays Sat 01-28 and Sun 01-29.
    for (from, days, expected) in [
        ("2023-01-19", 1, "2023-01-20"),
        ("2023-01-20", 1, "2023-01-28"),
        ("2023-01-20", 2, "2023-01-29"),
        ("2023-01-20", 3, "2023-01-30"),
        ("2023-01-20", 5, "2023-02-01"),
        // National Day and Mid-Autumn: off 09-29..10-06, make-up workdays 10-07 and 10-08.
        ("2023-09-28", 1, "2023-10-07"),
        ("2023-09-28", 5, "2023-10-11"),
        ("2023-06-30", 0, "2023-06-30"),
    ] {
        let (status, body) = app
            .get(
                &format!("/api/v1/calendar/add-working-days?from={from}&days={days}"),
                &token,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            body,
            json!({"from": from, "days": days, "date": expected}),
            "{from}+{days}"
        );
    }
    let day = |date: &str, working_day: bool, name: Option<&str>| api::CalendarDay {
        date: common::d(date),
        working_day,
        name: name.map(str::to_owned),
    };
    for (date, expected, why) in [
        (
            "2023-01-23",
            day("2023-01-23", false, Some("春节")),
            "Spring Festival",
        ),
        (
            "2023-01-29",
            day("2023-01-29", true, Some("春节（调休上班）")),
            "a make-up Sunday is worked",
        ),
        (
            "2023-03-04",
            day("2023-03-04", false, None),
            "an ordinary Saturday",
        ),
    ] {
        let answer: api::CalendarDay = app
            .get_ok(&format!("/api/v1/calendar/days/{date}"), &token)
            .await;
        assert_eq!(answer, expected, "{why}");
    }
}

async fn outside_the_held_years_is_422_and_a_new_year_can_be_loaded(app: TestApp) {
    let admin = app.login("admin").await;
    let (status, body) = app.get("/api/v1/calendar/days/2027-01-04", &admin).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let refused = error(&body);
    assert_eq!(refused.field_names(), ["date"]);
    assert_eq!(
        refused.message,
        "输入有误：date: 2027-01-04 超出工作日历的范围，日历现有年份：2019–2026年"
    );
    let (status, body) = app
        .get(
            "/api/v1/calendar/add-working-days?from=2026-12-30&days=5",
            &admin,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_fields(&body), ["days"]);
    for (bad, field) in [
        ("/api/v1/calendar/days/2023-02-30", "date"),
        ("/api/v1/calendar/add-working-days?from=2023-01-01", "days"),
        (
            "/api/v1/calendar/add-working-days?from=2023-01-01&days=-1",
            "days",
        ),
    ] {
        let (status, body) = app.get(bad, &admin).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(error_fields(&body), [field], "{bad}");
    }

    let schedule_2027 = json!({
        "year": 2027,
        "papers": ["国务院办公厅关于2027年部分节假日安排的通知（测试数据）"],
        "days": [
            {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
            {"name": "春节", "date": "2027-02-08", "isOffDay": true},
            {"name": "春节", "date": "2027-02-20", "isOffDay": false}
        ]
    });
    let officer = app.new_user("officer1", "officer", None).await.token;
    let (status, _) = app
        .request(
            Method::PUT,
            "/api/v1/calendar/years/2027",
            Some(&officer),
            Some(schedule_2027.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .request(
            Method::PUT,
            "/api/v1/calendar/years/2028",
            Some(&admin),
            Some(schedule_2027.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["year"]);
    let (status, body) = app
        .request(
            Method::PUT,
            "/api/v1/calendar/years/2027",
            Some(&admin),
            Some(json!({"year": 2027, "days": [{"name": "x", "date": "2027-01-01", "isOffDay": true}, {"name": "x", "date": "2027-01-01", "isOffDay": false}]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    error(&body);
    let (_, years) = app.get("/api/v1/calendar/years", &admin).await;
    assert_eq!(
        years.as_array().unwrap().len(),
        8,
        "nothing stored by the refusals"
    );
    let loaded: api::Schedule = app
        .expect(
            StatusCode::OK,
            Method::PUT,
            "/api/v1/calendar/years/2027",
            Some(&admin),
            Some(schedule_2027),
        )
        .await;
    assert_eq!(loaded.year, 2027);
    assert_eq!(loaded.days, 3);
    let day: api::CalendarDay = app.get_ok("/api/v1/calendar/days/2027-02-20", &admin).await;
    assert!(day.working_day, "Saturday 2027-02-20 is a make-up workday");
    assert_eq!(
        common::add_working_days(&app, &admin, common::d("2026-12-30"), 2).await,
        common::d("2027-01-04"),
        "12-31 counts, 01-01 is off, 01-04 is the next"
    );
    let years: Vec<api::Schedule> = app.get_ok("/api/v1/calendar/years", &admin).await;
    assert_eq!(
        years.iter().map(|y| y.year).collect::<Vec<_>>(),
        (2019..=2027).collect::<Vec<_>>()
    );
}

on_both_backends!(empty;
    working_days_across_the_2023_holidays,
    outside_the_held_years_is_422_and_a_new_year_can_be_loaded,
);

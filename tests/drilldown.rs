//! The projects behind every number: `GET /reports/projects` lists, for one measure, date and
//! group, exactly the projects the summary counts; the ledger filters by the same definitions
//! and shows each project's current filing and due date.
mod common;

use std::collections::{BTreeSet, HashMap};

use axum::http::StatusCode;
use common::build::{Cast, Kind};
use common::{TestApp, api, error};
use serde_json::json;

const MEASURES: [&str; 7] = [
    "projects",
    "exempt",
    "required",
    "unclassified",
    "point_to_point",
    "accepted_or_decided",
    "not_accepted",
];

/// The summary's figure for a measure (`not_accepted` = required − accepted_or_decided).
fn figure(f: &api::Figures, measure: &str) -> u64 {
    match measure {
        "projects" => f.projects,
        "exempt" => f.exempt,
        "required" => f.required,
        "unclassified" => f.unclassified,
        "point_to_point" => f.point_to_point,
        "accepted_or_decided" => f.accepted_or_decided,
        "not_accepted" => f.required - f.accepted_or_decided,
        other => panic!("no measure {other}"),
    }
}

async fn summary(app: &TestApp, token: &str, query: &str) -> api::Summary {
    app.get_ok(&format!("/api/v1/reports/summary?{query}"), token)
        .await
}

async fn drilldown(app: &TestApp, token: &str, query: &str) -> api::Drilldown {
    app.get_ok(&format!("/api/v1/reports/projects?{query}"), token)
        .await
}

async fn ledger(app: &TestApp, token: &str, query: &str) -> api::ProjectPage {
    app.get_ok(&format!("/api/v1/projects?{query}"), token)
        .await
}

/// Every page of a drill-down, checking that the pages hold `total` distinct projects in
/// order of id.
async fn every_page(
    app: &TestApp,
    token: &str,
    query: &str,
    per_page: u64,
) -> Vec<api::DrilldownProject> {
    let mut items: Vec<api::DrilldownProject> = Vec::new();
    let mut page = 1;
    let total = loop {
        let d = drilldown(
            app,
            token,
            &format!("{query}&page={page}&per_page={per_page}"),
        )
        .await;
        assert_eq!((d.page, d.per_page), (page, per_page), "{query}");
        assert!(d.items.len() as u64 <= per_page, "{query}");
        let done = d.items.is_empty();
        items.extend(d.items);
        if done {
            break d.total;
        }
        page += 1;
    };
    let ids: Vec<i64> = items.iter().map(|p| p.project.id).collect();
    let distinct: BTreeSet<i64> = ids.iter().copied().collect();
    assert_eq!(
        ids.len() as u64,
        total,
        "{query}: every page together holds total"
    );
    assert_eq!(distinct.len(), ids.len(), "{query}: no project twice");
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "{query}: in order of id"
    );
    items
}

async fn every_total_is_the_summarys_figure(app: TestApp) {
    let token = app.login("leader").await;
    let today = common::today().to_string();
    for as_of in ["2023-01-31", "2023-03-31", "2023-06-30", today.as_str()] {
        let whole = summary(&app, &token, &format!("as_of={as_of}")).await;
        for measure in MEASURES {
            let d = drilldown(
                &app,
                &token,
                &format!("measure={measure}&as_of={as_of}&per_page=1"),
            )
            .await;
            assert_eq!(d.as_of.to_string(), as_of);
            assert_eq!(d.measure, measure);
            assert_eq!(
                d.total,
                figure(&whole.figures, measure),
                "{measure} on {as_of}"
            );
        }
        let mut groupings = vec!["county", "level", "tier"];
        if as_of == "2023-06-30" {
            groupings.push("industry");
        }
        for group_by in groupings {
            let grouped =
                summary(&app, &token, &format!("as_of={as_of}&group_by={group_by}")).await;
            assert!(!grouped.groups.is_empty(), "{group_by} on {as_of}");
            for g in &grouped.groups {
                for measure in MEASURES {
                    let d = drilldown(
                        &app,
                        &token,
                        &format!(
                            "measure={measure}&as_of={as_of}&group_by={group_by}&group={}&per_page=1",
                            g.key
                        ),
                    )
                    .await;
                    assert_eq!(d.group_by.as_deref(), Some(group_by));
                    assert_eq!(d.group.as_deref(), Some(g.key.as_str()));
                    assert_eq!(
                        d.total,
                        figure(&g.figures, measure),
                        "{measure} on {as_of} in {group_by}={}",
                        g.key
                    );
                }
            }
        }
    }
    // The published figures, through the drill-down alone.
    let totals: Vec<u64> = {
        let mut out = Vec::new();
        for measure in [
            "projects",
            "exempt",
            "required",
            "accepted_or_decided",
            "not_accepted",
        ] {
            out.push(
                drilldown(
                    &app,
                    &token,
                    &format!("measure={measure}&as_of=2023-06-30&per_page=1"),
                )
                .await
                .total,
            );
        }
        out
    };
    assert_eq!(totals, [239, 81, 158, 153, 5]);
}

async fn pages_hold_the_projects_each_once(app: TestApp) {
    let token = app.login("officer1").await;
    let q = |m: &str| format!("measure={m}&as_of=2023-06-30");
    let required = every_page(&app, &token, &q("required"), 50).await;
    let accepted = every_page(&app, &token, &q("accepted_or_decided"), 40).await;
    let not_accepted = every_page(&app, &token, &q("not_accepted"), 2).await;
    assert_eq!(
        (required.len(), accepted.len(), not_accepted.len()),
        (158, 153, 5)
    );
    // What each project counted as on the date makes the measure legible.
    for p in &required {
        let tier = p.tier_as_of.as_deref().expect("classified");
        assert_ne!(tier, "exempt", "{}", p.project.id);
    }
    for p in &accepted {
        assert!(p.accepted_or_decided_as_of, "{}", p.project.id);
        let f = p.filing_as_of.as_ref().expect("a filing on the date");
        assert!(
            [
                "accepted",
                "technical_evaluation",
                "pre_decision_notice",
                "approved",
                "disapproved",
                "registered"
            ]
            .contains(&f.state.as_str()),
            "{f:?}"
        );
    }
    for p in &not_accepted {
        assert!(!p.accepted_or_decided_as_of, "{}", p.project.id);
    }
    // Accepted and not accepted split the required projects.
    let ids = |items: &[api::DrilldownProject]| -> BTreeSet<i64> {
        items.iter().map(|p| p.project.id).collect()
    };
    let (r, a, n) = (ids(&required), ids(&accepted), ids(&not_accepted));
    assert!(a.is_disjoint(&n));
    assert_eq!(a.union(&n).copied().collect::<BTreeSet<_>>(), r);
    // Exempt projects on the date are exempt; the whole ledger is every project once.
    for p in every_page(&app, &token, &q("exempt"), 100).await {
        assert_eq!(p.tier_as_of.as_deref(), Some("exempt"));
    }
    let all = every_page(&app, &token, &q("projects"), 200).await;
    assert_eq!(all.len(), 239);
    // Items are the ledger's own view of each project.
    let first = &all[0].project;
    let view: api::Project = app
        .get_ok(&format!("/api/v1/projects/{}", first.id), &token)
        .await;
    assert_eq!(
        (
            &view.name,
            &view.project_code,
            &view.county,
            &view.current_filing
        ),
        (
            &first.name,
            &first.project_code,
            &first.county,
            &first.current_filing
        )
    );
    // A page past the end is empty and still says how many there are.
    let past = drilldown(
        &app,
        &token,
        &format!("{}&page=99&per_page=50", q("required")),
    )
    .await;
    assert!(past.items.is_empty());
    assert_eq!(past.total, 158);
}

async fn owners_may_not_drill_down(app: TestApp) {
    let owner = app.login("owner1").await;
    let (status, body) = app
        .get("/api/v1/reports/projects?measure=required", &owner)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(error(&body).code, "forbidden");
}

async fn bad_drilldown_parameters_are_422_in_chinese(app: TestApp) {
    let token = app.login("leader").await;
    let invalid = async |query: &str| -> api::ApiError {
        let (status, body) = app
            .get(&format!("/api/v1/reports/projects?{query}"), &token)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        let e = error(&body);
        assert_eq!(e.code, "invalid", "{query}");
        e
    };
    let e = invalid("measure=colour").await;
    assert_eq!(e.field_names(), ["measure"]);
    let message = e.message_for("measure");
    assert!(message.contains("统计口径"), "{message}");
    for m in MEASURES {
        assert!(message.contains(m), "{message} lists {m}");
    }
    assert_eq!(invalid("as_of=2023-06-30").await.field_names(), ["measure"]);

    let tomorrow = common::today() + chrono::Duration::days(1);
    let e = invalid(&format!("measure=required&as_of={tomorrow}")).await;
    assert_eq!(e.field_names(), ["as_of"]);
    assert!(e.message_for("as_of").contains("不能晚于今天"));
    // The summary too.
    let (status, body) = app
        .get(&format!("/api/v1/reports/summary?as_of={tomorrow}"), &token)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error(&body).field_names(), ["as_of"]);

    let e = invalid("measure=required&group_by=colour&group=x").await;
    assert_eq!(e.field_names(), ["group_by"]);
    assert!(e.message_for("group_by").contains("county"));
    assert_eq!(
        invalid("measure=required&group=611024").await.field_names(),
        ["group_by"]
    );
    assert_eq!(
        invalid("measure=required&group_by=county")
            .await
            .field_names(),
        ["group"]
    );
    let e = invalid("measure=required&group_by=county&group=999999").await;
    assert_eq!(e.field_names(), ["group"]);
    assert!(e.message_for("group").contains("611024"), "{e:?}");
    let e = invalid("measure=required&group_by=tier&group=colour").await;
    assert!(e.message_for("group").contains("unclassified"), "{e:?}");
    let e = invalid("measure=required&per_page=0&page=0").await;
    assert_eq!(e.field_names(), ["page", "per_page"]);
    // An unknown parameter is not silently ignored.
    let (status, _) = app
        .get(
            "/api/v1/reports/projects?measure=required&colour=red",
            &token,
        )
        .await;
    assert!(status.is_client_error());
}

async fn the_ledger_filters_as_the_report_counts(app: TestApp) {
    let token = app.login("officer1").await;
    let s = summary(&app, &token, "as_of=2023-06-30").await;
    let accepted = ledger(
        &app,
        &token,
        "accepted=true&accepted_as_of=2023-06-30&per_page=1",
    )
    .await;
    let not_accepted = ledger(
        &app,
        &token,
        "accepted=false&accepted_as_of=2023-06-30&per_page=200",
    )
    .await;
    assert_eq!(accepted.total, s.figures.accepted_or_decided);
    assert_eq!(accepted.total, 153);
    assert_eq!(not_accepted.total, 5);
    let behind = drilldown(
        &app,
        &token,
        "measure=not_accepted&as_of=2023-06-30&per_page=200",
    )
    .await;
    assert_eq!(not_accepted.ids(), behind.ids());
    // Today by default.
    let now = summary(&app, &token, "").await;
    let accepted_now = ledger(&app, &token, "accepted=true&per_page=1").await;
    assert_eq!(accepted_now.total, now.figures.accepted_or_decided);
    // The date is checked like the report's.
    let tomorrow = common::today() + chrono::Duration::days(1);
    let (status, body) = app
        .get(
            &format!("/api/v1/projects?accepted=true&accepted_as_of={tomorrow}"),
            &token,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error(&body).field_names(), ["accepted_as_of"]);
    let (status, body) = app
        .get("/api/v1/projects?accepted_as_of=2023-06-30", &token)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error(&body).field_names(), ["accepted_as_of"]);

    // Every project with its current filing; each state's filter lists exactly those.
    let mut all: Vec<api::Project> = Vec::new();
    for page in 1..=2 {
        all.extend(
            ledger(&app, &token, &format!("per_page=200&page={page}"))
                .await
                .items,
        );
    }
    assert_eq!(all.len(), 239);
    let mut by_state: HashMap<String, BTreeSet<i64>> = HashMap::new();
    for p in &all {
        if let Some(f) = &p.current_filing {
            by_state.entry(f.state.clone()).or_default().insert(p.id);
        }
    }
    assert!(by_state.len() >= 3, "{:?}", by_state.keys());
    for (state, ids) in &by_state {
        let listed = ledger(&app, &token, &format!("filing_state={state}&per_page=200")).await;
        assert_eq!(listed.total, ids.len() as u64, "{state}");
        assert_eq!(
            &listed.ids().into_iter().collect::<BTreeSet<_>>(),
            ids,
            "{state}"
        );
    }
    let (status, body) = app
        .get("/api/v1/projects?filing_state=colour", &token)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error(&body).field_names(), ["filing_state"]);

    // Overdue: the projects whose current filing the work queue calls overdue.
    let overdue = ledger(&app, &token, "overdue=true&per_page=200").await;
    let shown: BTreeSet<i64> = all
        .iter()
        .filter(|p| p.current_filing.as_ref().is_some_and(|f| f.overdue))
        .map(|p| p.id)
        .collect();
    // (Every filing of the demo ledger is decided by now; the empty-database case below has an
    // overdue one.)
    assert_eq!(overdue.ids().into_iter().collect::<BTreeSet<_>>(), shown);
    let queue: Vec<api::Filing> = app
        .get_ok::<api::Page<api::Filing>>("/api/v1/filings?due=overdue&per_page=200", &token)
        .await
        .items;
    let queued: BTreeSet<i64> = queue.iter().map(|f| f.project.id).collect();
    assert_eq!(shown, queued);
    for p in &overdue.items {
        let f = p.current_filing.as_ref().expect("a filing");
        assert!(f.overdue, "{f:?}");
        assert!(f.due_on.is_none_or(|d| d < common::today()), "{f:?}");
    }
    let not_overdue = ledger(&app, &token, "overdue=false&per_page=1").await;
    assert_eq!(overdue.total + not_overdue.total, 239);
}

async fn a_project_shows_its_current_filing_and_due_date(app: TestApp) {
    // The decision falls due in a year whose schedule may not be shipped yet.
    common::hold_years_through_next(&app).await;
    let cast = Cast::sign_in(&app).await;
    let officer = &cast.officer.token;
    let none = cast.project(&app, Kind::ReportForm).await;
    let view: api::Project = app
        .get_ok(&format!("/api/v1/projects/{none}"), officer)
        .await;
    assert_eq!(view.current_filing, None);

    let submitted = cast.filing_in(&app, Kind::ReportForm, "submitted").await;
    let project = submitted.project.id;
    let view: api::Project = app
        .get_ok(&format!("/api/v1/projects/{project}"), officer)
        .await;
    let f = view.current_filing.expect("the filing");
    assert_eq!(
        (f.id, f.state.as_str(), f.state_label.as_str()),
        (submitted.id, "submitted", "已提交")
    );
    assert_eq!(f.tier, "report_form");
    assert_eq!(f.due_on, submitted.clock().acceptance_due);
    assert!(f.due_on.is_some());
    assert_eq!(f.due_for.as_deref(), Some("acceptance"));
    assert!(!f.overdue);

    let accepted = app.step(officer, submitted.id, "accept", json!({})).await;
    let page = ledger(&app, officer, "filing_state=accepted").await;
    assert_eq!(page.ids(), [project]);
    let f = page.items[0].current_filing.clone().expect("the filing");
    assert_eq!(f.state, "accepted");
    assert_eq!(f.due_on, accepted.clock().decision_due);
    assert!(f.due_on.is_some());
    assert_eq!(f.due_for.as_deref(), Some("decision"));
    // The owner sees it too, on the project.
    let own: api::Project = app
        .get_ok(&format!("/api/v1/projects/{project}"), &cast.owner.token)
        .await;
    assert_eq!(own.current_filing.map(|f| f.state), Some("accepted".into()));
    // Decided: no clock runs, no due date.
    let decided = cast.filing_in(&app, Kind::ReportForm, "approved").await;
    let view: api::Project = app
        .get_ok(&format!("/api/v1/projects/{}", decided.project.id), officer)
        .await;
    let f = view.current_filing.expect("the filing");
    assert_eq!(
        (f.id, f.state.as_str(), f.due_on, f.due_for, f.overdue),
        (decided.id, "approved", None, None, false)
    );
    assert_eq!(
        ledger(&app, officer, "filing_state=approved").await.ids(),
        [decided.project.id]
    );
    assert!(
        ledger(&app, officer, "filing_state=submitted")
            .await
            .items
            .is_empty()
    );
    // None of them is overdue; a filing received a month ago and never accepted is.
    assert!(ledger(&app, officer, "overdue=true").await.items.is_empty());
    let late = cast.project(&app, Kind::ReportForm).await;
    let late_filing = app.new_filing(officer, late).await.id;
    let month_ago = (common::today() - chrono::Duration::days(30)).to_string();
    let received = app
        .historic(officer, late_filing, "submit", &month_ago, json!({}))
        .await;
    assert!(received.clock().overdue);
    let overdue = ledger(&app, officer, "overdue=true").await;
    assert_eq!(overdue.ids(), [late]);
    let f = overdue.items[0].current_filing.clone().expect("the filing");
    assert_eq!(
        (f.id, f.state.as_str(), f.overdue),
        (late_filing, "submitted", true)
    );
    assert_eq!(f.due_on, received.clock().acceptance_due);
    assert!(f.due_on.is_some_and(|d| d < common::today()));
    let queue: Vec<api::Filing> = app
        .get_ok::<api::Page<api::Filing>>("/api/v1/filings?due=overdue&per_page=200", officer)
        .await
        .items;
    assert_eq!(
        queue.iter().map(|f| f.id).collect::<Vec<_>>(),
        [late_filing]
    );
    let on_time = ledger(&app, officer, "overdue=false").await;
    assert_eq!(on_time.total, 3);
    assert!(!on_time.ids().contains(&late));
}

async fn rates_round_half_up(app: TestApp) {
    // 29 of 32 required projects accepted: 0.90625, published as 0.9063 (四舍五入).
    let cast = Cast::sign_in(&app).await;
    for i in 0..32 {
        if i < 29 {
            cast.filing_in(&app, Kind::Registration, "registered").await;
        } else {
            cast.project(&app, Kind::Registration).await;
        }
    }
    let token = &cast.leader.token;
    let s = summary(&app, token, "").await;
    assert_eq!(
        (s.figures.required, s.figures.accepted_or_decided),
        (32, 29)
    );
    assert_eq!(s.figures.acceptance_rate, Some(0.9063));
    assert_eq!(s.figures.acceptance_rate_by_investment, Some(0.9063));
    let by_tier = summary(&app, token, "group_by=tier").await;
    assert_eq!(by_tier.groups.len(), 1);
    assert_eq!(by_tier.groups[0].key, "registration_form");
    assert_eq!(by_tier.groups[0].figures.acceptance_rate, Some(0.9063));
    let d = drilldown(&app, token, "measure=not_accepted").await;
    assert_eq!(d.total, 3);
    assert!(d.items.iter().all(|p| p.filing_as_of.is_none()));
}

async fn voided_steps_removed_projects_and_later_decisions_do_not_count(app: TestApp) {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let cast = Cast::sign_in(&app).await;
    let token = cast.leader.token.clone();
    let kept = cast.filing_in(&app, Kind::Registration, "registered").await;
    let voided = cast.filing_in(&app, Kind::Registration, "registered").await;
    let removed = cast.filing_in(&app, Kind::Registration, "registered").await;
    // Classified twice on one day: the later decision is in force.
    let reclassified = cast.project(&app, Kind::Registration).await;
    app.classify(&cast.officer.token, reclassified, Kind::Exempt, json!({}))
        .await;
    let before = summary(&app, &token, "").await.figures;
    assert_eq!((before.projects, before.required, before.exempt), (4, 3, 1));
    assert_eq!(before.accepted_or_decided, 3);

    // A voided step is ignored: the filing is as if it had not been registered.
    entity::filing_event::Entity::update_many()
        .col_expr(
            entity::filing_event::Column::VoidedAt,
            Expr::value(chrono::Utc::now()),
        )
        .filter(entity::filing_event::Column::FilingId.eq(voided.id))
        .exec(&app.db)
        .await
        .expect("void the steps");
    // A removed project is out of every list and report.
    entity::project::Entity::update_many()
        .col_expr(
            entity::project::Column::RemovedAt,
            Expr::value(chrono::Utc::now()),
        )
        .filter(entity::project::Column::Id.eq(removed.project.id))
        .exec(&app.db)
        .await
        .expect("remove the project");
    let after = summary(&app, &token, "").await.figures;
    assert_eq!((after.projects, after.required, after.exempt), (3, 2, 1));
    assert_eq!(after.accepted_or_decided, 1);
    let not_accepted = drilldown(&app, &token, "measure=not_accepted").await;
    assert_eq!(not_accepted.ids(), [voided.project.id]);
    let accepted = drilldown(&app, &token, "measure=accepted_or_decided").await;
    assert_eq!(accepted.ids(), [kept.project.id]);
    let exempt = drilldown(&app, &token, "measure=exempt").await;
    assert_eq!(exempt.ids(), [reclassified]);
    let listed = ledger(&app, &token, "per_page=200").await;
    assert_eq!(listed.total, 3);
    assert!(!listed.ids().contains(&removed.project.id));

    // Nothing counts before it happened: yesterday these projects were not yet listed.
    let yesterday = common::today() - chrono::Duration::days(1);
    let earlier = summary(&app, &token, &format!("as_of={yesterday}"))
        .await
        .figures;
    assert_eq!((earlier.projects, earlier.acceptance_rate), (0, None));
    let d = drilldown(&app, &token, &format!("measure=projects&as_of={yesterday}")).await;
    assert_eq!((d.total, d.items.len()), (0, 0));
}

/// The five required projects not accepted or decided on the day of the published figures,
/// as the drill-down shows them.
async fn the_projects_behind_the_published_gap(app: TestApp) {
    let token = app.login("leader").await;
    let (status, body) = app
        .get(
            "/api/v1/reports/projects?measure=not_accepted&as_of=2023-06-30",
            &token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_snapshot_json!("view_drilldown_not_accepted_2023_06_30", body);
}

on_both_backends!(demo;
    the_projects_behind_the_published_gap,
    every_total_is_the_summarys_figure,
    pages_hold_the_projects_each_once,
    owners_may_not_drill_down,
    bad_drilldown_parameters_are_422_in_chinese,
    the_ledger_filters_as_the_report_counts,
);

on_both_backends!(empty;
    a_project_shows_its_current_filing_and_due_date,
    rates_round_half_up,
    voided_steps_removed_projects_and_later_decisions_do_not_count,
);

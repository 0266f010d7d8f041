//! Random action sequences by random people against one filing each, over HTTP: the filing never
//! leaves the state machine, every applied action leaves exactly one event, and a refused action
//! (any 4xx) changes nothing. A small model of the rules says what each request should get, so a
//! refusal for the wrong reason is caught too.
mod common;

use axum::http::{Method, StatusCode};
use common::build::{Cast, Kind};
use common::{Data, TestApp, api};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::{Value, json};

const STATES: [&str; 11] = [
    "draft",
    "submitted",
    "correction_requested",
    "accepted",
    "refused",
    "technical_evaluation",
    "pre_decision_notice",
    "approved",
    "disapproved",
    "withdrawn",
    "registered",
];

const ACTIONS: [&str; 11] = [
    "submit",
    "request_correction",
    "resubmit",
    "accept",
    "refuse",
    "start_evaluation",
    "finish_evaluation",
    "approve",
    "disapprove",
    "withdraw",
    "register",
];

const OWNERS_ACTIONS: [&str; 4] = ["submit", "resubmit", "withdraw", "register"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    /// The owner of the filing's project.
    Owner,
    OtherOwner,
    Leader,
    Officer,
    Admin,
}

const WHO: [Who; 5] = [
    Who::Owner,
    Who::OtherOwner,
    Who::Leader,
    Who::Officer,
    Who::Admin,
];

#[derive(Debug, Clone, Copy)]
enum Version {
    Current,
    /// This many versions behind.
    Stale(i64),
    /// One the filing has not reached.
    Ahead,
}

#[derive(Debug, Clone)]
struct Step {
    /// Take one of the actions the state allows, by the right kind of person (the version and
    /// payload may still be wrong); otherwise anything by anyone.
    guided: bool,
    who: usize,
    action: usize,
    pick: usize,
    version: Version,
    good_payload: bool,
    items: usize,
}

fn a_step() -> impl Strategy<Value = Step> {
    let version = prop_oneof![
        4 => Just(Version::Current),
        1 => (1..=3i64).prop_map(Version::Stale),
        1 => Just(Version::Ahead),
    ];
    (
        prop::bool::weighted(0.7),
        0..WHO.len(),
        0..ACTIONS.len(),
        0..64usize,
        version,
        prop::bool::weighted(0.8),
        1..=3usize,
    )
        .prop_map(
            |(guided, who, action, pick, version, good_payload, items)| Step {
                guided,
                who,
                action,
                pick,
                version,
                good_payload,
                items,
            },
        )
}

/// The state an action may be taken from, and where it leads (report and report-form filings).
fn sources(action: &str) -> &'static [&'static str] {
    match action {
        "submit" | "register" => &["draft"],
        "request_correction" | "accept" | "refuse" => &["submitted"],
        "resubmit" => &["correction_requested"],
        "start_evaluation" => &["accepted"],
        "finish_evaluation" => &["technical_evaluation"],
        "approve" | "disapprove" => &["pre_decision_notice"],
        "withdraw" => &[
            "draft",
            "submitted",
            "correction_requested",
            "accepted",
            "technical_evaluation",
            "pre_decision_notice",
        ],
        other => panic!("unknown action {other}"),
    }
}

fn target(action: &str) -> &'static str {
    match action {
        "submit" | "resubmit" => "submitted",
        "request_correction" => "correction_requested",
        "accept" => "accepted",
        "refuse" => "refused",
        "start_evaluation" => "technical_evaluation",
        "finish_evaluation" => "pre_decision_notice",
        "approve" => "approved",
        "disapprove" => "disapproved",
        "withdraw" => "withdrawn",
        "register" => "registered",
        other => panic!("unknown action {other}"),
    }
}

fn permits(who: Who, action: &str) -> bool {
    let owners = OWNERS_ACTIONS.contains(&action);
    match who {
        Who::Owner | Who::OtherOwner => owners,
        Who::Leader => false,
        Who::Officer | Who::Admin => !owners,
    }
}

/// What the model says a request should get: the status, the error code, and the new state.
fn expected(
    state: &str,
    who: Who,
    action: &str,
    version_ok: bool,
    good_payload: bool,
) -> (StatusCode, Option<&'static str>) {
    if who == Who::OtherOwner {
        return (StatusCode::NOT_FOUND, Some("not_found"));
    }
    if !permits(who, action) {
        return (StatusCode::FORBIDDEN, Some("forbidden"));
    }
    if action == "register" {
        // Only registration forms are registered; these filings are report forms.
        return (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid"));
    }
    if !sources(action).contains(&state) {
        return (StatusCode::CONFLICT, Some("invalid_state"));
    }
    if !version_ok {
        return (StatusCode::CONFLICT, Some("stale_version"));
    }
    if !good_payload {
        return (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid"));
    }
    if action == "approve" || action == "disapprove" {
        // Every step is taken today, so the pre-decision notice posted today still runs.
        return (StatusCode::CONFLICT, Some("notice_period"));
    }
    (StatusCode::OK, None)
}

/// The request body for a step, right or wrong as the step says.
fn payload(action: &str, good: bool, items: usize, asked: usize) -> Value {
    match (action, good) {
        // A later round says why each item is asked again (here: problems the resubmission
        // brought).
        ("request_correction", true) if asked > 0 => json!({
            "missing_items": (1..=items).map(|i| format!("材料{i}")).collect::<Vec<_>>(),
            "basis": vec!["introduced"; items],
        }),
        ("request_correction", true) => {
            json!({"missing_items": (1..=items).map(|i| format!("材料{i}")).collect::<Vec<_>>()})
        }
        ("request_correction", false) => json!({"missing_items": []}),
        ("resubmit", true) => {
            json!({"answers": (1..=asked).map(|i| format!("已补充{i}")).collect::<Vec<_>>()})
        }
        // One answer too many (or one where nothing was asked).
        ("resubmit", false) => {
            json!({"answers": (0..=asked).map(|i| format!("答复{i}")).collect::<Vec<_>>()})
        }
        ("refuse", true) => json!({"reason": "材料不符合受理条件"}),
        ("refuse", false) => json!({"reason": " "}),
        ("disapprove", true) => {
            json!({"grounds": ["defective_document"], "reason": "基础资料明显不实"})
        }
        ("disapprove", false) => json!({"reason": "没有列明依据"}),
        ("withdraw", true) => json!({"reason": "建设单位撤回"}),
        ("start_evaluation", true) => json!({"evaluator": "评估中心"}),
        ("approve", true) => json!({"decision_text": "同意建设"}),
        // A field that belongs to another action is refused, not ignored.
        ("start_evaluation", false) => json!({"missing_items": ["不适用"]}),
        (_, false) => json!({"evaluator": "不适用"}),
        (_, true) => json!({}),
    }
}

/// Who may take an action that the state allows, for guided steps.
fn allowed_now(state: &str) -> Vec<(Who, &'static str)> {
    ACTIONS
        .iter()
        .filter(|a| **a != "register" && sources(a).contains(&state))
        .map(|a| {
            let who = if OWNERS_ACTIONS.contains(a) {
                Who::Owner
            } else {
                Who::Officer
            };
            (who, *a)
        })
        .collect()
}

struct Tokens {
    owner: String,
    other_owner: String,
    leader: String,
    officer: String,
    admin: String,
    org: i64,
}

impl Tokens {
    /// The cast of every case, built on the empty database.
    async fn sign_in(app: &TestApp) -> Tokens {
        let cast = Cast::sign_in(app).await;
        Tokens {
            org: cast.owner.org(),
            owner: cast.owner.token,
            other_owner: cast.other_owner.token,
            leader: cast.leader.token,
            officer: cast.officer.token,
            admin: cast.admin.token,
        }
    }

    fn of(&self, who: Who) -> &str {
        match who {
            Who::Owner => &self.owner,
            Who::OtherOwner => &self.other_owner,
            Who::Leader => &self.leader,
            Who::Officer => &self.officer,
            Who::Admin => &self.admin,
        }
    }
}

/// A fresh report-form project of the owner and its draft filing, through the API.
async fn fresh_filing(app: &TestApp, tokens: &Tokens) -> i64 {
    let project = app
        .new_project(&tokens.officer, tokens.org, Kind::ReportForm, json!({}))
        .await;
    let draft = app.new_filing(&tokens.owner, project).await;
    // The materials a report form's submission carries.
    app.attach_materials(&tokens.owner, draft.id, "report_form")
        .await;
    assert_eq!(draft.state, "draft");
    draft.id
}

/// The filing and its events as an officer sees them.
async fn observe(app: &TestApp, tokens: &Tokens, id: i64) -> (api::Filing, Vec<api::Event>) {
    (
        app.filing(&tokens.officer, id).await,
        app.events(&tokens.officer, id).await,
    )
}

async fn run_case(app: &TestApp, tokens: &Tokens, steps: Vec<Step>) -> Result<(), TestCaseError> {
    let id = fresh_filing(app, tokens).await;
    let (mut view, events) = observe(app, tokens, id).await;
    prop_assert_eq!(view.state.as_str(), "draft");
    prop_assert!(events.is_empty());
    let mut applied = 0usize;
    // Items of the latest correction request, which a resubmission must answer one by one.
    let mut asked = 0usize;

    for (index, s) in steps.iter().enumerate() {
        let state = view.state.clone();
        let version = i64::from(view.version);
        let choices = allowed_now(&state);
        // Withdrawal ends the story, so a guided step takes it only now and then.
        let forward: Vec<(Who, &str)> = choices
            .iter()
            .copied()
            .filter(|(_, a)| *a != "withdraw")
            .collect();
        let choices = if forward.is_empty() || s.pick % 10 == 0 {
            choices
        } else {
            forward
        };
        let (who, action) = if s.guided && !choices.is_empty() {
            let (who, action) = choices[s.pick / 2 % choices.len()];
            // Officer actions are the administrator's too.
            let who = if who == Who::Officer && s.pick % 2 == 1 {
                Who::Admin
            } else {
                who
            };
            (who, action)
        } else {
            (WHO[s.who], ACTIONS[s.action])
        };
        let sent_version = match s.version {
            Version::Current => version,
            Version::Stale(k) => version - k,
            Version::Ahead => version + 1,
        };
        let mut body = payload(action, s.good_payload, s.items, asked);
        body["action"] = json!(action);
        body["version"] = json!(sent_version);
        let (status, answer) = app
            .request(
                Method::POST,
                &format!("/api/v1/filings/{id}/actions"),
                Some(tokens.of(who)),
                Some(body.clone()),
            )
            .await;
        let context =
            format!("step {index}: {who:?} sends {body} to a {state} filing → {status} {answer}");
        prop_assert!(!status.is_server_error(), "{}", context);

        let (want_status, want_code) =
            expected(&state, who, action, sent_version == version, s.good_payload);
        prop_assert_eq!(status, want_status, "{}", context);
        if let Some(code) = want_code {
            // The API's error shape, with the code the model expects.
            let error = serde_json::from_value::<api::ErrorBody>(answer.clone());
            prop_assert!(error.is_ok(), "{}: not the error shape", context);
            let error = error.unwrap().error;
            prop_assert_eq!(error.code.as_str(), code, "{}", context);
        }

        let (after, events) = observe(app, tokens, id).await;
        let after_state = after.state.as_str();
        prop_assert!(
            STATES.contains(&after_state),
            "{}: state {}",
            context,
            after_state
        );
        if status.is_success() {
            applied += 1;
            prop_assert_eq!(after_state, target(action), "{}", context);
            let answered = serde_json::from_value::<api::Filing>(answer.clone());
            prop_assert!(answered.is_ok(), "{}: not a filing", context);
            let answered = answered.unwrap();
            prop_assert_eq!(answered.state.as_str(), after_state, "{}", context);
            prop_assert_eq!(answered.version, after.version, "{}", context);
            prop_assert_eq!(i64::from(after.version), version + 1, "{}", context);
            let last = events.last().expect("an event");
            prop_assert_eq!(last.action.as_str(), action, "{}", context);
            prop_assert_eq!(
                last.from_state.as_deref(),
                Some(state.as_str()),
                "{}",
                context
            );
            prop_assert_eq!(last.to_state.as_str(), after_state, "{}", context);
            if action == "request_correction" {
                asked = s.items;
            }
        } else {
            prop_assert!(status.is_client_error(), "{}", context);
            prop_assert_eq!(
                after_state,
                state.as_str(),
                "{}: a refusal changed the state",
                context
            );
            prop_assert_eq!(
                i64::from(after.version),
                version,
                "{}: a refusal changed the version",
                context
            );
        }
        // Exactly one event per applied action, and the events chain through the machine.
        prop_assert_eq!(events.len(), applied, "{}", context);
        let mut at = "draft";
        for e in &events {
            prop_assert_eq!(
                e.from_state.as_deref(),
                Some(at),
                "{}: broken chain",
                context
            );
            let to = e.to_state.as_str();
            prop_assert_eq!(to, target(&e.action), "{}", context);
            prop_assert!(sources(&e.action).contains(&at), "{}", context);
            at = to;
        }
        prop_assert_eq!(at, after_state, "{}", context);
        view = after;
    }
    Ok(())
}

fn run(rt: &tokio::runtime::Runtime, app: TestApp) {
    let tokens = rt.block_on(Tokens::sign_in(&app));
    let config = Config {
        cases: 32,
        failure_persistence: None,
        ..Config::default()
    };
    // A fixed seed: the same sequences on every run, and on both backends.
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let result = runner.run(&prop::collection::vec(a_step(), 1..=12), |steps| {
        rt.block_on(run_case(&app, &tokens, steps))
    });
    rt.block_on(async move { drop(app) });
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn random_actions_keep_the_filing_in_the_machine_sqlite() {
    let rt = runtime();
    let app = rt.block_on(TestApp::on_sqlite(Data::Empty));
    run(&rt, app);
}

#[test]
fn random_actions_keep_the_filing_in_the_machine_postgres() {
    let rt = runtime();
    let Some(app) = rt.block_on(TestApp::on_postgres(Data::Empty)) else {
        return;
    };
    run(&rt, app);
}

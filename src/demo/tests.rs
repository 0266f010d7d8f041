//! The data file against the published figures and the domain's own rules: its catalogue
//! engine, state machine and working-day calendar, so no second copy of them lives here.
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Duration, Months, NaiveDate};

use super::data::{By, Filing, Ledger, Project, Step};
use crate::domain::calendar::WorkCalendar;
use crate::domain::classification::{Catalog, ClassifyInput, classify};
use crate::domain::filing::{self, Action, DisapprovalGround, FilingState};
use crate::domain::identifiers::{CreditCode, ProjectCode};
use crate::domain::ledger::{INDUSTRIES, SHANGLUO_DIVISIONS, Tier};
use crate::domain::role::Role;

/// The date the published figures are measured at.
const PUBLISHED_AS_OF: NaiveDate = ymd(2023, 6, 30);
const FIRST_LISTING: NaiveDate = ymd(2022, 6, 1);
const LAST_LISTING: NaiveDate = ymd(2023, 3, 31);
const POLICY_2020_13: &str = "环综合〔2020〕13号";

const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid constant date"),
    }
}

fn ledger() -> Ledger {
    super::ledger().expect("the data file parses")
}

fn month_end(y: i32, m: u32) -> NaiveDate {
    ymd(y, m, 1) + Months::new(1) - Duration::days(1)
}

fn required(l: &Ledger) -> impl Iterator<Item = &Project> {
    l.projects
        .iter()
        .filter(|p| p.classification.tier != Tier::Exempt)
}

/// The filing's state at the end of `as_of`, by the domain's own transitions.
fn state_as_of(f: &Filing, as_of: NaiveDate) -> FilingState {
    f.steps
        .iter()
        .take_while(|s| s.on <= as_of)
        .last()
        .map_or(FilingState::Draft, |s| s.action.target())
}

fn accepted_or_decided(p: &Project, as_of: NaiveDate) -> bool {
    p.filing
        .as_ref()
        .is_some_and(|f| state_as_of(f, as_of).counts_as_accepted_or_decided())
}

fn accepted_or_decided_count(l: &Ledger, as_of: NaiveDate) -> usize {
    l.projects
        .iter()
        .filter(|p| accepted_or_decided(p, as_of))
        .count()
}

fn steps(p: &Project) -> &[Step] {
    p.filing.as_ref().map_or(&[][..], |f| &f.steps[..])
}

#[test]
fn a_misspelt_code_does_not_parse() {
    let text =
        super::SHANGLUO_2023.replacen("\"action\": \"approve\"", "\"action\": \"aprove\"", 1);
    let error = super::parse(&text)
        .expect_err("an unknown action")
        .to_string();
    assert!(
        error.contains("projects[0].filing.steps[4].action"),
        "{error}"
    );
    let text = super::SHANGLUO_2023.replacen("\"tier\": \"report\"", "\"tier\": \"reports\"", 1);
    let error = super::parse(&text)
        .expect_err("an unknown tier")
        .to_string();
    assert!(error.contains("projects[0].classification.tier"), "{error}");
}

#[test]
fn published_counts() {
    let l = ledger();
    assert_eq!(l.projects.len(), 239);
    let exempt = l
        .projects
        .iter()
        .filter(|p| p.classification.tier == Tier::Exempt)
        .count();
    assert_eq!(exempt, 81);
    assert_eq!(required(&l).count(), 158);
    assert_eq!(l.projects.iter().filter(|p| p.point_to_point).count(), 59);
    assert!(l.projects.iter().all(|p| p.municipal));
}

#[test]
fn total_investment_is_exact() {
    let l = ledger();
    let hundredths = |p: &Project| p.total_investment_wan.hundredths();
    let sum: i64 = l.projects.iter().map(hundredths).sum();
    // 1204.23 亿元 = 12,042,300.00 万元.
    assert_eq!(sum, 1_204_230_000);
    assert!(l.projects.iter().all(|p| hundredths(p) > 100_000));
    let round = l
        .projects
        .iter()
        .filter(|p| hundredths(p) % 100 == 0)
        .count();
    assert!(round < 10, "{round} round amounts");
    // The biggest are highways, hydropower and mines.
    let mut by_size: Vec<&Project> = l.projects.iter().collect();
    by_size.sort_by_key(|p| std::cmp::Reverse(hundredths(p)));
    for p in &by_size[..5] {
        assert!(
            ["transport", "energy", "mining"].contains(&p.industry.as_str()),
            "{}",
            p.name
        );
    }
}

#[test]
fn acceptance_rate_by_investment_rounds_to_097() {
    let l = ledger();
    let wan = |p: &Project| i128::from(p.total_investment_wan.hundredths());
    let req: i128 = required(&l).map(wan).sum();
    let acc: i128 = required(&l)
        .filter(|p| accepted_or_decided(p, PUBLISHED_AS_OF))
        .map(wan)
        .sum();
    // Rounded half up to 4 decimals (and so to 2): 0.9700.
    assert_eq!((acc * 20_000 + req) / (2 * req), 9_700);
}

#[test]
fn every_county_has_projects_and_shangzhou_most() {
    let l = ledger();
    let mut by_county: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &l.projects {
        *by_county.entry(p.county.as_str()).or_default() += 1;
    }
    assert_eq!(by_county.len(), 7);
    for division in SHANGLUO_DIVISIONS {
        assert!(
            by_county.get(division.code).copied().unwrap_or(0) > 0,
            "{}",
            division.code
        );
    }
    let shangzhou = by_county["611002"];
    assert!(
        by_county
            .iter()
            .all(|(c, &n)| *c == "611002" || n < shangzhou)
    );
}

#[test]
fn tier_mix() {
    let l = ledger();
    let count = |t: Tier| {
        l.projects
            .iter()
            .filter(|p| p.classification.tier == t)
            .count()
    };
    assert!((25..=35).contains(&count(Tier::Report)));
    assert!((90..=110).contains(&count(Tier::ReportForm)));
    assert!((20..=30).contains(&count(Tier::RegistrationForm)));
}

#[test]
fn accepted_or_decided_at_published_date() {
    let l = ledger();
    assert_eq!(accepted_or_decided_count(&l, PUBLISHED_AS_OF), 153);
    let not: Vec<&Project> = required(&l)
        .filter(|p| !accepted_or_decided(p, PUBLISHED_AS_OF))
        .collect();
    assert_eq!(not.len(), 5);
    let state = |p: &Project| state_as_of(p.filing.as_ref().expect("filing"), PUBLISHED_AS_OF);
    let refused: Vec<&&Project> = not
        .iter()
        .filter(|p| state(p) == FilingState::Refused)
        .collect();
    // Built before approval, penalty unsettled: not accepted (未批先建 … 不予受理).
    assert_eq!(refused.len(), 3);
    for p in &refused {
        assert!(p.built_before_approval && !p.penalty_settled, "{}", p.name);
        let refuse = steps(p)
            .iter()
            .find(|s| s.action == Action::Refuse)
            .expect("refuse step");
        assert!(refuse.on <= PUBLISHED_AS_OF);
        // The same words the officer is offered for such a refusal: one text per reason.
        assert_eq!(
            refuse.reason.as_deref(),
            Some(crate::domain::filing::UNSETTLED_PENALTY_REASON)
        );
    }
    // The other two: one waiting on a correction, one submitted at the end of June.
    let mut others: Vec<FilingState> = not
        .iter()
        .map(|p| state(p))
        .filter(|s| *s != FilingState::Refused)
        .collect();
    others.sort_by_key(|s| s.as_str());
    assert_eq!(
        others,
        [FilingState::CorrectionRequested, FilingState::Submitted]
    );
    let unsettled = l
        .projects
        .iter()
        .filter(|p| p.built_before_approval && !p.penalty_settled)
        .count();
    assert_eq!(unsettled, 3);
}

#[test]
fn one_report_form_disapproved_and_it_counts_as_decided() {
    let l = ledger();
    let disapproved: Vec<&Project> = l
        .projects
        .iter()
        .filter(|p| steps(p).iter().any(|s| s.action == Action::Disapprove))
        .collect();
    assert_eq!(disapproved.len(), 1);
    let p = disapproved[0];
    assert_eq!(p.classification.tier, Tier::ReportForm);
    assert!(accepted_or_decided(p, PUBLISHED_AS_OF));
    let step = steps(p)
        .iter()
        .find(|s| s.action == Action::Disapprove)
        .expect("step");
    assert!(step.on < PUBLISHED_AS_OF);
    assert_eq!(
        step.grounds,
        [DisapprovalGround::EmissionsOrEcologyUncontrolled]
    );
    let reason = step.reason.as_deref().expect("reason");
    assert!(step.grounds.iter().all(|g| reason.contains(&g.citation())));
    assert!(step.number.is_some());
}

#[test]
fn settled_built_before_approval_projects_were_accepted() {
    let l = ledger();
    let settled: Vec<&Project> = l
        .projects
        .iter()
        .filter(|p| p.built_before_approval && p.penalty_settled)
        .collect();
    assert!(settled.len() >= 2);
    for p in settled {
        assert!(accepted_or_decided(p, PUBLISHED_AS_OF), "{}", p.name);
        assert!(steps(p).iter().all(|s| s.action != Action::Refuse));
    }
    assert!(
        l.projects
            .iter()
            .all(|p| p.built_before_approval || !p.penalty_settled)
    );
}

#[test]
fn registration_forms_are_a_single_register_step() {
    let l = ledger();
    for p in &l.projects {
        let registration = p.classification.tier == Tier::RegistrationForm;
        if registration {
            let s = steps(p);
            assert_eq!(s.len(), 1, "{}", p.name);
            assert_eq!((s[0].action, s[0].by), (Action::Register, By::Owner));
            assert!(accepted_or_decided(p, PUBLISHED_AS_OF));
        } else {
            assert!(
                steps(p).iter().all(|s| s.action != Action::Register),
                "{}",
                p.name
            );
        }
    }
}

#[test]
fn steps_are_chronological_legal_on_working_days_and_well_attributed() {
    let l = ledger();
    let calendar = WorkCalendar::embedded();
    let working_days =
        |a: NaiveDate, b: NaiveDate| calendar.working_days_between(a, b).expect("held year");
    for p in &l.projects {
        let Some(f) = &p.filing else { continue };
        let tier = filing::Tier::try_from(p.classification.tier).expect("required tier");
        let mut state = FilingState::Draft;
        let mut prev: Option<NaiveDate> = None;
        let mut received: Option<NaiveDate> = None;
        let mut asked: Vec<String> = Vec::new();
        for s in &f.steps {
            let role = match s.by {
                By::Owner => Role::Owner,
                By::Officer => Role::Officer,
            };
            assert_eq!(
                filing::transition(state, tier, s.action, role),
                Ok(s.action.target()),
                "{}: {} from {state}",
                p.name,
                s.action
            );
            assert!(prev.is_none_or(|d| d <= s.on), "{}: dates go back", p.name);
            assert!(
                calendar.is_working_day(s.on).expect("held year"),
                "{}: {}",
                p.name,
                s.on
            );
            let with_reason = matches!(s.action, Action::Refuse | Action::Disapprove);
            assert_eq!(s.reason.is_some(), with_reason, "{}: {}", p.name, s.action);
            let numbered = matches!(s.action, Action::Approve | Action::Disapprove);
            assert_eq!(s.number.is_some(), numbered, "{}: {}", p.name, s.action);
            assert_eq!(
                !s.missing_items.is_empty(),
                s.action == Action::RequestCorrection
            );
            assert_eq!(s.grounds.is_empty(), s.action != Action::Disapprove);
            match s.action {
                Action::Submit | Action::Resubmit => received = Some(s.on),
                // Accept, refuse or ask for corrections within 5 working days of receipt.
                Action::Accept | Action::Refuse | Action::RequestCorrection => {
                    let days = working_days(received.expect("received"), s.on);
                    assert!(
                        (1..=5).contains(&days),
                        "{}: {} after {days}",
                        p.name,
                        s.action
                    );
                }
                _ => {}
            }
            match s.action {
                Action::RequestCorrection => asked = s.missing_items.clone(),
                Action::Resubmit => assert_eq!(s.answers.len(), asked.len(), "{}", p.name),
                _ => assert!(s.answers.is_empty()),
            }
            state = s.action.target();
            prev = Some(s.on);
        }
        let on = |a: Action| f.steps.iter().find(|s| s.action == a).map(|s| s.on);
        let decided = on(Action::Approve).or(on(Action::Disapprove));
        if let (Some(a), Some(d)) = (on(Action::Accept), decided) {
            let (lo, hi) = if tier == filing::Tier::Report {
                (16, 45)
            } else {
                (10, 25)
            };
            let days = working_days(a, d);
            assert!(
                (lo..=hi).contains(&days),
                "{}: decided {days} days after acceptance",
                p.name
            );
        }
    }
}

#[test]
fn decision_numbers_unique_and_increasing_per_year() {
    let l = ledger();
    let mut decisions: Vec<(NaiveDate, i32, u32)> = Vec::new();
    let mut seen = HashSet::new();
    for s in l.projects.iter().flat_map(steps) {
        let Some(no) = &s.number else { continue };
        assert!(seen.insert(no.clone()), "duplicate {no}");
        let number = filing::parse_number("商环批复〔{year}〕{seq}号", s.on.year(), no)
            .unwrap_or_else(|| panic!("{no} is not a number of {}", s.on.year()));
        decisions.push((s.on, s.on.year(), u32::try_from(number).expect("positive")));
    }
    decisions.sort();
    for w in decisions.windows(2) {
        if w[0].1 == w[1].1 {
            assert!(w[0].2 < w[1].2, "{w:?}");
        }
    }
    assert!(
        decisions.iter().any(|d| d.0 > PUBLISHED_AS_OF),
        "some approvals after June"
    );
}

#[test]
fn month_end_curve_rises() {
    let l = ledger();
    let curve: Vec<usize> = (1..=6)
        .map(|m| accepted_or_decided_count(&l, month_end(2023, m)))
        .collect();
    assert!(curve.windows(2).all(|w| w[0] < w[1]), "{curve:?}");
    assert!((90..=110).contains(&curve[0]), "{curve:?}");
    assert_eq!(curve[5], 153);
    let first = accepted_or_decided_count(&l, month_end(2022, 8));
    let autumn = accepted_or_decided_count(&l, month_end(2022, 9));
    assert!(first < 10 && autumn > first);
    assert_eq!(accepted_or_decided_count(&l, ymd(2022, 6, 30)), 0);
}

#[test]
fn ledger_dates_are_consistent() {
    let l = ledger();
    for p in &l.projects {
        assert!(
            (FIRST_LISTING..=LAST_LISTING).contains(&p.listed_on),
            "{}",
            p.name
        );
        let c = &p.classification;
        assert!(c.decided_on >= p.listed_on, "{}", p.name);
        assert!(p.status_verified_on <= PUBLISHED_AS_OF && p.status_verified_on >= c.decided_on);
        match steps(p).first() {
            Some(first) => assert!(p.listed_on <= first.on && c.decided_on <= first.on),
            None => assert!(c.decided_on <= PUBLISHED_AS_OF),
        }
        if let Some(last_seen) = steps(p).iter().rev().find(|s| s.on <= PUBLISHED_AS_OF) {
            assert!(p.status_verified_on >= last_seen.on, "{}", p.name);
        }
    }
}

#[test]
fn credit_codes_valid_unique_and_local() {
    let l = ledger();
    assert!((90..=130).contains(&l.organizations.len()));
    let mut seen = HashSet::new();
    for org in &l.organizations {
        let code =
            CreditCode::parse(&org.credit_code).unwrap_or_else(|e| panic!("{}: {e}", org.name));
        assert!(seen.insert(code.to_string()), "duplicate {code}");
        assert!(
            ["91", "12", "11"].contains(&&org.credit_code[..2]),
            "{}",
            org.name
        );
        let area = &org.credit_code[2..8];
        assert!(area == "611000" || SHANGLUO_DIVISIONS.iter().any(|d| d.code == area));
        assert!(org.contact_email.is_ascii() && org.contact_email.ends_with("@example.cn"));
        assert!(org.contact_phone.starts_with("0914-") && org.contact_phone.len() == 12);
        assert!(!org.contact_name.is_empty());
    }
}

#[test]
fn project_codes_well_formed_unique_and_before_listing() {
    let l = ledger();
    let mut seen = HashSet::new();
    for p in &l.projects {
        let code =
            ProjectCode::parse(&p.project_code).unwrap_or_else(|e| panic!("{}: {e}", p.name));
        assert_eq!(code.area_code(), p.county);
        assert_eq!(&p.project_code[12..17], "04-01");
        let yy: i32 = p.project_code[0..2].parse().expect("digits");
        let mm: u32 = p.project_code[2..4].parse().expect("digits");
        assert!((19..=23).contains(&yy), "{}", p.project_code);
        assert!(ymd(2000 + yy, mm, 1) <= p.listed_on);
        assert!(seen.insert(p.project_code.clone()));
    }
}

#[test]
fn names_unique_and_every_reference_resolves() {
    let l = ledger();
    let orgs: HashSet<&str> = l.organizations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(orgs.len(), l.organizations.len());
    let projects: HashSet<&str> = l.projects.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(projects.len(), l.projects.len());
    let accounts: HashMap<&str, Role> = l
        .accounts
        .iter()
        .map(|a| (a.username.as_str(), a.role))
        .collect();
    assert_eq!(accounts.len(), l.accounts.len());
    for a in &l.accounts {
        assert_eq!(
            a.organization.is_some(),
            a.role == Role::Owner,
            "{}",
            a.username
        );
        assert!(a.organization.as_deref().is_none_or(|o| orgs.contains(o)));
    }
    assert_eq!(
        l.accounts[0].role,
        Role::Admin,
        "the first account opens the others"
    );
    for p in &l.projects {
        assert!(orgs.contains(p.organization.as_str()), "{}", p.name);
        assert_eq!(
            accounts.get(p.officer.as_str()),
            Some(&Role::Officer),
            "{}",
            p.name
        );
    }
    for o in &l.organizations {
        assert!(
            l.projects.iter().any(|p| p.organization == o.name),
            "{}",
            o.name
        );
    }
}

#[test]
fn classifications_are_complete() {
    let l = ledger();
    let shipped: serde_json::Value =
        serde_json::from_str(include_str!("../../resources/policy-exemptions.json"))
            .expect("shipped exemptions");
    for p in &l.projects {
        let c = &p.classification;
        assert!(
            INDUSTRIES.iter().any(|(k, _)| *k == p.industry),
            "{}",
            p.name
        );
        assert!(c.rows.iter().all(|r| (1..=173).contains(r)));
        assert_eq!(p.filing.is_none(), c.tier == Tier::Exempt, "{}", p.name);
        if let Some(doc) = &c.policy_exemption {
            assert_eq!(doc, POLICY_2020_13);
            assert_eq!(c.tier, Tier::Exempt);
            assert!(shipped.to_string().contains(doc.as_str()));
        }
        if c.rows.is_empty() {
            assert_eq!(c.tier, Tier::Exempt);
        }
    }
    // The three kinds of exemption all occur: no row, a row's own exclusion, a policy list.
    let exempt: Vec<_> = l
        .projects
        .iter()
        .map(|p| &p.classification)
        .filter(|c| c.tier == Tier::Exempt)
        .collect();
    assert!(exempt.iter().filter(|c| c.rows.is_empty()).count() >= 8);
    assert!(
        exempt
            .iter()
            .filter(|c| c.policy_exemption.is_some())
            .count()
            >= 8
    );
    let by_rows = exempt
        .iter()
        .filter(|c| !c.rows.is_empty() && c.policy_exemption.is_none())
        .count();
    assert!(by_rows >= 40);
}

/// The catalogue engine the loader's classification calls run, here without a database: the
/// file states the tier, the catalogue rules must give it.
#[test]
fn every_demo_project_gets_its_tier_from_the_catalogue_rules() {
    let mut mismatches = Vec::new();
    for p in &ledger().projects {
        let c = &p.classification;
        let input = ClassifyInput {
            rows: c.rows.iter().map(|&r| i64::from(r)).collect(),
            facts: c.facts.clone(),
            manual_clauses: c.clauses.clone(),
        };
        let outcome = match classify(&input, Catalog::embedded()) {
            Ok(outcome) => outcome,
            Err(errors) => {
                let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
                mismatches.push(format!("{}: {errors:?}", p.name));
                continue;
            }
        };
        let tier = if c.policy_exemption.is_some() {
            // A policy list frees registration forms only.
            if outcome.tier != Tier::RegistrationForm {
                mismatches.push(format!("{}: policy-exempt but {:?}", p.name, outcome.tier));
            }
            Tier::Exempt
        } else {
            outcome.tier
        };
        if tier != c.tier {
            mismatches.push(format!("{}: {tier:?}, the file says {:?}", p.name, c.tier));
        }
        if outcome.basis.trim().is_empty() {
            mismatches.push(format!("{}: the engine gives no basis", p.name));
        }
        let manual = outcome.rows.iter().any(|r| r.manual);
        if manual == c.clauses.is_empty() {
            mismatches.push(format!("{}: hand-chosen clauses unused or missing", p.name));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn point_to_point_projects_have_a_delivered_sheet() {
    let l = ledger();
    for p in &l.projects {
        assert_eq!(p.service_sheet.is_some(), p.point_to_point, "{}", p.name);
        let Some(sheet) = &p.service_sheet else {
            continue;
        };
        assert!(!sheet.items.is_empty());
        let org = l
            .organizations
            .iter()
            .find(|o| o.name == p.organization)
            .expect("organisation");
        assert_eq!(sheet.owner_contact_email, org.contact_email);
        for item in &sheet.items {
            assert!(!item.description.trim().is_empty());
            // Delivered on time, so the scheduler has nothing to urge.
            assert!(
                item.done_on.is_some_and(|d| d <= item.promised_on),
                "{}",
                p.name
            );
            assert!(
                item.promised_on >= p.listed_on
                    && item.promised_on <= PUBLISHED_AS_OF + Months::new(1)
            );
        }
    }
}

#[test]
fn point_to_point_goes_mostly_to_larger_provincial_required_projects() {
    let l = ledger();
    let p2p: Vec<&Project> = l.projects.iter().filter(|p| p.point_to_point).collect();
    let required = p2p
        .iter()
        .filter(|p| p.classification.tier != Tier::Exempt)
        .count();
    assert!(required >= 50, "{required}");
    let provincial = p2p.iter().filter(|p| p.provincial).count();
    assert!(provincial * 3 >= p2p.len() * 2, "{provincial}");
    let median = |mut v: Vec<i64>| {
        v.sort_unstable();
        v[v.len() / 2]
    };
    let wan = |p: &&Project| p.total_investment_wan.hundredths();
    let with = median(p2p.iter().map(wan).collect());
    let without = median(
        l.projects
            .iter()
            .filter(|p| !p.point_to_point)
            .map(|p| wan(&p))
            .collect(),
    );
    assert!(with > 2 * without);
}

#[test]
fn demo_owners_have_projects_served_point_to_point_in_different_counties() {
    let l = ledger();
    let mut home_counties = HashSet::new();
    for a in l.accounts.iter().filter(|a| a.role == Role::Owner) {
        let org = a.organization.as_deref().expect("owner's organisation");
        let own: Vec<&Project> = l
            .projects
            .iter()
            .filter(|p| p.organization == org)
            .collect();
        assert!(own.len() >= 2, "{org}");
        assert!(own.iter().any(|p| p.point_to_point), "{org}");
        let code = &l
            .organizations
            .iter()
            .find(|o| o.name == org)
            .expect("organisation")
            .credit_code;
        assert!(home_counties.insert(code[2..8].to_owned()), "{org}");
    }
    assert_eq!(home_counties.len(), 5);
}

//! Public notices (公示/公告) generated from a filing: the acceptance notice, the pre-decision
//! notice and the decision notice, with their texts and windows (docs/domain.md §4). Pure: the
//! filing's facts and the calendar in, notices out.
use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::calendar::{CalendarError, WorkCalendar};
use super::filing::{DisapprovalGround, Tier};
use super::names::{UnknownCode, named_enum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// 受理公示 — posted on acceptance; comments for 10 working days (报告书) or 5 (报告表).
    Acceptance,
    /// 拟审批公示 — the proposed decision, 5 working days, with the right to ask for a hearing.
    PreDecision,
    /// 审批决定公告 — 7 days, stating the remedies.
    Decision,
}

named_enum!(NoticeKind {
    Acceptance => "acceptance", "受理公示";
    PreDecision => "pre_decision", "拟审批公示";
    Decision => "decision", "审批决定公告";
});

/// What a notice needs to know about the filing.
#[derive(Debug, Clone)]
pub struct NoticeFacts {
    pub bureau: String,
    pub project_name: String,
    pub project_code: String,
    pub owner_name: String,
    pub county_name: String,
    pub tier: Tier,
    pub accepted_on: Option<NaiveDate>,
    pub pre_decision_on: Option<NaiveDate>,
    /// The decision: date, number, approved or the grounds it was refused on.
    pub decision: Option<Decision>,
}

#[derive(Debug, Clone)]
pub struct Decision {
    pub on: NaiveDate,
    pub number: Option<String>,
    pub approved: bool,
    pub grounds: Vec<DisapprovalGround>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Notice {
    pub kind: NoticeKind,
    pub title: String,
    pub body: String,
    pub posted_on: NaiveDate,
    /// The last day of the notice period.
    pub ends_on: NaiveDate,
}

impl Notice {
    /// Whether the notice is up on `today`.
    pub fn current(&self, today: NaiveDate) -> bool {
        self.posted_on <= today && today <= self.ends_on
    }
}

fn tier_document(tier: Tier) -> &'static str {
    match tier {
        Tier::Report => "环境影响报告书",
        Tier::ReportForm => "环境影响报告表",
        Tier::RegistrationForm => "环境影响登记表",
    }
}

/// The last day of a notice period of `days` working days from `from`; `None` while it reaches a
/// year whose holiday schedule is not loaded yet (next year's is published each November or
/// December).
fn period_end(
    calendar: &WorkCalendar,
    from: NaiveDate,
    days: u32,
) -> Result<Option<NaiveDate>, CalendarError> {
    match calendar.add_working_days(from, days) {
        Ok(end) => Ok(Some(end)),
        Err(CalendarError::OutOfRange { .. }) => Ok(None),
        Err(other) => Err(other),
    }
}

/// The notices a filing has given rise to so far, oldest first. A notice whose period the
/// calendar cannot reach yet is left out until the year's schedule is loaded (its text must
/// state the period); the others are still given.
pub fn notices(facts: &NoticeFacts, calendar: &WorkCalendar) -> Result<Vec<Notice>, CalendarError> {
    let document = tier_document(facts.tier);
    let mut out = Vec::new();
    let acceptance_days = match facts.tier {
        Tier::Report => 10,
        Tier::ReportForm | Tier::RegistrationForm => 5,
    };
    if let Some(accepted) = facts.accepted_on
        && let Some(ends_on) = period_end(calendar, accepted, acceptance_days)?
    {
        let days = acceptance_days;
        out.push(Notice {
            kind: NoticeKind::Acceptance,
            title: format!("关于受理《{}{document}》的公示", facts.project_name),
            body: format!(
                "{bureau}于{accepted}受理了{owner}报送的《{project}{document}》（项目代码：{code}，建设地点：{county}）。\
                 根据《环境影响评价公众参与办法》等规定，现予公示，公示期为{days}个工作日（{accepted}至{ends_on}）。\
                 公众可在公示期内通过信函、传真、电子邮件等方式向{bureau}反映与该建设项目环境影响有关的意见和建议。",
                bureau = facts.bureau,
                owner = facts.owner_name,
                project = facts.project_name,
                code = facts.project_code,
                county = facts.county_name,
            ),
            posted_on: accepted,
            ends_on,
        });
    }
    if let Some(posted) = facts.pre_decision_on
        && let Some(ends_on) = period_end(calendar, posted, 5)?
    {
        out.push(Notice {
            kind: NoticeKind::PreDecision,
            title: format!("关于{}环境影响评价文件拟作出审批意见的公示", facts.project_name),
            body: format!(
                "{bureau}拟对{owner}《{project}{document}》作出审批意见，现予公示，公示期为5个工作日（{posted}至{ends_on}）。\
                 公示期间，建设单位、利害关系人可以提出意见；依据《中华人民共和国行政许可法》第四十七条，\
                 申请人、利害关系人有权要求听证，应在公示期内以书面形式提出听证申请。",
                bureau = facts.bureau,
                owner = facts.owner_name,
                project = facts.project_name,
            ),
            posted_on: posted,
            ends_on,
        });
    }
    if let Some(decision) = &facts.decision {
        let ends_on = decision.on + Duration::days(6);
        let number = decision
            .number
            .as_deref()
            .map(|n| format!("（{n}）"))
            .unwrap_or_default();
        let outcome = if decision.approved {
            "作出批复".to_owned()
        } else {
            let grounds: Vec<String> = decision.grounds.iter().map(|g| g.citation()).collect();
            format!("依据{}，作出不予批准的决定", grounds.join("、"))
        };
        out.push(Notice {
            kind: NoticeKind::Decision,
            title: format!("关于{}环境影响评价文件审批决定的公告", facts.project_name),
            body: format!(
                "{bureau}于{on}对{owner}《{project}{document}》{outcome}{number}，现予公告，公告期为7日（{on}至{ends_on}）。\
                 公民、法人或者其他组织认为该审批决定侵犯其合法权益的，可以自知道该决定之日起六十日内依法申请行政复议，\
                 或者自知道该决定之日起六个月内依法向人民法院提起行政诉讼。",
                bureau = facts.bureau,
                on = decision.on,
                owner = facts.owner_name,
                project = facts.project_name,
            ),
            posted_on: decision.on,
            ends_on,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn facts() -> NoticeFacts {
        NoticeFacts {
            bureau: "商洛市生态环境局".into(),
            project_name: "山阳县某公路工程".into(),
            project_code: "2301-611024-04-01-123456".into(),
            owner_name: "山阳县交通运输局".into(),
            county_name: "山阳县".into(),
            tier: Tier::Report,
            accepted_on: Some(d("2023-01-19")),
            pre_decision_on: Some(d("2023-09-28")),
            decision: Some(Decision {
                on: d("2023-10-16"),
                number: Some("商环批复〔2023〕12号".into()),
                approved: false,
                grounds: vec![DisapprovalGround::EmissionsOrEcologyUncontrolled],
            }),
        }
    }

    #[test]
    fn windows_count_working_days_across_holidays() {
        let cal = WorkCalendar::embedded();
        let n = notices(&facts(), &cal).unwrap();
        assert_eq!(n.len(), 3);
        // 10 working days from 2023-01-19: 01-20, 01-28 and 01-29 (make-up days), 01-30 … 02-07.
        assert_eq!(n[0].ends_on, d("2023-02-07"));
        // 5 working days from 2023-09-28 across National Day (make-up days 10-07, 10-08).
        assert_eq!(n[1].ends_on, d("2023-10-11"));
        assert_eq!(n[2].ends_on, d("2023-10-22"));
        assert!(n[1].body.contains("听证"));
        assert!(n[2].body.contains("六十日") && n[2].body.contains("六个月"));
        assert!(n[2].body.contains("第十一条第（三）项"));
        assert!(n[2].body.contains("商环批复〔2023〕12号"));
        assert!(n[2].current(d("2023-10-22")) && !n[2].current(d("2023-10-23")));
    }

    #[test]
    fn a_period_beyond_the_loaded_years_waits_for_next_years_schedule() {
        // Only up to 2023 loaded: the pre-decision notice of 2023-12-26 runs into 2024.
        let cal = WorkCalendar::new(
            crate::calendar::embedded_schedules()
                .into_iter()
                .filter(|s| s.year <= 2023),
        );
        let mut f = facts();
        f.accepted_on = Some(d("2023-12-01"));
        f.pre_decision_on = Some(d("2023-12-26"));
        f.decision = Some(Decision {
            on: d("2023-12-29"),
            number: Some("商环批复〔2023〕30号".into()),
            approved: true,
            grounds: Vec::new(),
        });
        let n = notices(&f, &cal).unwrap();
        let kinds: Vec<NoticeKind> = n.iter().map(|n| n.kind).collect();
        assert_eq!(kinds, [NoticeKind::Acceptance, NoticeKind::Decision]);
        // 10 working days from 12-01: Dec 4-8, 11-15.
        assert_eq!(n[0].ends_on, d("2023-12-15"));
        // Seven calendar days need no calendar.
        assert_eq!(n[1].ends_on, d("2024-01-04"));
        // Loaded, it appears.
        let full = notices(&f, &WorkCalendar::embedded()).unwrap();
        assert_eq!(full.len(), 3);
        assert_eq!(full[1].ends_on, d("2024-01-03"));
    }

    #[test]
    fn report_forms_have_five_days_of_comment() {
        let mut f = facts();
        f.tier = Tier::ReportForm;
        f.pre_decision_on = None;
        f.decision = None;
        let n = notices(&f, &WorkCalendar::embedded()).unwrap();
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].ends_on, d("2023-01-31"));
        assert!(n[0].body.contains("环境影响报告表"));
    }
}

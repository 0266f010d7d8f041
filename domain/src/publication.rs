//! Public notices (公示/公告) generated from a filing: the acceptance notice, the pre-decision
//! notice and the decision notice, with their texts and windows (docs/domain.md §4). Pure: the
//! filing's facts and the calendar in, notices out.
use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::calendar::{Estimated, WorkCalendar, estimate_note};
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
    /// 更正公告 — a step whose notice was public was voided; 5 working days.
    Correction,
}

named_enum!(NoticeKind {
    Acceptance => "acceptance", "受理公示";
    PreDecision => "pre_decision", "拟审批公示";
    Decision => "decision", "审批决定公告";
    Correction => "correction", "更正公告";
});

/// How long a notice runs. Every notice counts its days the same way: the day it is posted is
/// not counted, the period begins the next day, and it ends with its last day (both ends of
/// that count inclusive) — in working days for the 公示 periods the rules state in working
/// days, in calendar days for the decision notice's 7 日.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    WorkingDays(u32),
    CalendarDays(u32),
}

impl Period {
    /// The notice's period for a tier: 受理公示 10 working days for a 报告书, 5 for a 报告表;
    /// 拟审批公示 5 working days; 审批决定公告 7 days; 更正公告 5 working days.
    pub fn of(kind: NoticeKind, tier: Tier) -> Period {
        match (kind, tier) {
            (NoticeKind::Acceptance, Tier::Report) => Period::WorkingDays(10),
            (NoticeKind::Acceptance, Tier::ReportForm | Tier::RegistrationForm) => {
                Period::WorkingDays(5)
            }
            (NoticeKind::PreDecision | NoticeKind::Correction, _) => Period::WorkingDays(5),
            (NoticeKind::Decision, _) => Period::CalendarDays(7),
        }
    }

    /// "5个工作日" / "7日".
    pub fn text(self) -> String {
        match self {
            Period::WorkingDays(n) => format!("{n}个工作日"),
            Period::CalendarDays(n) => format!("{n}日"),
        }
    }

    /// The last day of the period of a notice posted on `posted`, and whether it is an estimate
    /// (it reaches a year whose holiday schedule is not loaded: weekends only are counted).
    pub fn ends(self, posted: NaiveDate, calendar: &WorkCalendar) -> Estimated<NaiveDate> {
        match self {
            Period::WorkingDays(n) => calendar.add_working_days_or_estimate(posted, n),
            Period::CalendarDays(n) => Estimated::known(posted + Duration::days(i64::from(n))),
        }
    }
}

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
    /// Steps voided after their notice was posted: each gets a correction notice.
    pub voided: Vec<VoidedNotice>,
}

/// A notice whose step was voided: the notice that was posted, and when and why it was voided.
#[derive(Debug, Clone)]
pub struct VoidedNotice {
    pub kind: NoticeKind,
    pub posted_on: NaiveDate,
    pub voided_on: NaiveDate,
    pub reason: String,
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
    /// "5个工作日", "7日": the period as the notice states it.
    pub period: String,
    /// `ends_on` reaches a year whose holiday schedule is not loaded and is an estimate (预计).
    pub estimated: bool,
    pub estimate_note: Option<String>,
    /// What happened after the notice was posted (e.g. "2023-05-20 已批复"), filled by the register.
    pub followed_by: Option<String>,
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

/// The period's end, its text and whether it is estimated, for a notice posted on `posted`.
struct Window {
    ends_on: NaiveDate,
    period: String,
    estimated: Option<String>,
}

fn window(kind: NoticeKind, tier: Tier, posted: NaiveDate, calendar: &WorkCalendar) -> Window {
    let period = Period::of(kind, tier);
    let ends = period.ends(posted, calendar);
    Window {
        ends_on: ends.value,
        period: period.text(),
        estimated: estimate_note(&ends.unloaded_years),
    }
}

impl Window {
    /// "（2023-01-20至2023-02-07）", with 预计 before an estimated end.
    fn span(&self, posted: NaiveDate) -> String {
        let first = posted.succ_opt().unwrap_or(posted);
        let estimated = if self.estimated.is_some() {
            "预计"
        } else {
            ""
        };
        format!("{first}至{estimated}{}", self.ends_on)
    }

    fn notice(self, kind: NoticeKind, title: String, body: String, posted_on: NaiveDate) -> Notice {
        Notice {
            kind,
            title,
            body,
            posted_on,
            ends_on: self.ends_on,
            period: self.period,
            estimated: self.estimated.is_some(),
            estimate_note: self.estimated,
            followed_by: None,
        }
    }
}

/// The notices a filing has given rise to so far, oldest first. A period that reaches a year
/// whose holiday schedule is not loaded is estimated (weekends only) and says so.
pub fn notices(facts: &NoticeFacts, calendar: &WorkCalendar) -> Vec<Notice> {
    let document = tier_document(facts.tier);
    let mut out = Vec::new();
    if let Some(accepted) = facts.accepted_on {
        let w = window(NoticeKind::Acceptance, facts.tier, accepted, calendar);
        let body = format!(
            "{bureau}于{accepted}受理了{owner}报送的《{project}{document}》（项目代码：{code}，建设地点：{county}）。\
             根据《环境影响评价公众参与办法》等规定，现予公示，公示期为{period}（{span}）。\
             公众可在公示期内通过信函、传真、电子邮件等方式向{bureau}反映与该建设项目环境影响有关的意见和建议。",
            bureau = facts.bureau,
            owner = facts.owner_name,
            project = facts.project_name,
            code = facts.project_code,
            county = facts.county_name,
            period = w.period,
            span = w.span(accepted),
        );
        let title = format!("关于受理《{}{document}》的公示", facts.project_name);
        out.push(w.notice(NoticeKind::Acceptance, title, body, accepted));
    }
    if let Some(posted) = facts.pre_decision_on {
        let w = window(NoticeKind::PreDecision, facts.tier, posted, calendar);
        let body = format!(
            "{bureau}拟对{owner}《{project}{document}》作出审批意见，现予公示，公示期为{period}（{span}）。\
             公示期间，建设单位、利害关系人可以提出意见；依据《中华人民共和国行政许可法》第四十七条，\
             申请人、利害关系人有权要求听证，应在公示期内以书面形式提出听证申请。公示期满且听证（如有）结束前不作出审批决定。",
            bureau = facts.bureau,
            owner = facts.owner_name,
            project = facts.project_name,
            period = w.period,
            span = w.span(posted),
        );
        let title = format!(
            "关于{}环境影响评价文件拟作出审批意见的公示",
            facts.project_name
        );
        out.push(w.notice(NoticeKind::PreDecision, title, body, posted));
    }
    if let Some(decision) = &facts.decision {
        let w = window(NoticeKind::Decision, facts.tier, decision.on, calendar);
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
        let body = format!(
            "{bureau}于{on}对{owner}《{project}{document}》{outcome}{number}，现予公告，公告期为{period}（{span}）。\
             公民、法人或者其他组织认为该审批决定侵犯其合法权益的，可以自知道该决定之日起六十日内依法申请行政复议，\
             或者自知道该决定之日起六个月内依法向人民法院提起行政诉讼。",
            bureau = facts.bureau,
            on = decision.on,
            owner = facts.owner_name,
            project = facts.project_name,
            period = w.period,
            span = w.span(decision.on),
        );
        let title = format!("关于{}环境影响评价文件审批决定的公告", facts.project_name);
        out.push(w.notice(NoticeKind::Decision, title, body, decision.on));
    }
    for voided in &facts.voided {
        let w = window(
            NoticeKind::Correction,
            facts.tier,
            voided.voided_on,
            calendar,
        );
        let body = format!(
            "{bureau}于{posted}发布的《{project}{document}》{kind}所依据的办理步骤有误，已于{on}撤销，原{kind}作废。\
             撤销理由：{reason}。特此更正，公告期为{period}（{span}）。",
            bureau = facts.bureau,
            posted = voided.posted_on,
            project = facts.project_name,
            kind = voided.kind.label(),
            on = voided.voided_on,
            reason = voided.reason,
            period = w.period,
            span = w.span(voided.voided_on),
        );
        let title = format!(
            "关于{}{}的更正公告",
            facts.project_name,
            voided.kind.label()
        );
        out.push(w.notice(NoticeKind::Correction, title, body, voided.voided_on));
    }
    out
}

/// Why a decision may not be taken on a day: the pre-decision notice still runs, or a hearing
/// asked for during it has not been held (行政许可法 Art. 47–48).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionBlock {
    NoticeRuns { ends_on: NaiveDate, estimated: bool },
    HearingOpen { requested_on: NaiveDate },
}

impl DecisionBlock {
    /// The sentence a refused decision answers with.
    pub fn message(&self) -> String {
        match self {
            DecisionBlock::NoticeRuns { ends_on, estimated } => format!(
                "拟审批公示期至{}{ends_on}结束（含当日），公示期内不能作出审批决定；{}起方可审批",
                if *estimated { "预计" } else { "" },
                ends_on.succ_opt().unwrap_or(*ends_on)
            ),
            DecisionBlock::HearingOpen { requested_on } => {
                format!("{requested_on}提出的听证申请尚未办结，听证结束前不能作出审批决定")
            }
        }
    }
}

/// Whether a decision dated `on` is allowed: not while the latest pre-decision notice's period
/// runs (through its last day), nor while a hearing requested is open. `hearings_open` are the
/// request dates of hearings neither held nor withdrawn.
pub fn decision_block(
    pre_decision_on: Option<NaiveDate>,
    tier: Tier,
    hearings_open: &[NaiveDate],
    on: NaiveDate,
    calendar: &WorkCalendar,
) -> Option<DecisionBlock> {
    if let Some(posted) = pre_decision_on {
        let ends = Period::of(NoticeKind::PreDecision, tier).ends(posted, calendar);
        if on <= ends.value {
            return Some(DecisionBlock::NoticeRuns {
                ends_on: ends.value,
                estimated: ends.is_estimate(),
            });
        }
    }
    hearings_open
        .iter()
        .min()
        .map(|&requested_on| DecisionBlock::HearingOpen { requested_on })
}

/// Whether a hearing may be asked for on `on`: only while the pre-decision notice runs.
pub fn hearing_window(
    pre_decision_on: NaiveDate,
    tier: Tier,
    on: NaiveDate,
    calendar: &WorkCalendar,
) -> Result<(), NaiveDate> {
    let ends = Period::of(NoticeKind::PreDecision, tier)
        .ends(pre_decision_on, calendar)
        .value;
    if pre_decision_on <= on && on <= ends {
        Ok(())
    } else {
        Err(ends)
    }
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
            voided: Vec::new(),
        }
    }

    #[test]
    fn windows_count_working_days_across_holidays() {
        let cal = WorkCalendar::embedded();
        let n = notices(&facts(), &cal);
        assert_eq!(n.len(), 3);
        // 10 working days from 2023-01-19: 01-20, 01-28 and 01-29 (make-up days), 01-30 … 02-07.
        assert_eq!(n[0].ends_on, d("2023-02-07"));
        // 5 working days from 2023-09-28 across National Day (make-up days 10-07, 10-08).
        assert_eq!(n[1].ends_on, d("2023-10-11"));
        // Seven days from the day after posting: 10-17 … 10-23.
        assert_eq!(n[2].ends_on, d("2023-10-23"));
        assert_eq!(n[1].period, "5个工作日");
        assert!(n[1].body.contains("（2023-09-29至2023-10-11）"));
        assert!(n[1].body.contains("听证"));
        assert!(n[2].body.contains("六十日") && n[2].body.contains("六个月"));
        assert!(n[2].body.contains("第十一条第（三）项"));
        assert!(n[2].body.contains("商环批复〔2023〕12号"));
        assert!(n[2].current(d("2023-10-23")) && !n[2].current(d("2023-10-24")));
    }

    #[test]
    fn a_period_beyond_the_loaded_years_is_estimated_on_weekends() {
        // Only up to 2023 loaded: the pre-decision notice of 2023-12-26 runs into 2024.
        let cal = WorkCalendar::new(
            crate::calendar::embedded_schedules()
                .into_iter()
                .filter(|s| s.year <= 2023),
        );
        let mut f = facts();
        f.accepted_on = Some(d("2023-12-01"));
        f.pre_decision_on = Some(d("2023-12-26"));
        f.decision = None;
        let n = notices(&f, &cal);
        let kinds: Vec<NoticeKind> = n.iter().map(|n| n.kind).collect();
        assert_eq!(kinds, [NoticeKind::Acceptance, NoticeKind::PreDecision]);
        // 10 working days from 12-01: Dec 4-8, 11-15; exact.
        assert_eq!(n[0].ends_on, d("2023-12-15"));
        assert!(!n[0].estimated);
        // 12-27, 28, 29, then 2024 by weekends only: 01-01 and 01-02 (New Year's Day unknown).
        assert_eq!(n[1].ends_on, d("2024-01-02"));
        assert!(n[1].estimated);
        assert!(
            n[1].estimate_note
                .as_deref()
                .unwrap()
                .contains("2024年节假日安排尚未导入")
        );
        assert!(n[1].body.contains("至预计2024-01-02"));
        // Loaded, it is exact: 2024-01-01 is a holiday.
        let full = notices(&f, &WorkCalendar::embedded());
        assert_eq!(full[1].ends_on, d("2024-01-03"));
        assert!(!full[1].estimated);
        // The gate reads the same period: a decision on the last day is blocked, the next day not.
        let gate = |on| {
            decision_block(
                f.pre_decision_on,
                f.tier,
                &[],
                d(on),
                &WorkCalendar::embedded(),
            )
        };
        assert!(matches!(
            gate("2024-01-03"),
            Some(DecisionBlock::NoticeRuns { .. })
        ));
        assert_eq!(gate("2024-01-04"), None);
        let hearing = [d("2023-12-28")];
        assert_eq!(
            decision_block(
                f.pre_decision_on,
                f.tier,
                &hearing,
                d("2024-01-04"),
                &WorkCalendar::embedded()
            ),
            Some(DecisionBlock::HearingOpen {
                requested_on: d("2023-12-28")
            })
        );
    }

    #[test]
    fn a_voided_step_gets_a_correction_notice() {
        let mut f = facts();
        f.voided.push(VoidedNotice {
            kind: NoticeKind::Acceptance,
            posted_on: d("2023-01-10"),
            voided_on: d("2023-01-12"),
            reason: "误录受理日期".into(),
        });
        let n = notices(&f, &WorkCalendar::embedded());
        let c = n.last().unwrap();
        assert_eq!(c.kind, NoticeKind::Correction);
        assert!(c.title.contains("受理公示的更正公告"));
        assert!(c.body.contains("误录受理日期"));
        assert_eq!(c.posted_on, d("2023-01-12"));
    }

    #[test]
    fn report_forms_have_five_days_of_comment() {
        let mut f = facts();
        f.tier = Tier::ReportForm;
        f.pre_decision_on = None;
        f.decision = None;
        let n = notices(&f, &WorkCalendar::embedded());
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].ends_on, d("2023-01-31"));
        assert!(n[0].body.contains("环境影响报告表"));
    }
}

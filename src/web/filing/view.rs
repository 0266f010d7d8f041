//! The filing page drawn from the services' views: header, timeline, both clocks, stops,
//! hearings, documents, notices and the forms for what the reader may do now. Which actions
//! are offered is the domain's answer (`allowed_actions` of the view); nothing here decides it.
use std::collections::HashMap;

use askama::Template;
use chrono::NaiveDate;

use super::forms::{AnswerRow, CorrRow, Failed, FormBox, GroundOpt, Opt};
use crate::config::Settings;
use crate::domain::calendar::WorkCalendar;
use crate::domain::filing::{
    Action, ClockInput, ClockSettings, ClockStatus, ClockStop, DisapprovalGround, FilingClock,
    FilingState, HearingStatus, Material, RecordedFor, Role, StopReason, Tier, allowed_actions,
    filing_clock,
};
use crate::domain::publication::Notice;
use crate::services::documents::DocumentView;
use crate::services::filings::{FilingEventView, FilingView};
use crate::services::today;
use crate::services::{self};
use crate::web::page::Chrome;
use crate::web::session::WebUser;

/// Everything the page is drawn from, loaded once.
pub struct Loaded {
    pub view: FilingView,
    pub events: Vec<FilingEventView>,
    pub documents: Vec<DocumentView>,
    pub notices: Vec<Notice>,
    pub calendar: WorkCalendar,
    pub names: HashMap<i64, String>,
}

impl Loaded {
    pub async fn load(
        state: &crate::http::AppState,
        user: &WebUser,
        id: i64,
    ) -> crate::error::Result<Loaded> {
        let db = &state.db;
        let view = services::filings::get(db, &state.settings, &user.actor, id).await?;
        let events = services::filings::events(db, &user.actor, id).await?;
        let documents = services::documents::list(db, &user.actor, id, true).await?;
        let notices = services::filings::notices_of(db, &state.settings, &user.actor, id).await?;
        let calendar = services::calendar::load(db).await?;
        let ids = events
            .iter()
            .filter_map(|e| e.actor_id)
            .chain(documents.iter().filter_map(|d| d.uploaded_by));
        let names = services::people::display_names(db, ids).await?;
        Ok(Loaded {
            view,
            events,
            documents,
            notices,
            calendar,
            names,
        })
    }

    /// The live steps, oldest first.
    fn live_steps(&self) -> Vec<&FilingEventView> {
        let mut steps: Vec<&FilingEventView> = self
            .events
            .iter()
            .filter(|e| e.action.is_some() && e.voided_at.is_none())
            .collect();
        steps.sort_by_key(|e| e.id);
        steps
    }
}

#[derive(Template)]
#[template(path = "filing/show.html")]
pub struct FilingPage {
    pub chrome: Chrome,
    pub id: i64,
    pub head: Head,
    pub timeline: Vec<Entry>,
    pub clocks: Vec<ClockCol>,
    pub clock_error: Option<String>,
    pub stops: Vec<StopRow>,
    pub hearings: Vec<HearingRow>,
    pub documents: Vec<DocRow>,
    pub notices: Vec<NoticeRow>,
    pub printables: Vec<(String, &'static str)>,
    pub forms: Vec<FormBox>,
    pub side_forms: Vec<FormBox>,
    pub failed_alert: bool,
}

pub struct Head {
    pub project_id: i64,
    pub project_name: String,
    pub project_code: String,
    pub organization: String,
    pub county: String,
    pub tier: &'static str,
    pub state: &'static str,
    pub state_code: &'static str,
    pub badge: &'static str,
    pub handler: String,
    pub handler_phone: String,
    pub decision_no: Option<String>,
    pub receipt_no: Option<String>,
    pub correction_rounds: u32,
    pub decision_blocked: Option<String>,
    pub open_correction: Vec<String>,
    pub suggested_refusal: Option<String>,
}

pub struct Entry {
    pub date: String,
    pub label: String,
    pub who: String,
    pub states: Option<String>,
    pub details: Vec<String>,
    pub items: Vec<String>,
    pub voided: bool,
    pub void_note: Option<String>,
    pub recorded: Option<String>,
}

pub struct ClockCol {
    pub title: &'static str,
    pub limits: String,
    pub status: &'static str,
    pub current: String,
    pub facts: Vec<(String, String)>,
    pub overdue: bool,
    pub note: Option<String>,
}

pub struct StopRow {
    pub reason: &'static str,
    pub from: String,
    pub to: String,
    pub note: String,
}

pub struct HearingRow {
    pub party: &'static str,
    pub requester: String,
    pub requested_on: String,
    pub status: &'static str,
    pub closed: String,
    pub outcome: String,
}

pub struct DocRow {
    pub href: String,
    pub name: String,
    pub material: String,
    pub size: String,
    pub uploaded: String,
    pub by: String,
    pub withdrawn: Option<String>,
    pub public: bool,
}

pub struct NoticeRow {
    pub kind: &'static str,
    pub title: String,
    pub posted_on: String,
    pub period: String,
    pub ends_on: String,
    pub current: bool,
    pub followed_by: String,
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0)
    } else if bytes >= 1024 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

fn badge_of(state: FilingState) -> &'static str {
    match state {
        FilingState::Approved | FilingState::Registered => "badge-ok",
        FilingState::Refused | FilingState::Disapproved => "badge-danger",
        FilingState::CorrectionRequested => "badge-warn",
        FilingState::Withdrawn | FilingState::Draft => "badge",
        _ => "badge-info",
    }
}

fn material_options(first: Option<Material>) -> Vec<(String, String)> {
    let mut all: Vec<Material> = Material::ALL.to_vec();
    if let Some(m) = first {
        all.retain(|x| *x != m);
        all.insert(0, m);
    }
    all.into_iter()
        .map(|m| (m.as_str().to_owned(), m.label().to_owned()))
        .collect()
}

impl Loaded {
    fn who(&self, e: &FilingEventView) -> String {
        let role = e.actor_role.label();
        match e.actor_id.and_then(|id| self.names.get(&id)) {
            Some(name) => format!("{name}（{role}）"),
            None => role.to_owned(),
        }
    }

    fn timeline(&self) -> Vec<Entry> {
        self.events
            .iter()
            .map(|e| {
                let d = &e.detail;
                let mut details = Vec::new();
                let mut items = Vec::new();
                if let Some(r) = &e.reason {
                    let label = match e.action {
                        Some(Action::Refuse) => "不予受理理由",
                        Some(Action::Disapprove) => "不予批准理由",
                        Some(Action::Withdraw) => "撤回说明",
                        None => "说明",
                        _ => "说明",
                    };
                    details.push(format!("{label}：{r}"));
                }
                if let Some(round) = d.round {
                    details.push(format!(
                        "第{round}次补正通知（一次性告知），共{}项",
                        d.missing_items.len()
                    ));
                }
                for (i, item) in d.missing_items.iter().enumerate() {
                    let basis = d
                        .basis
                        .get(i)
                        .map(|b| format!("（{}）", b.label()))
                        .unwrap_or_default();
                    items.push(format!("{item}{basis}"));
                }
                for a in &d.answers {
                    items.push(format!("{}：{}", a.item, a.answer));
                }
                if !d.grounds.is_empty() {
                    for (g, c) in d
                        .grounds
                        .iter()
                        .zip(d.citations.iter().chain(std::iter::repeat(&String::new())))
                    {
                        items.push(format!("{}　{c}", g.label()));
                    }
                }
                if let Some(no) = &d.decision_no {
                    details.push(format!("批复文号：{no}"));
                }
                if let Some(no) = &d.receipt_no {
                    details.push(format!("备案号：{no}"));
                }
                if let Some(t) = &d.decision_text {
                    details.push(format!("批复意见：{t}"));
                }
                if let Some(ev) = &d.evaluator {
                    details.push(format!("技术评估机构：{ev}"));
                }
                if let Some(w) = &d.materials_waived {
                    details.push(format!("免于上传材料：{w}"));
                }
                if d.recorded_for == Some(RecordedFor::Owner) {
                    details.push("审批人员代建设单位录入".into());
                }
                if d.source.is_some() {
                    details.push("经全国系统录入".into());
                }
                let recorded_day = e
                    .recorded_at
                    .with_timezone(&services::shanghai())
                    .date_naive();
                Entry {
                    date: date(e.effective_on),
                    label: e.action_label.clone(),
                    who: self.who(e),
                    states: match (e.from_state, e.to_state) {
                        (Some(from), Some(to)) => {
                            Some(format!("{} → {}", from.label(), to.label()))
                        }
                        _ => None,
                    },
                    details,
                    items,
                    voided: e.voided_at.is_some(),
                    void_note: e.voided_at.map(|at| {
                        format!(
                            "已于{}作废：{}",
                            date(at.with_timezone(&services::shanghai()).date_naive()),
                            e.void_reason.clone().unwrap_or_default()
                        )
                    }),
                    recorded: (recorded_day != e.effective_on)
                        .then(|| format!("录入于{}", date(recorded_day))),
                }
            })
            .collect()
    }

    fn clocks(&self, settings: &Settings) -> (Vec<ClockCol>, Option<String>) {
        let v = &self.view;
        if v.tier == Tier::RegistrationForm {
            return (Vec::new(), None);
        }
        let history: Vec<(Action, NaiveDate)> = self
            .live_steps()
            .iter()
            .filter_map(|e| e.action.map(|a| (a, e.effective_on)))
            .collect();
        let extra: Vec<ClockStop> = v
            .stops
            .iter()
            .map(|s| ClockStop {
                reason: s.reason,
                from: s.from,
                to: s.to,
            })
            .collect();
        let c = &settings.clocks;
        let statutory = ClockSettings {
            acceptance_working_days: c.acceptance_working_days,
            report_days: c.report_days,
            report_form_days: c.report_form_days,
            decision_days_are_working_days: c.decision_days_are_working_days,
        };
        let promise = |statute: u32, promised: u32| {
            if promised > 0 {
                statute.min(promised)
            } else {
                statute
            }
        };
        let committed = ClockSettings {
            report_days: promise(c.report_days, c.promised_report_days),
            report_form_days: promise(c.report_form_days, c.promised_report_form_days),
            ..statutory
        };
        let promised_set = match v.tier {
            Tier::Report => c.promised_report_days > 0,
            _ => c.promised_report_form_days > 0,
        };
        let input = ClockInput {
            tier: v.tier,
            state: v.state,
            history: &history,
            extra_stops: &extra,
        };
        let mut cols = Vec::new();
        for (title, cs) in [("法定时限", statutory), ("承诺时限", committed)] {
            match filing_clock(&input, today(), &cs, &self.calendar) {
                Ok(clock) => {
                    let mut col = clock_col(title, &cs, v.tier, &clock);
                    if title == "承诺时限" && !promised_set {
                        col.note = Some(match col.note {
                            Some(n) => {
                                format!("本局未设定短于法定时限的承诺时限，按法定时限办理。{n}")
                            }
                            None => "本局未设定短于法定时限的承诺时限，按法定时限办理。".into(),
                        });
                    }
                    cols.push(col);
                }
                Err(e) => return (Vec::new(), Some(e.to_string())),
            }
        }
        (cols, None)
    }
}

fn clock_col(title: &'static str, cs: &ClockSettings, tier: Tier, c: &FilingClock) -> ClockCol {
    let unit = cs.decision_unit().label();
    let decision_days = cs.decision_days(tier).unwrap_or_default();
    let mark = if c.estimated { "（预计）" } else { "" };
    let mut facts = Vec::new();
    facts.push((
        "受理期限".to_owned(),
        c.acceptance_due
            .map(|d| format!("{}{mark}", date(d)))
            .unwrap_or_else(|| "—".into()),
    ));
    let decision_due = match c.decision_due {
        Some(d) => format!("{}{mark}", date(d)),
        None if c.status == ClockStatus::Stopped => "暂停中，恢复计时后确定".into(),
        None => "—".into(),
    };
    facts.push(("审批期限".to_owned(), decision_due));
    let current = match c.clock {
        Some(kind) => kind.label().to_owned(),
        None => "尚未开始".to_owned(),
    };
    if let Some(u) = c.unit {
        facts.push(("已用".to_owned(), format!("{}个{}", c.days_used, u.label())));
        let left = if c.days_left < 0 {
            format!("已超期{}个{}", -c.days_left, u.label())
        } else {
            format!("{}个{}", c.days_left, u.label())
        };
        facts.push(("剩余".to_owned(), left));
    }
    ClockCol {
        title,
        limits: format!(
            "受理{}个工作日；审批{}个{unit}",
            cs.acceptance_working_days, decision_days
        ),
        status: c.status.label(),
        current,
        facts,
        overdue: c.overdue,
        note: c.estimate_note.clone(),
    }
}

/// Builds the page for `user`; `failed` is the form that came back with problems.
pub fn page(
    settings: &Settings,
    user: &WebUser,
    l: &Loaded,
    failed: Option<&Failed>,
) -> FilingPage {
    let v = &l.view;
    let id = v.id;
    let role = user.role();
    let head = Head {
        project_id: v.project.id,
        project_name: v.project.name.clone(),
        project_code: v.project.project_code.clone(),
        organization: v.project.organization_name.clone(),
        county: v.project.county_name.clone(),
        tier: v.tier.label(),
        state: v.state_label,
        state_code: v.state.as_str(),
        badge: badge_of(v.state),
        handler: v
            .handler
            .as_ref()
            .map(|h| h.name.clone())
            .unwrap_or_else(|| {
                if v.state == FilingState::Draft {
                    "尚未提交".into()
                } else {
                    "待认领（共享待办队列）".into()
                }
            }),
        handler_phone: v
            .handler
            .as_ref()
            .and_then(|h| h.office_phone.clone())
            .unwrap_or_default(),
        decision_no: v.decision_no.clone(),
        receipt_no: v.receipt_no.clone(),
        correction_rounds: v.correction_rounds,
        decision_blocked: v.decision_blocked.clone(),
        open_correction: v.open_correction.clone().unwrap_or_default(),
        suggested_refusal: v.suggested_refusal_reason.map(str::to_owned),
    };
    let (clocks, clock_error) = l.clocks(settings);
    let mut stops: Vec<StopRow> = Vec::new();
    if let Some(clock) = &v.clock {
        for s in clock
            .stopped
            .iter()
            .filter(|s| !s.reason.dated_by_officer())
        {
            stops.push(StopRow {
                reason: s.reason.label(),
                from: date(s.from),
                to: s.to.map(date).unwrap_or_else(|| "进行中".into()),
                note: match s.reason {
                    StopReason::CorrectionRequest => "补正期间不计时".into(),
                    _ => "技术评估期间不计时".into(),
                },
            });
        }
    }
    for s in &v.stops {
        stops.push(StopRow {
            reason: s.reason_label,
            from: date(s.from),
            to: s.to.map(date).unwrap_or_else(|| "进行中".into()),
            note: s.note.clone().unwrap_or_default(),
        });
    }
    let hearings = v
        .hearings
        .iter()
        .map(|h| HearingRow {
            party: h.party_label,
            requester: h.requester.clone(),
            requested_on: date(h.requested_on),
            status: h.status_label,
            closed: h.closed_on.map(date).unwrap_or_default(),
            outcome: h.outcome.clone().unwrap_or_default(),
        })
        .collect();
    let documents = l
        .documents
        .iter()
        .map(|d| DocRow {
            href: format!("/filings/{id}/materials/{}", d.id),
            name: d.file_name.clone(),
            material: d.material_label.unwrap_or("未注明").to_owned(),
            size: size(d.size),
            uploaded: date(
                d.uploaded_at
                    .with_timezone(&services::shanghai())
                    .date_naive(),
            ),
            by: d
                .uploaded_by
                .and_then(|u| l.names.get(&u).cloned())
                .unwrap_or_default(),
            withdrawn: d.withdrawn_at.map(|_| {
                format!(
                    "已撤回{}",
                    d.withdraw_reason
                        .as_deref()
                        .map(|r| format!("：{r}"))
                        .unwrap_or_default()
                )
            }),
            public: d.public_disclosure,
        })
        .collect();
    let now = today();
    let notices = l
        .notices
        .iter()
        .map(|n| NoticeRow {
            kind: n.kind.label(),
            title: n.title.clone(),
            posted_on: date(n.posted_on),
            period: n.period.clone(),
            ends_on: format!(
                "{}{}",
                date(n.ends_on),
                if n.estimated { "（预计）" } else { "" }
            ),
            current: n.current(now),
            followed_by: n.followed_by.clone().unwrap_or_default(),
        })
        .collect();
    let steps = l.live_steps();
    let has = |a: Action| steps.iter().any(|e| e.action == Some(a));
    let mut printables = Vec::new();
    if has(Action::Accept) {
        printables.push((format!("/filings/{id}/documents/acceptance"), "受理通知书"));
    }
    if has(Action::RequestCorrection) {
        printables.push((format!("/filings/{id}/documents/correction"), "补正通知书"));
    }
    if v.state == FilingState::Refused {
        printables.push((format!("/filings/{id}/documents/refusal"), "不予受理决定书"));
    }
    if matches!(v.state, FilingState::Approved | FilingState::Disapproved) {
        printables.push((format!("/filings/{id}/documents/decision"), "审批决定书"));
    }

    let (forms, side_forms) = forms(settings, user, l, failed);
    FilingPage {
        chrome: user.chrome(format!("{} · 环评申报", v.project.name)),
        id,
        head,
        timeline: l.timeline(),
        clocks,
        clock_error: clock_error.or_else(|| v.clock_error.clone()),
        stops,
        hearings,
        documents,
        notices,
        printables,
        forms,
        side_forms,
        failed_alert: failed.is_some_and(|f| !f.problems.is_empty()) && role != Role::Leader,
    }
}

/// The forms the reader may use now: the domain's allowed actions, the owner's steps an
/// officer may enter from paper, and what runs beside the steps.
fn forms(
    settings: &Settings,
    user: &WebUser,
    l: &Loaded,
    failed: Option<&Failed>,
) -> (Vec<FormBox>, Vec<FormBox>) {
    let v = &l.view;
    let id = v.id;
    let role = user.role();
    let keeper = role.keeps_ledger();
    let act = format!("/filings/{id}/actions");
    let mut forms = Vec::new();
    let mut side = Vec::new();

    if role == Role::Officer && v.handler.is_none() && v.state.clock_runs() {
        forms.push(
            FormBox::new("claim", format!("/filings/{id}/claim"), "认领此申报")
                .intro("该申报尚未分配承办人，认领后由您办理。")
                .button("认领")
                .settle(failed),
        );
    }
    let present: Vec<Material> = l
        .documents
        .iter()
        .filter(|d| d.withdrawn_at.is_none())
        .filter_map(|d| d.material)
        .collect();
    let missing: Vec<&str> = settings
        .filings
        .required_materials
        .missing(v.tier, &present)
        .iter()
        .map(|m| m.label())
        .collect();

    let step = |action: Action, paper: bool| {
        let key = if paper {
            format!("paper-{}", action.as_str())
        } else {
            format!("act-{}", action.as_str())
        };
        let mut f = FormBox::new(key, act.clone(), action.label())
            .hidden("action", action.as_str())
            .hidden("version", v.version);
        if paper {
            f = f.hidden("on_behalf", "1");
            f.title = format!("代建设单位录入：{}", action.label());
        }
        f
    };

    for action in &v.allowed_actions {
        let action = *action;
        let mut f = step(action, false);
        match action {
            Action::Submit => {
                f = f.button("提交申报");
                f.intro = Some(if missing.is_empty() {
                    "申报材料已齐全，提交后进入受理审查（5个工作日内作出受理、补正或不予受理决定）。".into()
                } else {
                    format!("提交前请上传：{}。", missing.join("、"))
                });
            }
            Action::Register => {
                f = f
                    .button("备案")
                    .intro("登记表提交即备案，系统发放备案回执号。");
            }
            Action::Resubmit => {
                f.multipart = true;
                f.post = format!("/filings/{id}/resubmit");
                f.title = "答复补正通知并重新提交".into();
                f.intro = Some("请逐项说明补正情况，并上传对应的补正材料。".into());
                f = f.button("提交补正材料");
                f.answers = v
                    .open_correction
                    .clone()
                    .unwrap_or_default()
                    .into_iter()
                    .enumerate()
                    .map(|(n, item)| AnswerRow {
                        n,
                        item,
                        answer: String::new(),
                        problem: None,
                        with_file: true,
                        materials: material_options(Some(Material::Other))
                            .into_iter()
                            .map(|(value, label)| Opt {
                                selected: value == Material::Other.as_str(),
                                value,
                                label,
                            })
                            .collect(),
                    })
                    .collect();
            }
            Action::Withdraw => {
                f = f
                    .textarea("reason", "撤回说明（可不填）", false, "")
                    .button("撤回申报")
                    .confirm("确定撤回该申报？撤回后不能恢复，如需办理须重新申报。");
            }
            Action::RequestCorrection => {
                f.title = "通知补正（一次性告知）".into();
                f.intro = Some("逐行列明全部需补正的材料；空行不计。".into());
                f.basis = v.correction_rounds > 0;
                f.rows = (0..6)
                    .map(|n| CorrRow {
                        n,
                        item: String::new(),
                        note: String::new(),
                        basis: String::new(),
                        problem: None,
                    })
                    .collect();
                f = f.effective_on().button("发出补正通知");
            }
            Action::Accept => {
                f = f.effective_on().button("受理");
            }
            Action::Refuse => {
                let suggested = v.suggested_refusal_reason.unwrap_or("");
                f = f
                    .textarea("reason", "不予受理理由", true, suggested)
                    .effective_on()
                    .button("不予受理")
                    .confirm("确定不予受理？该决定将出具不予受理决定书，不能撤销。");
            }
            Action::StartEvaluation => {
                f = f
                    .text("evaluator", "技术评估机构", false, None)
                    .effective_on()
                    .button("送技术评估");
            }
            Action::FinishEvaluation => {
                f = f
                    .effective_on()
                    .intro("技术评估完成后进入拟审批公示（5个工作日），公示期满方可审批。")
                    .button("完成技术评估");
            }
            Action::Approve => {
                f.title = "批复（批准）".into();
                if let Some(b) = &v.decision_blocked {
                    f.intro = Some(format!("注意：{b}"));
                }
                f = f
                    .textarea("decision_text", "批复意见（可不填）", false, "")
                    .effective_on()
                    .text(
                        "number",
                        "批复文号（仅补录以往纸质批复时填写）",
                        false,
                        Some("不填则由系统按年度顺序编号"),
                    )
                    .button("批准")
                    .confirm("确定批准该申报并出具批复？此操作不可撤销。");
            }
            Action::Disapprove => {
                f.grounds = DisapprovalGround::ALL
                    .iter()
                    .map(|g| GroundOpt {
                        code: g.as_str(),
                        label: g.label(),
                        citation: g.citation(),
                        checked: false,
                    })
                    .collect();
                f = f
                    .textarea("reason", "不予批准理由", true, "")
                    .effective_on()
                    .text(
                        "number",
                        "决定文号（仅补录以往纸质决定时填写）",
                        false,
                        None,
                    )
                    .button("不予批准")
                    .confirm("确定不予批准？此决定不可撤销。");
            }
        }
        forms.push(f.settle(failed));
    }

    if keeper {
        // An owner's step that reached the bureau on paper or at the service window.
        for action in allowed_actions(v.state, v.tier, Role::Owner) {
            let mut f = step(action, true).effective_on();
            match action {
                Action::Submit | Action::Resubmit => {
                    if action == Action::Resubmit {
                        f.answers = v
                            .open_correction
                            .clone()
                            .unwrap_or_default()
                            .into_iter()
                            .enumerate()
                            .map(|(n, item)| AnswerRow {
                                n,
                                item,
                                answer: String::new(),
                                problem: None,
                                with_file: false,
                                materials: Vec::new(),
                            })
                            .collect();
                    }
                    f = f.text(
                        "materials_waived",
                        "免于上传材料的理由",
                        false,
                        Some("纸质材料已收取存档时填写（如：纸质材料已存档）；已上传材料可不填"),
                    );
                    f.button = "录入".into();
                }
                Action::Withdraw => {
                    f = f
                        .textarea("reason", "撤回说明", false, "")
                        .button("录入撤回")
                        .confirm("确定录入建设单位撤回该申报？此操作不可撤销。");
                }
                _ => f.button = "录入".into(),
            }
            forms.push(f.settle(failed));
        }
    }

    // Materials: owners while drafting or correcting, officers until the filing ends.
    let may_upload = match role {
        Role::Owner => matches!(
            v.state,
            FilingState::Draft | FilingState::CorrectionRequested
        ),
        Role::Officer | Role::Admin => !v.state.is_terminal(),
        Role::Leader => false,
    };
    if may_upload && !(role == Role::Owner && v.allowed_actions.is_empty()) {
        let mut f = FormBox::new("upload", format!("/filings/{id}/materials"), "上传申报材料")
            .select("material", "材料类别", material_options(None))
            .file("file", "文件（PDF、Word、Excel、ZIP、JPEG 或 PNG）", true)
            .button("上传");
        f.multipart = true;
        forms.push(f.settle(failed));
    }

    if keeper {
        let decision_clock = v.state.counts_as_accepted_or_decided() && !v.state.is_terminal();
        if decision_clock {
            side.push(
                FormBox::new(
                    "stop-new",
                    format!("/filings/{id}/stops"),
                    "登记暂停计时（专家评审、听证）",
                )
                .select(
                    "reason",
                    "暂停原因",
                    [StopReason::ExpertReview, StopReason::Hearing]
                        .iter()
                        .map(|r| (r.as_str().to_owned(), r.label().to_owned()))
                        .collect(),
                )
                .date("from", "开始日期（含当日）", true, None)
                .date("to", "结束日期（含当日，尚未结束可不填）", false, None)
                .text("note", "说明", false, None)
                .button("登记暂停")
                .settle(failed),
            );
        }
        for s in &v.stops {
            if s.to.is_none() {
                side.push(
                    FormBox::new(
                        format!("stop-close-{}", s.id),
                        format!("/filings/{id}/stops/{}/close", s.id),
                        format!("{}暂停（自{}）恢复计时", s.reason_label, date(s.from)),
                    )
                    .hidden("version", s.version)
                    .date("to", "暂停的最后一日（含当日）", true, None)
                    .button("恢复计时")
                    .settle(failed),
                );
            }
            side.push(
                FormBox::new(
                    format!("stop-void-{}", s.id),
                    format!("/filings/{id}/stops/{}/void", s.id),
                    format!("作废{}暂停记录（自{}）", s.reason_label, date(s.from)),
                )
                .hidden("version", s.version)
                .text("reason", "作废理由", true, None)
                .button("作废")
                .confirm("确定作废该暂停计时记录？")
                .settle(failed),
            );
        }
    }
    if v.state == FilingState::PreDecisionNotice && (keeper || role == Role::Owner) {
        let mut f = FormBox::new("hearing-new", format!("/filings/{id}/hearings"), "听证申请")
            .button("登记听证申请");
        if keeper {
            f = f
                .intro("登记利害关系人在拟审批公示期内提出的听证申请；听证办结前不能作出审批决定。")
                .hidden("party", "public")
                .text("requester", "申请人", true, None)
                .date("requested_on", "申请日期", false, Some("不填为今天"))
                .text("note", "说明", false, None);
        } else {
            f = f
                .intro("拟审批公示期内，申请人可以申请听证；听证结束前不作出审批决定。")
                .text("note", "申请理由", false, None)
                .button("申请听证");
        }
        side.push(f.settle(failed));
    }
    if keeper {
        for h in v
            .hearings
            .iter()
            .filter(|h| h.status == HearingStatus::Requested)
        {
            side.push(
                FormBox::new(
                    format!("hearing-close-{}", h.id),
                    format!("/filings/{id}/hearings/{}/close", h.id),
                    format!("办结{}的听证申请（{}）", h.requester, date(h.requested_on)),
                )
                .hidden("version", h.version)
                .select(
                    "status",
                    "结果",
                    [HearingStatus::Held, HearingStatus::Withdrawn]
                        .iter()
                        .map(|s| (s.as_str().to_owned(), s.label().to_owned()))
                        .collect(),
                )
                .date("closed_on", "举行或撤回日期", true, None)
                .textarea("outcome", "听证结论或撤回说明", true, "")
                .button("办结听证")
                .settle(failed),
            );
        }
        if let Some(last) = l.live_steps().last() {
            side.push(
                FormBox::new(
                    "void-step",
                    format!("/filings/{id}/void-step"),
                    format!("作废最近一步：{}（{}）", last.action_label, date(last.effective_on)),
                )
                .intro("误录的环节作废后保留记录并标注作废，申报回到该环节之前的状态；已发放的文号不回收，已公示的信息发布更正公告。")
                .hidden("version", v.version)
                .hidden("event_id", last.id)
                .text("reason", "作废理由", true, None)
                .button("作废此环节")
                .confirm("确定作废该环节？")
                .settle(failed),
            );
        }
    }
    // Documents may be withdrawn before acceptance by their uploader or an officer.
    if matches!(
        v.state,
        FilingState::Draft | FilingState::Submitted | FilingState::CorrectionRequested
    ) {
        for d in l.documents.iter().filter(|d| d.withdrawn_at.is_none()) {
            let mine =
                role == Role::Owner && user.actor.id.is_some() && user.actor.id == d.uploaded_by;
            if mine || keeper {
                side.push(
                    FormBox::new(
                        format!("doc-withdraw-{}", d.id),
                        format!("/filings/{id}/materials/{}/withdraw", d.id),
                        format!("撤回文件：{}", d.file_name),
                    )
                    .text("reason", "撤回原因", false, None)
                    .button("撤回文件")
                    .confirm("确定撤回该文件？")
                    .settle(failed),
                );
            }
        }
    }
    (forms, side)
}

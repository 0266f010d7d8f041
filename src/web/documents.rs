//! Documents the bureau issues, printable: 受理通知书, 补正通知书, 不予受理决定书, 批复 / 不予批准决定.
//! Each is drawn from the filing's recorded step (its date, its reason, its items or grounds),
//! the project and its owner, and the bureau's name; a filing without that step has no such
//! document (the 404 page). Owners read only their own filings' documents: the filing service
//! answers 404 for another organisation's.
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use chrono::{Datelike, NaiveDate};

use super::page::{Chrome, WebResult, render};
use super::session::WebUser;
use crate::domain::filing::{Action, FilingState, Tier};
use crate::error::Error;
use crate::http::AppState;
use crate::services::filings::{self, FilingEventView, FilingView};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/filings/{id}/documents/acceptance", get(acceptance))
        .route("/filings/{id}/documents/correction", get(correction))
        .route("/filings/{id}/documents/refusal", get(refusal))
        .route("/filings/{id}/documents/decision", get(decision))
}

/// A link to one of a filing's issued documents.
pub struct DocLink {
    pub href: String,
    pub label: &'static str,
}

/// The documents a filing has been issued, judged from its state and history as its view shows
/// them (each page checks the step itself).
pub fn offered(f: &FilingView) -> Vec<DocLink> {
    let mut out = Vec::new();
    let link = |kind: &str, label: &'static str| DocLink {
        href: format!("/filings/{}/documents/{kind}", f.id),
        label,
    };
    let accepted = matches!(
        f.state,
        FilingState::Accepted
            | FilingState::TechnicalEvaluation
            | FilingState::PreDecisionNotice
            | FilingState::Approved
            | FilingState::Disapproved
    );
    if f.correction_rounds > 0 {
        out.push(link("correction", "补正通知书"));
    }
    if accepted {
        out.push(link("acceptance", "受理通知书"));
    }
    match f.state {
        FilingState::Refused => out.push(link("refusal", "不予受理决定书")),
        FilingState::Approved => out.push(link("decision", "批复")),
        FilingState::Disapproved => out.push(link("decision", "不予批准决定书")),
        _ => {}
    }
    out
}

#[derive(Template)]
#[template(path = "documents/document.html")]
struct DocumentPage {
    chrome: Chrome,
    bureau: String,
    heading: String,
    number: String,
    addressee: String,
    paragraphs: Vec<String>,
    items_intro: String,
    items: Vec<String>,
    closing: Vec<String>,
    date: String,
    facts: Vec<(&'static str, String)>,
    filing_id: i64,
}

/// `2023年6月30日`
pub fn date_cn(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn tier_document(tier: Tier) -> &'static str {
    match tier {
        Tier::Report => "环境影响报告书",
        Tier::ReportForm => "环境影响报告表",
        Tier::RegistrationForm => "环境影响登记表",
    }
}

const REMEDIES: &str = "如不服本决定，可在收到本决定书之日起六十日内依法申请行政复议，\
     或者在六个月内依法向人民法院提起行政诉讼。";

/// The filing and its steps in force, oldest first, if the reader may see it.
async fn load(
    state: &AppState,
    user: &WebUser,
    id: i64,
) -> Result<(FilingView, Vec<FilingEventView>), Error> {
    let view = filings::get(&state.db, &state.settings, &user.actor, id).await?;
    let steps = filings::events(&state.db, &user.actor, id)
        .await?
        .into_iter()
        .filter(|e| e.action.is_some() && e.voided_at.is_none())
        .collect();
    Ok((view, steps))
}

/// The latest step in force taking one of `actions`, else the 404 page.
fn step_of<'a>(
    steps: &'a [FilingEventView],
    actions: &[Action],
    what: &str,
) -> Result<&'a FilingEventView, Error> {
    steps
        .iter()
        .rev()
        .find(|e| e.action.is_some_and(|a| actions.contains(&a)))
        .ok_or_else(|| Error::NotFound(format!("该申报没有{what}")))
}

/// The latest receipt (submission or resubmission) before the step at `index`.
fn receipt_before(steps: &[FilingEventView], step: &FilingEventView) -> Option<NaiveDate> {
    steps
        .iter()
        .take_while(|e| e.id != step.id)
        .filter(|e| matches!(e.action, Some(Action::Submit | Action::Resubmit)))
        .last()
        .map(|e| e.effective_on)
}

/// A number for a notice that has no number of its own: derived from the filing and the step,
/// so it is the same each time the notice is printed.
fn derived_number(prefix: &str, step: &FilingEventView, filing_id: i64) -> String {
    format!(
        "{prefix}〔{}〕{filing_id}-{}号",
        step.effective_on.year(),
        step.id
    )
}

fn facts(view: &FilingView) -> Vec<(&'static str, String)> {
    vec![
        ("项目名称", view.project.name.clone()),
        ("投资项目统一代码", view.project.project_code.clone()),
        ("建设单位", view.project.organization_name.clone()),
        ("建设地点", view.project.county_name.clone()),
        ("环评文件类别", view.tier.label().to_owned()),
        ("申报编号", view.id.to_string()),
    ]
}

fn page(
    user: &WebUser,
    state: &AppState,
    view: &FilingView,
    heading: &str,
    number: String,
    on: NaiveDate,
) -> DocumentPage {
    DocumentPage {
        chrome: user.chrome(format!("{heading} · {}", view.project.name)),
        bureau: state.settings.bureau.name.clone(),
        heading: heading.to_owned(),
        number,
        addressee: format!("{}：", view.project.organization_name),
        paragraphs: Vec::new(),
        items_intro: String::new(),
        items: Vec::new(),
        closing: Vec::new(),
        date: date_cn(on),
        facts: facts(view),
        filing_id: view.id,
    }
}

fn received(on: Option<NaiveDate>) -> String {
    on.map(|d| format!("于{}", date_cn(d))).unwrap_or_default()
}

/// 受理通知书
async fn acceptance(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> WebResult {
    let (view, steps) = load(&state, &user, id).await?;
    let step = step_of(&steps, &[Action::Accept], "受理通知书")?;
    let mut doc = page(
        &user,
        &state,
        &view,
        "受理通知书",
        derived_number("环评受字", step, view.id),
        step.effective_on,
    );
    doc.paragraphs = vec![
        format!(
            "你单位{}报送的《{}{}》及相关申请材料收悉。经审查，申请材料齐全、符合法定形式，\
             根据《中华人民共和国行政许可法》第三十二条的规定，我局决定予以受理。",
            received(receipt_before(&steps, step)),
            view.project.name,
            tier_document(view.tier)
        ),
        "我局将在法定期限内作出审批决定。技术评估、专家评审、听证所需时间不计算在审批期限内。\
         受理后我局将依法进行受理公示。"
            .to_owned(),
    ];
    render(doc)
}

/// 补正通知书: the one-time list of items of the latest correction request.
async fn correction(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> WebResult {
    let (view, steps) = load(&state, &user, id).await?;
    let step = step_of(&steps, &[Action::RequestCorrection], "补正通知书")?;
    let round = step
        .detail
        .round
        .map(|r| format!("（第{r}次）"))
        .unwrap_or_default();
    let mut doc = page(
        &user,
        &state,
        &view,
        &format!("补正通知书{round}"),
        derived_number("环评补字", step, view.id),
        step.effective_on,
    );
    doc.paragraphs = vec![format!(
        "你单位{}报送的《{}{}》申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》\
         第三十二条第一款第（四）项的规定，现一次性告知你单位需要补正的全部内容：",
        received(receipt_before(&steps, step)),
        view.project.name,
        tier_document(view.tier)
    )];
    doc.items = step.detail.missing_items.clone();
    if let Some(reason) = step.reason.as_deref().filter(|r| !r.trim().is_empty()) {
        doc.items_intro = format!("说明：{reason}");
    }
    doc.closing = vec![
        "请按上述要求补正后重新提交。补正期间审批时限暂停计算，自我局收到全部补正材料之日起受理。"
            .to_owned(),
    ];
    render(doc)
}

/// 不予受理决定书
async fn refusal(State(state): State<AppState>, user: WebUser, Path(id): Path<i64>) -> WebResult {
    let (view, steps) = load(&state, &user, id).await?;
    let step = step_of(&steps, &[Action::Refuse], "不予受理决定书")?;
    let mut doc = page(
        &user,
        &state,
        &view,
        "不予受理决定书",
        derived_number("环评不受字", step, view.id),
        step.effective_on,
    );
    let reason = step
        .reason
        .clone()
        .filter(|r| !r.trim().is_empty())
        .unwrap_or_else(|| "不符合受理条件".to_owned());
    doc.paragraphs = vec![
        format!(
            "你单位{}报送的《{}{}》申请收悉。经审查，{reason}。根据《中华人民共和国行政许可法》\
             第三十二条的规定，我局决定不予受理。",
            received(receipt_before(&steps, step)),
            view.project.name,
            tier_document(view.tier)
        ),
        REMEDIES.to_owned(),
    ];
    render(doc)
}

/// 批复 (approval) or 不予批准决定书 (disapproval), with its number, grounds and remedies.
async fn decision(State(state): State<AppState>, user: WebUser, Path(id): Path<i64>) -> WebResult {
    let (view, steps) = load(&state, &user, id).await?;
    let step = step_of(&steps, &[Action::Approve, Action::Disapprove], "审批决定")?;
    let approved = step.action == Some(Action::Approve);
    let number = step
        .detail
        .decision_no
        .clone()
        .or_else(|| view.decision_no.clone())
        .unwrap_or_else(|| derived_number("环评审字", step, view.id));
    let document = tier_document(view.tier);
    let heading = if approved {
        format!("关于{}{}的批复", view.project.name, document)
    } else {
        "不予批准决定书".to_owned()
    };
    let mut doc = page(&user, &state, &view, &heading, number, step.effective_on);
    let received = received(receipt_before(&steps, step));
    if approved {
        let opinion = step
            .detail
            .decision_text
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| {
                "该项目在落实报告提出的各项生态环境保护措施后，环境不利影响能够得到缓解和控制。\
                 我局同意该项目按照报告所列性质、规模、地点和生态环境保护措施进行建设。"
                    .to_owned()
            });
        doc.paragraphs = vec![
            format!(
                "你单位{received}报送的《{}{document}》收悉。经研究，根据《中华人民共和国环境影响评价法》\
                 第二十二条等规定，批复如下：",
                view.project.name
            ),
            opinion,
        ];
        if let Some(reason) = step.reason.as_deref().filter(|r| !r.trim().is_empty()) {
            doc.paragraphs.push(reason.to_owned());
        }
        doc.closing = vec![
            "项目建设必须严格执行环境保护设施与主体工程同时设计、同时施工、同时投产使用的环境保护“三同时”制度。\
             项目的性质、规模、地点、采用的生产工艺或者防治污染、防止生态破坏的措施发生重大变动的，应当重新报批。"
                .to_owned(),
            REMEDIES.to_owned(),
        ];
    } else {
        doc.paragraphs = vec![format!(
            "你单位{received}报送的《{}{document}》收悉。经审查，该项目存在《建设项目环境保护管理条例》\
             第十一条规定的下列情形：",
            view.project.name
        )];
        doc.items = step
            .detail
            .grounds
            .iter()
            .map(|g| g.statute_text().to_owned())
            .collect();
        if doc.items.is_empty() {
            doc.items = step.detail.citations.clone();
        }
        if let Some(reason) = step.reason.as_deref().filter(|r| !r.trim().is_empty()) {
            doc.items_intro = format!("具体理由：{reason}");
        }
        doc.closing = vec![
            "根据《中华人民共和国环境影响评价法》第二十二条和《建设项目环境保护管理条例》第十一条的规定，\
             我局决定对该项目环境影响评价文件不予批准。"
                .to_owned(),
            REMEDIES.to_owned(),
        ];
    }
    render(doc)
}

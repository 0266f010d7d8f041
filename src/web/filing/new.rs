//! `/projects/{id}/filings/new`: a new filing for a project — the materials its tier requires
//! uploaded in the same form, then kept as a draft or submitted at once. An officer entering a
//! filing that came on paper dates its receipt and may waive the uploads with a reason.
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};

use super::{MultiForm, id_of, store_files};
use crate::domain::FieldError;
use crate::domain::filing::{Action, Material, Tier};
use crate::error::{Error, ErrorCode};
use crate::http::AppState;
use crate::services::filings::{self, ActionRequest};
use crate::services::projects::{self, ProjectView};
use crate::web::page::{Chrome, Problems, WebResult, redirect_with, render_with};
use crate::web::session::WebUser;

pub struct MaterialInput {
    pub code: &'static str,
    pub label: &'static str,
    pub required: bool,
    pub problem: Option<String>,
}

#[derive(Template)]
#[template(path = "filing/new.html")]
pub struct NewPage {
    pub chrome: Chrome,
    pub project_id: i64,
    pub project_name: String,
    pub project_code: String,
    pub organization: String,
    pub tier: Option<&'static str>,
    pub registration: bool,
    /// Why no filing can be made (exempt, unclassified), if so.
    pub blocked: Option<String>,
    pub open_filing: Option<i64>,
    pub materials: Vec<MaterialInput>,
    pub keeper: bool,
    pub effective_on: String,
    pub materials_waived: String,
    pub problems: Problems,
    pub today: String,
}

fn filing_tier(p: &ProjectView) -> Result<Tier, String> {
    match p.tier {
        None => Err("该项目尚未分类，分类后方可申报。".into()),
        Some(t) => Tier::try_from(t).map_err(|_| "该项目按分类不纳入环评管理，无须申报。".into()),
    }
}

fn draw(
    state: &AppState,
    user: &WebUser,
    p: &ProjectView,
    problems: Problems,
    kept: (&str, &str),
    status: StatusCode,
) -> WebResult {
    let tier = filing_tier(p);
    let required: Vec<Material> = tier
        .as_ref()
        .map(|t| state.settings.filings.required_materials.of(*t).to_vec())
        .unwrap_or_default();
    let mut materials: Vec<MaterialInput> = required
        .iter()
        .map(|m| MaterialInput {
            code: m.as_str(),
            label: m.label(),
            required: true,
            problem: problems
                .get(&format!("documents.{}", m.as_str()))
                .map(str::to_owned),
        })
        .collect();
    if !required.is_empty() && !required.contains(&Material::Other) {
        materials.push(MaterialInput {
            code: Material::Other.as_str(),
            label: Material::Other.label(),
            required: false,
            problem: None,
        });
    }
    let open_filing = p
        .current_filing
        .as_ref()
        .filter(|f| !f.state.is_terminal())
        .map(|f| f.id);
    render_with(
        status,
        NewPage {
            chrome: user.chrome(format!("{} · 新建环评申报", p.name)),
            project_id: p.id,
            project_name: p.name.clone(),
            project_code: p.project_code.clone(),
            organization: p.organization.name.clone(),
            tier: tier.as_ref().ok().map(|t| t.label()),
            registration: tier == Ok(Tier::RegistrationForm),
            blocked: tier.err(),
            open_filing,
            materials,
            keeper: user.role().keeps_ledger(),
            effective_on: kept.0.to_owned(),
            materials_waived: kept.1.to_owned(),
            problems,
            today: crate::services::today().to_string(),
        },
    )
}

pub async fn page(
    State(state): State<AppState>,
    user: WebUser,
    Path(raw): Path<String>,
) -> WebResult {
    let id = id_of(&raw)?;
    let p = projects::get_with_filing(&state.db, &state.settings, &user.actor, id).await?;
    if !(user.role() == crate::domain::role::Role::Owner || user.role().keeps_ledger()) {
        return Err(Error::Forbidden("局领导不能创建环评申报".into()).into());
    }
    draw(
        &state,
        &user,
        &p,
        Problems::default(),
        ("", ""),
        StatusCode::OK,
    )
}

pub async fn create(
    State(state): State<AppState>,
    user: WebUser,
    Path(raw): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> WebResult {
    let id = id_of(&raw)?;
    let form = MultiForm::read(&state, &headers, multipart).await?;
    let p = match projects::get_with_filing(&state.db, &state.settings, &user.actor, id).await {
        Ok(p) => p,
        Err(e) => {
            MultiForm::discard(form.files).await;
            return Err(e.into());
        }
    };
    let pairs = form.pairs;
    let keeper = user.role().keeps_ledger();
    let submit = pairs.get("intent") == Some("submit");
    let effective_raw = pairs
        .get("effective_on")
        .unwrap_or_default()
        .trim()
        .to_owned();
    let waived = pairs
        .get("materials_waived")
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_owned);
    let again = |problems: Problems| {
        draw(
            &state,
            &user,
            &p,
            problems,
            (&effective_raw, waived.as_deref().unwrap_or_default()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    // What the form can tell before anything is stored: the date, and (for a submission) the
    // materials the tier requires, unless an officer waives them.
    let mut errors = Vec::new();
    let effective_on = if effective_raw.is_empty() {
        None
    } else {
        match chrono::NaiveDate::parse_from_str(&effective_raw, "%Y-%m-%d") {
            Ok(d) if keeper => Some(d),
            Ok(_) => {
                errors.push(FieldError::new(
                    "effective_on",
                    "只有审批人员可以补录以往日期的办理环节",
                ));
                None
            }
            Err(_) => {
                errors.push(FieldError::new("effective_on", "日期格式应为 YYYY-MM-DD"));
                None
            }
        }
    };
    let material_of = |field: &str| {
        field
            .strip_prefix("file_")
            .and_then(|code| code.parse::<Material>().ok())
    };
    if let Ok(tier) = filing_tier(&p)
        && submit
        && tier != Tier::RegistrationForm
        && waived.is_none()
    {
        let present: Vec<Material> = form
            .files
            .iter()
            .filter_map(|f| material_of(&f.field))
            .collect();
        let missing = state
            .settings
            .filings
            .required_materials
            .missing(tier, &present);
        if !missing.is_empty() {
            errors.extend(crate::domain::filing::missing_materials_error(&missing));
        }
    }
    if !errors.is_empty() {
        MultiForm::discard(form.files).await;
        return again(Problems::of(&Error::Invalid(errors)));
    }
    let draft = match filings::create(&state.db, &state.settings, &user.actor, id).await {
        Ok(d) => d,
        Err(err) => {
            MultiForm::discard(form.files).await;
            return match err {
                Error::Conflict {
                    code: ErrorCode::OpenFiling,
                    message,
                    ..
                } => Ok(redirect_with(
                    &format!("/projects/{id}/filings/new"),
                    "error",
                    &message,
                )),
                e @ (Error::Invalid(_) | Error::Malformed { .. }) => again(Problems::of(&e)),
                other => Err(other.into()),
            };
        }
    };
    let to = format!("/filings/{}", draft.id);
    if let Err(e) = store_files(&state, &user, draft.id, form.files, material_of).await {
        let message = match &e {
            Error::Invalid(fields) => fields
                .iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
                .join("；"),
            other => other.to_string(),
        };
        return Ok(redirect_with(
            &to,
            "error",
            &format!("草稿已创建，但有文件未能上传：{message}。请在本页补充上传后再提交。"),
        ));
    }
    if !submit {
        return Ok(redirect_with(
            &to,
            "ok",
            "申报草稿已创建，可继续上传材料后提交",
        ));
    }
    let action = if draft.tier == Tier::RegistrationForm {
        Action::Register
    } else {
        Action::Submit
    };
    let req = ActionRequest {
        action,
        version: draft.version,
        effective_on,
        reason: None,
        missing_items: Vec::new(),
        answers: Vec::new(),
        grounds: Vec::new(),
        decision_text: None,
        evaluator: None,
        on_behalf_of_owner: keeper,
        number: None,
        basis: Vec::new(),
        materials_waived: waived.filter(|_| action == Action::Submit),
        source: None,
    };
    match filings::act(&state.db, &state.settings, &user.actor, draft.id, req).await {
        Ok(v) => Ok(redirect_with(
            &to,
            "ok",
            &match action {
                Action::Register => format!("已备案，备案号：{}", v.receipt_no.unwrap_or_default()),
                _ => "申报已提交，请留意受理结果".to_owned(),
            },
        )),
        Err(e) => {
            let message = match &e {
                Error::Invalid(fields) => fields
                    .iter()
                    .map(|f| f.message.clone())
                    .collect::<Vec<_>>()
                    .join("；"),
                other => other.to_string(),
            };
            Ok(redirect_with(
                &to,
                "error",
                &format!("草稿已创建，但未能提交：{message}"),
            ))
        }
    }
}

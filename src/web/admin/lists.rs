//! `/admin/exemptions` (the policy exemption documents) and `/admin/assignment-rules` (which
//! officer handles a county's filings of a tier): each a list, an add form and a remove button.
use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde::Deserialize;

use super::{Choice, admin_only, local_time};
use crate::domain::FieldError;
use crate::domain::exemption::{ExemptionEffect, ExemptionItem, Jurisdiction};
use crate::domain::filing::Tier;
use crate::domain::role::Role;
use crate::error::{Error, ErrorCode};
use crate::http::AppState;
use crate::services::assignment_rules::{self, NewAssignmentRule};
use crate::services::paging::PageQuery;
use crate::services::policy_exemptions::{self, NewPolicyExemption, PolicyExemptionPatch};
use crate::services::{Code, admin_queries, counties};
use crate::web::page::{Chrome, Problems, WebError, WebResult, redirect_with, render, render_with};
use crate::web::session::{FormPairs, WebForm, WebUser};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/exemptions", get(exemptions).post(add_exemption))
        .route("/admin/exemptions/{id}/active", post(exemption_active))
        .route("/admin/assignment-rules", get(rules).post(add_rule))
        .route("/admin/assignment-rules/{id}/delete", post(delete_rule))
}

/// A field problem the form shows beside its field (a 422), rather than an error page.
fn is_field_problem(err: &Error) -> bool {
    match err {
        Error::Invalid(_) | Error::Malformed { .. } => true,
        Error::Conflict { code, fields, .. } => *code == ErrorCode::Duplicate && !fields.is_empty(),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Policy exemptions
// ---------------------------------------------------------------------------------------------

/// How many items the add form offers; a document with more is added through the API.
const ITEM_SLOTS: usize = 3;

const ITEM_TIERS: [Tier; 3] = [Tier::RegistrationForm, Tier::ReportForm, Tier::Report];

struct DocRow {
    id: i64,
    document_no: String,
    title: String,
    issuer: String,
    issued_on: String,
    jurisdiction: &'static str,
    covers: String,
    items: Vec<String>,
    note: String,
    active: bool,
    version: i32,
}

/// One tier checkbox of an item.
struct TierBox {
    value: &'static str,
    label: &'static str,
    checked: bool,
}

/// One item block of the add form, as typed.
struct ItemSlot {
    code: String,
    rows: String,
    tiers: Vec<TierBox>,
    commitment: bool,
    description: String,
}

impl ItemSlot {
    fn blank() -> ItemSlot {
        ItemSlot::typed("", "", &[], "exempt", "")
    }

    fn typed(code: &str, rows: &str, tiers: &[&str], effect: &str, description: &str) -> ItemSlot {
        ItemSlot {
            code: code.to_owned(),
            rows: rows.to_owned(),
            tiers: ITEM_TIERS
                .iter()
                .map(|t| TierBox {
                    value: t.as_str(),
                    label: t.label(),
                    checked: tiers.contains(&t.as_str()),
                })
                .collect(),
            commitment: effect == "commitment",
            description: description.to_owned(),
        }
    }

    fn is_blank(&self) -> bool {
        self.code.trim().is_empty()
            && self.rows.trim().is_empty()
            && self.description.trim().is_empty()
            && !self.tiers.iter().any(|t| t.checked)
    }
}

#[derive(Template)]
#[template(path = "admin/exemptions.html")]
struct ExemptionsPage {
    chrome: Chrome,
    docs: Vec<DocRow>,
    document_no: String,
    title: String,
    issuer: String,
    issued_on: String,
    jurisdictions: Vec<Choice>,
    covers: String,
    note: String,
    items: Vec<ItemSlot>,
    problems: Problems,
}

struct Typed {
    document_no: String,
    title: String,
    issuer: String,
    issued_on: String,
    jurisdiction: String,
    covers: String,
    note: String,
    items: Vec<ItemSlot>,
}

impl Typed {
    fn blank() -> Typed {
        Typed {
            document_no: String::new(),
            title: String::new(),
            issuer: String::new(),
            issued_on: String::new(),
            jurisdiction: "provincial".into(),
            covers: String::new(),
            note: String::new(),
            items: (0..ITEM_SLOTS).map(|_| ItemSlot::blank()).collect(),
        }
    }

    /// The form as submitted; the item blocks filled in come first, so that an item's number
    /// in a problem is its block's.
    fn of(form: &FormPairs) -> Typed {
        let get = |k: &str| form.get(k).unwrap_or_default().to_owned();
        let mut items: Vec<ItemSlot> = (0..ITEM_SLOTS)
            .map(|i| {
                let key = |f: &str| format!("items[{i}].{f}");
                ItemSlot::typed(
                    form.get(&key("code")).unwrap_or_default(),
                    form.get(&key("rows")).unwrap_or_default(),
                    &form.all(&key("tiers")),
                    form.get(&key("effect")).unwrap_or("exempt"),
                    form.get(&key("description")).unwrap_or_default(),
                )
            })
            .filter(|s| !s.is_blank())
            .collect();
        while items.len() < ITEM_SLOTS {
            items.push(ItemSlot::blank());
        }
        Typed {
            document_no: get("document_no"),
            title: get("title"),
            issuer: get("issuer"),
            issued_on: get("issued_on"),
            jurisdiction: get("jurisdiction"),
            covers: get("covers"),
            note: get("note"),
            items,
        }
    }

    /// The document to add, or the problems found reading it.
    fn document(&self) -> Result<NewPolicyExemption, Error> {
        let mut errors = Vec::new();
        let issued_on = self.issued_on.trim().parse().ok();
        if issued_on.is_none() {
            errors.push(FieldError::new("issued_on", "请填写发文日期（YYYY-MM-DD）"));
        }
        let jurisdiction: Option<Jurisdiction> = self.jurisdiction.parse().ok();
        if jurisdiction.is_none() {
            errors.push(FieldError::new("jurisdiction", "请选择层级"));
        }
        let mut items = Vec::new();
        for (i, slot) in self.items.iter().enumerate().filter(|(_, s)| !s.is_blank()) {
            let rows: Result<Vec<u16>, _> = slot
                .rows
                .split([',', '，', '、', ' '])
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::parse::<u16>)
                .collect();
            let rows = rows.unwrap_or_else(|_| {
                errors.push(FieldError::new(
                    format!("items[{i}].rows"),
                    "名录行号应为1–173的整数，用逗号分隔",
                ));
                Vec::new()
            });
            items.push(ExemptionItem {
                code: slot.code.trim().to_owned(),
                rows,
                tiers: slot
                    .tiers
                    .iter()
                    .filter(|t| t.checked)
                    .filter_map(|t| t.value.parse().ok())
                    .collect(),
                effect: if slot.commitment {
                    ExemptionEffect::Commitment
                } else {
                    ExemptionEffect::Exempt
                },
                description: slot.description.trim().to_owned(),
            });
        }
        let (Some(issued_on), Some(jurisdiction), true) =
            (issued_on, jurisdiction, errors.is_empty())
        else {
            return Err(Error::Invalid(errors));
        };
        Ok(NewPolicyExemption {
            document_no: self.document_no.clone(),
            title: self.title.clone(),
            issuer: self.issuer.clone(),
            issued_on,
            jurisdiction,
            covers: self.covers.trim().to_owned(),
            items,
            note: Some(self.note.trim().to_owned()).filter(|n| !n.is_empty()),
            active: true,
        })
    }
}

fn effect_label(effect: ExemptionEffect) -> &'static str {
    match effect {
        ExemptionEffect::Exempt => "豁免环评手续",
        ExemptionEffect::Commitment => "告知承诺制",
    }
}

async fn exemptions_page(
    state: &AppState,
    user: &WebUser,
    typed: Typed,
    problems: Problems,
) -> Result<ExemptionsPage, WebError> {
    let page = policy_exemptions::list(
        &state.db,
        PageQuery {
            page: Some(1),
            per_page: Some(200),
        },
    )
    .await?;
    let docs = page
        .items
        .into_iter()
        .map(|d| DocRow {
            id: d.id,
            document_no: d.document_no,
            title: d.title,
            issuer: d.issuer,
            issued_on: d.issued_on.to_string(),
            jurisdiction: d.jurisdiction.label(),
            covers: d.covers,
            items: d
                .items
                .iter()
                .map(|i| {
                    let tiers = i
                        .tiers
                        .iter()
                        .map(|t| t.label())
                        .collect::<Vec<_>>()
                        .join("、");
                    let rows = if i.rows.is_empty() {
                        "所有行".to_owned()
                    } else {
                        format!(
                            "名录第{}行",
                            i.rows
                                .iter()
                                .map(u16::to_string)
                                .collect::<Vec<_>>()
                                .join("、")
                        )
                    };
                    format!(
                        "{}：{}（{}，{}）— {}",
                        i.code,
                        effect_label(i.effect),
                        rows,
                        tiers,
                        i.description
                    )
                })
                .collect(),
            note: d.note.unwrap_or_default(),
            active: d.active,
            version: d.version,
        })
        .collect();
    Ok(ExemptionsPage {
        chrome: user.chrome("政策豁免清单"),
        docs,
        jurisdictions: Jurisdiction::ALL
            .iter()
            .map(|j| Choice::new(j.as_str(), j.label(), &typed.jurisdiction))
            .collect(),
        document_no: typed.document_no,
        title: typed.title,
        issuer: typed.issuer,
        issued_on: typed.issued_on,
        covers: typed.covers,
        note: typed.note,
        items: typed.items,
        problems,
    })
}

async fn exemptions(State(state): State<AppState>, user: WebUser) -> WebResult {
    admin_only(&user)?;
    render(exemptions_page(&state, &user, Typed::blank(), Problems::default()).await?)
}

async fn add_exemption(State(state): State<AppState>, user: WebUser, form: FormPairs) -> WebResult {
    admin_only(&user)?;
    let typed = Typed::of(&form);
    let outcome = match typed.document() {
        Ok(doc) => policy_exemptions::create(&state.db, &user.actor, doc).await,
        Err(err) => Err(err),
    };
    match outcome {
        Ok(view) => Ok(redirect_with(
            "/admin/exemptions",
            "ok",
            &format!("已添加政策豁免文件 {}", view.document_no),
        )),
        Err(err) if is_field_problem(&err) => {
            let page = exemptions_page(&state, &user, typed, Problems::of(&err)).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct ActiveForm {
    version: i32,
    active: bool,
}

/// Takes a document off the list (it stays on record for the decisions that cite it), or puts
/// it back.
async fn exemption_active(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    WebForm(form): WebForm<ActiveForm>,
) -> WebResult {
    admin_only(&user)?;
    let outcome = policy_exemptions::update(
        &state.db,
        &user.actor,
        id,
        PolicyExemptionPatch {
            version: form.version,
            title: None,
            covers: None,
            items: None,
            note: None,
            active: Some(form.active),
        },
    )
    .await;
    match outcome {
        Ok(view) if view.active => Ok(redirect_with(
            "/admin/exemptions",
            "ok",
            &format!("已恢复 {}", view.document_no),
        )),
        Ok(view) => Ok(redirect_with(
            "/admin/exemptions",
            "ok",
            &format!(
                "已停用 {}：新的分类不能再引用它，已有的分类依据不变",
                view.document_no
            ),
        )),
        Err(Error::Conflict {
            code: ErrorCode::StaleVersion,
            ..
        }) => Ok(redirect_with(
            "/admin/exemptions",
            "error",
            "该文件已被他人修改，请查看最新内容后重试",
        )),
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Assignment rules
// ---------------------------------------------------------------------------------------------

struct RuleRow {
    id: i64,
    county: String,
    tier: &'static str,
    officer: String,
    created_at: String,
}

#[derive(Template)]
#[template(path = "admin/rules.html")]
struct RulesPage {
    chrome: Chrome,
    rules: Vec<RuleRow>,
    counties: Vec<Choice>,
    tiers: Vec<Choice>,
    officers: Vec<Choice>,
    problems: Problems,
}

#[derive(Deserialize, Default)]
struct RuleForm {
    county: Option<String>,
    tier: Option<String>,
    officer_id: Option<String>,
}

async fn rules_page(
    state: &AppState,
    user: &WebUser,
    form: &RuleForm,
    problems: Problems,
) -> Result<RulesPage, WebError> {
    let rules = assignment_rules::list(&state.db, &user.actor).await?;
    let counties = counties::list(
        &state.db,
        PageQuery {
            page: Some(1),
            per_page: Some(200),
        },
    )
    .await?
    .items;
    let everyone = admin_queries::all_users(&state.db, &user.actor).await?;
    let county = form.county.clone().unwrap_or_default();
    let tier = form.tier.clone().unwrap_or_default();
    let officer = form.officer_id.clone().unwrap_or_default();
    let mut county_choices = vec![Choice::new("", "请选择县区", &county)];
    county_choices.extend(
        counties
            .iter()
            .map(|c| Choice::new(c.code.clone(), format!("{}（{}）", c.name, c.code), &county)),
    );
    let mut tier_choices = vec![Choice::new("", "请选择环评类别", &tier)];
    tier_choices.extend(
        [Tier::Report, Tier::ReportForm, Tier::RegistrationForm]
            .iter()
            .map(|t| Choice::new(t.as_str(), t.label(), &tier)),
    );
    let mut officer_choices = vec![Choice::new("", "请选择审批人员", &officer)];
    officer_choices.extend(
        everyone
            .iter()
            .filter(|u| u.active && u.role == Role::Officer)
            .map(|u| {
                Choice::new(
                    u.id.to_string(),
                    format!("{}（{}）", u.display_name, u.username),
                    &officer,
                )
            }),
    );
    let by_county: BTreeMap<String, String> = counties
        .iter()
        .map(|c| (c.code.clone(), c.name.clone()))
        .collect();
    Ok(RulesPage {
        chrome: user.chrome("分办规则"),
        rules: rules
            .into_iter()
            .map(|r| RuleRow {
                id: r.id,
                county: by_county.get(&r.county).cloned().unwrap_or(r.county_name),
                tier: r.tier_label,
                officer: r.officer_name,
                created_at: local_time(r.created_at),
            })
            .collect(),
        counties: county_choices,
        tiers: tier_choices,
        officers: officer_choices,
        problems,
    })
}

async fn rules(State(state): State<AppState>, user: WebUser) -> WebResult {
    admin_only(&user)?;
    render(rules_page(&state, &user, &RuleForm::default(), Problems::default()).await?)
}

async fn add_rule(
    State(state): State<AppState>,
    user: WebUser,
    WebForm(form): WebForm<RuleForm>,
) -> WebResult {
    admin_only(&user)?;
    let outcome = async {
        let mut errors = Vec::new();
        if form.county.is_none() {
            errors.push(FieldError::new("county", "请选择县区"));
        }
        let tier = match form.tier.as_deref() {
            None => {
                errors.push(FieldError::new("tier", "请选择环评类别"));
                Code::Unknown
            }
            Some(t) => t.parse::<Tier>().map_or(Code::Unknown, Code::Known),
        };
        let officer_id = form.officer_id.as_deref().and_then(|o| o.parse().ok());
        if officer_id.is_none() {
            errors.push(FieldError::new("officer_id", "请选择承办的审批人员"));
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        assignment_rules::create(
            &state.db,
            &user.actor,
            NewAssignmentRule {
                county: form.county.clone().unwrap_or_default(),
                tier,
                officer_id: officer_id.unwrap_or_default(),
            },
        )
        .await
    }
    .await;
    match outcome {
        Ok(view) => Ok(redirect_with(
            "/admin/assignment-rules",
            "ok",
            &format!(
                "已添加分办规则：{}的{}由{}承办",
                view.county_name, view.tier_label, view.officer_name
            ),
        )),
        Err(err) if is_field_problem(&err) => {
            let page = rules_page(&state, &user, &form, Problems::of(&err)).await?;
            render_with(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct Empty {}

async fn delete_rule(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    WebForm(_): WebForm<Empty>,
) -> WebResult {
    admin_only(&user)?;
    assignment_rules::delete(&state.db, &user.actor, id).await?;
    Ok(redirect_with(
        "/admin/assignment-rules",
        "ok",
        "已删除分办规则；该县区该类别的新申报不再自动分给指定的审批人员",
    ))
}

//! Builders: the few organisations, accounts, projects, classifications and filings a case
//! needs, made through the API as a user would (accounts by the administrator, projects and
//! decisions by an officer, filings by their owner). Names and codes are numbered per database
//! (`TestApp::next_seq`), so what a case builds is the same on every run.
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::api;
use super::{Data, TestApp, decode};

/// A signed-in account.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub token: String,
    /// An owner's organisation.
    pub org: Option<i64>,
}

impl User {
    pub fn org(&self) -> i64 {
        self.org
            .unwrap_or_else(|| panic!("{} belongs to no organisation", self.username))
    }
}

/// What a test project classifies as (catalogue row 130, 等级公路).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 新建涉及环境敏感区的二级公路 → 报告书.
    Report,
    /// 新建二级公路 12 km, no sensitive area → 报告表.
    ReportForm,
    /// 新建三级公路 8 km → 登记表.
    Registration,
    /// In no row → exempt (Art. 5).
    Exempt,
    /// Never classified.
    Unclassified,
}

impl Kind {
    /// The classification an officer enters for it; `None` for `Unclassified`.
    pub fn classification(self) -> Option<Value> {
        Some(match self {
            Kind::Unclassified => return None,
            Kind::Exempt => json!({"rows": [], "facts": {}}),
            Kind::Report => json!({"rows": [130], "facts": {"construction": "new",
                "road_grade": "class2", "length_km": 12, "sensitive_areas": ["nature_reserve"]}}),
            Kind::ReportForm => json!({"rows": [130], "facts": {"construction": "new",
                "road_grade": "class2", "length_km": 12, "sensitive_areas": []}}),
            Kind::Registration => json!({"rows": [130], "facts": {"construction": "new",
                "road_grade": "class3", "length_km": 8, "sensitive_areas": []}}),
        })
    }

    pub fn tier(self) -> Option<&'static str> {
        match self {
            Kind::Report => Some("report"),
            Kind::ReportForm => Some("report_form"),
            Kind::Registration => Some("registration_form"),
            Kind::Exempt => Some("exempt"),
            Kind::Unclassified => None,
        }
    }
}

/// A valid 统一社会信用代码 made from `n`.
pub fn credit_code(n: u32) -> String {
    let first17 = format!("91611000MA6{n:06}");
    let check = eiaflow::domain::identifiers::CreditCode::check_char(&first17)
        .expect("a well-formed prefix");
    format!("{first17}{check}")
}

/// Merges the keys of `extra` into `body`.
pub fn merged(mut body: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().cloned().unwrap_or_default() {
        body[k] = v;
    }
    body
}

impl TestApp {
    /// Signs in an existing account (a demo account, or one a builder made).
    pub async fn sign_in(&self, username: &str) -> User {
        let token = self.login(username).await;
        let me: api::Me = self.get_ok("/api/v1/auth/me", &token).await;
        User {
            id: me.id,
            username: username.to_owned(),
            token,
            org: me.organization_id,
        }
    }

    /// The administrator, who is there on either kind of database.
    pub async fn admin(&self) -> User {
        self.sign_in(super::ADMIN).await
    }

    /// A new account with a mail address of its own, signed in. The account is written as the
    /// demo loader writes its accounts, with the password hash every test account has
    /// (`common::cheap_password_hash`); making accounts through the API is what tests/auth.rs
    /// checks, at the real cost of hashing.
    pub async fn new_user(&self, username: &str, role: &str, org: Option<i64>) -> User {
        use sea_orm::{ActiveModelTrait, Set};
        let now = chrono::Utc::now();
        let row = entity::app_user::ActiveModel {
            username: Set(username.to_owned()),
            display_name: Set(username.to_owned()),
            password_hash: Set(super::cheap_password_hash().to_owned()),
            role: Set(role.parse().expect("a role code")),
            organization_id: Set(org),
            email: Set(Some(format!("{username}@test.eiaflow.example.cn"))),
            supervisor_id: Set(None),
            active: Set(true),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("a new account");
        let signed_in = self.sign_in(username).await;
        assert_eq!(signed_in.id, row.id);
        assert_eq!(signed_in.org, org);
        signed_in
    }

    /// A new owner organisation (建设单位) with a valid credit code, made by the administrator.
    pub async fn new_organization(&self) -> api::Organization {
        let n = self.next_seq();
        let admin = self.login(super::ADMIN).await;
        self.expect(
            StatusCode::CREATED,
            Method::POST,
            "/api/v1/organizations",
            Some(&admin),
            Some(json!({"name": format!("测试建设单位{n}有限公司"), "credit_code": credit_code(n),
                "contact_name": format!("联系人{n}"), "contact_email": format!("org{n}@test.eiaflow.example.cn")})),
        )
        .await
    }

    /// A new organisation and its owner account, signed in.
    pub async fn new_owner(&self, username: &str) -> User {
        let org = self.new_organization().await;
        self.new_user(username, "owner", Some(org.id)).await
    }

    /// A new project of `org` in 山阳县 (611024), entered by `officer` and classified as `kind`;
    /// `extra` is merged into the project body (e.g. built before approval).
    pub async fn new_project(&self, officer: &str, org: i64, kind: Kind, extra: Value) -> i64 {
        let n = self.next_seq();
        let body = merged(
            json!({
                "name": format!("测试公路工程{n}"),
                "project_code": format!("2601-611024-04-09-{n:06}"),
                "organization_id": org,
                "county": "611024",
                "industry": "transport",
                "total_investment_wan": "52000.00",
            }),
            extra,
        );
        let project: api::Project = self
            .expect(
                StatusCode::CREATED,
                Method::POST,
                "/api/v1/projects",
                Some(officer),
                Some(body),
            )
            .await;
        if kind != Kind::Unclassified {
            let decision = self.classify(officer, project.id, kind, json!({})).await;
            assert_eq!(Some(decision.tier.as_str()), kind.tier());
        }
        project.id
    }

    /// Stores the officer's classification of a project as `kind`, plus `extra`.
    pub async fn classify(
        &self,
        officer: &str,
        project: i64,
        kind: Kind,
        extra: Value,
    ) -> api::Classification {
        let body = merged(kind.classification().expect("a kind to classify"), extra);
        self.expect(
            StatusCode::OK,
            Method::PUT,
            &format!("/api/v1/projects/{project}/classification"),
            Some(officer),
            Some(body),
        )
        .await
    }

    /// `POST /projects/{id}/filings` → 201, the draft.
    pub async fn new_filing(&self, token: &str, project: i64) -> api::Filing {
        self.expect(
            StatusCode::CREATED,
            Method::POST,
            &format!("/api/v1/projects/{project}/filings"),
            Some(token),
            None,
        )
        .await
    }

    pub async fn filing(&self, token: &str, id: i64) -> api::Filing {
        self.get_ok(&format!("/api/v1/filings/{id}"), token).await
    }

    pub async fn events(&self, token: &str, id: i64) -> Vec<api::Event> {
        self.get_ok(&format!("/api/v1/filings/{id}/events"), token)
            .await
    }

    pub async fn notices(&self, token: &str, id: i64) -> Vec<api::Notice> {
        self.get_ok(&format!("/api/v1/filings/{id}/notices"), token)
            .await
    }

    pub async fn public_register(&self) -> Vec<api::PublicNotice> {
        let (status, body) = self
            .request(Method::GET, "/api/v1/public/notices", None, None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        decode::<api::Page<api::PublicNotice>>(&body).items
    }

    /// Uploads one small PDF to a filing, marked as `material` (multipart fields before the file).
    pub async fn upload_material(&self, token: &str, id: i64, material: &str) -> Value {
        let boundary = "----eiaflow-build-boundary";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"material\"\r\n\r\n{material}\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{material}.pdf\"\r\nContent-Type: application/pdf\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(format!("%PDF-1.7\n{material}\n%%EOF\n").as_bytes());
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let reply = self
            .send(
                Method::POST,
                &format!("/api/v1/filings/{id}/documents"),
                Some(token),
                Some((&body, &format!("multipart/form-data; boundary={boundary}"))),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json_value());
        reply.json_value()
    }

    /// Uploads every material the default settings require of a tier's submission.
    pub async fn attach_materials(&self, token: &str, id: i64, tier: &str) {
        let materials: &[&str] = match tier {
            "report" => &[
                "application_letter",
                "full_text",
                "public_copy",
                "public_participation",
            ],
            "report_form" => &["application_letter", "full_text", "public_copy"],
            _ => &[],
        };
        for material in materials {
            self.upload_material(token, id, material).await;
        }
    }

    /// Sends an action as given.
    pub async fn act(&self, token: &str, id: i64, body: Value) -> (StatusCode, Value) {
        self.request(
            Method::POST,
            &format!("/api/v1/filings/{id}/actions"),
            Some(token),
            Some(body),
        )
        .await
    }

    /// Takes `action` with the version just read (by the same user), plus `extra`; expects 200
    /// and the version one up.
    pub async fn step(&self, token: &str, id: i64, action: &str, extra: Value) -> api::Filing {
        let current = self.filing(token, id).await;
        // A submission carries the materials its tier requires; a paper one (dated) is waived.
        if action == "submit" && extra.get("effective_on").is_none() {
            self.attach_materials(token, id, &current.tier).await;
        }
        let body = merged(json!({"action": action, "version": current.version}), extra);
        let (status, view) = self.act(token, id, body.clone()).await;
        assert_eq!(status, StatusCode::OK, "{body}: {view}");
        let view: api::Filing = decode(&view);
        assert_eq!(view.version, current.version + 1);
        view
    }

    /// An officer records a step that took place on paper on `on`; owner steps are recorded on
    /// the owner's behalf.
    pub async fn historic(
        &self,
        officer: &str,
        id: i64,
        action: &str,
        on: &str,
        extra: Value,
    ) -> api::Filing {
        let owners = ["submit", "resubmit", "withdraw", "register"].contains(&action);
        let mut extra = merged(json!({"effective_on": on}), extra);
        if owners {
            extra["on_behalf_of_owner"] = json!(true);
        }
        if ["submit", "resubmit"].contains(&action) && extra.get("materials_waived").is_none() {
            extra["materials_waived"] = json!("纸质材料已存档");
        }
        self.step(officer, id, action, extra).await
    }
}

/// The people of most cases: two officers, a leader, the administrator, and two owners of
/// different organisations.
pub struct Cast {
    pub officer: User,
    pub officer2: User,
    pub leader: User,
    pub admin: User,
    pub owner: User,
    pub other_owner: User,
}

impl Cast {
    /// The demo accounts on the demo ledger; on an empty database, the same roles built anew
    /// under the same names.
    pub async fn sign_in(app: &TestApp) -> Cast {
        match app.data {
            Data::Demo => Cast {
                officer: app.sign_in("officer1").await,
                officer2: app.sign_in("officer2").await,
                leader: app.sign_in("leader").await,
                admin: app.admin().await,
                owner: app.sign_in("owner1").await,
                other_owner: app.sign_in("owner2").await,
            },
            Data::Empty => Cast {
                officer: app.new_user("officer1", "officer", None).await,
                officer2: app.new_user("officer2", "officer", None).await,
                leader: app.new_user("leader", "leader", None).await,
                admin: app.admin().await,
                owner: app.new_owner("owner1").await,
                other_owner: app.new_owner("owner2").await,
            },
        }
    }

    /// A new project of the owner's organisation, entered and classified by the officer.
    pub async fn project(&self, app: &TestApp, kind: Kind) -> i64 {
        app.new_project(&self.officer.token, self.owner.org(), kind, json!({}))
            .await
    }

    /// A new project of `kind` and the owner's draft filing for it.
    pub async fn draft(&self, app: &TestApp, kind: Kind) -> api::Filing {
        let project = self.project(app, kind).await;
        app.new_filing(&self.owner.token, project).await
    }

    /// A filing of a new project of `kind`, taken today by its owner and the officer the
    /// shortest way to `state`.
    pub async fn filing_in(&self, app: &TestApp, kind: Kind, state: &str) -> api::Filing {
        let (owner, officer) = (&self.owner.token, &self.officer.token);
        let draft = self.draft(app, kind).await;
        let id = draft.id;
        let path: &[(&str, &str)] = match state {
            "draft" => &[],
            "registered" => &[("owner", "register")],
            "withdrawn" => &[("owner", "withdraw")],
            "submitted" => &[("owner", "submit")],
            "correction_requested" => &[("owner", "submit"), ("officer", "request_correction")],
            "refused" => &[("owner", "submit"), ("officer", "refuse")],
            "accepted" => &[("owner", "submit"), ("officer", "accept")],
            "technical_evaluation" => &[
                ("owner", "submit"),
                ("officer", "accept"),
                ("officer", "start_evaluation"),
            ],
            "pre_decision_notice" | "approved" | "disapproved" => &[
                ("owner", "submit"),
                ("officer", "accept"),
                ("officer", "start_evaluation"),
                ("officer", "finish_evaluation"),
            ],
            other => panic!("no way to a {other} filing"),
        };
        if let ("approved" | "disapproved", Some(_)) = (state, kind.tier()) {
            // A decision waits for the pre-decision notice to run out: the steps before it took
            // place on paper three weeks ago.
            let id = self.decided_path(app, draft.id).await;
            let view = match state {
                "approved" => app.step(officer, id, "approve", json!({})).await,
                _ => {
                    app.step(
                        officer,
                        id,
                        "disapprove",
                        json!({"grounds": ["defective_document"], "reason": "基础资料明显不实"}),
                    )
                    .await
                }
            };
            assert_eq!(view.state, state);
            return view;
        }
        let mut view = draft;
        for (who, action) in path {
            let token = if *who == "owner" { owner } else { officer };
            let extra = match *action {
                "request_correction" => {
                    json!({"missing_items": ["建设项目环境影响报告表（盖章版）"]})
                }
                "refuse" => json!({"reason": "不符合受理条件"}),
                _ => json!({}),
            };
            view = app.step(token, id, action, extra).await;
        }
        match state {
            "approved" => view = app.step(officer, id, "approve", json!({})).await,
            "disapproved" => {
                view = app
                    .step(
                        officer,
                        id,
                        "disapprove",
                        json!({"grounds": ["defective_document"], "reason": "基础资料明显不实"}),
                    )
                    .await
            }
            _ => {}
        }
        assert_eq!(view.state, state);
        view
    }

    /// A report-form filing in the pre-decision notice, whose notice has run out, ready to
    /// decide today: its steps took place on paper three weeks ago.
    pub async fn ready_to_decide(&self, app: &TestApp) -> i64 {
        let project = self.project(app, Kind::ReportForm).await;
        let id = app.new_filing(&self.officer.token, project).await.id;
        self.decided_path(app, id).await
    }

    /// Takes a draft on paper, three weeks ago, through to the pre-decision notice.
    async fn decided_path(&self, app: &TestApp, id: i64) -> i64 {
        let on = (super::today() - chrono::Duration::days(21)).to_string();
        for action in ["submit", "accept", "start_evaluation", "finish_evaluation"] {
            app.historic(&self.officer.token, id, action, &on, json!({}))
                .await;
        }
        id
    }

    /// A report-form filing in the pre-decision notice that may be decided on `on`: its steps
    /// were entered on paper, dated three weeks before, so the notice has run out by then.
    pub async fn ready_to_decide_on(&self, app: &TestApp, on: &str) -> i64 {
        let officer = &self.officer.token;
        let project = self.project(app, Kind::ReportForm).await;
        let id = app.new_filing(officer, project).await.id;
        let before = (super::d(on) - chrono::Duration::days(21)).to_string();
        for action in ["submit", "accept", "start_evaluation", "finish_evaluation"] {
            app.historic(officer, id, action, &before, json!({})).await;
        }
        id
    }
}

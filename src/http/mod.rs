//! HTTP: extract, authorize, call a service, shape the response. No SQL and no rules here.
mod assignment;
pub mod auth;
mod calendar;
mod catalog;
mod classification;
mod counties;
mod exports;
pub mod extract;
pub(crate) mod filings;
pub(crate) mod ledger_import;
mod monthly_reports;
mod national_lists;
mod notifications;
mod observe;
mod organizations;
mod projects;
mod reports;
mod security;
pub mod server;
mod service_sheets;
mod shape;
mod users;

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use sea_orm::DatabaseConnection;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Settings;
use crate::error::Error;
use crate::services::auth::SignInLimits;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub sign_in_limits: Arc<SignInLimits>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Settings) -> Self {
        let sign_in_limits = Arc::new(SignInLimits::new(
            settings.auth.max_failed_logins,
            settings.auth.max_logins_per_client,
            settings.auth.login_window_minutes,
        ));
        AppState {
            db,
            settings: Arc::new(settings),
            sign_in_limits,
        }
    }

    /// How long a session may sit unused.
    pub fn idle(&self) -> crate::services::auth::Idle {
        crate::services::auth::Idle::minutes(self.settings.auth.idle_minutes)
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "eiaflow",
        description = "环评审批服务 — environmental impact assessment approval workflow for a city ecology and environment bureau: the key-project ledger (台账), classification, filings and the acceptance-rate report.",
    ),
    modifiers(&BearerAuth),
    components(schemas(crate::error::ErrorBody))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The whole application; tests call this and drive it with `oneshot`.
pub fn app(state: AppState) -> Router {
    let (api, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::routes())
        .merge(projects::routes())
        .merge(organizations::routes())
        .merge(users::routes())
        .merge(counties::routes())
        .merge(reports::routes())
        .merge(monthly_reports::routes())
        .merge(calendar::routes())
        .merge(catalog::routes())
        .merge(classification::routes())
        .merge(filings::routes(state.settings.filings.max_upload_bytes))
        .merge(national_lists::routes(
            state.settings.filings.max_upload_bytes,
        ))
        .merge(assignment::routes())
        .merge(notifications::routes())
        .merge(service_sheets::routes())
        .merge(ledger_import::routes())
        .merge(exports::routes())
        .split_for_parts();
    let openapi = Arc::new(openapi);
    let body_limit = state.settings.server.body_limit_bytes;

    let api = api.route(
        "/api/v1/openapi.json",
        get({
            let openapi = openapi.clone();
            move || async move { axum::Json(openapi.as_ref().clone()) }
        }),
    );

    let mut router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz));
    // No sign-in, like /healthz, so a scraper needs no account: it is for the internal network
    // only, and `metrics.enabled = false` removes it.
    if state.settings.metrics.enabled {
        crate::telemetry::metrics::install();
        router = router.route("/metrics", get(observe::scrape));
    }
    let router = router
        .merge(
            SwaggerUi::new("/api/v1/docs")
                .url("/api/v1/docs/openapi.json", openapi.as_ref().clone()),
        )
        .merge(api)
        .merge(
            crate::web::routes()
                .fallback(fallback)
                .layer(axum::middleware::from_fn(crate::web::page::frame_headers))
                // Pages gzip on the way out (assets are stored gzipped already and pass as
                // they are).
                .layer(tower_http::compression::CompressionLayer::new().gzip(true)),
        )
        .layer(axum::middleware::from_fn_with_state(
            shape::Methods::of(&openapi),
            shape::error_shape,
        ))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn_with_state(
            body_limit,
            security::refuse_control_characters,
        ))
        .layer(axum::middleware::from_fn(security::security_headers));
    observe::observed(router).with_state(state)
}

/// An unknown path: the API's JSON 404 under `/api/`, the web interface's 404 page elsewhere.
async fn fallback(uri: axum::http::Uri) -> axum::response::Response {
    if uri.path().starts_with("/api/") {
        Error::NotFound("没有这个接口".into()).into_response()
    } else {
        crate::web::page::not_found().await
    }
}

async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(err) => {
            tracing::warn!(error = %err, "database not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

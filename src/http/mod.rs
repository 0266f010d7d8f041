//! HTTP: extract, authorize, call a service, shape the response. No SQL and no rules here.
pub mod auth;
mod calendar;
mod catalog;
mod classification;
mod counties;
pub mod extract;
mod filings;
mod notifications;
mod organizations;
mod projects;
mod reports;
mod service_sheets;
mod users;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderName, Request, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use sea_orm::DatabaseConnection;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Settings;
use crate::error::Error;
use crate::services::auth::LoginThrottle;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub login_throttle: Arc<LoginThrottle>,
}

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Settings) -> Self {
        let login_throttle = Arc::new(LoginThrottle::new(
            settings.auth.max_failed_logins,
            settings.auth.login_window_minutes,
        ));
        AppState {
            db,
            settings: Arc::new(settings),
            login_throttle,
        }
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

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application; tests call this and drive it with `oneshot`.
pub fn app(state: AppState) -> Router {
    let (api, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::routes())
        .merge(projects::routes())
        .merge(organizations::routes())
        .merge(users::routes())
        .merge(counties::routes())
        .merge(reports::routes())
        .merge(calendar::routes())
        .merge(catalog::routes())
        .merge(classification::routes())
        .merge(filings::routes(state.settings.filings.max_upload_bytes))
        .merge(notifications::routes())
        .merge(service_sheets::routes())
        .split_for_parts();
    let openapi = Arc::new(openapi);
    let body_limit = state.settings.server.body_limit_bytes;

    let api = api
        .route(
            "/api/v1/openapi.json",
            get({
                let openapi = openapi.clone();
                move || async move { axum::Json(openapi.as_ref().clone()) }
            }),
        )
        .fallback(|| async { Error::NotFound("没有这个接口".into()) });

    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .merge(SwaggerUi::new("/api/v1/docs").url("/api/v1/docs/openapi.json", openapi.as_ref().clone()))
        .merge(api)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    let request_id = req
                        .headers()
                        .get(&REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("request", request_id, method = %req.method(), path = %req.uri().path())
                })
                .on_response(
                    |res: &axum::http::Response<_>, latency: Duration, _span: &tracing::Span| {
                        tracing::info!(status = res.status().as_u16(), latency_ms = latency.as_millis() as u64, "response");
                    },
                ),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
        .with_state(state)
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

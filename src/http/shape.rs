//! Every 4xx in the API's error shape: what axum answers by itself (405 with an empty body for
//! a known path and an unknown method, a bare 404, 413 or 415 from a layer) becomes the JSON
//! error body in Chinese, keeping the status and any `Allow` header; outside `/api/` it becomes
//! the web interface's error page instead.
use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Response, StatusCode, header};
use axum::middleware::Next;
use axum::response::IntoResponse;

use crate::error::Error;

/// The methods each route template takes, from the OpenAPI document (axum's own `Allow` is
/// added only after a layer has answered, so it cannot be read here).
#[derive(Debug, Clone, Default)]
pub struct Methods(Arc<BTreeMap<String, Vec<String>>>);

impl Methods {
    pub fn of(openapi: &utoipa::openapi::OpenApi) -> Methods {
        let map = openapi
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(m, _)| m.to_owned())
                .collect();
                (path.clone(), methods)
            })
            .collect();
        Methods(Arc::new(map))
    }
}

pub async fn error_shape(
    State(methods): State<Methods>,
    req: Request,
    next: Next,
) -> Response<Body> {
    let method = req.method().clone();
    let page = !req.uri().path().starts_with("/api/");
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let res = next.run(req).await;
    let status = res.status();
    if !status.is_client_error() {
        return res;
    }
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if content_type.starts_with("application/json") || content_type.starts_with("text/html") {
        return res;
    }
    let mut allow = res.headers().get(header::ALLOW).cloned();
    let error = match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            let documented = route.and_then(|r| methods.0.get(&r).cloned());
            let allowed: Vec<String> = match documented {
                Some(list) => list,
                None => allow
                    .as_ref()
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .split(',')
                    .map(str::trim)
                    .filter(|m| !m.is_empty() && *m != "HEAD")
                    .map(str::to_owned)
                    .collect(),
            };
            if !allowed.is_empty() {
                let mut listed = allowed.clone();
                if listed.iter().any(|m| m == "GET") {
                    listed.insert(1, "HEAD".to_owned());
                }
                allow = HeaderValue::from_str(&listed.join(",")).ok();
            }
            Error::MethodNotAllowed {
                method: method.to_string(),
                allowed,
            }
        }
        StatusCode::NOT_FOUND => Error::NotFound("没有这个接口".into()),
        StatusCode::PAYLOAD_TOO_LARGE => Error::TooLarge("请求体过大".into()),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            Error::UnsupportedMediaType("不支持这种请求体类型（Content-Type）".into())
        }
        StatusCode::UNAUTHORIZED => Error::Unauthorized("请先登录".into()),
        StatusCode::FORBIDDEN => Error::Forbidden("无权访问".into()),
        StatusCode::TOO_MANY_REQUESTS => Error::RateLimited {
            message: "请求过于频繁，请稍后再试".into(),
            retry_after: 60,
        },
        other => Error::malformed(format!("请求无法处理（HTTP {}）", other.as_u16())),
    };
    // Outside the API a person is reading: the error page, not JSON.
    let mut shaped = if page {
        crate::web::page::status_page(status, error.to_string())
    } else {
        error.into_response()
    };
    // Whatever status axum chose stays; only the body changes.
    *shaped.status_mut() = status;
    if let Some(allow) = allow {
        shaped.headers_mut().insert(header::ALLOW, allow);
    }
    shaped
}

//! Every 4xx in the API's error shape: what axum answers by itself (405 with an empty body for
//! a known path and an unknown method, a bare 404, 413 or 415 from a layer) becomes the JSON
//! error body in Chinese, keeping the status and any `Allow` header.
use axum::body::Body;
use axum::extract::Request;
use axum::http::{Response, StatusCode, header};
use axum::middleware::Next;
use axum::response::IntoResponse;

use crate::error::Error;

pub async fn error_shape(req: Request, next: Next) -> Response<Body> {
    let method = req.method().clone();
    let res = next.run(req).await;
    let status = res.status();
    if !status.is_client_error() {
        return res;
    }
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return res;
    }
    let allow = res.headers().get(header::ALLOW).cloned();
    let error = match status {
        StatusCode::METHOD_NOT_ALLOWED => Error::MethodNotAllowed {
            method: method.to_string(),
            allowed: allow
                .as_ref()
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|m| !m.is_empty() && *m != "HEAD")
                .map(str::to_owned)
                .collect(),
        },
        StatusCode::NOT_FOUND => Error::NotFound("没有这个接口".into()),
        StatusCode::PAYLOAD_TOO_LARGE => Error::TooLarge("请求体过大".into()),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            Error::UnsupportedMediaType("不支持这种请求体类型（Content-Type）".into())
        }
        StatusCode::UNAUTHORIZED => Error::Unauthorized("请先登录".into()),
        StatusCode::FORBIDDEN => Error::Forbidden("无权访问".into()),
        StatusCode::TOO_MANY_REQUESTS => Error::RateLimited("请求过于频繁，请稍后再试".into()),
        other => Error::malformed(format!("请求无法处理（HTTP {}）", other.as_u16())),
    };
    let mut shaped = error.into_response();
    // Whatever status axum chose stays; only the body changes.
    *shaped.status_mut() = status;
    if let Some(allow) = allow {
        shaped.headers_mut().insert(header::ALLOW, allow);
    }
    shaped
}

//! Headers every response carries, whatever answered it (an API handler, a page, an asset, the
//! fallback, an error): `X-Content-Type-Options: nosniff` so a browser never runs a download or
//! a JSON body as something else, `Referrer-Policy: same-origin` so no address of this service
//! leaks to another site, `X-Frame-Options: DENY` against framing, and `Cache-Control:
//! no-store` on the API, whose answers are private. The pages add their Content-Security-Policy
//! in `web::page::frame_headers`; a handler that sets its own `Cache-Control` (the public
//! assets) keeps it.
//!
//! And what no request may carry: control characters in its text ([`refuse_control_characters`]).
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn security_headers(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers
        .entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("same-origin"));
    headers
        .entry(header::X_FRAME_OPTIONS)
        .or_insert(HeaderValue::from_static("DENY"));
    if api {
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    res
}

/// Refuses control characters anywhere in what a client sends as text — every query parameter,
/// every value of a JSON body or a posted form — before any handler sees it: 422 naming the
/// parameter or the JSON path and the character. NUL cannot be stored in PostgreSQL's text at
/// all, and the others (C0 except tab and line breaks, DEL, C1) have no place in a ledger; a
/// field that must not hold line breaks or bidi overrides (names, file names) checks for them
/// itself. Multipart bodies (uploads) are checked by their handlers. Bodies are read up to
/// `limit` bytes, the body limit every extractor keeps.
pub async fn refuse_control_characters(
    axum::extract::State(limit): axum::extract::State<usize>,
    req: Request,
    next: Next,
) -> Response {
    let api = req.uri().path().starts_with("/api/");
    if let Some(query) = req.uri().query() {
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            if let Some(c) = control_character(&name).or_else(|| control_character(&value)) {
                return refuse(api, &name, c);
            }
        }
    }
    let kind = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    let json = kind
        .as_deref()
        .is_some_and(|k| k == "application/json" || k.ends_with("+json"));
    let form = kind.as_deref() == Some("application/x-www-form-urlencoded");
    if !json && !form {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return if api {
                crate::error::Error::TooLarge("请求体过大".into()).into_response()
            } else {
                crate::web::page::status_page(
                    axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                    "提交的内容过大".into(),
                )
            };
        }
    };
    let found = if json {
        // Broken JSON is the extractor's 400; only well-formed bodies are screened here.
        serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|value| in_json(&value, &mut String::new()))
    } else {
        form_urlencoded::parse(&bytes).find_map(|(name, value)| {
            control_character(&name)
                .or_else(|| control_character(&value))
                .map(|c| (name.into_owned(), c))
        })
    };
    if let Some((field, c)) = found {
        return refuse(api, &field, c);
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

/// The first character of `text` that is a control character other than tab, CR and LF.
pub fn control_character(text: &str) -> Option<char> {
    text.chars()
        .find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// The path (`items[2].name`, as the JSON errors name fields) and character of the first
/// string in `value` holding a control character, object keys included.
fn in_json(value: &serde_json::Value, path: &mut String) -> Option<(String, char)> {
    use serde_json::Value;
    match value {
        Value::String(s) => control_character(s).map(|c| (path.clone(), c)),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            let found = in_json(item, path);
            path.truncate(len);
            found
        }),
        Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key);
            let found = control_character(key)
                .map(|c| (path.clone(), c))
                .or_else(|| in_json(item, path));
            path.truncate(len);
            found
        }),
        _ => None,
    }
}

fn refuse(api: bool, field: &str, c: char) -> Response {
    let message = format!("不能含控制字符（U+{:04X}），请删去后重新提交", u32::from(c));
    // A field name with the character in it is shown with it replaced.
    let field: String = field
        .chars()
        .map(|ch| if ch.is_control() { '\u{FFFD}' } else { ch })
        .collect();
    if api {
        crate::error::Error::Invalid(vec![crate::domain::FieldError::new(field, message)])
            .into_response()
    } else {
        crate::web::page::status_page(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            format!("“{field}”{message}"),
        )
    }
}

//! Request extractors whose rejections speak the API's error shape: malformed JSON is a 400
//! with the line and column, a field of the wrong type or an unknown field is a 422 naming the
//! field, an oversized body is a 413.
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts};
use serde::de::DeserializeOwned;

use crate::domain::FieldError;
use crate::error::Error;

/// A JSON body.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim();
                mime == "application/json" || mime.ends_with("+json")
            });
        if !is_json {
            return Err(Error::malformed(
                "请求体须为 JSON（Content-Type: application/json）",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                Error::TooLarge("请求体过大".into())
            } else {
                Error::malformed(format!("无法读取请求体：{rejection}"))
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Deserialises JSON, turning serde's error into the API's: syntax → 400, data → 422.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    // Syntax first, over the whole body, so broken JSON is a 400 whatever its content.
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
        return Err(Error::malformed(format!(
            "JSON 格式错误（第{}行第{}列）",
            e.line(),
            e.column()
        )));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    let value = match result {
        Ok(value) => value,
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            return Err(match inner.classify() {
                serde_json::error::Category::Data => {
                    Error::Invalid(vec![data_error(&path, &inner.to_string())])
                }
                _ => Error::Malformed {
                    message: format!(
                        "JSON 格式错误（第{}行第{}列）",
                        inner.line(),
                        inner.column()
                    ),
                    fields: Vec::new(),
                },
            });
        }
    };
    de.end().map_err(|e| {
        Error::malformed(format!(
            "JSON 之后有多余内容（第{}行第{}列）",
            e.line(),
            e.column()
        ))
    })?;
    Ok(value)
}

/// serde reports unknown and missing fields at the enclosing object; name the field itself.
fn data_error(path: &str, message: &str) -> FieldError {
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_owned();
    // serde_path_to_error already ends the path with an unknown key, but stops at the parent
    // object for a missing one.
    let join = |name: &str| {
        if path == "." || path.is_empty() {
            name.to_owned()
        } else if path == name || path.ends_with(&format!(".{name}")) {
            path.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    for (prefix, zh) in [
        ("unknown field `", "不认识的字段"),
        ("missing field `", "缺少必填字段"),
    ] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some(name) = rest.split('`').next()
        {
            return FieldError::new(join(name), format!("{zh}（{message}）"));
        }
    }
    let field = if path == "." {
        String::new()
    } else {
        path.to_owned()
    };
    // A code outside an enum's list: name the value and the list, in the users' words.
    if let Some(rest) = message.strip_prefix("unknown variant `")
        && let Some((value, expected)) = rest.split_once("`, expected ")
    {
        let codes: Vec<&str> = expected
            .trim_start_matches("one of ")
            .split(", ")
            .map(|c| c.trim_matches('`'))
            .collect();
        return FieldError::new(
            field,
            format!("取值“{value}”无效，应为 {} 之一", codes.join("、")),
        );
    }
    FieldError::new(field, message)
}

/// Query parameters.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Error> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(ApiQuery)
            .map_err(|err| {
                let path = err.path().to_string();
                let message = err.into_inner().to_string();
                let field = data_error(&path, &message);
                Error::Malformed {
                    message: format!("查询参数有误：{}", field.message),
                    fields: vec![field],
                }
            })
    }
}

/// A numeric id in the path; anything else is a 404 like an id that does not exist.
pub struct ApiId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ApiId {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        let axum::extract::Path(raw): axum::extract::Path<String> =
            axum::extract::Path::from_request_parts(parts, state)
                .await
                .map_err(|_| Error::NotFound("资源不存在".into()))?;
        raw.parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(ApiId)
            .ok_or_else(|| Error::NotFound("资源不存在".into()))
    }
}

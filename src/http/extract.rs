//! Request extractors whose rejections speak the API's error shape, in the users' words:
//! malformed JSON is a 400 with the line and column, a field of the wrong type, out of range,
//! unknown or missing is a 422 naming the field and what it expects, a query parameter that
//! cannot be read is a 400 naming the parameter, an oversized body is a 413. No parser text in
//! English reaches a client: [`explain`] turns serde's, chrono's and the number parsers' words
//! into Chinese.
use std::borrow::Cow;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};

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
        let bytes = json_body(req, state).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// A JSON body that may be left out: no body at all reads as `T::default()`.
pub struct ApiJsonOrEmpty<T>(pub T);

impl<S, T> FromRequest<S> for ApiJsonOrEmpty<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Default,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        let declared = req.headers().contains_key(header::CONTENT_TYPE);
        if !declared {
            let bytes = Bytes::from_request(req, state)
                .await
                .map_err(body_rejection)?;
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(ApiJsonOrEmpty(T::default()));
            }
            return Err(not_json());
        }
        let bytes = json_body(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(ApiJsonOrEmpty(T::default()));
        }
        parse_json(&bytes).map(ApiJsonOrEmpty)
    }
}

fn not_json() -> Error {
    Error::malformed("请求体须为 JSON（Content-Type: application/json）")
}

fn body_rejection(rejection: axum::extract::rejection::BytesRejection) -> Error {
    if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        Error::TooLarge("请求体过大".into())
    } else {
        Error::malformed("无法读取请求体（连接中断或内容不完整）")
    }
}

async fn json_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, Error> {
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
        return Err(not_json());
    }
    Bytes::from_request(req, state)
        .await
        .map_err(body_rejection)
}

/// Deserialises JSON, turning serde's error into the API's: syntax → 400, data → 422.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    // Syntax first, over the whole body, so broken JSON is a 400 whatever its content.
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
        return Err(syntax_error(&e));
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
                _ => syntax_error(&inner),
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

fn syntax_error(e: &serde_json::Error) -> Error {
    Error::malformed(format!(
        "JSON 格式错误（第{}行第{}列）",
        e.line(),
        e.column()
    ))
}

/// One field's problem from a deserialiser's message and the path where it arose. serde
/// reports unknown and missing fields at the enclosing object; this names the field itself.
pub fn data_error(path: &str, message: &str) -> FieldError {
    let message = message.split(" at line ").next().unwrap_or(message);
    let explained = explain(message);
    // serde_path_to_error already ends the path with an unknown key, but stops at the parent
    // object for a missing one.
    let field = match &explained.field {
        Some(name) => {
            if path == "." || path.is_empty() {
                name.clone()
            } else if path == name || path.ends_with(&format!(".{name}")) {
                path.to_owned()
            } else {
                format!("{path}.{name}")
            }
        }
        None if path == "." => String::new(),
        None => path.to_owned(),
    };
    FieldError::new(field, explained.message)
}

/// A parser's message in the users' words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    /// The field the message itself names (unknown, missing or repeated fields).
    pub field: Option<String>,
    pub message: String,
}

fn quoted(list: &str) -> Vec<&str> {
    // "one of `a`, `b`, `c`", "`a` or `b`", "`a`"
    list.trim_start_matches("one of ")
        .split(['`'])
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "," && *s != "or")
        .collect()
}

/// Translates the messages of serde, serde_json, chrono and the standard number parsers.
/// Anything already in Chinese (the domain's own checks) is kept; anything else unknown becomes
/// a plain "取值无效" rather than reaching the client in English.
pub fn explain(message: &str) -> Explained {
    let plain = |message: String| Explained {
        field: None,
        message,
    };
    let named = |field: &str, message: String| Explained {
        field: Some(field.to_owned()),
        message,
    };
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((name, tail)) = rest.split_once('`')
    {
        let allowed = tail
            .trim_start_matches(", ")
            .strip_prefix("expected ")
            .map(quoted)
            .unwrap_or_default();
        let text = if allowed.is_empty() {
            format!("不认识的字段 {name}；此处不接受任何字段")
        } else {
            format!("不认识的字段 {name}；可用字段：{}", allowed.join("、"))
        };
        return named(name, text);
    }
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some(name) = rest.split('`').next()
    {
        return named(name, format!("缺少必填字段 {name}"));
    }
    if let Some(rest) = message.strip_prefix("duplicate field `")
        && let Some(name) = rest.split('`').next()
    {
        return named(name, format!("字段 {name} 重复出现，只能给一次"));
    }
    if let Some(rest) = message.strip_prefix("unknown variant `")
        && let Some((value, tail)) = rest.split_once('`')
    {
        let allowed = tail
            .trim_start_matches(", ")
            .strip_prefix("expected ")
            .map(quoted)
            .unwrap_or_default();
        let text = if allowed.is_empty() {
            format!("取值“{value}”无效")
        } else {
            format!("取值“{value}”无效，应为以下之一：{}", allowed.join("、"))
        };
        return plain(text);
    }
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((unexpected, expected)) = rest.split_once(", expected ")
    {
        return plain(wrong_type(unexpected, expected));
    }
    if let Some(rest) = message.strip_prefix("invalid value: ")
        && let Some((unexpected, expected)) = rest.split_once(", expected ")
    {
        return plain(wrong_value(unexpected, expected));
    }
    if let Some(rest) = message.strip_prefix("invalid length ")
        && let Some((len, expected)) = rest.split_once(", expected ")
    {
        return plain(format!(
            "元素个数不对（收到 {len} 个），{}",
            expectation(expected)
        ));
    }
    if let Some(text) = parser_message(message) {
        return plain(text.to_owned());
    }
    if message.chars().any(is_cjk) {
        return plain(message.to_owned());
    }
    plain("取值无效，请检查格式".to_owned())
}

/// The standard library's and chrono's own words (query strings, dates).
fn parser_message(message: &str) -> Option<&'static str> {
    Some(match message {
        "invalid digit found in string" => "应为整数",
        "cannot parse integer from empty string" => "不能为空，应为整数",
        "number too large to fit in target type" => "超出范围，数值过大",
        "number too small to fit in target type" => "超出范围，数值过小",
        "invalid float literal" => "应为数字",
        "provided string was not `true` or `false`" => "应为布尔值 true 或 false",
        "input contains invalid characters"
        | "premature end of input"
        | "trailing input"
        | "bad or unsupported format string"
        | "input is not enough for unique date and time" => "应为日期 YYYY-MM-DD，如 2023-06-30",
        "input is out of range" | "no possible date and time matching input" => {
            "日期不存在或超出范围，应为有效日期 YYYY-MM-DD"
        }
        _ => return None,
    })
}

pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}')
}

/// The bounds of an integer type serde names.
fn integer_bounds(expected: &str) -> Option<(i128, i128)> {
    Some(match expected {
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" | "isize" => (i64::MIN.into(), i64::MAX.into()),
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" | "usize" => (0, u64::MAX.into()),
        "i128" => (i128::MIN, i128::MAX),
        "u128" => (0, i128::MAX),
        _ => return None,
    })
}

fn integer_range_message(lo: i128, hi: i128, value: Option<f64>) -> String {
    match value {
        Some(v) if v < lo as f64 => format!("超出范围，应为不小于 {lo} 的整数"),
        Some(v) if v > hi as f64 => format!("超出范围，应为不超过 {hi} 的整数"),
        _ => format!("超出范围，应为 {lo} 到 {hi} 之间的整数"),
    }
}

/// What a field expects, from serde's `expected …` text.
fn expectation(expected: &str) -> String {
    if integer_bounds(expected).is_some() {
        return "应为整数".into();
    }
    let e = expected.trim();
    let text = match e {
        "f32" | "f64" => "应为数字",
        "a string" | "a borrowed string" | "string" | "a string or bytes" => "应为字符串",
        "a boolean" | "bool" => "应为布尔值 true 或 false",
        "a character" | "char" => "应为单个字符",
        "a sequence" | "a tuple" | "an array" | "a list" => "应为数组",
        "a map" | "map" | "a JSON object" => "应为对象",
        "a formatted date string" => "应为日期字符串 YYYY-MM-DD，如 \"2023-06-30\"",
        "a formatted date and time string"
        | "a formatted date and time string or a unix timestamp"
        | "an RFC 3339 formatted date and time string" => {
            "应为日期时间字符串（RFC 3339），如 \"2023-06-30T08:00:00+08:00\""
        }
        "unit" | "null" => "应为 null",
        "variant identifier" | "field identifier" => "应为字符串代码",
        _ if e.starts_with("struct ") => "应为对象",
        _ if e.starts_with("tuple") || e.starts_with("a tuple of") => "应为数组",
        _ if e.starts_with("enum ") => "应为字符串代码",
        _ if e.contains("万元") => "应为以万元计的金额字符串，如 \"12345.67\"",
        _ if e.chars().any(is_cjk) => return format!("应为{e}"),
        _ => "取值类型不对",
    };
    text.to_owned()
}

/// What was received, in words, from serde's `Unexpected` display.
fn received(unexpected: &str) -> Option<String> {
    let u = unexpected.trim();
    let tick = |prefix: &str| {
        u.strip_prefix(prefix)
            .map(|rest| rest.trim_matches('`').to_owned())
    };
    if let Some(v) = tick("integer ") {
        return Some(format!("整数 {v}"));
    }
    if let Some(v) = tick("floating point ") {
        return Some(format!("数字 {v}"));
    }
    if let Some(v) = tick("boolean ") {
        return Some(format!("布尔值 {v}"));
    }
    if let Some(v) = u.strip_prefix("string ") {
        let shown: String = v.chars().take(40).collect();
        return Some(format!("字符串 {shown}"));
    }
    Some(
        match u {
            "null" | "unit value" | "unit" => "null",
            "sequence" => "数组",
            "map" => "对象",
            _ => return None,
        }
        .to_owned(),
    )
}

fn float_of(unexpected: &str) -> Option<f64> {
    unexpected
        .trim()
        .strip_prefix("floating point ")
        .or_else(|| unexpected.trim().strip_prefix("integer "))
        .map(|v| v.trim_matches('`'))
        .and_then(|v| v.parse::<f64>().ok())
}

fn wrong_type(unexpected: &str, expected: &str) -> String {
    // A whole number too large for its type reaches serde as a float: say so.
    if let Some((lo, hi)) = integer_bounds(expected)
        && let Some(v) = float_of(unexpected)
        && v.is_finite()
        && v.fract() == 0.0
        && (v < lo as f64 || v > hi as f64)
    {
        return integer_range_message(lo, hi, Some(v));
    }
    let want = expectation(expected);
    match received(unexpected) {
        Some(got) => format!("{want}（收到的是{got}）"),
        None => want,
    }
}

fn wrong_value(unexpected: &str, expected: &str) -> String {
    if let Some((lo, hi)) = integer_bounds(expected) {
        return integer_range_message(lo, hi, float_of(unexpected));
    }
    let want = expectation(expected);
    match received(unexpected) {
        Some(got) => format!("取值无效，{want}（收到的是{got}）"),
        None => format!("取值无效，{want}"),
    }
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
        parse_query(parts.uri.query().unwrap_or_default()).map(ApiQuery)
    }
}

/// Reads a query string into `T`: 400 naming the parameter and what it expects.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, Error> {
    let pairs = form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (k, QueryValue(v)));
    let de = de::value::MapDeserializer::<_, de::value::Error>::new(pairs);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        let field = data_error(&path, &message);
        Error::Malformed {
            message: if field.field.is_empty() {
                format!("查询参数有误：{}", field.message)
            } else {
                format!("查询参数 {} 有误：{}", field.field, field.message)
            },
            fields: vec![field],
        }
    })
}

/// One query-string value. Numbers and booleans are parsed here, so that a message can say
/// which type and range the parameter takes (serde_urlencoded's say only "invalid digit").
struct QueryValue<'a>(Cow<'a, str>);

impl<'de, 'a> IntoDeserializer<'de, de::value::Error> for QueryValue<'a> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

macro_rules! query_integer {
    ($($method:ident $visit:ident $ty:ty),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                let text = self.0.trim();
                match text.parse::<$ty>() {
                    Ok(v) => visitor.$visit(v),
                    Err(_) => Err(de::Error::custom(integer_problem(
                        text,
                        <$ty>::MIN as i128,
                        <$ty>::MAX as i128,
                    ))),
                }
            }
        )*
    };
}

fn integer_problem(text: &str, lo: i128, hi: i128) -> String {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if text.is_empty() {
        "不能为空，应为整数".into()
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let v = if text.starts_with('-') { -1.0 } else { 1.0 } * f64::INFINITY;
        integer_range_message(lo, hi, Some(v))
    } else {
        format!(
            "应为整数（收到的是“{}”）",
            text.chars().take(40).collect::<String>()
        )
    }
}

impl<'de> de::Deserializer<'de> for QueryValue<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_string(self.0.into_owned())
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0.trim() {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            other => Err(de::Error::custom(format!(
                "应为布尔值 true 或 false（收到的是“{}”）",
                other.chars().take(40).collect::<String>()
            ))),
        }
    }

    query_integer! {
        deserialize_i8 visit_i8 i8,
        deserialize_i16 visit_i16 i16,
        deserialize_i32 visit_i32 i32,
        deserialize_i64 visit_i64 i64,
        deserialize_u8 visit_u8 u8,
        deserialize_u16 visit_u16 u16,
        deserialize_u32 visit_u32 u32,
        deserialize_u64 visit_u64 u64,
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => visitor.visit_f64(v),
            _ => Err(de::Error::custom("应为数字")),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_enum(self.0.into_owned().into_deserializer())
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any
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

/// The client's address: the peer's, or — when the peer is one of `server.trusted_proxies` —
/// the nearest address in `X-Forwarded-For` that is not itself a trusted proxy (proxies append
/// the address they received from, so the right end is the most trustworthy). `None` when the
/// connection's peer is unknown (a request driven through the router in a test).
pub struct ClientAddress(pub Option<std::net::IpAddr>);

impl FromRequestParts<super::AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &super::AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        Ok(ClientAddress(client_address(
            peer,
            &forwarded,
            &state.settings.server.trusted_proxies,
        )))
    }
}

/// See [`ClientAddress`].
pub fn client_address(
    peer: Option<std::net::IpAddr>,
    forwarded: &[&str],
    trusted: &[std::net::IpAddr],
) -> Option<std::net::IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let hops: Vec<&str> = forwarded
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop.parse::<std::net::IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !trusted.contains(&ip) {
                    break;
                }
            }
            // A hop that is no address: what lies left of it cannot be trusted.
            Err(_) => break,
        }
    }
    Some(client)
}

#[cfg(test)]
mod client_tests {
    use super::client_address;

    #[test]
    fn the_client_is_read_from_forwarded_for_only_behind_a_trusted_proxy() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        let proxy = ip("10.0.0.2");
        // A peer that is no proxy: its own address, whatever it claims.
        assert_eq!(
            client_address(Some(ip("203.0.113.9")), &["1.2.3.4"], &[proxy]),
            Some(ip("203.0.113.9"))
        );
        // Behind the proxy: the address it appended, not what the client wrote before it.
        assert_eq!(
            client_address(Some(proxy), &["6.6.6.6, 198.51.100.7"], &[proxy]),
            Some(ip("198.51.100.7"))
        );
        assert_eq!(client_address(Some(proxy), &[], &[proxy]), Some(proxy));
        assert_eq!(client_address(None, &["1.2.3.4"], &[proxy]), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_words_become_chinese() {
        let cases = [
            (
                "invalid type: floating point `1e20`, expected i64",
                "超出范围，应为不超过 9223372036854775807 的整数",
            ),
            (
                "invalid type: string \"x\", expected i64",
                "应为整数（收到的是字符串 \"x\"）",
            ),
            (
                "invalid value: integer `-1`, expected u64",
                "超出范围，应为不小于 0 的整数",
            ),
            (
                "invalid type: integer `5`, expected a string",
                "应为字符串（收到的是整数 5）",
            ),
            (
                "invalid type: null, expected a boolean",
                "应为布尔值 true 或 false（收到的是null）",
            ),
            (
                "unknown variant `x`, expected one of `a`, `b`, `c`",
                "取值“x”无效，应为以下之一：a、b、c",
            ),
            (
                "unknown variant `x`, expected `a` or `b`",
                "取值“x”无效，应为以下之一：a、b",
            ),
            (
                "input is out of range",
                "日期不存在或超出范围，应为有效日期 YYYY-MM-DD",
            ),
            ("something nobody said", "取值无效，请检查格式"),
            ("金额不能为负数", "金额不能为负数"),
        ];
        for (english, chinese) in cases {
            assert_eq!(explain(english).message, chinese, "{english}");
        }
        let unknown = explain("unknown field `budget`, expected `name` or `code`");
        assert_eq!(unknown.field.as_deref(), Some("budget"));
        assert_eq!(unknown.message, "不认识的字段 budget；可用字段：name、code");
        let missing = explain("missing field `name`");
        assert_eq!(missing.field.as_deref(), Some("name"));
        assert_eq!(missing.message, "缺少必填字段 name");
    }

    #[test]
    fn query_numbers_say_their_range() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Q {
            page: Option<u64>,
            flag: Option<bool>,
        }
        let err = parse_query::<Q>("page=9223372036854775809999").unwrap_err();
        let Error::Malformed { fields, .. } = err else {
            panic!("{err:?}")
        };
        assert_eq!(fields[0].field, "page");
        assert_eq!(
            fields[0].message,
            "超出范围，应为不超过 18446744073709551615 的整数"
        );
        let err = parse_query::<Q>("flag=yes").unwrap_err();
        let Error::Malformed { fields, .. } = err else {
            panic!("{err:?}")
        };
        assert_eq!(fields[0].field, "flag");
        let q: Q = parse_query("page=3&flag=true").unwrap();
        assert_eq!(q.page, Some(3));
    }
}

//! What every page shares: the frame around it (`Chrome`: title, navigation for the role, the
//! flash message, the form token), rendering a template into a response, the error page, the
//! redirect after a form, and the security headers (a strict Content-Security-Policy: no inline
//! script or style anywhere, so the policy never has to allow one).
use std::collections::BTreeMap;

use askama::Template;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::assets;
use crate::domain::role::Role;
use crate::error::Error;

/// The policy every page carries. `form-action 'self'` keeps forms on this service; `data:`
/// images only for the empty favicon.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// One entry of the navigation bar.
#[derive(Debug, Clone)]
pub struct Nav {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// A message shown once on the next page, after a form was handled.
#[derive(Debug, Clone)]
pub struct Flash {
    /// `ok` or `error`
    pub kind: String,
    pub message: String,
}

/// The signed-in person as the frame shows them.
#[derive(Debug, Clone)]
pub struct Who {
    pub name: String,
    pub username: String,
    pub role: Role,
    pub role_label: &'static str,
}

/// The frame around a page's content; every page template has one as `chrome`.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub title: String,
    pub bureau: String,
    pub user: Option<Who>,
    pub nav: Vec<Nav>,
    pub flash: Option<Flash>,
    /// The token every state-changing form carries as `_csrf` (empty when signed out).
    pub csrf: String,
    pub css: &'static str,
    pub print_css: &'static str,
    pub js: &'static str,
}

impl Chrome {
    /// The frame for a visitor who is not signed in (sign-in page, public register, errors).
    pub fn public(title: impl Into<String>, bureau: &str) -> Chrome {
        Chrome {
            title: title.into(),
            bureau: bureau.to_owned(),
            user: None,
            nav: vec![Nav {
                href: "/public/notices",
                label: "公示公告",
                current: false,
            }],
            flash: None,
            csrf: String::new(),
            css: assets::url("app.css"),
            print_css: assets::url("print.css"),
            js: assets::url("app.js"),
        }
    }

    /// The navigation a role sees, with `current` marking the entry whose path starts `path`.
    pub fn nav_for(role: Role, path: &str) -> Vec<Nav> {
        let entries: &[(&'static str, &'static str)] = match role {
            Role::Owner => &[
                ("/portal", "我的项目"),
                ("/notifications", "消息通知"),
                ("/public/notices", "公示公告"),
            ],
            Role::Officer => &[
                ("/filings", "工作台"),
                ("/projects", "项目台账"),
                ("/service-sheets", "服务单"),
                ("/dashboard", "统计看板"),
                ("/notifications", "消息通知"),
                ("/public/notices", "公示公告"),
            ],
            Role::Leader => &[
                ("/dashboard", "统计看板"),
                ("/reports/monthly", "月度报告"),
                ("/projects", "项目台账"),
                ("/notifications", "消息通知"),
            ],
            Role::Admin => &[
                ("/admin", "系统管理"),
                ("/filings", "工作台"),
                ("/projects", "项目台账"),
                ("/dashboard", "统计看板"),
                ("/notifications", "消息通知"),
            ],
        };
        entries
            .iter()
            .map(|&(href, label)| Nav {
                href,
                label,
                current: path == href || path.starts_with(&format!("{href}/")),
            })
            .collect()
    }
}

/// Where each role starts after signing in.
pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Owner => "/portal",
        Role::Officer => "/filings",
        Role::Leader => "/dashboard",
        Role::Admin => "/admin",
    }
}

/// What a page handler answers when it cannot draw its page.
#[derive(Debug)]
pub enum WebError {
    /// Not signed in (or the session ended): to the sign-in page, coming back to `next`.
    SignIn { next: String },
    /// An administrator reset the password: change it first.
    ChangePassword,
    /// Anything else: the error page with the error's status and message.
    Page(Error),
}

impl From<Error> for WebError {
    fn from(err: Error) -> Self {
        WebError::Page(err)
    }
}

impl From<sea_orm::DbErr> for WebError {
    fn from(err: sea_orm::DbErr) -> Self {
        WebError::Page(err.into())
    }
}

pub type WebResult<T = Response> = Result<T, WebError>;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    status: u16,
    heading: &'static str,
    message: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::SignIn { next } => {
                let target = if next.is_empty() || next == "/" {
                    "/login".to_owned()
                } else {
                    format!("/login?next={}", urlencode(&next))
                };
                Redirect::to(&target).into_response()
            }
            WebError::ChangePassword => Redirect::to("/account/password").into_response(),
            WebError::Page(err) => {
                let status = err.status();
                let message = match &err {
                    Error::Internal(inner) => {
                        // Logged once here, inside the request span; the visitor sees only
                        // that it failed and the request id in the log line's header.
                        tracing::error!(error = ?inner, "page failed");
                        "服务器内部错误，请稍后重试；如持续出现请联系管理员".to_owned()
                    }
                    Error::Invalid(fields) => fields
                        .iter()
                        .map(|f| f.message.clone())
                        .collect::<Vec<_>>()
                        .join("；"),
                    other => other.to_string(),
                };
                status_page(status, message)
            }
        }
    }
}

/// The error page for a status, outside any signed-in frame.
pub fn status_page(status: StatusCode, message: String) -> Response {
    let heading = match status {
        StatusCode::NOT_FOUND => "页面不存在",
        StatusCode::FORBIDDEN => "无权访问",
        StatusCode::CONFLICT => "操作未完成",
        StatusCode::UNAUTHORIZED => "请先登录",
        StatusCode::TOO_MANY_REQUESTS => "请求过于频繁",
        s if s.is_server_error() => "服务器出错",
        _ => "请求有误",
    };
    let page = ErrorPage {
        chrome: Chrome::public(heading, ""),
        status: status.as_u16(),
        heading,
        message,
    };
    match page.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "error page failed to render");
            (status, heading).into_response()
        }
    }
}

/// The HTML 404 page for any path that is neither a page nor the API.
pub async fn not_found() -> Response {
    status_page(StatusCode::NOT_FOUND, "您访问的页面不存在或已被移除".into())
}

/// Draws a template as a 200 page.
pub fn render<T: Template>(page: T) -> WebResult {
    render_with(StatusCode::OK, page)
}

/// Draws a template with a status: 422 when a form comes back with its problems.
pub fn render_with<T: Template>(status: StatusCode, page: T) -> WebResult {
    let body = page
        .render()
        .map_err(|err| Error::Internal(anyhow::anyhow!("template: {err}")))?;
    Ok((status, Html(body)).into_response())
}

pub const FLASH_COOKIE: &str = "eiaflow_flash";

/// 303 to `to`, showing `message` there once. `kind` is `ok` or `error`.
pub fn redirect_with(to: &str, kind: &str, message: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    let value = format!(
        "{FLASH_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age=60",
        urlencode(&format!("{kind}:{message}"))
    );
    if let Ok(v) = HeaderValue::from_str(&value) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// The flash message a request carries, if any.
pub fn flash_of(headers: &axum::http::HeaderMap) -> Option<Flash> {
    let raw = cookie(headers, FLASH_COOKIE)?;
    let text = form_urlencoded::parse(format!("v={raw}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())?;
    let (kind, message) = text.split_once(':')?;
    let kind = if kind == "error" { "error" } else { "ok" };
    Some(Flash {
        kind: kind.to_owned(),
        message: message.chars().take(300).collect(),
    })
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

pub fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The pages' own security headers (the Content-Security-Policy, no caching, no framing; the
/// headers of every response are `http::security`'s), and the flash cookie cleared once a
/// page has shown it.
pub async fn frame_headers(req: Request, next: Next) -> Response {
    let had_flash = cookie(req.headers(), FLASH_COOKIE).is_some();
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    if had_flash && html {
        headers.append(
            header::SET_COOKIE,
            HeaderValue::from_static("eiaflow_flash=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
        );
    }
    res
}

/// Problems with a form's fields, keyed by field name, shown beside each field.
#[derive(Debug, Clone, Default)]
pub struct Problems(pub BTreeMap<String, String>);

impl Problems {
    /// The field problems an error carries; an error about no field goes under `""`.
    pub fn of(err: &Error) -> Problems {
        let mut map = BTreeMap::new();
        match err {
            Error::Invalid(fields)
            | Error::Malformed { fields, .. }
            | Error::Conflict { fields, .. }
                if !fields.is_empty() =>
            {
                for f in fields {
                    map.entry(f.field.clone())
                        .or_insert_with(|| f.message.clone());
                }
            }
            other => {
                map.insert(String::new(), other.to_string());
            }
        }
        Problems(map)
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every problem, for the summary at the top of a form.
    pub fn all(&self) -> Vec<(&str, &str)> {
        self.0
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }
}

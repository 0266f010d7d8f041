//! Web sessions: the API's revocable login token, carried in an HttpOnly, SameSite cookie
//! (Secure when the public address is https), ending with inactivity like every token
//! (`auth.idle_minutes`). Every state-changing form carries a token derived from the session
//! (`_csrf`) and is refused from another origin.
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, HeaderValue, Method, header, request::Parts};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::page::{Chrome, WebError, Who, cookie, flash_of};
use crate::domain::role::Role;
use crate::error::Error;
use crate::http::AppState;
use crate::services::{self, Actor};

pub const SESSION_COOKIE: &str = "eiaflow_session";

/// The signed-in user of a page.
#[derive(Debug, Clone)]
pub struct WebUser {
    pub actor: Actor,
    pub token: String,
    pub name: String,
    pub csrf: String,
    /// The request's path, for the navigation's current entry and for coming back.
    pub path: String,
    pub chrome_base: Chrome,
}

impl WebUser {
    /// The frame of a page titled `title`.
    pub fn chrome(&self, title: impl Into<String>) -> Chrome {
        Chrome {
            title: title.into(),
            ..self.chrome_base.clone()
        }
    }

    pub fn role(&self) -> Role {
        self.actor.role
    }

    /// 403 unless the user's role is one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), WebError> {
        if roles.contains(&self.actor.role) {
            Ok(())
        } else {
            Err(WebError::Page(Error::Forbidden(format!(
                "此页面不对{}开放",
                self.actor.role.label()
            ))))
        }
    }
}

/// The form token of a session: derived from the session token, so it needs no storage and a
/// page from another site, which cannot read the HttpOnly cookie, cannot know it.
pub fn csrf_of(token: &str) -> String {
    hex::encode(&Sha256::digest(format!("eiaflow-csrf|{token}").as_bytes())[..16])
}

/// The `Set-Cookie` value that signs a browser in.
pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}"
    ))
    .expect("a token is ASCII")
}

/// The `Set-Cookie` value that signs a browser out.
pub fn clear_session_cookie(secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"
    ))
    .expect("ASCII")
}

/// Whether the service is reached over https, so its cookies are marked Secure.
pub fn secure(state: &AppState) -> bool {
    state.settings.server.public_url.starts_with("https://")
}

/// Paths open to a user whose password an administrator reset.
const PASSWORD_CHANGE_PATHS: [&str; 2] = ["/account/password", "/logout"];

impl<S> FromRequestParts<S> for WebUser
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        let state = AppState::from_ref(state);
        let path = parts.uri.path().to_owned();
        let next = if parts.method == Method::GET {
            parts
                .uri
                .path_and_query()
                .map(|pq| pq.as_str().to_owned())
                .unwrap_or_else(|| path.clone())
        } else {
            String::new()
        };
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE).filter(|t| !t.is_empty()) else {
            return Err(WebError::SignIn { next });
        };
        let session = match services::auth::session(&state.db, &token, state.idle()).await {
            Ok(session) => session,
            Err(Error::Unauthorized(_)) => return Err(WebError::SignIn { next }),
            Err(other) => return Err(WebError::Page(other)),
        };
        let actor = session.actor;
        let span = tracing::Span::current();
        span.record("user", actor.username.as_str());
        span.record("user_id", actor.id);
        if session.must_change_password && !PASSWORD_CHANGE_PATHS.contains(&path.as_str()) {
            return Err(WebError::ChangePassword);
        }
        let csrf = csrf_of(&token);
        let chrome_base = Chrome {
            user: Some(Who {
                name: session.display_name.clone(),
                username: actor.username.clone(),
                role: actor.role,
                role_label: actor.role.label(),
            }),
            nav: Chrome::nav_for(actor.role, &path),
            flash: flash_of(&parts.headers),
            csrf: csrf.clone(),
            ..Chrome::public("", &state.settings.bureau.name)
        };
        Ok(WebUser {
            actor,
            token,
            name: session.display_name,
            csrf,
            path,
            chrome_base,
        })
    }
}

/// A page open to everyone that shows more to a signed-in user (the public register).
pub struct MaybeUser(pub Option<WebUser>);

impl<S> FromRequestParts<S> for MaybeUser
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        match WebUser::from_request_parts(parts, state).await {
            Ok(user) => Ok(MaybeUser(Some(user))),
            Err(WebError::SignIn { .. }) | Err(WebError::ChangePassword) => Ok(MaybeUser(None)),
            Err(other) => Err(other),
        }
    }
}

/// Refuses a state-changing request whose `Origin` (or, lacking it, `Referer`) is another
/// site. A request naming neither (not a browser) passes on its form token alone.
pub fn check_origin(headers: &HeaderMap, state: &AppState) -> Result<(), WebError> {
    let claimed = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    let Some(claimed) = claimed else {
        return Ok(());
    };
    let origin_of = |url: &str| -> String {
        let rest = url.split_once("://");
        match rest {
            Some((scheme, rest)) => {
                let host = rest.split('/').next().unwrap_or_default();
                format!("{scheme}://{host}").to_ascii_lowercase()
            }
            None => url.to_ascii_lowercase(),
        }
    };
    let claimed = origin_of(claimed);
    let public = origin_of(&state.settings.server.public_url);
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(|h| h.to_ascii_lowercase());
    let same_host =
        host.is_some_and(|h| claimed == format!("http://{h}") || claimed == format!("https://{h}"));
    if claimed == public || same_host {
        Ok(())
    } else {
        Err(WebError::Page(Error::Forbidden(
            "请求来自其他网站，已拒绝；请从本系统的页面提交".into(),
        )))
    }
}

/// Checks a form's `_csrf` value against the session cookie of the request.
pub fn check_csrf(headers: &HeaderMap, value: Option<&str>) -> Result<(), WebError> {
    let expected = cookie(headers, SESSION_COOKIE).map(|t| csrf_of(&t));
    match (expected, value) {
        (Some(expected), Some(value)) if expected == value => Ok(()),
        _ => Err(WebError::Page(Error::Forbidden(
            "表单已过期或来源无效，请刷新页面后重新提交".into(),
        ))),
    }
}

/// A submitted form (`application/x-www-form-urlencoded`), its origin and `_csrf` token
/// checked, read into `T` (without `_csrf`). Repeated names become a list when `T` asks for
/// one (`Vec<String>`).
pub struct WebForm<T>(pub T);

/// The pairs of a form exactly as submitted, for handlers that read repeated or dynamic
/// fields (a correction list) themselves.
pub struct FormPairs(pub Vec<(String, String)>);

impl FormPairs {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

impl<S> FromRequest<S> for FormPairs
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        let app = AppState::from_ref(state);
        check_origin(req.headers(), &app)?;
        let headers = req.headers().clone();
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| WebError::Page(Error::TooLarge("提交的内容过大".into())))?;
        let pairs: Vec<(String, String)> = form_urlencoded::parse(&bytes)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let token = pairs
            .iter()
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.as_str());
        check_csrf(&headers, token)?;
        Ok(FormPairs(
            pairs.into_iter().filter(|(k, _)| k != "_csrf").collect(),
        ))
    }
}

impl<S, T> FromRequest<S> for WebForm<T>
where
    S: Send + Sync,
    AppState: FromRef<S>,
    T: DeserializeOwned,
{
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        let FormPairs(pairs) = FormPairs::from_request(req, state).await?;
        // Empty inputs are absent values: an unfilled optional field is `None`, not "".
        let encoded = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs.iter().filter(|(_, v)| !v.is_empty()))
            .finish();
        serde_urlencoded::from_str(&encoded)
            .map(WebForm)
            .map_err(|err| WebError::Page(Error::malformed(format!("表单内容无法读取：{err}"))))
    }
}

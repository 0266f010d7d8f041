//! Signing in and out, the home redirect, and changing one's own password.
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::page::{
    Chrome, Problems, WebError, WebResult, flash_of, home_of, redirect_with, render_with,
};
use super::session::{
    MaybeUser, WebForm, WebUser, check_origin, clear_session_cookie, secure, session_cookie,
};
use crate::error::Error;
use crate::http::AppState;
use crate::http::extract::ClientAddress;
use crate::services;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route(
            "/account/password",
            get(password_page).post(change_password),
        )
}

/// `/`: visitors to the sign-in page, users to their role's start page.
async fn home(MaybeUser(user): MaybeUser) -> Redirect {
    match user {
        Some(user) => Redirect::to(home_of(user.role())),
        None => Redirect::to("/login"),
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    username: String,
    next: String,
    problem: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Only a path on this service is followed after sign-in, never another site.
fn safe_next(next: Option<&str>) -> Option<String> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\"))
        .filter(|n| !n.starts_with("/login") && !n.starts_with("/logout"))
        .map(str::to_owned)
}

async fn login_page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(query): Query<NextQuery>,
    headers: HeaderMap,
) -> WebResult {
    let next = safe_next(query.next.as_deref());
    if let Some(user) = user {
        let to = next.unwrap_or_else(|| home_of(user.role()).to_owned());
        return Ok(Redirect::to(&to).into_response());
    }
    render_with(
        StatusCode::OK,
        LoginPage {
            chrome: Chrome {
                flash: flash_of(&headers),
                ..Chrome::public("登录", &state.settings.bureau.name)
            },
            username: String::new(),
            next: next.unwrap_or_default(),
            problem: None,
        },
    )
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

async fn login(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> WebResult {
    check_origin(&headers, &state)?;
    let again = |status: StatusCode, problem: String| {
        render_with(
            status,
            LoginPage {
                chrome: Chrome::public("登录", &state.settings.bureau.name),
                username: form.username.clone(),
                next: safe_next(form.next.as_deref()).unwrap_or_default(),
                problem: Some(problem),
            },
        )
    };
    if form.username.trim().is_empty() || form.password.is_empty() {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            "请输入用户名和密码".into(),
        );
    }
    let result = match services::auth::login(
        &state.db,
        &state.sign_in_limits,
        state.settings.auth.token_ttl_hours,
        &form.username,
        &form.password,
        client,
    )
    .await
    {
        Ok(result) => result,
        Err(err @ Error::Unauthorized(_)) => return again(err.status(), err.to_string()),
        Err(Error::RateLimited {
            message,
            retry_after,
        }) => {
            let mut page = again(StatusCode::TOO_MANY_REQUESTS, message)?;
            page.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(retry_after),
            );
            return Ok(page);
        }
        Err(other) => return Err(other.into()),
    };
    let to = if result.user.must_change_password {
        "/account/password".to_owned()
    } else {
        safe_next(form.next.as_deref()).unwrap_or_else(|| home_of(result.user.role).to_owned())
    };
    let mut res = Redirect::to(&to).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        session_cookie(&result.token, secure(&state)),
    );
    Ok(res)
}

#[derive(Deserialize)]
struct Empty {}

/// Signs out: the token is revoked, not only the cookie dropped.
async fn logout(
    State(state): State<AppState>,
    user: WebUser,
    WebForm(_): WebForm<Empty>,
) -> WebResult {
    services::auth::logout(&state.db, &user.token).await?;
    let mut res = redirect_with("/login", "ok", "您已安全退出");
    res.headers_mut()
        .append(header::SET_COOKIE, clear_session_cookie(secure(&state)));
    Ok(res)
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    chrome: Chrome,
    forced: bool,
    problems: Problems,
}

async fn password_page(State(state): State<AppState>, user: WebUser) -> WebResult {
    let forced = must_change(&state, &user).await?;
    render_with(
        StatusCode::OK,
        PasswordPage {
            chrome: user.chrome("修改密码"),
            forced,
            problems: Problems::default(),
        },
    )
}

async fn must_change(state: &AppState, user: &WebUser) -> Result<bool, WebError> {
    Ok(
        services::auth::session(&state.db, &user.token, state.idle())
            .await?
            .must_change_password,
    )
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    old_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_again: String,
}

async fn change_password(
    State(state): State<AppState>,
    user: WebUser,
    WebForm(form): WebForm<PasswordForm>,
) -> Result<Response, WebError> {
    let outcome = if form.new_password != form.new_password_again {
        Err(Error::invalid(
            "new_password_again",
            "两次输入的新密码不一致",
        ))
    } else {
        services::auth::change_password(
            &state.db,
            &user.actor,
            &user.token,
            &form.old_password,
            &form.new_password,
        )
        .await
    };
    match outcome {
        Ok(_) => Ok(redirect_with(
            home_of(user.role()),
            "ok",
            "密码已修改，其他设备上的登录已退出",
        )),
        Err(err @ (Error::Invalid(_) | Error::Malformed { .. })) => {
            let forced = must_change(&state, &user).await?;
            render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                PasswordPage {
                    chrome: user.chrome("修改密码"),
                    forced,
                    problems: Problems::of(&err),
                },
            )
        }
        Err(other) => Err(other.into()),
    }
}

//! Passwords (argon2id), login tokens (random, stored only as a SHA-256 hash, with an expiry,
//! revocable) and the throttle on failed logins.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    sea_query::Expr,
};
use sha2::{Digest, Sha256};

use super::{Actor, now};
use crate::error::{Error, Result};
use entity::{app_user, auth_token};

/// Hashes a password with argon2id and a random salt, off the async threads.
#[tracing::instrument(name = "auth::hash_password", skip_all)]
pub async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await
    .map_err(|e| anyhow::anyhow!(e))?
    .map_err(Error::Internal)
}

async fn verify_password(password: String, hash: String) -> Result<bool> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash).map_err(|e| anyhow::anyhow!("stored hash: {e}"))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(|e| anyhow::anyhow!(e))?
    .map_err(Error::Internal)
}

/// A valid argon2id hash of nothing anyone knows, so an unknown username costs as much time as
/// a wrong password and does not reveal which usernames exist.
const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2pEMHVRAY9yvOvYU0FDKq9vO9Yr1G3nhr0UL1F3kQ2k";

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Counts failed logins per username within a window; past the limit, logins get 429 until the
/// window has moved on. Per process: with several replicas each keeps its own count.
pub struct LoginThrottle {
    max_failures: usize,
    window: Duration,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginThrottle {
    pub fn new(max_failures: u32, window_minutes: u32) -> Self {
        Self {
            max_failures: max_failures as usize,
            window: Duration::from_secs(u64::from(window_minutes) * 60),
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn blocked(&self, username: &str) -> bool {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let window = self.window;
        let entry = map.entry(username.to_owned()).or_default();
        entry.retain(|t| t.elapsed() < window);
        entry.len() >= self.max_failures
    }

    fn failed(&self, username: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(username.to_owned())
            .or_default()
            .push(Instant::now());
    }

    fn succeeded(&self, username: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(username);
    }
}

pub struct LoginResult {
    pub token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub user: app_user::Model,
}

#[tracing::instrument(name = "auth::login", skip_all, fields(username = %username))]
pub async fn login(
    db: &DatabaseConnection,
    throttle: &LoginThrottle,
    ttl_hours: u32,
    username: &str,
    password: &str,
) -> Result<LoginResult> {
    let username = username.trim();
    if throttle.blocked(username) {
        return Err(Error::RateLimited("登录失败次数过多，请稍后再试".into()));
    }
    let user = app_user::Entity::find()
        .filter(app_user::Column::Username.eq(username))
        .one(db)
        .await?;
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| DECOY_HASH.to_owned());
    let matches = verify_password(password.to_owned(), hash).await?;
    let user = match user {
        Some(user) if matches && user.active => user,
        _ => {
            throttle.failed(username);
            return Err(Error::Unauthorized("用户名或密码错误".into()));
        }
    };
    throttle.succeeded(username);

    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = format!("eia_{}", hex::encode(bytes));
    let expires_at = now() + chrono::Duration::hours(i64::from(ttl_hours));
    auth_token::ActiveModel {
        user_id: Set(user.id),
        token_hash: Set(token_hash(&token)),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        last_seen_at: Set(Some(now())),
        ..Default::default()
    }
    .insert(db)
    .await?;
    tracing::info!(user = %user.username, "signed in");
    Ok(LoginResult {
        token,
        expires_at,
        user,
    })
}

/// The user a bearer token belongs to, if the token is known, unexpired and unrevoked and the
/// account is active.
#[tracing::instrument(name = "auth::authenticate", skip_all)]
pub async fn authenticate(db: &DatabaseConnection, token: &str, idle: Idle) -> Result<Actor> {
    Ok(session(db, token, idle).await?.actor)
}

/// How long a session may go unused before it ends (等保: session time-out); `None` = never.
#[derive(Debug, Clone, Copy)]
pub struct Idle(pub Option<chrono::Duration>);

impl Idle {
    pub fn minutes(minutes: u32) -> Idle {
        Idle((minutes > 0).then(|| chrono::Duration::minutes(i64::from(minutes))))
    }
}

/// A token's last use is written at most this often, so that a page with many requests costs
/// one write, not one per request.
const SEEN_GRANULARITY_SECONDS: i64 = 60;

/// A signed-in session: who, and whether an administrator's reset obliges them to change
/// their password before anything else.
pub struct Session {
    pub actor: Actor,
    /// The name pages greet the user by.
    pub display_name: String,
    pub must_change_password: bool,
}

/// [`authenticate`], also telling whether the password must be changed first.
#[tracing::instrument(name = "auth::session", skip_all)]
pub async fn session(db: &DatabaseConnection, token: &str, idle: Idle) -> Result<Session> {
    let unauthorized = || Error::Unauthorized("登录已失效或令牌无效，请重新登录".into());
    let row = auth_token::Entity::find()
        .filter(auth_token::Column::TokenHash.eq(token_hash(token)))
        .filter(auth_token::Column::RevokedAt.is_null())
        .filter(auth_token::Column::ExpiresAt.gt(now()))
        .one(db)
        .await?
        .ok_or_else(unauthorized)?;
    let at = now();
    let last_seen = row.last_seen_at.unwrap_or(row.created_at);
    if let Idle(Some(limit)) = idle
        && at - last_seen > limit
    {
        return Err(Error::Unauthorized(
            "长时间未操作，登录已超时，请重新登录".into(),
        ));
    }
    if (at - last_seen).num_seconds() >= SEEN_GRANULARITY_SECONDS {
        auth_token::Entity::update_many()
            .col_expr(auth_token::Column::LastSeenAt, Expr::value(at))
            .filter(auth_token::Column::Id.eq(row.id))
            .exec(db)
            .await?;
    }
    let user = app_user::Entity::find_by_id(row.user_id)
        .one(db)
        .await?
        .filter(|u| u.active)
        .ok_or_else(unauthorized)?;
    Ok(Session {
        must_change_password: user.must_change_password,
        display_name: user.display_name.clone(),
        actor: Actor {
            id: Some(user.id),
            username: user.username,
            role: user.role,
            organization_id: user.organization_id,
        },
    })
}

/// A user changes their own password: the old one must be right, the new one must pass
/// [`validate_password`](super::users::validate_password) and differ from the old. Every other
/// token of the user is revoked; the one used for this request stays signed in. Clears an
/// administrator's "must change" mark. Returns how many other sessions were signed out.
#[tracing::instrument(name = "auth::change_password", skip_all, fields(actor_id = actor.id))]
pub async fn change_password(
    db: &DatabaseConnection,
    actor: &Actor,
    current_token: &str,
    old_password: &str,
    new_password: &str,
) -> Result<u64> {
    use sea_orm::TransactionTrait;
    let id = actor
        .id
        .ok_or_else(|| Error::Forbidden("系统账号没有密码".into()))?;
    let user = app_user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found("用户"))?;
    let mut errors = Vec::new();
    super::users::validate_password_field("new_password", new_password, &mut errors);
    if new_password == old_password {
        errors.push(crate::domain::FieldError::new(
            "new_password",
            "新密码不能与原密码相同",
        ));
    }
    if !verify_password(old_password.to_owned(), user.password_hash.clone()).await? {
        errors.insert(
            0,
            crate::domain::FieldError::new("old_password", "原密码不正确"),
        );
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let hash = hash_password(new_password.to_owned()).await?;
    let txn = db.begin().await?;
    let update = super::update_versioned::<app_user::Entity>(id, user.version)
        .col_expr(app_user::Column::PasswordHash, Expr::value(hash))
        .col_expr(app_user::Column::MustChangePassword, Expr::value(false));
    super::exec_versioned(&txn, update, "用户").await?;
    let revoked = auth_token::Entity::update_many()
        .col_expr(auth_token::Column::RevokedAt, Expr::value(now()))
        .filter(auth_token::Column::UserId.eq(id))
        .filter(auth_token::Column::RevokedAt.is_null())
        .filter(auth_token::Column::TokenHash.ne(token_hash(current_token)))
        .exec(&txn)
        .await?
        .rows_affected;
    super::audit::record(
        &txn,
        actor,
        "user",
        id,
        "change_password",
        serde_json::json!({"other_sessions_revoked": revoked, "was_reset": user.must_change_password}),
    )
    .await?;
    txn.commit().await?;
    tracing::info!(revoked, "password changed");
    Ok(revoked)
}

/// Revokes the token presented; later requests with it get 401.
#[tracing::instrument(name = "auth::logout", skip_all)]
pub async fn logout(db: &DatabaseConnection, token: &str) -> Result<()> {
    auth_token::Entity::update_many()
        .col_expr(auth_token::Column::RevokedAt, Expr::value(now()))
        .filter(auth_token::Column::TokenHash.eq(token_hash(token)))
        .filter(auth_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every token of a user (deactivation, password reset).
#[tracing::instrument(name = "auth::revoke_all", skip_all, fields(user_id))]
pub async fn revoke_all<C: sea_orm::ConnectionTrait>(db: &C, user_id: i64) -> Result<()> {
    auth_token::Entity::update_many()
        .col_expr(auth_token::Column::RevokedAt, Expr::value(now()))
        .filter(auth_token::Column::UserId.eq(user_id))
        .filter(auth_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn decoy_hash_parses_and_rejects() {
        assert!(
            !verify_password("x".into(), DECOY_HASH.into())
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn hashes_verify() {
        let h = hash_password("demo-pass-2023".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(
            verify_password("demo-pass-2023".into(), h.clone())
                .await
                .unwrap()
        );
        assert!(!verify_password("wrong".into(), h).await.unwrap());
    }

    #[test]
    fn throttle_blocks_after_the_limit() {
        let t = LoginThrottle::new(2, 15);
        assert!(!t.blocked("a"));
        t.failed("a");
        t.failed("a");
        assert!(t.blocked("a"));
        assert!(!t.blocked("b"));
        t.succeeded("a");
        assert!(!t.blocked("a"));
    }
}

//! Passwords (argon2id), login tokens (random, stored only as a SHA-256 hash, with an expiry,
//! revocable) and the limits on sign-in attempts.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, sea_query::Expr,
};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use super::{Actor, now};
use crate::error::{Error, Result};
use entity::{app_user, auth_token, sign_in_attempt};

/// Password hashes run on a few threads of their own, one per core (at most 8), never on
/// tokio's blocking pool: argon2id takes 19 MiB for each hash, and the allocator keeps what a
/// thread freed for that thread's next use, so hashes spread over hundreds of blocking threads
/// during a flood would keep hundreds of MiB. On their own threads a flood queues, costs the
/// same few buffers again and again, and the memory stays bounded.
struct Hashers {
    /// Hashes queued or running, at most one per thread, so a send never waits.
    slots: Semaphore,
    jobs: Mutex<std::sync::mpsc::Sender<Box<dyn FnOnce() + Send>>>,
}

fn hashers() -> &'static Hashers {
    static HASHERS: OnceLock<Hashers> = OnceLock::new();
    HASHERS.get_or_init(|| {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8);
        let (send, receive) = std::sync::mpsc::channel::<Box<dyn FnOnce() + Send>>();
        let receive = std::sync::Arc::new(Mutex::new(receive));
        for n in 0..threads {
            let receive = receive.clone();
            std::thread::Builder::new()
                .name(format!("password-hash-{n}"))
                .spawn(move || {
                    loop {
                        let job = receive.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                })
                .expect("a password-hash thread");
        }
        Hashers {
            slots: Semaphore::new(threads),
            jobs: Mutex::new(send),
        }
    })
}

/// Runs `work` on a password-hash thread once one is free.
async fn on_hash_thread<T: Send + 'static>(
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> Result<T> {
    let hashers = hashers();
    let _slot = hashers
        .slots
        .acquire()
        .await
        .map_err(|e| anyhow::anyhow!(e))?;
    let (done, result) = tokio::sync::oneshot::channel();
    hashers
        .jobs
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .send(Box::new(move || {
            let _ = done.send(work());
        }))
        .map_err(|_| anyhow::anyhow!("the password-hash threads have stopped"))?;
    result
        .await
        .map_err(|_| anyhow::anyhow!("a password hash was lost"))?
        .map_err(Error::Internal)
}

/// Sign-ins waiting for a hash beyond which a new one is refused at once (429) rather than
/// queued: the global limit.
const MAX_WAITING_SIGN_INS: usize = 64;
static WAITING_SIGN_INS: AtomicUsize = AtomicUsize::new(0);

/// One sign-in among those waiting for a hash; leaves the count when dropped, also when the
/// client goes away mid-request and the request is dropped with it.
struct Waiting;

impl Waiting {
    fn enter() -> Option<Waiting> {
        if WAITING_SIGN_INS.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING_SIGN_INS {
            WAITING_SIGN_INS.fetch_sub(1, Ordering::SeqCst);
            None
        } else {
            Some(Waiting)
        }
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        WAITING_SIGN_INS.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Hashes a password with argon2id and a random salt, off the async threads.
#[tracing::instrument(name = "auth::hash_password", skip_all)]
pub async fn hash_password(password: String) -> Result<String> {
    on_hash_thread(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await
}

pub async fn verify_password(password: String, hash: String) -> Result<bool> {
    on_hash_thread(move || {
        let parsed = PasswordHash::new(&hash).map_err(|e| anyhow::anyhow!("stored hash: {e}"))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
}

/// A valid argon2id hash of nothing anyone knows, so an unknown username costs as much time as
/// a wrong password and does not reveal which usernames exist.
const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2pEMHVRAY9yvOvYU0FDKq9vO9Yr1G3nhr0UL1F3kQ2k";

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// What a token remembers of the password it was issued against (a digest of its salted hash,
/// which changes with every new password).
fn credential_stamp(password_hash: &str) -> String {
    hex::encode(&Sha256::digest(password_hash.as_bytes())[..16])
}

/// The sign-in limits, counted in the database (`sign_in_attempt`) so that every server on it
/// shares them. Each attempt is written *before* its password is checked and then counted, so
/// parallel guesses cannot slip past the count; a success removes its account's and client's
/// rows. Past `per_account` attempts for one user name from one client within the window, or
/// `per_client` from one client over all user names, further attempts get 429 with
/// `Retry-After` until the oldest counted attempt leaves the window. Counting per account *and*
/// client means a guesser elsewhere cannot lock the real user out.
#[derive(Debug, Clone)]
pub struct SignInLimits {
    pub per_account: u32,
    pub per_client: u32,
    pub window: Duration,
}

impl SignInLimits {
    pub fn new(per_account: u32, per_client: u32, window_minutes: u32) -> Self {
        Self {
            per_account,
            per_client,
            window: Duration::from_secs(u64::from(window_minutes) * 60),
        }
    }
}

/// The user name as counted: trimmed, lower case, at most 64 characters.
fn attempt_key(username: &str) -> String {
    username.trim().to_lowercase().chars().take(64).collect()
}

/// Writes this attempt and counts it with the others in the window, or answers the 429.
async fn reserve(
    db: &DatabaseConnection,
    limits: &SignInLimits,
    key: &str,
    client: &str,
) -> Result<()> {
    let at = now();
    let window = chrono::Duration::from_std(limits.window).unwrap_or(chrono::Duration::MAX);
    let since = at - window;
    sign_in_attempt::Entity::delete_many()
        .filter(sign_in_attempt::Column::AttemptedAt.lt(since))
        .exec(db)
        .await?;
    sign_in_attempt::Entity::insert(sign_in_attempt::ActiveModel {
        username: Set(key.to_owned()),
        client: Set(client.to_owned()),
        attempted_at: Set(at),
        ..Default::default()
    })
    .exec(db)
    .await?;
    let recent = || {
        sign_in_attempt::Entity::find()
            .filter(sign_in_attempt::Column::Client.eq(client))
            .filter(sign_in_attempt::Column::AttemptedAt.gte(since))
    };
    let for_account = recent().filter(sign_in_attempt::Column::Username.eq(key));
    let over = if for_account.clone().count(db).await? > u64::from(limits.per_account) {
        Some(for_account)
    } else if recent().count(db).await? > u64::from(limits.per_client) {
        Some(recent())
    } else {
        None
    };
    let Some(counted) = over else {
        return Ok(());
    };
    let oldest = counted
        .order_by_asc(sign_in_attempt::Column::AttemptedAt)
        .one(db)
        .await?
        .map_or(at, |a| a.attempted_at);
    let wait = (oldest + window - at).num_seconds().max(1) as u64;
    Err(Error::RateLimited {
        message: format!("登录尝试次数过多，请{}后再试", wait_text(wait)),
        retry_after: wait,
    })
}

/// Seconds in words: “3分钟”, “40秒”.
fn wait_text(seconds: u64) -> String {
    if seconds >= 60 {
        format!("{}分钟", seconds.div_ceil(60))
    } else {
        format!("{seconds}秒")
    }
}

pub struct LoginResult {
    pub token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub user: app_user::Model,
}

#[tracing::instrument(name = "auth::login", skip_all, fields(username = %username, client))]
pub async fn login(
    db: &DatabaseConnection,
    limits: &SignInLimits,
    ttl_hours: u32,
    username: &str,
    password: &str,
    client: Option<std::net::IpAddr>,
) -> Result<LoginResult> {
    let username = username.trim();
    let client = client.map_or_else(|| "-".to_owned(), |ip| ip.to_string());
    tracing::Span::current().record("client", client.as_str());
    let key = attempt_key(username);
    // The global limit first, before any work: a flood past it is refused at once.
    let Some(waiting) = Waiting::enter() else {
        return Err(Error::RateLimited {
            message: "登录请求过多，请稍后再试".into(),
            retry_after: 1,
        });
    };
    let checked = check_password(db, limits, &key, &client, username, password).await;
    drop(waiting);
    let user = match checked? {
        (Some(user), true) if user.active => user,
        _ => return Err(Error::Unauthorized("用户名或密码错误".into())),
    };
    // A success clears what this account and client had counted.
    sign_in_attempt::Entity::delete_many()
        .filter(sign_in_attempt::Column::Username.eq(&key))
        .filter(sign_in_attempt::Column::Client.eq(&client))
        .exec(db)
        .await?;

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
        // The hash that was verified, not the account's hash now: if a reset came in between,
        // the token is born stale.
        credential_stamp: Set(Some(credential_stamp(&user.password_hash))),
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

/// Counts the attempt, then checks the password (against a decoy for an unknown user name, so
/// both cost the same): the account, if any, and whether the password matched.
async fn check_password(
    db: &DatabaseConnection,
    limits: &SignInLimits,
    key: &str,
    client: &str,
    username: &str,
    password: &str,
) -> Result<(Option<app_user::Model>, bool)> {
    reserve(db, limits, key, client).await?;
    let user = app_user::Entity::find()
        .filter(app_user::Column::Username.eq(username))
        .one(db)
        .await?;
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| DECOY_HASH.to_owned());
    let matches = verify_password(password.to_owned(), hash).await?;
    Ok((user, matches))
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
        .filter(|u| {
            row.credential_stamp
                .as_ref()
                .is_none_or(|stamp| *stamp == credential_stamp(&u.password_hash))
        })
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
    let stamp = credential_stamp(&hash);
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
    // The session that changed the password goes on with the new one.
    auth_token::Entity::update_many()
        .col_expr(auth_token::Column::CredentialStamp, Expr::value(stamp))
        .filter(auth_token::Column::TokenHash.eq(token_hash(current_token)))
        .exec(&txn)
        .await?;
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
    fn waits_are_told_in_minutes_or_seconds() {
        assert_eq!(wait_text(40), "40秒");
        assert_eq!(wait_text(61), "2分钟");
        assert_eq!(attempt_key("  Officer1 "), "officer1");
    }
}

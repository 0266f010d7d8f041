//! The only place that reads and writes the database. Each change runs in one transaction
//! together with its audit event; handlers call these functions and nothing else touches SQL.
pub mod admin_queries;
pub mod assignment_rules;
pub mod audit;
pub mod auth;
mod bulk;
pub mod calendar;
pub mod classification;
pub mod counties;
pub mod documents;
pub mod filings;
pub mod ledger_export;
pub mod ledger_import;
pub mod monitoring;
pub mod monthly_reports;
pub mod national_lists;
pub mod notifications;
pub mod organizations;
pub mod paging;
pub mod people;
pub mod policy_exemptions;
pub mod projects;
pub mod quality;
pub mod reminders;
pub mod report_export;
pub mod reports;
pub mod service_sheets;
pub mod users;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use crate::domain::role::{ActorRole, Role};

/// Who is acting: a signed-in user, or the system itself (command line, demo loader).
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<i64>,
    pub username: String,
    pub role: Role,
    pub organization_id: Option<i64>,
}

impl Actor {
    /// The process acting on its own behalf, with an administrator's rights.
    pub fn system() -> Actor {
        Actor {
            id: None,
            username: "system".into(),
            role: Role::Admin,
            organization_id: None,
        }
    }

    /// Keeping the ledger (台账) is for officers and administrators.
    pub fn require_keeper(&self) -> crate::error::Result<()> {
        if self.role.keeps_ledger() {
            Ok(())
        } else {
            Err(crate::error::Error::Forbidden(
                "只有审批人员或管理员可以维护台账".into(),
            ))
        }
    }

    /// How audit rows and events name who acted.
    pub fn acting_role(&self) -> ActorRole {
        if self.id.is_none() {
            ActorRole::System
        } else {
            self.role.into()
        }
    }
}

/// China Standard Time; China has kept UTC+8 without daylight saving since 1991.
pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// Today's calendar date in Asia/Shanghai.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&shanghai()).date_naive()
}

/// For PATCH bodies: tells a field left out (`None`) from a field set to `null` (`Some(None)`).
pub(crate) fn nullable<'de, D, T>(
    deserializer: D,
) -> std::result::Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}

/// A query filter's code as sent: one of `T`'s, or one this build does not know, which the
/// service answers with a 422 naming the parameter beside its other checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code<T> {
    Known(T),
    Unknown,
}

impl<'de, T: serde::de::DeserializeOwned> serde::Deserialize<'de> for Code<T> {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        use serde::de::IntoDeserializer;
        let code = String::deserialize(deserializer)?;
        let known: std::result::Result<T, serde::de::value::Error> =
            T::deserialize(code.as_str().into_deserializer());
        Ok(known.map_or(Code::Unknown, Code::Known))
    }
}

impl<T> Code<T> {
    /// The known value; an unknown one adds `message` for `field` to `errors`.
    pub(crate) fn check(
        code: Option<Code<T>>,
        field: &str,
        message: &str,
        errors: &mut Vec<crate::domain::FieldError>,
    ) -> Option<T> {
        match code? {
            Code::Known(value) => Some(value),
            Code::Unknown => {
                errors.push(crate::domain::FieldError::new(field, message));
                None
            }
        }
    }
}

/// For query filters: a blank value (`?state=`, as a form's empty choice sends) is no filter;
/// anything else must be one of the type's codes.
pub(crate) fn blank_is_none<'de, D, T>(deserializer: D) -> std::result::Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    use serde::de::IntoDeserializer;
    let raw: Option<String> = serde::Deserialize::deserialize(deserializer)?;
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(code) => T::deserialize(code.into_deserializer()).map(Some),
    }
}

/// Everything a fresh or existing database needs before serving: Shangluo's divisions and the
/// shipped holiday schedules where missing, and the demo ledger into an empty database when
/// `demo.enabled`. Returns whether the demo ledger was loaded.
#[tracing::instrument(name = "services::bootstrap", skip_all)]
pub async fn bootstrap(
    db: &sea_orm::DatabaseConnection,
    settings: &crate::config::Settings,
) -> crate::error::Result<bool> {
    counties::seed_shangluo(db).await?;
    calendar::seed_embedded(db).await?;
    policy_exemptions::seed_shipped(db).await?;
    if settings.demo.enabled {
        return crate::demo::load_if_empty(db, settings).await;
    }
    Ok(false)
}

/// An update of one versioned row that bumps its version and stamps `updated_at`; the caller
/// adds what it changes and the conditions it read (see [`update_versioned`]).
pub(crate) fn update_row<E: entity::Versioned>(id: i64) -> sea_orm::UpdateMany<E> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{ColumnTrait, QueryFilter};
    E::update_many()
        .col_expr(E::VERSION, Expr::col(E::VERSION).add(1))
        .col_expr(E::UPDATED_AT, Expr::value(now()))
        .filter(E::ID.eq(id))
}

/// [`update_row`] on condition that the row still has the version the client read.
pub(crate) fn update_versioned<E: entity::Versioned>(
    id: i64,
    version: i32,
) -> sea_orm::UpdateMany<E> {
    use sea_orm::{ColumnTrait, QueryFilter};
    update_row::<E>(id).filter(E::VERSION.eq(version))
}

/// Whether the database holds no accounts and no projects: the one state the demo ledger loads
/// into, so it never mixes with real data.
pub async fn holds_no_accounts_or_projects<C: sea_orm::ConnectionTrait>(
    db: &C,
) -> crate::error::Result<bool> {
    use sea_orm::{EntityTrait, PaginatorTrait};
    Ok(entity::app_user::Entity::find().count(db).await? == 0
        && entity::project::Entity::find().count(db).await? == 0)
}

/// Runs a conditional update that names the version the client read; no row changed means
/// someone else changed it first: a 409, never a silent overwrite.
pub(crate) async fn exec_versioned<E, C>(
    db: &C,
    update: sea_orm::UpdateMany<E>,
    what: &str,
) -> crate::error::Result<()>
where
    E: sea_orm::EntityTrait,
    C: sea_orm::ConnectionTrait,
{
    if update.exec(db).await?.rows_affected == 0 {
        return Err(crate::error::Error::stale(what));
    }
    Ok(())
}

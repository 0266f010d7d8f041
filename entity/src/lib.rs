//! sea-orm entities, one module per table, in the shape `sea-orm-cli generate entity` gives:
//! columns typed with the domain's own enums and JSON values, relations declared for joins, and
//! versions and timestamps stamped in one place. Hand-written logic lives in the services.
pub mod app_user;
pub mod assignment_rule;
pub mod audit_event;
pub mod auth_token;
pub mod classification;
pub mod clock_stop;
pub mod county;
pub mod document;
pub mod filing;
pub mod filing_event;
pub mod hearing_request;
pub mod holiday_schedule;
pub mod json;
pub mod monthly_report;
pub mod notification;
pub mod number_sequence;
pub mod organization;
pub mod policy_exemption;
pub mod project;
pub mod service_item;
pub mod service_sheet;
pub mod sheet_assignment;
pub mod sign_in_attempt;

pub use json::Json;

/// Tables whose rows carry a `version` and an `updated_at`: a change names the version it read,
/// bumps it and stamps the time, built once by the services from these columns.
pub trait Versioned: sea_orm::EntityTrait {
    const ID: Self::Column;
    const VERSION: Self::Column;
    const UPDATED_AT: Self::Column;
}

/// The insert stamps of a versioned table: `created_at` and `updated_at` now and `version` 1
/// unless the caller set them; an update through the active model stamps `updated_at`.
macro_rules! versioned {
    () => {
        impl $crate::Versioned for Entity {
            const ID: Column = Column::Id;
            const VERSION: Column = Column::Version;
            const UPDATED_AT: Column = Column::UpdatedAt;
        }

        #[async_trait::async_trait]
        impl ActiveModelBehavior for ActiveModel {
            async fn before_save<C>(mut self, _db: &C, insert: bool) -> Result<Self, DbErr>
            where
                C: ConnectionTrait,
            {
                let now = chrono::Utc::now();
                if insert {
                    if self.created_at.is_not_set() {
                        self.created_at = sea_orm::ActiveValue::Set(now);
                    }
                    if self.version.is_not_set() {
                        self.version = sea_orm::ActiveValue::Set(1);
                    }
                }
                if self.updated_at.is_not_set() || !insert {
                    self.updated_at = sea_orm::ActiveValue::Set(now);
                }
                Ok(self)
            }
        }
    };
}
pub(crate) use versioned;

/// For append-only rows: the time they were written, unless the caller set it.
macro_rules! stamped {
    ($column:ident) => {
        #[async_trait::async_trait]
        impl ActiveModelBehavior for ActiveModel {
            async fn before_save<C>(mut self, _db: &C, insert: bool) -> Result<Self, DbErr>
            where
                C: ConnectionTrait,
            {
                if insert && self.$column.is_not_set() {
                    self.$column = sea_orm::ActiveValue::Set(chrono::Utc::now());
                }
                Ok(self)
            }
        }
    };
}
pub(crate) use stamped;

/// The insert stamps of a table whose rows carry a `version` but no `updated_at` (clock stops,
/// hearing requests): `created_at` now and `version` 1 unless the caller set them; changes go
/// through conditional updates on the version.
macro_rules! created_versioned {
    () => {
        #[async_trait::async_trait]
        impl ActiveModelBehavior for ActiveModel {
            async fn before_save<C>(mut self, _db: &C, insert: bool) -> Result<Self, DbErr>
            where
                C: ConnectionTrait,
            {
                if insert {
                    if self.created_at.is_not_set() {
                        self.created_at = sea_orm::ActiveValue::Set(chrono::Utc::now());
                    }
                    if self.version.is_not_set() {
                        self.version = sea_orm::ActiveValue::Set(1);
                    }
                }
                Ok(self)
            }
        }
    };
}
pub(crate) use created_versioned;

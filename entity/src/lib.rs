//! sea-orm entities, one module per table, in the shape `sea-orm-cli generate entity` gives.
//! Hand-written logic lives in the service crate, not here.
pub mod app_user;
pub mod audit_event;
pub mod auth_token;
pub mod classification;
pub mod clock_stop;
pub mod county;
pub mod document;
pub mod filing;
pub mod filing_event;
pub mod holiday_schedule;
pub mod notification;
pub mod number_sequence;
pub mod organization;
pub mod policy_exemption;
pub mod project;
pub mod service_item;
pub mod service_sheet;
pub mod sheet_assignment;

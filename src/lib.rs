//! eiaflow — 环评审批服务: the environmental impact assessment approval workflow of a city
//! ecology and environment bureau.
//!
//! The pure rules are the `domain` crate (re-exported here as `domain`, so `crate::domain::…`
//! reads as before); `services/` is the only code that touches the database, `http/` the API
//! that calls them, `web/` the pages, `notify/` composes and sends every message.
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub use ::domain;
pub mod error;
pub mod excel;
pub mod http;
pub mod links;
pub mod notify;
pub mod scheduler;
pub mod services;
pub mod telemetry;
pub mod web;

//! Server-only code: configuration, start-up, state, authentication, HTTP hygiene, services
//! and the database entities. Nothing here knows about Leptos views.

pub mod auth;
pub mod clients;
pub mod clock;
pub mod config;
pub mod connect;
pub mod crash_points;
pub mod crypto;
pub mod db;
pub mod entities;
pub mod http;
pub mod jobs;
pub mod key_checks;
pub mod key_rotation;
pub mod meta;
pub mod metrics;
pub mod publishing;
#[cfg(feature = "sandbox")]
pub mod sandbox_mode;
pub mod services;
pub mod startup;
pub mod state;
pub mod telemetry;

//! Business operations. Nothing here knows about HTTP or Leptos: callers pass validated input
//! and get domain results or an [`AppError`](crate::error::AppError).

pub mod account;
pub mod accounts;
pub mod activity;
pub mod audit;
pub mod members;
pub mod records;
pub mod setup;
pub mod sign_in;
pub mod users;
pub mod workspaces;

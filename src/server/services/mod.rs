//! Business operations. Nothing here knows about HTTP or Leptos: callers pass validated input
//! and get domain results or an [`AppError`](crate::error::AppError).

pub mod accounts;
pub mod activity;
pub mod audit;
pub mod connections;
pub mod context;
pub mod delete_account;
pub mod directory;
pub mod disconnect;
pub mod members;
pub mod meta_backoff;
pub mod meta_callbacks;
pub mod operator;
pub mod posts;
pub mod profile;
pub mod reauth;
pub mod revocations;
pub mod setup;
pub mod sign_in;
pub mod workspaces;

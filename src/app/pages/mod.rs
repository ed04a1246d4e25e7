//! One file per page.

pub mod account;
pub mod account_detail;
pub mod accounts;
pub mod activity;
pub mod compose;
pub mod confirm;
pub mod data_deletion;
pub mod integrations;
pub mod login;
pub mod logout;
pub mod members;
pub mod new_workspace;
pub mod not_found;
pub mod posts;
pub mod setup;
pub mod workspace;

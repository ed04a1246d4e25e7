//! One file per page.

pub mod accounts;
pub mod integrations;
pub mod login;
pub mod logout;
pub mod members;
pub mod not_found;
pub mod setup;

//! SeaORM entities: plain table mappings, no logic. Business rules live in `services`.

pub mod account;
pub mod audit_event;
pub mod audit_event_account;
pub mod data_deletion_request;
pub mod grant;
pub mod installation;
pub mod key_check;
pub mod login_throttle;
pub mod membership;
pub mod meta_backoff;
pub mod oauth_state;
pub mod post;
pub mod revocation;
pub mod session;
pub mod user;
pub mod workspace;

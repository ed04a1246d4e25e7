//! Pieces shared by pages.

pub mod account_actions;
pub mod account_filters;
pub mod backoff_notice;
pub mod connect;
pub mod connections;
pub mod forbidden;
pub mod form_error;
pub mod layout;
pub mod pager;
pub mod platform;
pub mod role_select;
pub mod status_badge;
pub mod table_frame;
pub mod welcome;

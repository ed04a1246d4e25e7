//! The types pages render, in one place: what the `api` queries answer and the signed-in
//! user. Pages import from here and `api::queries`, never from `server`.

pub use crate::server::auth::current::{CurrentUser, Flash, WorkspaceRef};
pub use crate::server::services::activity::{ActivityFilter, ActivityPage, ActivityRow};
pub use crate::server::services::audit::AuditKind;
pub use crate::server::services::connections::ConnectionRow;
pub use crate::server::services::members::MemberRow;

/// The activity log page: one page of entries and the people its filter offers.
pub struct ActivityView {
    pub page: ActivityPage,
    pub people: Vec<MemberRow>,
}

/// Which connect buttons work: Connect Meta always posts (the server says when Facebook isn't
/// configured); Instagram and Threads are disabled without their own apps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConnectOptions {
    pub instagram: bool,
    pub threads: bool,
}

//! The types pages render, in one place: what the `api` queries answer and the signed-in
//! user. Pages import from here and `api::queries`, never from `server`.

pub use crate::domain::account_filter::{AccountFilter, PlatformFilter, SortKey, StatusFilter};
pub use crate::server::auth::current::{CurrentUser, Flash, WorkspaceRef};
pub use crate::server::publishing::draft::Kept as KeptDraft;
pub use crate::server::services::accounts::{
    AccountDetail, AccountPage, AccountRow, Attention, LinkedAccount,
};
pub use crate::server::services::activity::{ActivityFilter, ActivityPage, ActivityRow};
pub use crate::server::services::audit::AuditKind;
pub use crate::server::services::connections::{
    ConnectionRow, ConnectionsPage, DISCONNECTED_SHOWN,
};
pub use crate::server::services::disconnect::Subject;
pub use crate::server::services::members::MemberRow;
pub use crate::server::services::meta_callbacks::DataDeletionStatus;
pub use crate::server::services::posts::{ComposeAccount, PostRow, PostsPage, RequeueAccount};

/// The compose form: the accounts it offers, a fresh submission key, and what was typed into
/// a form the checks refused (kept so nothing is lost).
pub struct ComposeView {
    pub accounts: Vec<ComposeAccount>,
    pub submission: String,
    pub kept: Option<KeptDraft>,
    pub may_publish: bool,
}

/// The posts list: one page, the viewer's clock and zone, and whether they may re-queue.
pub struct PostsView {
    pub page: PostsPage,
    pub now: i64,
    pub time_zone: String,
    pub may_publish: bool,
}

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

/// The accounts list: one page of a view, the banner's counts, and what the columns need.
pub struct AccountsView {
    pub page: AccountPage,
    pub attention: Attention,
    pub filter: AccountFilter,
    /// The time the figures were computed at (unix seconds).
    pub now: i64,
    /// `SWITCHBOARD_IG_DAILY_LIMIT`, for "used / limit".
    pub instagram_daily_limit: u32,
    /// `SWITCHBOARD_REFRESH_WINDOW` in seconds: how far ahead "expiring soon" looks.
    pub refresh_window: i64,
    /// The viewer's time zone, for exact times.
    pub time_zone: String,
}

/// One account's page.
pub struct AccountView {
    pub account: AccountDetail,
    pub now: i64,
    pub time_zone: String,
}

/// Meta's backoff in force: when calls go again (unix seconds), and the viewer's time zone to
/// say it in ("Meta rate limit reached — retrying after 14:05 (UTC)").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackoffNotice {
    pub until: i64,
    pub time_zone: String,
}

/// A confirmation page's account, and whether the viewer may go ahead.
pub struct ConfirmView {
    pub subject: Subject,
    pub allowed: bool,
}

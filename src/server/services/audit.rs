//! The activity log's writer. Every change to workspaces, memberships, roles, passwords and
//! connections records who did what, when and on what, in the same transaction as the change.

use crate::domain::Platform;
use crate::server::entities::{audit_event, audit_event_account};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, Set};

/// What happened. The string form is stored and filtered on, so it never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditKind {
    WorkspaceCreated,
    WorkspaceRenamed,
    MemberAdded,
    RoleChanged,
    MemberRemoved,
    PasswordReset,
    PasswordChanged,
    PasswordSet,
    TimeZoneChanged,
    SignedIn,
    SignedOut,
    ConnectStarted,
    AccountsConnected,
    ConnectFailed,
    AccountsReconnected,
    AccountDisconnected,
    AccountDeleted,
    RevocationConfirmed,
    RevocationFailed,
    /// Meta's deauthorize callback: someone removed the app at Meta.
    MetaDeauthorized,
    /// Meta's data-deletion callback: someone's connected accounts were deleted for good.
    MetaDataDeleted,
    /// The maintenance sweep found accounts' tokens rejected, expired or unreadable.
    AccountsNeedReauth,
    PostPublished,
    PostFailed,
    PostsRequeued,
}

impl AuditKind {
    pub const ALL: [AuditKind; 25] = [
        AuditKind::WorkspaceCreated,
        AuditKind::WorkspaceRenamed,
        AuditKind::MemberAdded,
        AuditKind::RoleChanged,
        AuditKind::MemberRemoved,
        AuditKind::PasswordReset,
        AuditKind::PasswordChanged,
        AuditKind::PasswordSet,
        AuditKind::TimeZoneChanged,
        AuditKind::SignedIn,
        AuditKind::SignedOut,
        AuditKind::ConnectStarted,
        AuditKind::AccountsConnected,
        AuditKind::ConnectFailed,
        AuditKind::AccountsReconnected,
        AuditKind::AccountDisconnected,
        AuditKind::AccountDeleted,
        AuditKind::RevocationConfirmed,
        AuditKind::RevocationFailed,
        AuditKind::MetaDeauthorized,
        AuditKind::MetaDataDeleted,
        AuditKind::AccountsNeedReauth,
        AuditKind::PostPublished,
        AuditKind::PostFailed,
        AuditKind::PostsRequeued,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::WorkspaceCreated => "workspace.created",
            AuditKind::WorkspaceRenamed => "workspace.renamed",
            AuditKind::MemberAdded => "member.added",
            AuditKind::RoleChanged => "member.role_changed",
            AuditKind::MemberRemoved => "member.removed",
            AuditKind::PasswordReset => "member.password_reset",
            AuditKind::PasswordChanged => "password.changed",
            AuditKind::PasswordSet => "password.set",
            AuditKind::TimeZoneChanged => "account.time_zone_changed",
            AuditKind::SignedIn => "session.signed_in",
            AuditKind::SignedOut => "session.signed_out",
            AuditKind::ConnectStarted => "connection.started",
            AuditKind::AccountsConnected => "connection.succeeded",
            AuditKind::ConnectFailed => "connection.failed",
            AuditKind::AccountsReconnected => "connection.reconnected",
            AuditKind::AccountDisconnected => "account.disconnected",
            AuditKind::AccountDeleted => "account.deleted",
            AuditKind::RevocationConfirmed => "revocation.confirmed",
            AuditKind::RevocationFailed => "revocation.failed",
            AuditKind::MetaDeauthorized => "meta.deauthorized",
            AuditKind::MetaDataDeleted => "meta.data_deleted",
            AuditKind::AccountsNeedReauth => "token.needs_reauth",
            AuditKind::PostPublished => "post.published",
            AuditKind::PostFailed => "post.failed",
            AuditKind::PostsRequeued => "post.requeued",
        }
    }

    /// How the activity log names it.
    pub fn label(self) -> &'static str {
        match self {
            AuditKind::WorkspaceCreated => "Workspace created",
            AuditKind::WorkspaceRenamed => "Workspace renamed",
            AuditKind::MemberAdded => "Member added",
            AuditKind::RoleChanged => "Role changed",
            AuditKind::MemberRemoved => "Member removed",
            AuditKind::PasswordReset => "Password reset",
            AuditKind::PasswordChanged => "Password changed",
            AuditKind::PasswordSet => "Password set (command line)",
            AuditKind::TimeZoneChanged => "Time zone changed",
            AuditKind::SignedIn => "Signed in",
            AuditKind::SignedOut => "Signed out",
            AuditKind::ConnectStarted => "Connection started",
            AuditKind::AccountsConnected => "Accounts connected",
            AuditKind::ConnectFailed => "Connection failed",
            AuditKind::AccountsReconnected => "Accounts reconnected",
            AuditKind::AccountDisconnected => "Account disconnected",
            AuditKind::AccountDeleted => "Account deleted for good",
            AuditKind::RevocationConfirmed => "Access removed at Meta",
            AuditKind::RevocationFailed => "Meta refused to remove access",
            AuditKind::MetaDeauthorized => "App removed at Meta",
            AuditKind::MetaDataDeleted => "Data deleted at Meta's request",
            AuditKind::AccountsNeedReauth => "Needs reauthorization",
            AuditKind::PostPublished => "Post published",
            AuditKind::PostFailed => "Post failed",
            AuditKind::PostsRequeued => "Posts re-queued",
        }
    }

    /// Who the activity log names when no member did it: Meta for its callbacks, Switchboard
    /// for its background jobs, otherwise the operator at the command line.
    pub fn actor_without_user(self) -> &'static str {
        match self {
            AuditKind::MetaDeauthorized | AuditKind::MetaDataDeleted => "Meta",
            AuditKind::RevocationConfirmed
            | AuditKind::RevocationFailed
            | AuditKind::AccountsNeedReauth => "Switchboard",
            _ => "Command line",
        }
    }

    /// The kind stored as `value`, if any.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == value)
    }
}

/// One entry to write.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub workspace_id: Option<i64>,
    /// `None` when the operator did it from the command line.
    pub actor_user_id: Option<i64>,
    pub kind: AuditKind,
    /// What it happened to, in words ("olive@example.com", "Acme Social").
    pub subject: String,
    pub detail: serde_json::Value,
    /// The connected accounts it concerns, with their platforms (the log's account and platform
    /// filters, and each account's own history).
    pub accounts: Vec<(i64, Platform)>,
}

/// Shorthand for an entry made by a signed-in member in their current workspace.
pub fn by(
    actor: &crate::server::auth::current::CurrentUser,
    kind: AuditKind,
    subject: &str,
    detail: serde_json::Value,
) -> AuditEntry {
    AuditEntry {
        workspace_id: Some(actor.workspace.id),
        actor_user_id: Some(actor.user_id),
        kind,
        subject: subject.to_owned(),
        detail,
        accounts: Vec::new(),
    }
}

pub async fn record(db: &impl ConnectionTrait, now: i64, entry: AuditEntry) -> Result<(), DbErr> {
    let event = audit_event::ActiveModel {
        workspace_id: Set(entry.workspace_id),
        actor_user_id: Set(entry.actor_user_id),
        kind: Set(entry.kind.as_str().to_owned()),
        subject: Set(entry.subject.chars().take(255).collect()),
        detail: Set(entry.detail.to_string()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut seen = std::collections::HashSet::new();
    let rows: Vec<audit_event_account::ActiveModel> = entry
        .accounts
        .into_iter()
        .filter(|(id, _)| seen.insert(*id))
        .map(|(account_id, platform)| audit_event_account::ActiveModel {
            event_id: Set(event.id),
            account_id: Set(account_id),
            platform: Set(platform.as_str().to_owned()),
        })
        .collect();
    // 400 rows of 3 values a statement: a connect of thousands of Pages stays a few statements.
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(400).collect();
        audit_event_account::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

//! The activity log's writer. Every change to workspaces, memberships, roles and passwords
//! records who did what, when and on what, in the same transaction as the change.

use crate::server::entities::audit_event;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

/// What happened. The string form is stored and filtered on, so it never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditKind {
    WorkspaceCreated,
    MemberAdded,
    RoleChanged,
    PasswordSet,
    SignedIn,
    SignedOut,
}

impl AuditKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::WorkspaceCreated => "workspace.created",
            AuditKind::MemberAdded => "member.added",
            AuditKind::RoleChanged => "member.role_changed",
            AuditKind::PasswordSet => "password.set",
            AuditKind::SignedIn => "session.signed_in",
            AuditKind::SignedOut => "session.signed_out",
        }
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
}

pub async fn record(db: &impl ConnectionTrait, now: i64, entry: AuditEntry) -> Result<(), DbErr> {
    audit_event::ActiveModel {
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
    Ok(())
}

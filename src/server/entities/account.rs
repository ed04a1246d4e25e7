//! A connected account: a Facebook Page, an Instagram professional account (through its Page
//! or directly) or a Threads profile. Unique on (workspace, platform, external id).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    pub grant_id: Option<i64>,
    /// `domain::Platform` as stored.
    pub platform: String,
    pub external_id: String,
    pub name: String,
    pub username: Option<String>,
    /// An Instagram account's Page.
    pub parent_account_id: Option<i64>,
    /// `domain::AccountStatus` as stored.
    pub status: String,
    pub status_reason: Option<String>,
    /// The account's own token (a Page token), sealed; `None` when it publishes with its
    /// parent's (Instagram through a Page).
    pub token_ciphertext: Option<String>,
    pub token_key_fingerprint: Option<String>,
    pub token_expires_at: Option<i64>,
    /// JSON array of optional permissions that were not granted.
    pub missing_scopes: String,
    /// Lower-case name and username, for search that behaves the same on every database.
    pub search_text: String,
    pub connected_by: i64,
    pub connected_at: i64,
    pub last_used_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// A sweeper holds the row while this is in the future (`jobs::maintenance`).
    pub lease_until: i64,
    /// When the sweep last checked the account's own token with Meta (0: never).
    pub checked_at: i64,
    /// When its own token was issued (connected or refreshed).
    pub token_issued_at: Option<i64>,
    /// A Page's tasks for the person who connected it (JSON array), as `/me/accounts` listed.
    pub page_tasks: Option<String>,
    /// Meta's publishing quota for the account (Instagram, Threads), once read.
    pub publish_quota_total: Option<i32>,
    /// When Meta's quota was last read (at most hourly).
    pub publish_quota_checked_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The account's id with its platform, as an activity entry names the accounts it concerns
    /// (`None` for a platform this version doesn't know).
    pub fn tagged(&self) -> Option<(i64, crate::domain::Platform)> {
        Some((self.id, self.platform.parse().ok()?))
    }
}

//! A grant: one authorization a person gave Switchboard at Meta (the long-lived user token,
//! envelope-encrypted, with its expiries and scopes). Accounts point at the grant they came with.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "grants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    /// `facebook` (later `instagram`, `threads`).
    pub provider: String,
    /// The app-scoped Meta user id.
    pub external_user_id: String,
    pub external_user_name: String,
    /// `crypto::Sealed::encode()` of the user token.
    pub token_ciphertext: String,
    pub token_key_fingerprint: String,
    pub token_expires_at: Option<i64>,
    pub data_access_expires_at: Option<i64>,
    /// JSON arrays of permission names.
    pub scopes_granted: String,
    pub scopes_declined: String,
    pub consented_at: i64,
    /// The member who connected it.
    pub connected_by: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// A sweeper holds the row while this is in the future (`jobs::maintenance`).
    pub lease_until: i64,
    /// When the sweep last checked the user token with Meta (0: never).
    pub checked_at: i64,
    /// What Meta's last `debug_token` said of the user token (JSON), for the account page.
    pub diagnostics: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

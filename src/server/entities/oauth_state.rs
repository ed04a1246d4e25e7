//! An OAuth `state` in flight: stored only as its SHA-256 digest, bound to the provider, the
//! member and the workspace that started the flow. Its PKCE verifier is never stored: it is
//! derived from the state (`connect::pkce`). Deleted by the first callback that presents it,
//! whatever the outcome.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "oauth_states")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub digest: String,
    pub provider: String,
    pub workspace_id: i64,
    pub user_id: i64,
    /// `connect` or `reconnect`.
    pub purpose: String,
    /// Where a Reconnect returns to (a path of this app, checked when it was stored).
    pub return_to: Option<String>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

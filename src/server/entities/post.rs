//! A post to one account (docs/product.md → Publishing): what was written, its status and the
//! publishing job's bookkeeping. The accounts list counts the published ones of the last 24
//! hours ("Posts Today"); `publishing` owns every change.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "posts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub workspace_id: i64,
    pub account_id: i64,
    /// `domain::PostStatus` as stored: `queued`, `publishing`, `published` or `failed`.
    pub status: String,
    pub published_at: Option<i64>,
    pub created_at: i64,
    /// The compose form's submission: unique per account, so a second submit posts nothing.
    pub submission_key: Option<String>,
    pub created_by: Option<i64>,
    pub message: String,
    pub image_url: Option<String>,
    /// Meta's id of what was published.
    pub meta_post_id: Option<String>,
    /// The Instagram or Threads media container being processed.
    pub container_id: Option<String>,
    /// `domain::PostFailure` as stored.
    pub failure: Option<String>,
    pub meta_code: Option<i64>,
    pub meta_subcode: Option<i64>,
    pub attempts: i32,
    /// A queued post is tried again from this time on.
    pub next_attempt_at: i64,
    /// A publisher holds the post while this is in the future.
    pub lease_until: i64,
    /// When the final publish call was sent; such a post is never sent again by itself.
    pub sent_at: Option<i64>,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

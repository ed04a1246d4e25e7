//! One data-deletion request Meta sent (docs/meta-api.md §10): found by its confirmation code,
//! with what was deleted. No personal data: the user appears only as a SHA-256 digest.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "data_deletion_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// 32 lower-case hex digits (128 random bits); the status page's address.
    pub confirmation_code: String,
    /// `domain::Provider` as stored: whose app's callback it was.
    pub provider: String,
    /// Hex SHA-256 of the app-scoped user id.
    pub user_digest: String,
    pub grants_deleted: i64,
    pub accounts_deleted: i64,
    pub posts_deleted: i64,
    /// `completed` (the deletion runs inside the callback).
    pub status: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

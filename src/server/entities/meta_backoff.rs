//! One scope that must wait before calling Meta again (docs/meta-api.md §9): a product's app
//! (`app:facebook`) or a business object (`object:<id>`), until when, and why. Kept in the
//! database so every instance backs off together; written only by
//! `services::meta_backoff::record`, which never shortens `until`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meta_backoffs")]
pub struct Model {
    /// `app:<provider>` or `object:<id>` (`meta::backoff::Scope::key`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub scope: String,
    /// Unix seconds: calls for this scope wait until then.
    pub until: i64,
    /// `usage` (a usage header at the threshold) or `rate_limit_code` (Meta refused a call).
    pub reason: String,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

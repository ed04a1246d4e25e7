//! A revocation to perform at Meta (`DELETE /{user-id}/permissions`), one row per Meta user of a
//! provider. `status`: `idle` (nothing to do; the row exists as the user's lock), `pending`
//! (the relay will send it from `next_attempt_at`), `done` (Meta confirmed, or the app was
//! already removed), `cancelled` (the user authorized again first), `failed` (Meta refused for
//! good). A relay holds a row while `lease_until` is in the future.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "revocations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub provider: String,
    pub external_user_id: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub lease_until: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

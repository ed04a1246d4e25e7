//! What the publishing endpoints made (`meta_sandbox_media`), and the reads tests use.

use crate::entities::media;
use crate::Sandbox;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};

/// A new id: digits, as Meta's are.
pub fn new_id() -> String {
    let n: u64 = rand::random::<u64>() % 9_000_000_000_000_000 + 1_000_000_000_000_000;
    n.to_string()
}

pub struct NewMedia<'a> {
    pub id: String,
    pub product: &'a str,
    pub owner_id: &'a str,
    pub kind: &'a str,
    pub status: &'a str,
    pub text: Option<&'a str>,
    pub image_url: Option<&'a str>,
    pub ready_at: i64,
    pub published_at: Option<i64>,
}

impl Sandbox {
    pub(crate) async fn save_media(&self, new: NewMedia<'_>) -> Result<(), DbErr> {
        let now = self.now().await?;
        media::Entity::insert(media::ActiveModel {
            id: Set(new.id),
            product: Set(new.product.to_owned()),
            owner_id: Set(new.owner_id.to_owned()),
            kind: Set(new.kind.to_owned()),
            status: Set(new.status.to_owned()),
            text: Set(new.text.map(str::to_owned)),
            image_url: Set(new.image_url.map(str::to_owned)),
            created_at: Set(now),
            ready_at: Set(new.ready_at),
            published_id: Set(None),
            published_at: Set(new.published_at),
        })
        .exec_without_returning(&self.db)
        .await?;
        Ok(())
    }

    pub(crate) async fn find_media(&self, id: &str) -> Result<Option<media::Model>, DbErr> {
        media::Entity::find_by_id(id.to_owned()).one(&self.db).await
    }

    /// Marks a finished container published as `published_id`; false when another call did
    /// first (a container is published once).
    pub(crate) async fn mark_published(
        &self,
        container: &str,
        published_id: &str,
        at: i64,
    ) -> Result<bool, DbErr> {
        let done = media::Entity::update_many()
            .col_expr(media::Column::Status, Expr::value("PUBLISHED"))
            .col_expr(media::Column::PublishedId, Expr::value(published_id))
            .col_expr(media::Column::PublishedAt, Expr::value(at))
            .filter(media::Column::Id.eq(container))
            .filter(media::Column::Status.ne("PUBLISHED"))
            .exec(&self.db)
            .await?;
        Ok(done.rows_affected == 1)
    }

    /// How many posts `owner_id` published since `since` (the quota's `quota_usage`).
    pub(crate) async fn published_since(&self, owner_id: &str, since: i64) -> Result<u64, DbErr> {
        media::Entity::find()
            .filter(media::Column::OwnerId.eq(owner_id))
            .filter(media::Column::Status.eq("PUBLISHED"))
            .filter(media::Column::PublishedAt.gt(since))
            .count(&self.db)
            .await
    }

    /// Everything published to `owner_id`, oldest first: what a visitor of the Page or
    /// profile would see (tests count it to prove a post went out once).
    pub async fn published(&self, owner_id: &str) -> Result<Vec<media::Model>, DbErr> {
        media::Entity::find()
            .filter(media::Column::OwnerId.eq(owner_id))
            .filter(media::Column::Status.eq("PUBLISHED"))
            .order_by_asc(media::Column::CreatedAt)
            .all(&self.db)
            .await
    }
}

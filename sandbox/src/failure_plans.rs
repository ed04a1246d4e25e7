//! Failure plans as stored: planning the next N failures for a path pattern, listing them,
//! and spending one with a conditional update, so two instances never use the same failure.
//! What each kind of failure answers is `failures`.

use super::failures::{Failure, FailurePlan};
use super::Sandbox;
use crate::entities::failure;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

impl Sandbox {
    /// Makes calls whose path (under `/sandbox`) matches `pattern` fail `times` times.
    pub async fn fail_next(
        &self,
        pattern: &str,
        times: i32,
        failure: &Failure,
    ) -> Result<i64, DbErr> {
        let json = serde_json::to_string(failure).map_err(|e| DbErr::Custom(e.to_string()))?;
        let row = failure::ActiveModel {
            path_pattern: Set(pattern.to_owned()),
            failure: Set(json),
            remaining: Set(times),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(row.id)
    }

    /// The plans that still have failures to give, oldest first.
    pub async fn failures(&self) -> Result<Vec<FailurePlan>, DbErr> {
        let rows = failure::Entity::find()
            .filter(failure::Column::Remaining.gt(0))
            .order_by_asc(failure::Column::Id)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                FailurePlan::stored(row.id, row.path_pattern, &row.failure, row.remaining)
            })
            .collect())
    }

    pub async fn clear_failures(&self) -> Result<(), DbErr> {
        failure::Entity::delete_many().exec(&self.db).await?;
        Ok(())
    }

    /// Spends one failure of plan `id` with a conditional update, so two instances never spend
    /// the same failure; false when another call took its last one first.
    pub(crate) async fn spend_failure(&self, id: i64) -> Result<bool, DbErr> {
        let taken = failure::Entity::update_many()
            .col_expr(
                failure::Column::Remaining,
                Expr::col(failure::Column::Remaining).sub(1),
            )
            .filter(failure::Column::Id.eq(id))
            .filter(failure::Column::Remaining.gt(0))
            .exec(&self.db)
            .await?;
        Ok(taken.rows_affected == 1)
    }
}

//! Reading connected accounts for the pages: the integrations list (one row per connection,
//! with who connected it), a page at a time. The order — each Page followed by its Instagram
//! account, an Instagram account whose Page is gone at the end — is the database's, so a
//! workspace of ten thousand accounts reads fifty of them, not all of them.

use crate::domain::{AccountStatus, Platform, StatusReason};
use crate::server::entities::{account, user};
use sea_orm::sea_query::{
    Alias, Expr, Func, IntoColumnRef, JoinType, Order, Query, SelectStatement,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, Iterable, QueryFilter,
};
use std::collections::HashMap;

/// Connections shown at a time.
pub const PER_PAGE: u64 = 50;
/// Disconnected profiles listed, as many as connections; the accounts list
/// (`?status=disconnected`) shows them all, and the page links to it when there are more. Each
/// row carries a Reconnect and a Delete form, and at 200 rows they were most of the page's
/// 260 KB.
pub const DISCONNECTED_SHOWN: u64 = 50;

/// One connection as the integrations page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionRow {
    pub id: i64,
    pub name: String,
    pub username: Option<String>,
    pub platform: Platform,
    pub status: AccountStatus,
    pub status_reason: Option<String>,
    pub connected_by: String,
    pub connected_at: i64,
}

/// One page of the integrations list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionsPage {
    /// This page's connections (every status but Disconnected), in list order.
    pub live: Vec<ConnectionRow>,
    /// 1-based, within `1..=pages`.
    pub page: u64,
    pub pages: u64,
    /// The first [`DISCONNECTED_SHOWN`] disconnected profiles, in list order.
    pub disconnected: Vec<ConnectionRow>,
    pub disconnected_total: u64,
}

impl ConnectionsPage {
    /// No account at all: the welcome panel instead of the list.
    pub fn is_empty(&self) -> bool {
        self.live.is_empty() && self.disconnected_total == 0
    }
}

/// Page `page` (clamped to the last) of the workspace's connections, and its disconnected
/// profiles.
pub async fn page(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    page: u64,
) -> Result<ConnectionsPage, DbErr> {
    let disconnected = AccountStatus::Disconnected.as_str();
    let in_workspace =
        account::Entity::find().filter(account::Column::WorkspaceId.eq(workspace_id));
    let live_total = sea_orm::PaginatorTrait::count(
        in_workspace
            .clone()
            .filter(account::Column::Status.ne(disconnected)),
        db,
    )
    .await?;
    let disconnected_total = sea_orm::PaginatorTrait::count(
        in_workspace.filter(account::Column::Status.eq(disconnected)),
        db,
    )
    .await?;
    let pages = live_total.div_ceil(PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let live = ordered(db, workspace_id, false, PER_PAGE, (page - 1) * PER_PAGE).await?;
    let gone = ordered(db, workspace_id, true, DISCONNECTED_SHOWN, 0).await?;
    let people = names(db, live.iter().chain(&gone)).await?;
    Ok(ConnectionsPage {
        live: live.iter().filter_map(|row| to_row(row, &people)).collect(),
        page,
        pages,
        disconnected: gone.iter().filter_map(|row| to_row(row, &people)).collect(),
        disconnected_total,
    })
}

/// `limit` accounts from `offset` in list order: by the name and id of the Page a row hangs
/// on (its own, for a Page or an unlinked account), the Page before its Instagram account;
/// rows whose parent is gone last.
///
/// In two steps in one statement, as the accounts list does: the page's ids are sorted from
/// `accounts_workspace_parent_status_name` alone (a parent row is read only for an account
/// linked to one), then only those rows are read whole. Sorting every full row of a large
/// workspace to keep fifty took 8 ms of SQLite's time per view at 10,000 accounts
/// (README → Benchmarks).
async fn ordered(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    disconnected: bool,
    limit: u64,
    offset: u64,
) -> Result<Vec<account::Model>, DbErr> {
    // Imported here only: its blanket `max` would shadow `Ord::max` on numbers above.
    use sea_orm::sea_query::ExprTrait;
    let (row, parent, page) = (Alias::new("row"), Alias::new("parent"), Alias::new("page"));
    let col = |table: &Alias, column: account::Column| (table.clone(), column).into_column_ref();
    let keys = [
        // Rows whose parent is gone go last.
        Expr::col(col(&row, account::Column::ParentAccountId))
            .is_not_null()
            .and(Expr::col(col(&parent, account::Column::Id)).is_null()),
        Func::coalesce([
            Expr::col(col(&parent, account::Column::Name)),
            Expr::col(col(&row, account::Column::Name)),
        ])
        .into(),
        Func::coalesce([
            Expr::col(col(&parent, account::Column::Id)),
            Expr::col(col(&row, account::Column::Id)),
        ])
        .into(),
        // A Page before its Instagram account.
        Expr::col(col(&row, account::Column::ParentAccountId)).is_not_null(),
        Expr::col(col(&row, account::Column::Name)),
        // Last, and what the rows are joined on: the row's own id.
        Expr::col(col(&row, account::Column::Id)),
    ];
    let key = |n: usize| Alias::new(format!("k{n}"));
    let id_key = key(keys.len() - 1);
    let status = Expr::col(col(&row, account::Column::Status));
    let disconnected_status = AccountStatus::Disconnected.as_str();
    let mut ids: SelectStatement = Query::select();
    ids.from_as(account::Entity, row.clone())
        .join_as(
            JoinType::LeftJoin,
            account::Entity,
            parent.clone(),
            Expr::col(col(&parent, account::Column::Id))
                .equals(col(&row, account::Column::ParentAccountId)),
        )
        .and_where(Expr::col(col(&row, account::Column::WorkspaceId)).eq(workspace_id))
        .and_where(match disconnected {
            true => status.eq(disconnected_status),
            false => status.ne(disconnected_status),
        });
    for (n, expr) in keys.iter().enumerate() {
        ids.expr_as(expr.clone(), key(n));
        ids.order_by_expr(expr.clone(), Order::Asc);
    }
    ids.limit(limit).offset(offset);
    let mut query: SelectStatement = Query::select();
    for column in account::Column::iter() {
        query.expr_as(Expr::col(col(&row, column)), column);
    }
    query.from_as(account::Entity, row.clone()).join_subquery(
        JoinType::InnerJoin,
        ids,
        page.clone(),
        Expr::col((page.clone(), id_key)).equals(col(&row, account::Column::Id)),
    );
    for n in 0..keys.len() {
        query.order_by((page.clone(), key(n)), Order::Asc);
    }
    let statement = db.get_database_backend().build(&query);
    account::Model::find_by_statement(statement).all(db).await
}

/// Who connected each of `rows`, by user id.
async fn names<'a>(
    db: &impl ConnectionTrait,
    rows: impl Iterator<Item = &'a account::Model>,
) -> Result<HashMap<i64, String>, DbErr> {
    let ids: Vec<i64> = rows.map(|r| r.connected_by).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect())
}

fn to_row(row: &account::Model, people: &HashMap<i64, String>) -> Option<ConnectionRow> {
    Some(ConnectionRow {
        id: row.id,
        name: row.name.clone(),
        username: row.username.clone(),
        platform: row.platform.parse().ok()?,
        status: row.status.parse().ok()?,
        status_reason: row.status_reason.as_deref().map(StatusReason::label_of),
        connected_by: people
            .get(&row.connected_by)
            .cloned()
            .unwrap_or_else(|| "A former user".to_owned()),
        connected_at: row.connected_at,
    })
}

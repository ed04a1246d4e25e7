//! The accounts list (`/accounts`): one page of a workspace's accounts for a view
//! (`domain::account_filter`), with the figures each row shows — the token expiry (for Pages
//! and the Instagram accounts linked through them, the grant's user token; for direct accounts
//! their own), posts published in the last 24 hours, last use — and the total, in **one**
//! query; and the attention banner's counts in one more. Nothing is decrypted to list.
//!
//! Both queries behave the same on SQLite and PostgreSQL: search is `LIKE … ESCAPE` on the
//! lower-case `search_text` column, names sort by that column in byte order (`COLLATE "C"` on
//! PostgreSQL), and missing times sort as numbers (never expiring last, never used first), not
//! by each database's own NULL order.

mod detail;
mod sql;

pub use detail::{detail, AccountDetail, LinkedAccount};

use crate::domain::account_filter::{AccountFilter, SortKey, StatusFilter, PAGE_SIZE};
use crate::domain::{AccountStatus, Platform};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};
use sql::{accounts_with_grants, expiry, posts_since, ACCOUNTS};

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRow {
    pub id: i64,
    pub name: String,
    pub username: Option<String>,
    pub platform: Platform,
    pub status: AccountStatus,
    pub status_reason: Option<String>,
    /// Unix seconds; `None` when the token never expires.
    pub token_expires_at: Option<i64>,
    /// Whether the expiry is the Facebook user token's (a Page, or Instagram through one).
    pub through_facebook: bool,
    pub posts_today: i64,
    pub last_used_at: Option<i64>,
}

/// One page of the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountPage {
    pub rows: Vec<AccountRow>,
    /// Accounts in this view, over every page.
    pub total: u64,
}

/// What the attention banner counts, over the whole workspace.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attention {
    /// Every account, in any status (none: the welcome panel).
    pub accounts: u64,
    pub needs_reauth: u64,
    /// Active accounts whose token expires within the refresh window (or already has).
    pub expiring: u64,
}

#[derive(FromQueryResult)]
struct ListRow {
    id: i64,
    name: String,
    username: Option<String>,
    platform: String,
    status: String,
    status_reason: Option<String>,
    parent_account_id: Option<i64>,
    expires_at: Option<i64>,
    posts_today: i64,
    last_used_at: Option<i64>,
    total: i64,
}

/// `%q%` for `LIKE … ESCAPE '\'`, lower-cased as `search_text` is.
fn like_pattern(q: &str) -> String {
    let mut pattern = String::from("%");
    for c in q.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// One page of `workspace_id`'s accounts in `filter`'s view, at `now`, where "expiring soon"
/// means within `window` seconds.
pub async fn list(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    filter: &AccountFilter,
    now: i64,
    window: i64,
) -> Result<AccountPage, DbErr> {
    let backend = db.get_database_backend();
    let mut query = accounts_with_grants();
    query
        .columns(
            [
                "id",
                "name",
                "username",
                "platform",
                "status",
                "status_reason",
                "parent_account_id",
                "last_used_at",
            ]
            .map(|column| (Alias::new(ACCOUNTS), Alias::new(column))),
        )
        .expr_as(expiry(), Alias::new("expires_at"))
        .expr_as(
            posts_since(backend, now.saturating_sub(86_400)),
            Alias::new("posts_today"),
        )
        .expr_as(Expr::cust("COUNT(*) OVER ()"), Alias::new("total"))
        .and_where(sql::col("workspace_id").eq(workspace_id));
    if let Some(status) = filter.status.status() {
        query.and_where(sql::col("status").eq(status.as_str()));
    }
    if filter.status == StatusFilter::Expiring {
        query.and_where(expiry().lte(now.saturating_add(window)));
    }
    let platforms = filter.platform.platforms();
    if !platforms.is_empty() {
        query.and_where(sql::col("platform").is_in(platforms.iter().map(|p| p.as_str())));
    }
    if !filter.q.is_empty() {
        query.and_where(Expr::cust_with_values(
            format!(
                "accounts.search_text LIKE {} ESCAPE '\\'",
                sql::value(backend, 1)
            ),
            [like_pattern(&filter.q)],
        ));
    }
    let order = if filter.sort.descending {
        Order::Desc
    } else {
        Order::Asc
    };
    let name = sql::name_order(backend);
    match filter.sort.key {
        SortKey::Name => {}
        SortKey::Platform => {
            query.order_by_expr(sql::col("platform"), order.clone());
        }
        SortKey::Status => {
            query.order_by_expr(sql::col("status"), order.clone());
        }
        SortKey::Expiry => {
            query.order_by_expr(sql::expiry_order(), order.clone());
        }
        SortKey::LastUsed => {
            query.order_by_expr(
                Expr::cust("COALESCE(accounts.last_used_at, 0)"),
                order.clone(),
            );
        }
    }
    query
        .order_by_expr(name, order.clone())
        .order_by_expr(sql::col("id"), order)
        .limit(PAGE_SIZE)
        .offset(filter.offset());
    let rows = ListRow::find_by_statement(backend.build(&query))
        .all(db)
        .await?;
    let total = rows
        .first()
        .map(|row| u64::try_from(row.total).unwrap_or_default())
        .unwrap_or_default();
    let rows = rows
        .into_iter()
        .filter_map(|row| {
            let platform: Platform = row.platform.parse().ok()?;
            Some(AccountRow {
                id: row.id,
                through_facebook: platform == Platform::FacebookPage
                    || row.parent_account_id.is_some(),
                name: row.name,
                username: row.username,
                platform,
                status: row.status.parse().ok()?,
                status_reason: row.status_reason,
                token_expires_at: row.expires_at,
                posts_today: row.posts_today,
                last_used_at: row.last_used_at,
            })
        })
        .collect();
    Ok(AccountPage { rows, total })
}

#[derive(FromQueryResult)]
struct AttentionRow {
    accounts: i64,
    needs_reauth: Option<i64>,
    expiring: Option<i64>,
}

/// The banner's counts over the whole workspace, in one query.
pub async fn attention(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    now: i64,
    window: i64,
) -> Result<Attention, DbErr> {
    let backend = db.get_database_backend();
    let mut query = accounts_with_grants();
    query
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("accounts"))
        .expr_as(
            Expr::cust_with_values(
                format!(
                    "SUM(CASE WHEN accounts.status = {} THEN 1 ELSE 0 END)",
                    sql::value(backend, 1)
                ),
                [AccountStatus::NeedsReauth.as_str()],
            ),
            Alias::new("needs_reauth"),
        )
        .expr_as(
            Expr::cust_with_values(
                format!(
                    "SUM(CASE WHEN accounts.status = {} AND COALESCE(accounts.token_expires_at, grants.token_expires_at) <= {} THEN 1 ELSE 0 END)",
                    sql::value(backend, 1),
                    sql::value(backend, 2)
                ),
                [
                    sea_orm::Value::from(AccountStatus::Active.as_str()),
                    sea_orm::Value::from(now.saturating_add(window)),
                ],
            ),
            Alias::new("expiring"),
        )
        .and_where(sql::col("workspace_id").eq(workspace_id));
    let row = AttentionRow::find_by_statement(backend.build(&query))
        .one(db)
        .await?;
    let count = |n: Option<i64>| u64::try_from(n.unwrap_or_default()).unwrap_or_default();
    Ok(row
        .map(|row| Attention {
            accounts: count(Some(row.accounts)),
            needs_reauth: count(row.needs_reauth),
            expiring: count(row.expiring),
        })
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_matches_its_text_literally_whatever_it_contains() {
        assert_eq!(like_pattern("Acme"), "%acme%");
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
        assert_eq!(like_pattern("ÉCOLE"), "%école%");
    }
}

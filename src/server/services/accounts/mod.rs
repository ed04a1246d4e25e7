//! The accounts list (`/accounts`): one page of a workspace's accounts for a view
//! (`domain::account_filter`), with the figures each row shows — the token expiry (for Pages
//! and the Instagram accounts linked through them, the grant's user token; for direct accounts
//! their own), posts published in the last 24 hours, last use — and the total, in **one**
//! query; and the attention banner's counts in one more. Nothing is decrypted to list.
//!
//! Both queries behave the same on SQLite and PostgreSQL: search is a substring of the
//! lower-case `search_text` column (`instr`, `strpos`), names sort by that column in byte order
//! (`COLLATE "C"` on PostgreSQL), and missing times sort as numbers (never expiring last, never
//! used first), not by each database's own NULL order.

mod detail;
pub mod diagnostics;
mod sql;

pub use detail::{detail, AccountDetail, LinkedAccount};

use crate::domain::account_filter::{AccountFilter, SortKey, StatusFilter, PAGE_SIZE};
use crate::domain::{AccountStatus, Platform, StatusReason};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, FromQueryResult};
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
    /// Meta's publishing quota for the account, once read (else the configured limit applies).
    pub quota_total: Option<i32>,
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
    /// Whether the workspace has any account, in any status (none: the welcome panel).
    pub any_accounts: bool,
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
    publish_quota_total: Option<i32>,
    total: i64,
}

/// The search as `search_text` holds it: lower-case. It is matched as a plain substring
/// (`instr`, `strpos`), so `%`, `_` and `\\` in it are literal, and a substring search reads
/// each candidate index entry about a third faster than `LIKE … ESCAPE` does on SQLite
/// (README → Benchmarks).
fn needle(q: &str) -> String {
    q.to_lowercase()
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
    // Step one, the page: only ids and the total, which the indexes answer without reading
    // the rows (the grants are joined only when the view filters or sorts by expiry).
    let needs_grants =
        filter.status == StatusFilter::Expiring || filter.sort.key == SortKey::Expiry;
    let mut page = if needs_grants {
        accounts_with_grants()
    } else {
        Query::select().from(Alias::new(ACCOUNTS)).to_owned()
    };
    page.expr_as(sql::col("id"), Alias::new("page_id"))
        .expr_as(Expr::cust("COUNT(*) OVER ()"), Alias::new("total"))
        .and_where(sql::col("workspace_id").eq(workspace_id));
    if let Some(status) = filter.status.status() {
        page.and_where(sql::col("status").eq(status.as_str()));
    }
    if filter.status == StatusFilter::Expiring {
        page.and_where(expiry().lte(now.saturating_add(window)));
    }
    let platforms = filter.platform.platforms();
    if !platforms.is_empty() {
        page.and_where(sql::col("platform").is_in(platforms.iter().map(|p| p.as_str())));
    }
    if !filter.q.is_empty() {
        page.and_where(Expr::cust_with_values(
            sql::contains(backend, 1),
            [needle(&filter.q)],
        ));
    }
    order(&mut page, filter, backend);
    page.limit(PAGE_SIZE).offset(filter.offset());
    // Step two, in the same statement: the fifty rows' columns, expiry and posts of the day.
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
                "publish_quota_total",
            ]
            .map(|column| (Alias::new(ACCOUNTS), Alias::new(column))),
        )
        .expr_as(expiry(), Alias::new("expires_at"))
        .expr_as(
            posts_since(backend, now.saturating_sub(86_400)),
            Alias::new("posts_today"),
        )
        .expr_as(
            Expr::col((Alias::new("page"), Alias::new("total"))),
            Alias::new("total"),
        )
        .join_subquery(
            JoinType::InnerJoin,
            page,
            Alias::new("page"),
            Expr::col((Alias::new("page"), Alias::new("page_id")))
                .equals((Alias::new(ACCOUNTS), Alias::new("id"))),
        );
    order(&mut query, filter, backend);
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
                status_reason: row.status_reason.as_deref().map(StatusReason::label_of),
                token_expires_at: row.expires_at,
                posts_today: row.posts_today,
                last_used_at: row.last_used_at,
                quota_total: row.publish_quota_total,
            })
        })
        .collect();
    Ok(AccountPage { rows, total })
}

#[derive(FromQueryResult)]
struct AttentionRow {
    any_accounts: i64,
    needs_reauth: Option<i64>,
    expiring: Option<i64>,
}

/// Sorts by the view's column, then by name, then by id (so every order is total).
fn order(query: &mut SelectStatement, filter: &AccountFilter, backend: DatabaseBackend) {
    let order = if filter.sort.descending {
        Order::Desc
    } else {
        Order::Asc
    };
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
        .order_by_expr(sql::name_order(backend), order.clone())
        .order_by_expr(sql::col("id"), order);
}

/// The banner's counts over the whole workspace, in one statement answered from indexes alone
/// (no row is read): whether there is any account; those needing reauthorization; Active direct
/// accounts whose own token expires within the window (`accounts_workspace_status_expiry`);
/// and Active accounts of grants whose user token does (`accounts_grant_status_expiry`).
pub async fn attention(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    now: i64,
    window: i64,
) -> Result<Attention, DbErr> {
    let backend = db.get_database_backend();
    let v = |n| sql::value(backend, n);
    let limit = now.saturating_add(window);
    let statement = sea_orm::Statement::from_sql_and_values(
        backend,
        format!(
            "SELECT \
               (SELECT COUNT(*) FROM (SELECT 1 FROM accounts WHERE workspace_id = {w1} LIMIT 1) AS one) AS any_accounts, \
               (SELECT COUNT(*) FROM accounts WHERE workspace_id = {w2} AND status = {s1}) AS needs_reauth, \
               (SELECT COUNT(*) FROM accounts WHERE workspace_id = {w3} AND token_expires_at <= {l1} AND status = {s2}) \
               + (SELECT COUNT(*) FROM grants JOIN accounts ON accounts.grant_id = grants.id \
                  WHERE grants.workspace_id = {w4} AND grants.token_expires_at <= {l2} \
                  AND accounts.token_expires_at IS NULL AND accounts.status = {s3}) AS expiring",
            w1 = v(1), w2 = v(2), s1 = v(3), w3 = v(4), l1 = v(5), s2 = v(6), w4 = v(7), l2 = v(8), s3 = v(9),
        ),
        [
            workspace_id.into(),
            workspace_id.into(),
            AccountStatus::NeedsReauth.as_str().into(),
            workspace_id.into(),
            limit.into(),
            AccountStatus::Active.as_str().into(),
            workspace_id.into(),
            limit.into(),
            AccountStatus::Active.as_str().into(),
        ],
    );
    let row = AttentionRow::find_by_statement(statement).one(db).await?;
    let count = |n: Option<i64>| u64::try_from(n.unwrap_or_default()).unwrap_or_default();
    Ok(row
        .map(|row| Attention {
            any_accounts: row.any_accounts != 0,
            needs_reauth: count(row.needs_reauth),
            expiring: count(row.expiring),
        })
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_is_matched_in_lower_case_whatever_it_contains() {
        assert_eq!(needle("Acme"), "acme");
        assert_eq!(needle("50%_off\\"), "50%_off\\");
        assert_eq!(needle("ÉCOLE"), "école");
    }
}

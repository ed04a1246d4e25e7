//! The pieces the accounts queries share: accounts joined to their grants, the effective token
//! expiry, the posts-in-24-hours count, and sort expressions that order the same on SQLite and
//! PostgreSQL.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query, SelectStatement, SimpleExpr};
use sea_orm::DatabaseBackend;

pub const ACCOUNTS: &str = "accounts";
const GRANTS: &str = "grants";

/// `accounts.{column}`.
pub fn col(column: &str) -> Expr {
    Expr::col((Alias::new(ACCOUNTS), Alias::new(column)))
}

/// `FROM accounts LEFT JOIN grants ON grants.id = accounts.grant_id`.
pub fn accounts_with_grants() -> SelectStatement {
    Query::select()
        .from(Alias::new(ACCOUNTS))
        .join(
            JoinType::LeftJoin,
            Alias::new(GRANTS),
            Expr::col((Alias::new(GRANTS), Alias::new("id")))
                .equals((Alias::new(ACCOUNTS), Alias::new("grant_id"))),
        )
        .to_owned()
}

/// The token expiry a row shows: its own token's (direct accounts), else its grant's user
/// token's (a Page's own token never expires; an Instagram account through a Page has none).
pub fn expiry() -> SimpleExpr {
    Expr::cust("COALESCE(accounts.token_expires_at, grants.token_expires_at)")
}

/// Expiry as a sort key: never expiring after everything else, on every database.
pub fn expiry_order() -> SimpleExpr {
    Expr::cust("COALESCE(accounts.token_expires_at, grants.token_expires_at, 9223372036854775807)")
}

/// The `n`th (1-based) value of a custom expression: sea-query reads `$n` on PostgreSQL and
/// `?` elsewhere.
pub fn value(backend: DatabaseBackend, n: usize) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("${n}"),
        _ => "?".to_owned(),
    }
}

/// `search_text` contains the `n`th value (the lower-case search), on either database.
pub fn contains(backend: DatabaseBackend, n: usize) -> String {
    let value = value(backend, n);
    match backend {
        DatabaseBackend::Postgres => format!("strpos(accounts.search_text, {value}) > 0"),
        _ => format!("instr(accounts.search_text, {value}) > 0"),
    }
}

/// Posts published to the row's account after `since` (one index range per row shown).
pub fn posts_since(backend: DatabaseBackend, since: i64) -> SimpleExpr {
    Expr::cust_with_values(
        format!(
            "(SELECT COUNT(*) FROM posts WHERE posts.account_id = accounts.id AND posts.status = 'published' AND posts.published_at > {})",
            value(backend, 1)
        ),
        [since],
    )
}

/// Names in byte order of their lower-case form, on both databases.
pub fn name_order(backend: DatabaseBackend) -> SimpleExpr {
    match backend {
        DatabaseBackend::Postgres => Expr::cust("accounts.search_text COLLATE \"C\""),
        _ => Expr::cust("accounts.search_text"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_is_a_plain_substring_on_both_databases() {
        assert_eq!(
            contains(DatabaseBackend::Sqlite, 1),
            "instr(accounts.search_text, ?) > 0"
        );
        assert_eq!(
            contains(DatabaseBackend::Postgres, 1),
            "strpos(accounts.search_text, $1) > 0"
        );
    }
}

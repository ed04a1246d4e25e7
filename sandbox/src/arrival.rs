//! What a Meta call finds as it arrives, read in one statement: the sandbox's now (the base
//! clock plus the stored offset) and the failure planned for its path, if any. Every call
//! needs both, and a round trip to the database is most of what a cheap call such as a token
//! refresh costs (README → Benchmarks, `bench sweep`).

use crate::failures::{matches, Failure, FailurePlan};
use crate::settings::CLOCK_KEY;
use crate::Sandbox;
use sea_orm::{DatabaseBackend, DbErr, FromQueryResult, Statement};

/// One row per failure plan with failures left (or one row of NULLs when there is none), each
/// carrying the stored clock offset.
#[derive(FromQueryResult)]
struct ArrivalRow {
    clock_offset: Option<String>,
    id: Option<i64>,
    path_pattern: Option<String>,
    failure: Option<String>,
    remaining: Option<i32>,
}

/// What a call found as it arrived.
pub struct Arrival {
    /// The sandbox's now, in unix seconds.
    pub now: i64,
    /// The failure it was given (already spent), if a plan for its path had one left.
    pub failure: Option<Failure>,
}

fn statement(backend: DatabaseBackend) -> Statement {
    let key = match backend {
        DatabaseBackend::Postgres => "$1",
        _ => "?",
    };
    Statement::from_sql_and_values(
        backend,
        format!(
            "SELECT (SELECT value FROM meta_sandbox_settings WHERE \"key\" = {key}) AS clock_offset, \
               f.id, f.path_pattern, f.failure, f.remaining \
             FROM (SELECT 1 AS one) AS arrival \
             LEFT JOIN meta_sandbox_failures AS f ON f.remaining > 0 \
             ORDER BY f.id"
        ),
        [CLOCK_KEY.into()],
    )
}

impl Sandbox {
    /// The clock and the failure plans for a call to `path`, in one statement; the oldest plan
    /// that matches is then spent with its own conditional update. A stored offset that isn't
    /// usable is read again the long way, which resets it.
    pub async fn arrival(&self, path: &str) -> Result<Arrival, DbErr> {
        let rows = ArrivalRow::find_by_statement(statement(self.db.get_database_backend()))
            .all(&self.db)
            .await?;
        let stored = rows.first().and_then(|row| row.clock_offset.as_deref());
        let offset = match crate::settings::valid_offset(stored) {
            Some(offset) => {
                self.remember_offset(offset);
                offset
            }
            None => self.clock_offset().await?,
        };
        let plans = rows.into_iter().filter_map(|row| {
            FailurePlan::stored(row.id?, row.path_pattern?, &row.failure?, row.remaining?)
        });
        let mut failure = None;
        for plan in plans.filter(|plan| matches(&plan.path, path)) {
            if self.spend_failure(plan.id).await? {
                failure = Some(plan.failure);
                break;
            }
        }
        Ok(Arrival {
            now: self.clock.unix().saturating_add(offset),
            failure,
        })
    }
}

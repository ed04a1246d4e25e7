//! The maintenance sweep (docs/product.md → Keeping tokens alive): every
//! `SWITCHBOARD_REFRESH_INTERVAL` (the first one interval after start) and on `switchboard
//! refresh --once`. Facebook user tokens and Page tokens can't be renewed by a server, so they
//! are checked with `debug_token` (`facebook`); Instagram Login and Threads tokens are renewed
//! inside `SWITCHBOARD_REFRESH_WINDOW` and checked daily outside it (`direct`). A token Meta
//! rejects makes its accounts Needs Reauthorization with the reason Meta gave (`services::reauth`), once;
//! an outage never does: calls are retried with capped backoff, and a circuit breaker defers
//! the rest of the sweep (`calls`).
//!
//! Several sweepers may run at once (instances on PostgreSQL, or `refresh --once` beside the
//! server on SQLite): each row is claimed with a conditional update that also checks it is
//! still as it was read (`claims`), and a renewed token is written only over the ciphertext it
//! replaces, so a disconnect racing a refresh wins.

mod calls;
mod claims;
mod direct;
mod facebook;
mod verdict;

pub use direct::CONCURRENT_CALLS;

use crate::server::state::AppState;
use sea_orm::DbErr;

/// How long a claim holds a row: longer than any call to Meta with its retries.
pub const LEASE_SECONDS: i64 = 300;
/// A Facebook user token is checked at most this often.
pub const GRANT_RECHECK_SECONDS: i64 = 3600;
/// Page tokens, and direct tokens outside the window, are checked at most daily.
pub const PROBE_EVERY_SECONDS: i64 = 86_400;
/// Instagram and Threads refresh only tokens at least this old (docs/meta-api.md §6.3, §7.2).
pub const MIN_REFRESH_AGE_SECONDS: i64 = 86_400;
/// Rows read at a time.
const BATCH: u64 = 500;

/// What a sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub refreshed: u64,
    pub probed: u64,
    pub needs_reauth: u64,
    pub deferred: u64,
}

impl Report {
    /// The counts by action, as `/metrics` labels them.
    pub fn actions(&self) -> [(&'static str, u64); 4] {
        [
            ("refreshed", self.refreshed),
            ("probed", self.probed),
            ("deferred", self.deferred),
            ("needs_reauth", self.needs_reauth),
        ]
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "refreshed {} · probed {} · needs reauthorization {} · deferred {}",
            self.refreshed, self.probed, self.needs_reauth, self.deferred
        )
    }
}

/// One sweep's shared state.
pub(crate) struct Sweep<'a> {
    pub state: &'a AppState,
    pub now: i64,
    pub report: Report,
    pub breaker: calls::Breaker,
}

/// Runs beside the server: a sweep every interval, the first one interval after start.
pub async fn run(state: AppState) {
    loop {
        tokio::time::sleep(state.limits.refresh_interval).await;
        match run_once(&state).await {
            Ok(report) => tracing::info!(%report, "maintenance sweep"),
            Err(err) => {
                tracing::warn!(error = %err, "the maintenance sweep could not read its work")
            }
        }
    }
}

/// One sweep over every token that is due.
pub async fn run_once(state: &AppState) -> Result<Report, DbErr> {
    let mut sweep = Sweep {
        state,
        now: state.clock.unix(),
        report: Report::default(),
        breaker: calls::Breaker::default(),
    };
    let swept = async {
        facebook::sweep(&mut sweep).await?;
        direct::sweep(&mut sweep).await
    }
    .await;
    match swept {
        Ok(()) => state.metrics.sweep_completed(&sweep.report.actions()),
        Err(_) => state.metrics.sweep_failed(),
    }
    swept.map(|()| sweep.report)
}

//! Calls to Meta from the sweep: transient failures (timeouts, 5xx, codes 1/2, answers it
//! can't read) are retried a few times with capped exponential backoff and jitter, then the
//! token is deferred to the next sweep — never marked dead. After several deferrals in a row,
//! or a rate limit (Meta's answer, or the shared backoff refusing the call before it is sent),
//! the circuit breaker opens and the rest of the sweep makes no call. A policy block (368)
//! defers that token without a retry.

use crate::server::meta::MetaError;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// Tries per token: the first call and two retries.
const TRIES: u32 = 3;
const FIRST_DELAY: Duration = Duration::from_millis(200);
const MAX_DELAY: Duration = Duration::from_secs(2);
/// Tokens deferred in a row before the breaker opens.
const OPEN_AFTER: u32 = 5;

/// How a call ended.
pub enum Outcome<T> {
    Done(T),
    /// Meta refused it with this Graph error: an answer about the token.
    Rejected {
        code: i64,
        subcode: Option<i64>,
    },
    /// Meta is failing or limiting us: try again next sweep.
    Deferred,
}

/// Shared by the calls of one sweep, several of which may be in flight at once: when it opens,
/// calls already sent finish, and no new one starts.
#[derive(Debug, Default)]
pub struct Breaker {
    deferred_in_a_row: AtomicU32,
}

impl Breaker {
    pub fn is_open(&self) -> bool {
        self.deferred_in_a_row.load(Ordering::Relaxed) >= OPEN_AFTER
    }

    fn set(&self, deferred_in_a_row: u32) {
        self.deferred_in_a_row
            .store(deferred_in_a_row, Ordering::Relaxed);
    }

    /// Runs `call`, retrying transient failures; answers what came of it.
    pub async fn call<T, F, Fut>(&self, mut call: F) -> Outcome<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, MetaError>>,
    {
        if self.is_open() {
            return Outcome::Deferred;
        }
        let mut delay = FIRST_DELAY;
        for attempt in 1..=TRIES {
            match call().await {
                Ok(value) => {
                    self.set(0);
                    return Outcome::Done(value);
                }
                Err(MetaError::Graph { code, subcode }) => {
                    self.set(0);
                    return Outcome::Rejected { code, subcode };
                }
                Err(MetaError::RateLimited { .. }) => {
                    // Meta asked us to slow down (or the shared backoff is in force): no more
                    // calls this sweep.
                    self.set(OPEN_AFTER);
                    return Outcome::Deferred;
                }
                Err(MetaError::PolicyBlocked { .. }) => {
                    // A policy block says nothing of the token and is not retried.
                    return Outcome::Deferred;
                }
                Err(_) if attempt < TRIES => {
                    let jitter = delay.mul_f64(rand::random::<f64>() * 0.5);
                    tokio::time::sleep(delay + jitter).await;
                    delay = (delay * 2).min(MAX_DELAY);
                }
                Err(_) => {}
            }
        }
        // Said once, by the call that opened it.
        if self.deferred_in_a_row.fetch_add(1, Ordering::Relaxed) + 1 == OPEN_AFTER {
            tracing::warn!("Meta keeps failing: the rest of this sweep is deferred");
        }
        Outcome::Deferred
    }
}

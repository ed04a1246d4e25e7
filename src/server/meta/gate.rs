//! One product client's handle on the shared backoff (docs/meta-api.md §9): which app it
//! speaks for, the threshold (`SWITCHBOARD_META_USAGE_THRESHOLD`), the app clock and the
//! [`Ledger`] where backoffs are kept. Before a call it refuses while a backoff for its app or
//! object is in force — nothing is sent; after an answer it records what the usage headers or
//! a rate-limit code ask for. `MetaHttp` runs every call through it.

use super::backoff::{self, Answer, Ledger, Reason, Scope};
use super::error::MetaError;
use super::usage::Usage;
use crate::domain::Provider;
use crate::server::clock::Clock;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// One product client's handle on the shared backoff.
#[derive(Clone)]
pub struct UsageGate {
    ledger: Arc<dyn Ledger>,
    clock: Arc<dyn Clock>,
    threshold: u32,
    app: Provider,
    admission: Admission,
    /// The latest end of an app-wide backoff this gate, or any gate cloned from it, recorded:
    /// what a [`Admission::Batch`] gate is refused by.
    recorded_until: Arc<AtomicI64>,
}

/// When a gate refuses a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Admission {
    /// While the shared ledger holds a backoff in force: each call reads it.
    Ledger,
    /// Never: work already under way (a connect whose code is being exchanged) still records
    /// backoffs but is not refused by them, so a code spent at Meta is not wasted halfway.
    Admitted,
    /// A batch admitted by one read of the ledger ([`UsageGate::admit_batch`]): its calls are
    /// refused by a backoff this instance records meanwhile, not read again for each call.
    Batch,
}

/// What an answer's status and body said, before its usage headers are weighed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A usable answer (its JSON is read next).
    Usable,
    /// A Graph rate-limit code.
    RateLimitCode(i64),
    /// Any other failure.
    Failed(MetaError),
}

impl UsageGate {
    pub fn new(
        ledger: Arc<dyn Ledger>,
        clock: Arc<dyn Clock>,
        threshold: u8,
        app: Provider,
    ) -> Self {
        Self {
            ledger,
            clock,
            threshold: u32::from(threshold),
            app,
            admission: Admission::Ledger,
            recorded_until: Arc::new(AtomicI64::new(i64::MIN)),
        }
    }

    /// The product whose app this gate speaks for.
    pub fn app(&self) -> Provider {
        self.app
    }

    /// The same gate for work already admitted: it records, it doesn't refuse.
    pub fn admitted(&self) -> Self {
        Self {
            admission: Admission::Admitted,
            ..self.clone()
        }
    }

    /// Admits a batch of calls with one read of the ledger: refused, as [`UsageGate::admit`]
    /// refuses, while a backoff for this app is in force; otherwise a gate whose calls are
    /// refused only by an app-wide backoff this instance records from now on (another
    /// instance's shows at the next batch). The sweep asks for hundreds of refreshes at a
    /// time, and a read per call was half its statements (README → Benchmarks).
    pub async fn admit_batch(&self) -> Result<Self, MetaError> {
        self.admit(None).await?;
        Ok(Self {
            admission: Admission::Batch,
            ..self.clone()
        })
    }

    /// When the backoff in force for this app (or for `object`) ends, if one is. A database
    /// that can't answer counts as no backoff (logged): Meta's own answer is the last word.
    pub async fn until(&self, object: Option<&str>) -> Option<i64> {
        let mut scopes = vec![Scope::App(self.app).key()];
        scopes.extend(object.map(|id| Scope::Object(id.to_owned()).key()));
        match self.ledger.until(&scopes, self.clock.unix()).await {
            Ok(until) => until,
            Err(err) => {
                tracing::warn!(error = %err, "cannot read Meta backoffs; calling anyway");
                None
            }
        }
    }

    /// Before a call: refused with `RateLimited` (and nothing sent) while a backoff is in force.
    pub async fn admit(&self, object: Option<&str>) -> Result<(), MetaError> {
        let until = match self.admission {
            Admission::Admitted => return Ok(()),
            Admission::Batch => Some(self.recorded_until.load(Ordering::Relaxed))
                .filter(|&until| until > self.clock.unix()),
            Admission::Ledger => self.until(object).await,
        };
        match until {
            Some(until) => {
                tracing::info!(
                    app = self.app.as_str(),
                    until,
                    "a call to Meta waits for a backoff"
                );
                Err(MetaError::RateLimited { until: Some(until) })
            }
            None => Ok(()),
        }
    }

    /// After an answer: records the backoffs it asks for and answers the call's outcome. A
    /// usable answer stays usable whatever its usage says (Meta did what was asked); a
    /// rate-limit code fails the call with the time access returns.
    pub async fn observe(
        &self,
        usage: &Usage,
        object: Option<&str>,
        verdict: Verdict,
    ) -> Result<(), MetaError> {
        let now = self.clock.unix();
        let rate_limit_code = match &verdict {
            Verdict::RateLimitCode(code) => Some(*code),
            _ => None,
        };
        let answer = Answer {
            app: self.app,
            object,
            usage,
            rate_limit_code,
        };
        let planned = backoff::plan(&answer, self.threshold, now);
        for backoff in &planned {
            tracing::warn!(
                scope = backoff.scope.key(),
                until = backoff.until,
                reason = backoff.reason.as_str(),
                usage = usage.percent(),
                "Meta asks us to back off"
            );
            if backoff.scope == Scope::App(self.app) {
                self.recorded_until
                    .fetch_max(backoff.until, Ordering::Relaxed);
            }
            if let Err(err) = self.ledger.record(backoff, now).await {
                tracing::error!(error = %err, "cannot record a Meta backoff");
            }
        }
        match verdict {
            Verdict::Usable => Ok(()),
            Verdict::Failed(err) => Err(err),
            Verdict::RateLimitCode(_) => Err(MetaError::RateLimited {
                until: planned
                    .iter()
                    .filter(|b| b.reason == Reason::RateLimitCode)
                    .map(|b| b.until)
                    .max(),
            }),
        }
    }
}

#[cfg(test)]
#[path = "gate_tests.rs"]
mod tests;

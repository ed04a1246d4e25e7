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
use std::sync::Arc;

/// One product client's handle on the shared backoff.
#[derive(Clone)]
pub struct UsageGate {
    ledger: Arc<dyn Ledger>,
    clock: Arc<dyn Clock>,
    threshold: u32,
    app: Provider,
    /// `false` for work already under way (a connect whose code is being exchanged): its calls
    /// still record backoffs but are not refused by them, so a code spent at Meta is not
    /// wasted halfway.
    enforce: bool,
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
            enforce: true,
        }
    }

    /// The product whose app this gate speaks for.
    pub fn app(&self) -> Provider {
        self.app
    }

    /// The same gate for work already admitted: it records, it doesn't refuse.
    pub fn admitted(&self) -> Self {
        Self {
            enforce: false,
            ..self.clone()
        }
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
        if !self.enforce {
            return Ok(());
        }
        match self.until(object).await {
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
mod tests {
    use super::*;
    use crate::server::clock::OffsetClock;
    use crate::server::meta::backoff::Backoff;
    use async_trait::async_trait;
    use sea_orm::DbErr;
    use std::sync::Mutex;

    /// Backoffs kept in memory, extended like the database's.
    #[derive(Default)]
    struct Memory(Mutex<Vec<Backoff>>);

    #[async_trait]
    impl Ledger for Memory {
        async fn until(&self, scopes: &[String], now: i64) -> Result<Option<i64>, DbErr> {
            let kept = self
                .0
                .lock()
                .map_err(|_| DbErr::Custom("poisoned".into()))?;
            Ok(kept
                .iter()
                .filter(|b| scopes.contains(&b.scope.key()) && b.until > now)
                .map(|b| b.until)
                .max())
        }

        async fn record(&self, backoff: &Backoff, _now: i64) -> Result<(), DbErr> {
            let mut kept = self
                .0
                .lock()
                .map_err(|_| DbErr::Custom("poisoned".into()))?;
            kept.push(backoff.clone());
            Ok(())
        }
    }

    fn gate() -> (UsageGate, Arc<Memory>, i64) {
        let memory = Arc::new(Memory::default());
        let clock = Arc::new(OffsetClock::default());
        let now = clock.unix();
        let gate = UsageGate::new(memory.clone(), clock, 90, Provider::Facebook);
        (gate, memory, now)
    }

    fn kept(memory: &Memory) -> Vec<(String, Reason)> {
        let kept = memory.0.lock().map(|k| k.clone()).unwrap_or_default();
        kept.into_iter()
            .map(|b| (b.scope.key(), b.reason))
            .collect()
    }

    #[tokio::test]
    async fn a_successful_answer_at_the_threshold_is_kept_and_backs_off_later_calls() {
        let (gate, memory, now) = gate();
        let usage = Usage {
            app: 95,
            ..Usage::default()
        };
        assert_eq!(gate.observe(&usage, None, Verdict::Usable).await, Ok(()));
        assert_eq!(kept(&memory), [("app:facebook".to_owned(), Reason::Usage)]);
        let until = gate.until(None).await.unwrap_or_default();
        assert!(
            (until - now - 300).abs() <= 1,
            "five minutes: {}",
            until - now
        );
        assert_eq!(
            gate.admit(None).await,
            Err(MetaError::RateLimited { until: Some(until) })
        );
        assert_eq!(
            gate.admitted().admit(None).await,
            Ok(()),
            "work under way goes on"
        );
    }

    #[tokio::test]
    async fn a_rate_limit_code_fails_the_call_with_when_access_returns() {
        let (gate, memory, now) = gate();
        let usage = Usage {
            regain_minutes: Some(7),
            ..Usage::default()
        };
        let outcome = gate.observe(&usage, None, Verdict::RateLimitCode(4)).await;
        let until = outcome
            .err()
            .and_then(|e| e.deferred_until())
            .unwrap_or_default();
        assert!(
            (until - now - 420).abs() <= 1,
            "seven minutes: {}",
            until - now
        );
        assert_eq!(
            kept(&memory),
            [("app:facebook".to_owned(), Reason::RateLimitCode)]
        );
    }

    #[tokio::test]
    async fn a_policy_block_fails_the_call_and_backs_nothing_off() {
        let (gate, memory, _) = gate();
        let blocked = MetaError::PolicyBlocked {
            subcode: Some(1390008),
        };
        let outcome = gate
            .observe(&Usage::default(), None, Verdict::Failed(blocked.clone()))
            .await;
        assert_eq!(outcome, Err(blocked));
        assert!(kept(&memory).is_empty());
        assert_eq!(gate.admit(None).await, Ok(()));
    }

    #[tokio::test]
    async fn an_object_backoff_holds_calls_naming_that_object_only() {
        let (gate, memory, now) = gate();
        let object = Backoff {
            scope: Scope::Object("1111".into()),
            until: now + 600,
            reason: Reason::Usage,
        };
        memory.record(&object, now).await.ok();
        assert!(gate.admit(Some("1111")).await.is_err());
        assert_eq!(gate.admit(Some("2222")).await, Ok(()));
        assert_eq!(gate.admit(None).await, Ok(()));
    }
}

//! The gate's unit tests, over a ledger kept in memory.

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

#[tokio::test]
async fn a_batch_is_refused_while_a_backoff_is_in_force_and_admitted_without_one() {
    let (gate, memory, now) = gate();
    assert!(gate.admit_batch().await.is_ok());
    let app = Backoff {
        scope: Scope::App(Provider::Facebook),
        until: now + 600,
        reason: Reason::Usage,
    };
    memory.record(&app, now).await.ok();
    assert_eq!(
        gate.admit_batch().await.err(),
        Some(MetaError::RateLimited {
            until: Some(now + 600)
        })
    );
}

#[tokio::test]
async fn a_batch_is_stopped_by_a_backoff_its_own_calls_record_and_not_by_reading_again() {
    let (gate, memory, now) = gate();
    let batch = gate.admit_batch().await.unwrap();
    // Another instance's backoff, recorded after the batch was admitted, shows next batch.
    let elsewhere = Backoff {
        scope: Scope::App(Provider::Facebook),
        until: now + 60,
        reason: Reason::Usage,
    };
    memory.record(&elsewhere, now).await.ok();
    assert_eq!(batch.admit(None).await, Ok(()));
    // One of its own answers at the threshold stops the rest at once.
    let usage = Usage {
        app: 95,
        ..Usage::default()
    };
    assert_eq!(batch.observe(&usage, None, Verdict::Usable).await, Ok(()));
    assert!(matches!(
        batch.admit(None).await,
        Err(MetaError::RateLimited { until: Some(until) }) if until >= now + 300
    ));
    assert!(gate.admit_batch().await.is_err());
}

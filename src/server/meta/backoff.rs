//! Meta's backoffs (docs/meta-api.md §9): what must wait ([`Scope`]: a product's app or a
//! business object), until when and why; what one answer asks for ([`plan`]: at the threshold,
//! or on a rate-limit code, calls wait [`MIN_BACKOFF_SECONDS`] or Meta's
//! `estimated_time_to_regain_access`, whichever is longer); and the [`Ledger`] that keeps them.
//! The ledger is the database, so every instance backs off together; `services::meta_backoff`
//! implements it (`meta` knows nothing of services). Clients apply all this through
//! `gate::UsageGate`.

use super::error::BUSINESS_USE_CASE_CODES;
use super::usage::{ObjectUsage, Usage};
use crate::domain::Provider;
use async_trait::async_trait;
use sea_orm::DbErr;

/// The shortest backoff: five minutes (docs/product.md → Limits).
pub const MIN_BACKOFF_SECONDS: i64 = 5 * 60;

/// What must wait: a product's app, or one business object (a Page, an Instagram account).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    App(Provider),
    Object(String),
}

impl Scope {
    /// The key it is stored under: `app:facebook`, `object:1111`.
    pub fn key(&self) -> String {
        match self {
            Scope::App(provider) => format!("app:{}", provider.as_str()),
            Scope::Object(id) => format!("object:{id}"),
        }
    }
}

/// Why calls wait. Ordered: a code Meta answered outranks a usage figure for the same time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// A usage header at or above the threshold.
    Usage,
    /// Meta refused a call with a rate-limit code.
    RateLimitCode,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Usage => "usage",
            Reason::RateLimitCode => "rate_limit_code",
        }
    }
}

/// Calls for `scope` wait until `until` (unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    pub scope: Scope,
    pub until: i64,
    pub reason: Reason,
}

/// Where backoffs are kept.
#[async_trait]
pub trait Ledger: Send + Sync {
    /// The latest `until` after `now` among the scopes keyed `scopes`.
    async fn until(&self, scopes: &[String], now: i64) -> Result<Option<i64>, DbErr>;
    /// Records `backoff`, only ever extending what is kept for its scope.
    async fn record(&self, backoff: &Backoff, now: i64) -> Result<(), DbErr>;
}

/// When a backoff taken at `now` ends: five minutes, or `regain_minutes` if longer.
pub fn hold(now: i64, regain_minutes: Option<u32>) -> i64 {
    let regain = i64::from(regain_minutes.unwrap_or_default()).saturating_mul(60);
    now.saturating_add(regain.max(MIN_BACKOFF_SECONDS))
}

/// What one answer asks of later calls.
pub struct Answer<'a> {
    /// The product whose app made the call.
    pub app: Provider,
    /// The object the call named (a Page id in its path), if any.
    pub object: Option<&'a str>,
    pub usage: &'a Usage,
    /// The Graph rate-limit code the answer carried, if it was one.
    pub rate_limit_code: Option<i64>,
}

/// The backoffs an answer asks for, one per scope (the longest wins):
/// - `X-App-Usage` at the threshold: the app;
/// - `X-Page-Usage` at the threshold: the object the call named, else the app;
/// - each business object at the threshold: that object;
/// - a rate-limit code: the app — except the business-use-case codes (80001, 80002), which
///   name objects: the objects of the header at the threshold (all of them if none is) and the
///   object the call named, or the app when there is none.
pub fn plan(answer: &Answer<'_>, threshold: u32, now: i64) -> Vec<Backoff> {
    let usage = answer.usage;
    let mut wanted: Vec<Backoff> = Vec::new();
    let mut want = |scope: Scope, regain: Option<u32>, reason: Reason| {
        let until = hold(now, regain);
        match wanted.iter_mut().find(|b| b.scope == scope) {
            Some(known) => {
                if until > known.until || (until == known.until && reason > known.reason) {
                    known.until = until;
                    known.reason = reason;
                }
            }
            None => wanted.push(Backoff {
                scope,
                until,
                reason,
            }),
        }
    };
    let named = answer.object.map(|id| Scope::Object(id.to_owned()));
    if usage.app >= threshold {
        want(Scope::App(answer.app), usage.regain_minutes, Reason::Usage);
    }
    if usage.page >= threshold {
        let scope = named.clone().unwrap_or(Scope::App(answer.app));
        want(scope, usage.regain_minutes, Reason::Usage);
    }
    let crowded: Vec<&ObjectUsage> = usage
        .objects
        .iter()
        .filter(|o| o.percent >= threshold)
        .collect();
    for object in &crowded {
        let scope = Scope::Object(object.id.clone());
        want(scope, object.regain_minutes, Reason::Usage);
    }
    if let Some(code) = answer.rate_limit_code {
        let mut scopes: Vec<(Scope, Option<u32>)> = Vec::new();
        if BUSINESS_USE_CASE_CODES.contains(&code) {
            let objects: Vec<&ObjectUsage> = match crowded.is_empty() {
                true => usage.objects.iter().collect(),
                false => crowded,
            };
            scopes.extend(
                objects
                    .into_iter()
                    .map(|o| (Scope::Object(o.id.clone()), o.regain_minutes)),
            );
            if let Some(named) = named {
                scopes.push((named, usage.regain_minutes));
            }
        }
        if scopes.is_empty() {
            scopes.push((Scope::App(answer.app), usage.regain_minutes));
        }
        for (scope, regain) in scopes {
            want(
                scope,
                regain.max(usage.regain_minutes),
                Reason::RateLimitCode,
            );
        }
    }
    wanted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer<'a>(usage: &'a Usage, code: Option<i64>, object: Option<&'a str>) -> Answer<'a> {
        Answer {
            app: Provider::Facebook,
            object,
            usage,
            rate_limit_code: code,
        }
    }

    #[test]
    fn usage_at_the_threshold_backs_off_the_app_and_each_crowded_object() {
        let usage = Usage {
            app: 95,
            page: 10,
            objects: vec![
                ObjectUsage {
                    id: "1111".into(),
                    percent: 91,
                    regain_minutes: Some(12),
                },
                ObjectUsage {
                    id: "2222".into(),
                    percent: 30,
                    regain_minutes: None,
                },
            ],
            regain_minutes: Some(12),
        };
        let planned = plan(&answer(&usage, None, None), 90, 1000);
        assert_eq!(
            planned,
            [
                Backoff {
                    scope: Scope::App(Provider::Facebook),
                    until: 1000 + 720,
                    reason: Reason::Usage
                },
                Backoff {
                    scope: Scope::Object("1111".into()),
                    until: 1000 + 720,
                    reason: Reason::Usage
                },
            ]
        );
        let calm = Usage {
            app: 89,
            ..Usage::default()
        };
        assert!(plan(&answer(&calm, None, None), 90, 1000).is_empty());
    }

    #[test]
    fn a_rate_limit_code_holds_five_minutes_or_the_regain_time_if_longer() {
        let quiet = Usage::default();
        assert_eq!(
            plan(&answer(&quiet, Some(4), None), 90, 0),
            [Backoff {
                scope: Scope::App(Provider::Facebook),
                until: MIN_BACKOFF_SECONDS,
                reason: Reason::RateLimitCode
            }]
        );
        let seven = Usage {
            regain_minutes: Some(7),
            ..Usage::default()
        };
        assert_eq!(plan(&answer(&seven, Some(17), None), 90, 0)[0].until, 420);
    }

    #[test]
    fn a_business_use_case_code_backs_off_the_objects_it_names() {
        let usage = Usage {
            objects: vec![ObjectUsage {
                id: "1111".into(),
                percent: 100,
                regain_minutes: Some(9),
            }],
            regain_minutes: Some(9),
            ..Usage::default()
        };
        let planned = plan(&answer(&usage, Some(80001), Some("2222")), 90, 0);
        let scopes: Vec<String> = planned.iter().map(|b| b.scope.key()).collect();
        assert_eq!(scopes, ["object:1111", "object:2222"]);
        assert!(planned.iter().all(|b| b.until == 540));
        let none = Usage::default();
        let planned = plan(&answer(&none, Some(80002), None), 90, 0);
        assert_eq!(planned[0].scope, Scope::App(Provider::Facebook));
    }

    #[test]
    fn page_usage_backs_off_the_page_the_call_named() {
        let usage = Usage {
            page: 92,
            ..Usage::default()
        };
        let planned = plan(&answer(&usage, None, Some("1111")), 90, 0);
        assert_eq!(planned[0].scope, Scope::Object("1111".into()));
        let planned = plan(&answer(&usage, None, None), 90, 0);
        assert_eq!(planned[0].scope, Scope::App(Provider::Facebook));
    }
}

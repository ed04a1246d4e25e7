//! What `/metrics` reports (docs/operations.md → "Metrics"), in Prometheus' text format by the
//! `prometheus-client` crate. Counters and histograms live here and are moved where things
//! happen — the HTTP layer, every call to Meta, the maintenance sweep; the figures that are
//! facts about the database (accounts by status, revocations pending, backoffs in force) are
//! read when scraped ([`scrape`]), so every instance reports the same truth.
//!
//! Each instance has its own registry (no global), so tests running many apps in one process
//! see only their own app's counters. No label ever carries an id, a token or a query string:
//! routes are axum's matched patterns and Meta endpoints have their ids replaced.

pub mod labels;
pub mod scrape;

use labels::{HttpLabels, MetaLabels, ReasonLabels, SweepLabels, TokenLabels};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::time::Duration;

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

/// Latency buckets from 0.5 ms to about 8 s, doubling.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.0005, 2.0, 15))
}

/// The instance's counters. Cheap to clone: the counters are shared.
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

struct Inner {
    registry: Registry,
    http_requests: Family<HttpLabels, Counter>,
    http_seconds: Histograms<HttpLabels>,
    meta_calls: Family<MetaLabels, Counter>,
    meta_seconds: Histograms<MetaLabels>,
    sweeps: Family<SweepLabels, Counter>,
    tokens: Family<TokenLabels, Counter>,
    token_failures: Family<ReasonLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("switchboard");
        let http_requests = Family::<HttpLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route pattern and status",
            http_requests.clone(),
        );
        let http_seconds: Histograms<HttpLabels> =
            Family::new_with_constructor(latency_histogram as fn() -> Histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by method, route pattern and status",
            http_seconds.clone(),
        );
        let meta_calls = Family::<MetaLabels, Counter>::default();
        registry.register(
            "meta_calls",
            "Calls to Meta, by endpoint (ids replaced) and outcome",
            meta_calls.clone(),
        );
        let meta_seconds: Histograms<MetaLabels> =
            Family::new_with_constructor(latency_histogram as fn() -> Histogram);
        registry.register(
            "meta_call_duration_seconds",
            "Time a call to Meta took, by endpoint and outcome",
            meta_seconds.clone(),
        );
        let sweeps = Family::<SweepLabels, Counter>::default();
        registry.register(
            "sweeps",
            "Maintenance sweeps run, by outcome (completed, failed)",
            sweeps.clone(),
        );
        let tokens = Family::<TokenLabels, Counter>::default();
        registry.register(
            "tokens",
            "Tokens the sweep handled, by action (refreshed, probed, deferred, needs_reauth)",
            tokens.clone(),
        );
        let token_failures = Family::<ReasonLabels, Counter>::default();
        registry.register(
            "token_failures",
            "Accounts the sweep found needing reauthorization, by reason",
            token_failures.clone(),
        );
        Self {
            inner: Arc::new(Inner {
                registry,
                http_requests,
                http_seconds,
                meta_calls,
                meta_seconds,
                sweeps,
                tokens,
                token_failures,
            }),
        }
    }

    /// One HTTP request answered.
    pub fn http_request(&self, labels: HttpLabels, elapsed: Duration) {
        self.inner.http_requests.get_or_create(&labels).inc();
        self.inner
            .http_seconds
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
    }

    /// One call to Meta finished (or was refused by a backoff before it was sent).
    pub fn meta_call(&self, labels: MetaLabels, elapsed: Duration) {
        self.inner.meta_calls.get_or_create(&labels).inc();
        self.inner
            .meta_seconds
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
    }

    /// A sweep completed, handling this many tokens by action (`refreshed`, `probed`, …).
    pub fn sweep_completed(&self, actions: &[(&'static str, u64)]) {
        self.inner
            .sweeps
            .get_or_create(&SweepLabels {
                outcome: "completed",
            })
            .inc();
        for &(action, count) in actions {
            self.inner
                .tokens
                .get_or_create(&TokenLabels { action })
                .inc_by(count);
        }
    }

    /// A sweep failed reading its work.
    pub fn sweep_failed(&self) {
        self.inner
            .sweeps
            .get_or_create(&SweepLabels { outcome: "failed" })
            .inc();
    }

    /// The sweep marked `count` accounts as needing reauthorization for `reason`.
    pub fn token_failures(&self, reason: &'static str, count: u64) {
        self.inner
            .token_failures
            .get_or_create(&ReasonLabels { reason })
            .inc_by(count);
    }

    /// The counters in Prometheus' text format.
    pub(crate) fn encode_counters(&self, out: &mut String) -> std::fmt::Result {
        prometheus_client::encoding::prometheus_text::encode(out, &self.inner.registry)
    }
}

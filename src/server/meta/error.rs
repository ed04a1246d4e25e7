//! How a call to Meta can fail, classified the way the product reacts (docs/product.md → Connect
//! errors): unreachable, unavailable, limiting us (or a backoff in force, so the call was never
//! sent), blocking us for policy, refusing with a Graph error, or answering something we can't
//! use. Meta's own words are kept for the log, never shown to users.

use crate::domain::Provider;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetaError {
    /// Meta could not be reached: no connection, so nothing was sent.
    Network,
    /// The request went out but no whole answer came back (a timeout, a connection broken
    /// mid-answer): whether Meta acted is unknown. Reads treat it like [`MetaError::Network`];
    /// a publish is never repeated after it.
    Unanswered,
    /// HTTP 5xx, or Graph error codes 1 and 2.
    Unavailable,
    /// A rate-limit code, or a backoff in force for the call's app or object (then nothing was
    /// sent). `until`: when calls may go again, unix seconds (docs/meta-api.md §9).
    RateLimited { until: Option<i64> },
    /// Code 368, "temporarily blocked for policy violations": not a rate limit. Meta lifts it
    /// after hours, so it is neither retried nor turned into a backoff.
    PolicyBlocked { subcode: Option<i64> },
    /// Any other Graph error.
    Graph { code: i64, subcode: Option<i64> },
    /// HTML, truncated or unexpected JSON, missing fields, an oversized body.
    Malformed,
}

/// Graph rate-limit codes (docs/meta-api.md §8).
pub const RATE_LIMIT_CODES: [i64; 7] = [4, 17, 32, 341, 613, 80001, 80002];
/// The business-use-case limits among them: they name objects (a Page, an Instagram account).
pub const BUSINESS_USE_CASE_CODES: [i64; 2] = [80001, 80002];
/// "Temporarily blocked for policy violations" (§8).
pub const POLICY_BLOCK_CODE: i64 = 368;

impl MetaError {
    /// The classification of a Graph error body's code.
    pub fn from_graph_code(code: i64, subcode: Option<i64>) -> Self {
        match code {
            1 | 2 => MetaError::Unavailable,
            c if RATE_LIMIT_CODES.contains(&c) => MetaError::RateLimited { until: None },
            POLICY_BLOCK_CODE => MetaError::PolicyBlocked { subcode },
            _ => MetaError::Graph { code, subcode },
        }
    }

    /// When a call refused for Meta's limits may be tried again (unix seconds); `None` for
    /// every other failure. Background work defers to this time instead of retrying sooner.
    pub fn deferred_until(&self) -> Option<i64> {
        match self {
            MetaError::RateLimited { until } => *until,
            _ => None,
        }
    }

    /// The failure's kind as a stable, bounded word (the `outcome` label of `/metrics`).
    pub fn kind(&self) -> &'static str {
        match self {
            MetaError::Network => "network",
            MetaError::Unanswered => "unanswered",
            MetaError::Unavailable => "unavailable",
            MetaError::RateLimited { .. } => "rate_limited",
            MetaError::PolicyBlocked { .. } => "policy_blocked",
            MetaError::Graph { .. } => "graph_error",
            MetaError::Malformed => "malformed",
        }
    }

    /// What the user is told.
    pub fn to_app_error(&self, provider: Provider) -> AppError {
        match self {
            MetaError::Network | MetaError::Unanswered => AppError::NetworkError { provider },
            MetaError::Unavailable => AppError::ProviderUnavailable { provider },
            MetaError::RateLimited { .. } => AppError::RateLimited { provider },
            MetaError::PolicyBlocked { .. } => AppError::PolicyBlocked,
            MetaError::Graph { .. } | MetaError::Malformed => AppError::ProviderError { provider },
        }
    }
}

impl std::fmt::Display for MetaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MetaError::Network => f.write_str("Meta could not be reached"),
            MetaError::Unanswered => f.write_str("Meta did not answer"),
            MetaError::Unavailable => f.write_str("Meta is unavailable"),
            MetaError::RateLimited { until: Some(until) } => {
                write!(f, "Meta is rate limiting (calls wait until {until})")
            }
            MetaError::RateLimited { until: None } => f.write_str("Meta is rate limiting"),
            MetaError::PolicyBlocked { subcode } => {
                write!(
                    f,
                    "Meta blocked the call for policy (368/{})",
                    subcode.unwrap_or_default()
                )
            }
            MetaError::Graph { code, subcode } => {
                write!(f, "Graph error {code}/{}", subcode.unwrap_or_default())
            }
            MetaError::Malformed => f.write_str("Meta's answer was malformed"),
        }
    }
}

impl std::error::Error for MetaError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_codes_are_classified_as_the_product_reacts() {
        assert_eq!(MetaError::from_graph_code(2, None), MetaError::Unavailable);
        assert_eq!(MetaError::from_graph_code(1, None), MetaError::Unavailable);
        assert!(matches!(
            MetaError::from_graph_code(80001, None),
            MetaError::RateLimited { .. }
        ));
        assert_eq!(
            MetaError::from_graph_code(190, Some(460)),
            MetaError::Graph {
                code: 190,
                subcode: Some(460)
            }
        );
        assert_eq!(
            MetaError::from_graph_code(368, Some(1390008)),
            MetaError::PolicyBlocked {
                subcode: Some(1390008)
            }
        );
        assert_eq!(
            MetaError::from_graph_code(368, None)
                .to_app_error(Provider::Facebook)
                .code(),
            "policy_blocked"
        );
        assert_eq!(
            MetaError::Network.to_app_error(Provider::Facebook).code(),
            "network_error"
        );
    }
}

//! How a call to Meta can fail, classified the way the product reacts (docs/product.md → Connect
//! errors): unreachable, unavailable, limiting us, refusing with a Graph error, or answering
//! something we can't use. Meta's own words are kept for the log, never shown to users.

use crate::domain::Provider;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetaError {
    /// Timeout, connection refused, or the connection broke mid-answer.
    Network,
    /// HTTP 5xx, or Graph error codes 1 and 2.
    Unavailable,
    /// A rate-limit code, or usage headers at or above the threshold.
    RateLimited { regain_minutes: Option<u32> },
    /// Any other Graph error.
    Graph { code: i64, subcode: Option<i64> },
    /// HTML, truncated or unexpected JSON, missing fields, an oversized body.
    Malformed,
}

/// Graph rate-limit codes (docs/meta-api.md §8).
pub const RATE_LIMIT_CODES: [i64; 7] = [4, 17, 32, 341, 613, 80001, 80002];

impl MetaError {
    /// The classification of a Graph error body's code.
    pub fn from_graph_code(code: i64, subcode: Option<i64>) -> Self {
        match code {
            1 | 2 => MetaError::Unavailable,
            c if RATE_LIMIT_CODES.contains(&c) => MetaError::RateLimited {
                regain_minutes: None,
            },
            _ => MetaError::Graph { code, subcode },
        }
    }

    /// What the user is told.
    pub fn to_app_error(&self, provider: Provider) -> AppError {
        match self {
            MetaError::Network => AppError::NetworkError { provider },
            MetaError::Unavailable => AppError::ProviderUnavailable { provider },
            MetaError::RateLimited { .. } => AppError::RateLimited { provider },
            MetaError::Graph { .. } | MetaError::Malformed => AppError::ProviderError { provider },
        }
    }
}

impl std::fmt::Display for MetaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MetaError::Network => f.write_str("Meta could not be reached"),
            MetaError::Unavailable => f.write_str("Meta is unavailable"),
            MetaError::RateLimited { regain_minutes } => {
                write!(
                    f,
                    "Meta is rate limiting (regain in {regain_minutes:?} minutes)"
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
            MetaError::from_graph_code(368, None).to_app_error(Provider::Facebook),
            AppError::ProviderError {
                provider: Provider::Facebook
            }
        );
        assert_eq!(
            MetaError::Network.to_app_error(Provider::Facebook).code(),
            "network_error"
        );
    }
}

//! What a person is told after Publish or Re-queue: one sentence per account, in the words of
//! docs/product.md (the limit message names the account and the next free slot, in their time
//! zone).

use crate::app::format::clock_time;
use crate::domain::{PostFailure, Provider};
use crate::error::AppError;

/// One account's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountResult {
    pub name: String,
    pub told: Told,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Told {
    Published,
    Queued {
        until: i64,
        processing: bool,
    },
    Failed(PostFailure),
    OverLimit {
        provider: Provider,
        limit: u32,
        next_slot: i64,
    },
    AlreadySubmitted,
    AlreadyRequeued,
    NotActive,
}

impl AccountResult {
    /// Whether anything was stored or published for this account.
    pub fn stored(&self) -> bool {
        matches!(
            self.told,
            Told::Published | Told::Queued { .. } | Told::Failed(_)
        )
    }

    pub fn sentence(&self, zone: &str) -> String {
        let name = &self.name;
        match &self.told {
            Told::Published => format!("Published to {name}."),
            Told::Queued {
                processing: true, ..
            } => format!("Queued for {name}: Meta is still processing the image."),
            Told::Queued { until, .. } => format!(
                "Queued for {name}: Meta rate limit reached — retrying after {}.",
                clock_time(*until, zone)
            ),
            Told::Failed(failure) => format!("Failed for {name}: {}.", failure.label()),
            Told::OverLimit {
                provider,
                limit,
                next_slot,
            } => AppError::limit_message(name, *provider, *limit, &clock_time(*next_slot, zone)),
            Told::AlreadySubmitted => {
                format!("Already submitted to {name}: nothing was posted again.")
            }
            Told::AlreadyRequeued => format!("That post to {name} was already re-queued."),
            Told::NotActive => format!("{name} is no longer Active: nothing was posted."),
        }
    }
}

/// The whole message: the accounts' sentences, in order.
pub fn message(results: &[AccountResult], zone: &str) -> String {
    results
        .iter()
        .map(|r| r.sentence(zone))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_sentence_is_the_products_wording() {
        let over = AccountResult {
            name: "acmebakery".into(),
            told: Told::OverLimit {
                provider: Provider::Instagram,
                limit: 25,
                next_slot: 1_800_000_000,
            },
        };
        assert_eq!(
            over.sentence("UTC"),
            "acmebakery has reached Instagram's limit of 25 posts in 24 hours. Next slot at 08:00 (UTC)."
        );
        let threads = AccountResult {
            name: "acme.threads".into(),
            told: Told::OverLimit {
                provider: Provider::Threads,
                limit: 250,
                next_slot: 1_800_000_000,
            },
        };
        assert!(threads
            .sentence("UTC")
            .starts_with("acme.threads has reached Threads' limit of 250 posts in 24 hours."));
        assert!(!over.stored());
    }
}

//! A post's status and, when it failed, why (docs/product.md → Publishing). The stored forms are
//! stable codes; the labels are the sentences the posts list shows. Meta's publishing errors
//! (docs/meta-api.md §8) map here, so the same error reads the same everywhere.

use super::{Provider, StatusReason};
use std::str::FromStr;

/// Where a post is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostStatus {
    /// Waiting: for the shared backoff to end, for Meta to finish a media container, or for a
    /// retry after Meta could not be reached. Nothing has been published.
    Queued,
    /// The final publish call is being sent. A post left here (its publisher stopped) is never
    /// sent again by itself: its outcome is unknown.
    Publishing,
    Published,
    Failed,
}

impl PostStatus {
    pub const ALL: [PostStatus; 4] = [
        PostStatus::Queued,
        PostStatus::Publishing,
        PostStatus::Published,
        PostStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PostStatus::Queued => "queued",
            PostStatus::Publishing => "publishing",
            PostStatus::Published => "published",
            PostStatus::Failed => "failed",
        }
    }

    /// The status column's word: a post being sent is still **Queued** to the person.
    pub fn label(self) -> &'static str {
        match self {
            PostStatus::Queued | PostStatus::Publishing => "Queued",
            PostStatus::Published => "Published",
            PostStatus::Failed => "Failed",
        }
    }
}

impl FromStr for PostStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|p| p.as_str() == s).ok_or(())
    }
}

/// Why a post failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostFailure {
    /// Meta rejected the account's token: the account is Needs Reauthorization for this reason.
    Account(StatusReason),
    /// The publish call was sent and no answer came: it may or may not have been published.
    OutcomeUnknown,
    /// Meta says the account's publishing limit is used up (2207042).
    LimitReached,
    /// Meta could not process the image (a media container in ERROR or EXPIRED, 2207020, …).
    MediaFailed,
    /// Meta refused the content (duplicate, spam, policy).
    ContentRejected,
    /// The account is restricted from publishing (2207050, 4279013, 1404078, 4854002).
    AccountRestricted,
    /// Meta blocked the action for policy (368).
    PolicyBlocked,
    /// Meta kept failing (unreachable, errors, unreadable answers) before anything was sent.
    MetaUnavailable,
    /// The account was no longer Active when the post's turn came.
    AccountInactive,
    /// Any other Graph error.
    MetaError,
}

impl PostFailure {
    /// The stored form (`posts.failure`): an account reason's own code, or one of these.
    pub fn as_str(self) -> &'static str {
        match self {
            PostFailure::Account(reason) => reason.as_str(),
            PostFailure::OutcomeUnknown => "outcome_unknown",
            PostFailure::LimitReached => "limit_reached",
            PostFailure::MediaFailed => "media_failed",
            PostFailure::ContentRejected => "content_rejected",
            PostFailure::AccountRestricted => "account_restricted",
            PostFailure::PolicyBlocked => "policy_blocked",
            PostFailure::MetaUnavailable => "meta_unavailable",
            PostFailure::AccountInactive => "account_inactive",
            PostFailure::MetaError => "meta_error",
        }
    }

    /// What the posts list says.
    pub fn label(self) -> &'static str {
        match self {
            PostFailure::Account(reason) => reason.label(),
            PostFailure::OutcomeUnknown => "Outcome unknown — check the account before re-queueing",
            PostFailure::LimitReached => "Meta's publishing limit for this account is reached",
            PostFailure::MediaFailed => "Meta couldn't process the image",
            PostFailure::ContentRejected => {
                "Meta refused the content (duplicate or against its rules)"
            }
            PostFailure::AccountRestricted => "The account is restricted from publishing at Meta",
            PostFailure::PolicyBlocked => {
                "Meta has temporarily blocked this action for policy reasons"
            }
            PostFailure::MetaUnavailable => "Meta couldn't be reached — nothing was published",
            PostFailure::AccountInactive => "The account needed reauthorization when its turn came",
            PostFailure::MetaError => "Meta refused the post",
        }
    }

    /// The failure a Graph error on a publishing call means, and whether it is about the
    /// account's token (then the account needs reauthorization too).
    pub fn from_meta(code: i64, subcode: Option<i64>, provider: Provider) -> Self {
        match (code, subcode) {
            (_, Some(2207042)) => PostFailure::LimitReached,
            (_, Some(2207020 | 2207026 | 2207052 | 2207009 | 1366046 | 1609005)) | (36003, _) => {
                PostFailure::MediaFailed
            }
            (_, Some(2207050 | 2207051 | 4279013 | 1404078 | 4854002)) => {
                PostFailure::AccountRestricted
            }
            (506, _) | (_, Some(2207001 | 1346003 | 1404102)) => PostFailure::ContentRejected,
            (368, _) => PostFailure::PolicyBlocked,
            _ => match StatusReason::from_meta(code, subcode, provider) {
                Some(reason) => PostFailure::Account(reason),
                None => PostFailure::MetaError,
            },
        }
    }

    /// The label of a stored failure; a code this version doesn't know is shown as it is.
    pub fn label_of(stored: &str) -> String {
        stored
            .parse::<PostFailure>()
            .map(|failure| failure.label().to_owned())
            .unwrap_or_else(|()| stored.to_owned())
    }
}

const OWN: [PostFailure; 9] = [
    PostFailure::OutcomeUnknown,
    PostFailure::LimitReached,
    PostFailure::MediaFailed,
    PostFailure::ContentRejected,
    PostFailure::AccountRestricted,
    PostFailure::PolicyBlocked,
    PostFailure::MetaUnavailable,
    PostFailure::AccountInactive,
    PostFailure::MetaError,
];

impl FromStr for PostFailure {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        OWN.into_iter()
            .find(|f| f.as_str() == s)
            .or_else(|| s.parse().ok().map(PostFailure::Account))
            .ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_and_failure_parses_back_from_its_code() {
        for status in PostStatus::ALL {
            assert_eq!(status.as_str().parse(), Ok(status));
        }
        for failure in OWN {
            assert_eq!(failure.as_str().parse(), Ok(failure));
            assert!(failure.as_str().len() <= 64);
        }
        for reason in StatusReason::ALL {
            let failure = PostFailure::Account(*reason);
            assert_eq!(failure.as_str().parse(), Ok(failure));
        }
        assert!(OWN
            .iter()
            .all(|f| f.as_str().parse::<StatusReason>().is_err()));
    }

    #[test]
    fn meta_publishing_errors_read_as_the_product_words_them() {
        let ig = |code, subcode| PostFailure::from_meta(code, subcode, Provider::Instagram);
        assert_eq!(ig(9, Some(2207042)), PostFailure::LimitReached);
        assert_eq!(
            ig(190, Some(460)),
            PostFailure::Account(StatusReason::PasswordChanged)
        );
        assert_eq!(
            ig(190, None),
            PostFailure::Account(StatusReason::TokenInvalid)
        );
        assert_eq!(ig(506, None), PostFailure::ContentRejected);
        assert_eq!(ig(100, Some(2207020)), PostFailure::MediaFailed);
        assert_eq!(ig(100, None), PostFailure::MetaError);
        assert_eq!(
            PostFailure::label_of("outcome_unknown"),
            "Outcome unknown — check the account before re-queueing"
        );
        assert_eq!(PostFailure::label_of("from_the_future"), "from_the_future");
    }
}

//! The label sets, and how a Meta URL becomes a label without ids or tokens.

use prometheus_client::encoding::EncodeLabelSet;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct HttpLabels {
    pub method: &'static str,
    /// axum's matched route pattern (`/accounts/{id}`), or `unmatched`.
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct MetaLabels {
    /// The path after the API version, ids replaced by `{id}` ([`endpoint_of`]).
    pub endpoint: String,
    /// `ok` or the kind of failure (`MetaError::kind`).
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct SweepLabels {
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct TokenLabels {
    pub action: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabels {
    pub reason: &'static str,
}

/// The endpoint a Meta URL names, as a bounded label: the path after the version segment
/// (`v23.0`) or, on hosts without one, the whole path; each segment holding a digit (ids,
/// `{page}_{post}`) becomes `{id}`, `me` stays. Anything else odd is `other`. The query (tokens)
/// is never looked at.
pub fn endpoint_of(url: &str) -> String {
    let Ok(parsed) = url::Url::parse(url) else {
        return "other".to_owned();
    };
    let segments: Vec<&str> = parsed
        .path_segments()
        .map(|s| s.filter(|seg| !seg.is_empty()).collect())
        .unwrap_or_default();
    let after_version = segments
        .iter()
        .position(|seg| is_version(seg))
        .map_or(&segments[..], |at| &segments[at + 1..]);
    // The sandbox's own prefix (`/sandbox/graph/…`) only appears on hosts without a version.
    let path = match after_version {
        ["sandbox", _, rest @ ..] => rest,
        rest => rest,
    };
    if path.is_empty() || path.len() > 4 {
        return "other".to_owned();
    }
    let named: Vec<&str> = path
        .iter()
        .map(|seg| {
            if seg.bytes().any(|b| b.is_ascii_digit()) {
                "{id}"
            } else if seg.len() <= 40 && seg.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                seg
            } else {
                "{other}"
            }
        })
        .collect();
    named.join("/")
}

fn is_version(segment: &str) -> bool {
    segment.strip_prefix('v').is_some_and(|rest| {
        !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_keep_their_shape_and_lose_their_ids_and_queries() {
        let cases = [
            (
                "https://graph.facebook.com/v23.0/me/accounts?access_token=EAAG",
                "me/accounts",
            ),
            (
                "http://127.0.0.1:9/sandbox/graph/v23.0/1234567/feed",
                "{id}/feed",
            ),
            (
                "http://127.0.0.1:9/sandbox/graph/v23.0/oauth/access_token",
                "oauth/access_token",
            ),
            (
                "https://graph.facebook.com/v23.0/debug_token?input_token=x",
                "debug_token",
            ),
            (
                "https://api.instagram.com/oauth/access_token",
                "oauth/access_token",
            ),
            (
                "http://127.0.0.1:9/sandbox/instagram-api/oauth/access_token",
                "oauth/access_token",
            ),
            (
                "https://graph.instagram.com/refresh_access_token?x=1",
                "refresh_access_token",
            ),
            (
                "https://graph.threads.net/v1.0/1_2/threads_publish",
                "{id}/threads_publish",
            ),
            (
                "https://graph.facebook.com/v23.0/Some-Name/feed",
                "{other}/feed",
            ),
            ("not a url", "other"),
            ("https://graph.facebook.com/", "other"),
        ];
        for (url, endpoint) in cases {
            assert_eq!(endpoint_of(url), endpoint, "{url}");
        }
    }
}

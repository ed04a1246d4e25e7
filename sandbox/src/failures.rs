//! Failure injection: "make this endpoint fail the next N times" — every way Meta can let a
//! client down (docs/meta-api.md §8–9): HTTP 500, a timeout, malformed JSON, an HTML page, an
//! oversized body, Graph error codes (transient 1/2, rate limits 4/17/32/613/80001/80002 with
//! usage headers at 100 %, policy block 368, …), or a normal answer with usage headers at a
//! chosen percentage. Plans live in the database, so every instance sees them.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// How long an injected timeout holds the answer back when no duration is given: far longer
/// than any sensible `SWITCHBOARD_HTTP_TIMEOUT`.
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 30;
/// The size of an oversized body when none is given (the app caps what it reads well below).
pub const DEFAULT_OVERSIZED_BYTES: usize = 4 * 1024 * 1024;
/// Minutes until access returns, in rate-limit answers, when none is given.
pub const DEFAULT_REGAIN_MINUTES: u32 = 5;

/// One way to fail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Failure {
    /// HTTP 500 with a plain-text body.
    #[serde(rename = "http_500")]
    Http500,
    /// No answer for `seconds` (then a 504), so the client's timeout fires first.
    Timeout { seconds: Option<u64> },
    /// The real call is carried out — a post is published — but its answer is held back for
    /// `seconds`, so the client's timeout fires after Meta acted: an outcome the client
    /// cannot know.
    Late { seconds: Option<u64> },
    /// HTTP 200 with truncated JSON.
    MalformedJson,
    /// HTTP 200 with an HTML error page.
    Html,
    /// HTTP 200 with a JSON-looking body of `bytes` bytes.
    Oversized { bytes: Option<usize> },
    /// A Graph error in Meta's shape. Rate-limit codes come with usage headers at 100 % and
    /// `estimated_time_to_regain_access` = `minutes`.
    GraphError {
        code: i32,
        subcode: Option<i32>,
        minutes: Option<u32>,
    },
    /// The real answer, with `X-App-Usage` (and `X-Business-Use-Case-Usage`) at `percent`.
    Usage { percent: u32 },
    /// The real JSON answer with one top-level field set to `value` (say `expires_in` to a
    /// number no real token has), to see how the client takes an answer that is well-formed
    /// but wrong.
    Override {
        field: String,
        value: serde_json::Value,
    },
}

/// The largest `value` an override may carry, serialised.
const MAX_OVERRIDE_BYTES: usize = 4096;

/// Meta's rate-limit codes (docs/meta-api.md §8).
pub const RATE_LIMIT_CODES: [i32; 7] = [4, 17, 32, 341, 613, 80001, 80002];

/// A stored plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailurePlan {
    pub id: i64,
    pub path: String,
    pub remaining: i32,
    pub failure: Failure,
}

impl FailurePlan {
    /// A plan as stored, its failure as JSON; `None` when the JSON is not a failure this build
    /// knows (such a plan is skipped, never spent).
    pub(crate) fn stored(id: i64, path: String, failure: &str, remaining: i32) -> Option<Self> {
        Some(Self {
            id,
            path,
            remaining,
            failure: serde_json::from_str(failure).ok()?,
        })
    }
}

/// Whether `path` matches `pattern`, where `*` stands for any run of characters (including
/// `/`), so `*/oauth/access_token` matches the token endpoint of every version.
pub fn matches(pattern: &str, path: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, rest) = match parts.split_first() {
        Some(split) => split,
        None => return pattern == path,
    };
    let Some(mut remainder) = path.strip_prefix(first) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return remainder.is_empty();
    };
    for part in middle {
        match remainder.find(part) {
            Some(at) => remainder = &remainder[at + part.len()..],
            None => return false,
        }
    }
    remainder.len() >= last.len() && remainder.ends_with(last)
}

impl Failure {
    /// Checks the numbers a client sent.
    pub fn validate(&self) -> Result<(), String> {
        match self {
            Failure::Timeout { seconds: Some(s) } | Failure::Late { seconds: Some(s) }
                if *s == 0 || *s > 600 =>
            {
                Err("timeout seconds must be between 1 and 600".into())
            }
            Failure::Oversized { bytes: Some(b) } if *b == 0 || *b > 64 * 1024 * 1024 => {
                Err("oversized bytes must be between 1 and 67108864".into())
            }
            Failure::GraphError { code, .. } if *code <= 0 => {
                Err("a Graph error code is a positive number".into())
            }
            Failure::Usage { percent } if *percent > 100 => {
                Err("usage percent must be between 0 and 100".into())
            }
            Failure::GraphError {
                minutes: Some(m), ..
            } if *m > 24 * 60 => Err("minutes must be between 0 and 1440".into()),
            Failure::Override { field, value } => {
                let name_ok = !field.is_empty()
                    && field.len() <= 64
                    && field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if !name_ok {
                    return Err("an override's field is 1 to 64 letters, digits or _".into());
                }
                if value.to_string().len() > MAX_OVERRIDE_BYTES {
                    return Err("an override's value is at most 4096 bytes of JSON".into());
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The answer this failure gives in place of the real one (`Usage`, `Override`, `Late`
    /// and `Timeout` are handled by the caller: three change or delay the real answer, the
    /// other waits first).
    pub fn response(&self) -> Response {
        match self {
            Failure::Http500 => (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/plain")],
                "Internal Server Error",
            )
                .into_response(),
            Failure::Timeout { .. } => StatusCode::GATEWAY_TIMEOUT.into_response(),
            Failure::MalformedJson => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                r#"{"access_token":"EAAG","token_type":"bea"#,
            )
                .into_response(),
            Failure::Html => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                "<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Sorry, something went wrong.</h1></body></html>",
            )
                .into_response(),
            Failure::Oversized { bytes } => {
                let size = bytes.unwrap_or(DEFAULT_OVERSIZED_BYTES);
                let mut body = String::with_capacity(size);
                body.push_str("{\"data\":\"");
                while body.len() + 2 < size {
                    body.push('x');
                }
                body.push_str("\"}");
                body.truncate(size);
                (
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "application/json")],
                    Body::from(body),
                )
                    .into_response()
            }
            Failure::GraphError {
                code,
                subcode,
                minutes,
            } => graph_error(*code, *subcode, minutes.unwrap_or(DEFAULT_REGAIN_MINUTES)),
            Failure::Usage { .. } | Failure::Override { .. } | Failure::Late { .. } => {
                StatusCode::OK.into_response()
            }
        }
    }
}

/// A Graph error answer for `code`, worded as Meta words it.
fn graph_error(code: i32, subcode: Option<i32>, minutes: u32) -> Response {
    let message = match code {
        1 => "An unknown error occurred".to_owned(),
        2 => "An unexpected error has occurred. Please retry your request later.".to_owned(),
        4 => "(#4) Application request limit reached".to_owned(),
        17 => "(#17) User request limit reached".to_owned(),
        32 => "(#32) Page request limit reached".to_owned(),
        341 => "(#341) Application limit reached".to_owned(),
        613 => "(#613) Calls to this api have exceeded the rate limit.".to_owned(),
        80001 => "(#80001) There have been too many calls to this Page account. Wait a bit and try again.".to_owned(),
        80002 => "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again.".to_owned(),
        368 => "(#368) The action attempted has been deemed abusive or is otherwise disallowed".to_owned(),
        190 => "Error validating access token.".to_owned(),
        9 => "Application request limit reached".to_owned(),
        506 => "(#506) Duplicate status message".to_owned(),
        other => format!("(#{other}) Injected error"),
    };
    let status = match code {
        1 | 2 => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    let trace: [u8; 8] = rand::random();
    let mut error = json!({
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": hex::encode(trace),
    });
    if let Some(subcode) = subcode {
        error["error_subcode"] = json!(subcode);
    }
    if matches!(code, 1 | 2) {
        error["is_transient"] = json!(true);
    }
    let mut response = (status, axum::Json(json!({ "error": error }))).into_response();
    if RATE_LIMIT_CODES.contains(&code) {
        set_usage(&mut response, 100, minutes);
    }
    response
}

/// Sets Meta's usage headers to `percent` (docs/meta-api.md §9), with the time to regain access.
pub fn set_usage(response: &mut Response, percent: u32, regain_minutes: u32) {
    let app = json!({ "call_count": percent, "total_time": percent, "total_cputime": percent });
    let business = json!({ "0": [{
        "type": "pages",
        "call_count": percent,
        "total_cputime": percent,
        "total_time": percent,
        "estimated_time_to_regain_access": if percent >= 100 { regain_minutes } else { 0 },
    }]});
    for (name, value) in [
        ("x-app-usage", app),
        ("x-business-use-case-usage", business),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value.to_string()) {
            response.headers_mut().insert(name, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_matches_any_run_of_characters() {
        assert!(matches(
            "*/oauth/access_token",
            "/graph/v25.0/oauth/access_token"
        ));
        assert!(matches("/graph/*/me/accounts", "/graph/v25.0/me/accounts"));
        assert!(matches("*", "/anything"));
        assert!(matches("/graph/v25.0/me", "/graph/v25.0/me"));
        assert!(!matches("/graph/v25.0/me", "/graph/v25.0/me/accounts"));
        assert!(!matches("*/oauth/access_token", "/graph/v25.0/debug_token"));
        assert!(!matches("/a*a", "/a"));
    }

    #[test]
    fn failures_read_from_json_by_kind() {
        let failure: Failure =
            serde_json::from_str(r#"{"kind":"graph_error","code":80001,"minutes":7}"#).unwrap();
        assert_eq!(
            failure,
            Failure::GraphError {
                code: 80001,
                subcode: None,
                minutes: Some(7)
            }
        );
        assert!(serde_json::from_str::<Failure>(r#"{"kind":"nope"}"#).is_err());
        assert!(Failure::Usage { percent: 101 }.validate().is_err());
        assert!(Failure::Timeout { seconds: Some(0) }.validate().is_err());
    }

    #[test]
    fn rate_limits_carry_usage_headers_at_100_percent() {
        let response = Failure::GraphError {
            code: 80001,
            subcode: None,
            minutes: Some(12),
        }
        .response();
        assert_eq!(response.status(), 400);
        let usage = response.headers()["x-business-use-case-usage"]
            .to_str()
            .unwrap();
        assert!(usage.contains("\"estimated_time_to_regain_access\":12"));
        assert!(response.headers()["x-app-usage"]
            .to_str()
            .unwrap()
            .contains("\"call_count\":100"));
        assert_eq!(
            Failure::GraphError {
                code: 2,
                subcode: None,
                minutes: None
            }
            .response()
            .status(),
            500
        );
    }
}

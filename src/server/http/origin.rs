//! CSRF defence for a server-rendered app whose actions are plain form posts: every
//! state-changing request must come from our own origin (OWASP's "verify origin with standard
//! headers"). Leptos's server functions do no such check of their own.

use crate::server::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Paths no browser form posts to, each protected by its own means: signed-request webhooks
/// (HMAC) and the Meta sandbox's API (loopback-only, outside the app's session).
const EXEMPT_PREFIXES: &[&str] = &["/webhooks/", "/sandbox/"];

/// Whether a request may proceed: safe methods always; others only with an `Origin` (or, when
/// absent, a `Referer`) on `expected_origin`. `Origin: null` and neither header → refused.
pub fn allowed(method: &Method, headers: &HeaderMap, expected_origin: &str) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        return origin
            .to_str()
            .map(|o| o.eq_ignore_ascii_case(expected_origin))
            .unwrap_or(false);
    }
    let Some(referer) = headers.get(header::REFERER).and_then(|r| r.to_str().ok()) else {
        return false;
    };
    url::Url::parse(referer)
        .map(|url| {
            url.origin()
                .ascii_serialization()
                .eq_ignore_ascii_case(expected_origin)
        })
        .unwrap_or(false)
}

/// Middleware: 403 for a cross-origin state-changing request; nothing else happens.
pub async fn check_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let exempt = EXEMPT_PREFIXES
        .iter()
        .any(|prefix| path.starts_with(prefix));
    if exempt || allowed(req.method(), req.headers(), state.public_url.origin()) {
        return next.run(req).await;
    }
    tracing::warn!(method = %req.method(), path, "refused a cross-origin request");
    (
        StatusCode::FORBIDDEN,
        "This request came from another site, so it was refused. Reload the page and try again.",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const ORIGIN: &str = "http://127.0.0.1:3000";

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn safe_methods_need_no_origin() {
        assert!(allowed(&Method::GET, &HeaderMap::new(), ORIGIN));
        assert!(allowed(&Method::HEAD, &HeaderMap::new(), ORIGIN));
    }

    #[test]
    fn posts_from_our_origin_pass() {
        assert!(allowed(
            &Method::POST,
            &headers(&[(header::ORIGIN, ORIGIN)]),
            ORIGIN
        ));
    }

    #[test]
    fn posts_from_another_origin_or_null_are_refused() {
        assert!(!allowed(
            &Method::POST,
            &headers(&[(header::ORIGIN, "https://evil.example")]),
            ORIGIN
        ));
        assert!(!allowed(
            &Method::POST,
            &headers(&[(header::ORIGIN, "null")]),
            ORIGIN
        ));
        assert!(!allowed(
            &Method::POST,
            &headers(&[(header::ORIGIN, "http://127.0.0.1:3001")]),
            ORIGIN
        ));
    }

    #[test]
    fn a_referer_stands_in_for_a_missing_origin() {
        assert!(allowed(
            &Method::POST,
            &headers(&[(header::REFERER, "http://127.0.0.1:3000/login?x=1")]),
            ORIGIN
        ));
        assert!(!allowed(
            &Method::POST,
            &headers(&[(header::REFERER, "http://evil.example/")]),
            ORIGIN
        ));
    }

    #[test]
    fn posts_with_neither_header_are_refused() {
        assert!(!allowed(&Method::POST, &HeaderMap::new(), ORIGIN));
        assert!(!allowed(&Method::DELETE, &HeaderMap::new(), ORIGIN));
    }
}

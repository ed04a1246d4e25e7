//! What Meta's own client libraries rely on from the API hosts (`/graph`, `/instagram-graph`,
//! `/threads-graph`, and `/instagram-api` for the first two points):
//!
//! - a trailing slash is accepted (`/me/` is `/me`);
//! - `POST` with `method=GET` or `method=DELETE` (query or form body) is that method — the
//!   override Graph documents and the JS SDK uses;
//! - an unknown path or object answers in Graph's error shape, and every answer is JSON —
//!   never axum's empty 404 or 405.
//!
//! The first two must happen before routing, so [`before_routing`] wraps the whole sandbox
//! router from outside (`Sandbox::router`); the last two are a fallback and a layer on the
//! hosts' routes.

use super::errors::GraphError;
use super::params::{is_form, merge, too_large, MAX_FORM_BODY};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The first path segments of the hosts that answer like Graph.
const GRAPH_HOSTS: [&str; 3] = ["graph", "instagram-graph", "threads-graph"];
/// api.instagram.com: not Graph, but a token endpoint clients call the same way.
const INSTAGRAM_API: &str = "instagram-api";

/// The first segment of `path`.
fn host(path: &str) -> &str {
    path.trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
}

/// Whether `path` is on one of the Graph hosts.
pub fn is_graph_host(path: &str) -> bool {
    GRAPH_HOSTS.contains(&host(path))
}

/// `path` without its trailing slashes (never emptier than `/`).
fn trimmed(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        "/"
    } else {
        trimmed
    }
}

/// The override a `method` parameter asks for: only GET and DELETE, as Graph documents.
fn override_method(params: &super::Params) -> Option<Method> {
    match params.get("method")?.to_ascii_uppercase().as_str() {
        "GET" => Some(Method::GET),
        "DELETE" => Some(Method::DELETE),
        _ => None,
    }
}

/// Rewrites a request to an API host before the router sees it: trailing slashes off, and a
/// POST's `method` override applied (the form body is read, bounded, and put back).
pub async fn before_routing(mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let graph = is_graph_host(path);
    if !graph && host(path) != INSTAGRAM_API {
        return next.run(request).await;
    }
    if trimmed(path) != path {
        let rewritten = match request.uri().query() {
            Some(query) => format!("{}?{query}", trimmed(path)),
            None => trimmed(path).to_owned(),
        };
        if let Ok(uri) = rewritten.parse::<Uri>() {
            *request.uri_mut() = uri;
        }
    }
    if !graph || request.method() != Method::POST {
        return next.run(request).await;
    }
    let query = request.uri().query().unwrap_or_default().to_owned();
    let (mut parts, body) = request.into_parts();
    let (form, body) = if is_form(&parts.headers) {
        match axum::body::to_bytes(body, MAX_FORM_BODY).await {
            Ok(bytes) => (bytes.clone(), Body::from(bytes)),
            Err(_) => return too_large().into_response(),
        }
    } else {
        (axum::body::Bytes::new(), body)
    };
    if let Some(method) = override_method(&merge(&query, &form)) {
        parts.method = method;
    }
    next.run(Request::from_parts(parts, body)).await
}

/// The fallback: on an API host, Graph's answer for a path it has no route for — an object id
/// nobody can read (code 100), or unknown path components (code 2500); elsewhere a plain 404.
pub async fn unknown_path(uri: Uri) -> Response {
    let path = uri.path();
    if !is_graph_host(path) && host(path) != INSTAGRAM_API {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    }
    graph_unknown(path).into_response()
}

/// Whether a path segment is a Graph version (`v25.0`).
fn is_version(segment: &str) -> bool {
    segment
        .strip_prefix('v')
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(major, minor)| {
            !major.is_empty()
                && !minor.is_empty()
                && major.chars().all(|c| c.is_ascii_digit())
                && minor.chars().all(|c| c.is_ascii_digit())
        })
}

fn graph_unknown(path: &str) -> GraphError {
    let mut segments: Vec<&str> = path
        .trim_start_matches('/')
        .split('/')
        .skip(1)
        .filter(|s| !s.is_empty())
        .collect();
    if segments.first().is_some_and(|s| is_version(s)) {
        segments.remove(0);
    }
    match segments.split_first() {
        None => GraphError::unsupported_method("get"),
        Some((node, rest)) if node.chars().all(|c| c.is_ascii_digit() || c == '_') => {
            if rest.is_empty() {
                GraphError::unknown_object(node)
            } else {
                GraphError::unknown_path(&format!("/{}", rest.join("/")))
            }
        }
        Some((&"me", rest)) if !rest.is_empty() => {
            GraphError::unknown_path(&format!("/{}", rest.join("/")))
        }
        Some(_) => GraphError::unknown_path(&format!("/{}", segments.join("/"))),
    }
}

/// Keeps every answer of an API host JSON: an empty 405 (a method the path does not take) or
/// an extractor's plain-text refusal becomes a Graph error. Injected failures are applied
/// outside this layer, so an injected HTML page stays HTML.
pub async fn json_only(request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_ascii_lowercase();
    let response = next.run(request).await;
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json {
        return response;
    }
    let status = response.status();
    let mut error = if status == axum::http::StatusCode::METHOD_NOT_ALLOWED {
        GraphError::unsupported_method(&method)
    } else if status.is_server_error() {
        GraphError::oauth(
            2,
            None,
            "An unexpected error has occurred. Please retry your request later.",
        )
    } else {
        GraphError::oauth(100, None, "(#100) Invalid parameter")
    };
    if status.is_server_error() {
        error.status = status;
    }
    let mut response = error.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_and_message(path: &str) -> (i32, String) {
        let error = graph_unknown(path);
        (error.code, error.message)
    }

    #[test]
    fn unknown_paths_and_objects_are_worded_as_graph_words_them() {
        assert_eq!(
            code_and_message("/graph/v25.0/foo"),
            (2500, "Unknown path components: /foo".to_owned())
        );
        assert_eq!(
            code_and_message("/graph/v25.0/me/foo/bar"),
            (2500, "Unknown path components: /foo/bar".to_owned())
        );
        let (code, message) = code_and_message("/threads-graph/v1.0/123456");
        assert_eq!(code, 100);
        assert!(message.contains("Object with ID '123456' does not exist"));
    }

    #[test]
    fn only_v_major_dot_minor_is_a_version() {
        assert!(is_version("v25.0") && is_version("v1.0"));
        for not in ["v25", "25.0", "v.0", "va.b", "me"] {
            assert!(!is_version(not), "{not}");
        }
    }

    #[test]
    fn trailing_slashes_come_off_but_the_root_stays() {
        assert_eq!(trimmed("/graph/v25.0/me/"), "/graph/v25.0/me");
        assert_eq!(trimmed("/graph/v25.0/me//"), "/graph/v25.0/me");
        assert_eq!(trimmed("/"), "/");
    }
}

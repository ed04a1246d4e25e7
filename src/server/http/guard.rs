//! Sign-in guard: every page and action needs a signed-in user except the few public ones.
//! Also steers first-run: before setup, `/login` sends people to `/setup`.

use crate::domain::return_to::safe_return_to;
use crate::server::auth::current::CurrentUser;
use crate::server::connect::providers;
use crate::server::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// Paths anyone may use without signing in.
const PUBLIC_PATHS: &[&str] = &[
    "/login",
    "/logout",
    "/setup",
    "/healthz",
    "/favicon.svg",
    "/api/login",
    "/api/logout",
    "/api/setup",
];
/// `/data-deletion/{code}`: the status page Meta hands the person whose data was deleted.
const PUBLIC_PREFIXES: &[&str] = &["/style/", "/data-deletion/"];

fn is_public(path: &str) -> bool {
    // The callbacks answer everyone: without a session one consumes the state and sends the
    // person to sign in, then shows them `session_changed`.
    PUBLIC_PATHS.contains(&path)
        || providers::is_callback_path(path)
        || PUBLIC_PREFIXES
            .iter()
            .any(|prefix| path.starts_with(prefix))
}

fn accepts_html(req: &Request) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

pub async fn require_sign_in(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let signed_in = req.extensions().get::<CurrentUser>().is_some();
    let is_get = matches!(*req.method(), Method::GET | Method::HEAD);

    if is_get && path == "/login" {
        match state.setup_done().await {
            Ok(false) => return Redirect::to("/setup").into_response(),
            Ok(true) if signed_in => return Redirect::to("/accounts").into_response(),
            Ok(true) => {}
            Err(err) => return crate::error::AppError::from(err).into_response(),
        }
    }
    if signed_in || is_public(&path) {
        return next.run(req).await;
    }
    if is_get {
        let wanted = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let target = match safe_return_to(wanted) {
            Some(next) => format!(
                "/login?next={}",
                url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
            ),
            None => "/login".to_owned(),
        };
        return Redirect::to(&target).into_response();
    }
    if accepts_html(&req) {
        return Redirect::to("/login").into_response();
    }
    (StatusCode::UNAUTHORIZED, "Please sign in to continue.").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_and_first_run_pages_are_public() {
        assert!(is_public("/login"));
        assert!(is_public("/setup"));
        assert!(is_public("/style/main.css"));
        assert!(is_public("/data-deletion/0123456789abcdef0123456789abcdef"));
    }

    #[test]
    fn app_pages_and_actions_are_not_public() {
        assert!(!is_public("/accounts"));
        assert!(!is_public("/settings/members"));
        assert!(!is_public("/api/switch_workspace"));
        assert!(!is_public("/login/extra"));
    }
}

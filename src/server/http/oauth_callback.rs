//! `GET /oauth/{provider}/callback`: the route each provider's dialog redirects back to. It
//! hands the query to `connect::finish` and answers with a 303 to a clean URL — the
//! integrations page (or, after a Reconnect, the page it started from), with `?error=<code>` on
//! failure and the outcome as a flash — never
//! echoing the code or state, with `Referrer-Policy: no-referrer` and `Cache-Control: no-store`
//! (docs/security.md #8). An unknown provider is 404.

use crate::domain::Provider;
use crate::error::AppError;
use crate::server::auth::current::CurrentUser;
use crate::server::auth::session_keys::FLASH;
use crate::server::connect::callback::CallbackQuery;
use crate::server::connect::finish::finish;
use crate::server::connect::providers;
use crate::server::state::AppState;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

const INTEGRATIONS: &str = "/settings/integrations";

pub async fn oauth_callback(
    State(app): State<AppState>,
    Path(slug): Path<String>,
    session: Session,
    request: Request,
) -> Response {
    let Some(spec) = providers::by_slug(&slug) else {
        return AppError::NotFound.into_response();
    };
    let actor = request.extensions().get::<CurrentUser>().cloned();
    // Read by hand, keeping every `state`: a doubled one is consumed, not skipped.
    let query = CallbackQuery::parse(request.uri().query().unwrap_or_default());
    let location = match finish(&app, spec, actor.as_ref(), &query).await {
        Ok(finished) => {
            flash(&session, &finished.message).await;
            finished
                .return_to
                .unwrap_or_else(|| INTEGRATIONS.to_owned())
        }
        Err(failure) => {
            if let Some(named) = failure.named_message() {
                flash(&session, &named).await;
            }
            // The provider is named for Instagram and Threads, so the page words it for them.
            let page = match spec.provider {
                Provider::Facebook => format!("{INTEGRATIONS}?error={}", failure.error.code()),
                other => format!(
                    "{INTEGRATIONS}?error={}&provider={}",
                    failure.error.code(),
                    other.as_str()
                ),
            };
            if actor.is_none() {
                // Signed out: sign in first, then see what happened.
                let next: String = url::form_urlencoded::byte_serialize(page.as_bytes()).collect();
                format!("/login?next={next}")
            } else {
                page
            }
        }
    };
    see_other(&location)
}

async fn flash(session: &Session, message: &str) {
    if let Err(err) = session.insert(FLASH, message).await {
        tracing::error!(error = %err, "cannot keep the connection's outcome in the session");
    }
}

fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(location) {
        headers.insert(header::LOCATION, value);
    }
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `HEAD` on the callback: a link preview or a prefetch must not spend the code or the state,
/// so nothing runs and the answer is 405.
pub async fn head_not_allowed() -> Response {
    let mut response = StatusCode::METHOD_NOT_ALLOWED.into_response();
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET"));
    response
}

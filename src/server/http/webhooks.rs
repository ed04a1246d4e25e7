//! Meta's signed-request callbacks (docs/meta-api.md §10, docs/interfaces.md → Webhooks):
//! `POST /webhooks/{meta|instagram|threads}/{deauthorize|data-deletion}`, a form with one field
//! `signed_request`, verified with that product's own app secret. They sit outside the app's
//! session, origin check and sign-in guard (docs/security.md #14: the HMAC protects them) and
//! answer JSON. A product without an app is 404; a body over [`MAX_BODY`] is 413; anything that
//! isn't exactly one well-signed request naming a sensible user is 400 — and changes nothing.
//! Neither the signed request nor any secret is logged.

use crate::domain::Provider;
use crate::error::AppError;
use crate::server::meta::signed_request;
use crate::server::services::meta_callbacks;
use crate::server::state::AppState;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use secrecy::ExposeSecret;
use serde_json::json;

/// The largest body read (Meta's are a few hundred bytes).
pub const MAX_BODY: usize = 8 * 1024;
/// The longest `signed_request` accepted.
pub const MAX_SIGNED_REQUEST: usize = 2048;
/// The longest user id (`grants.external_user_id` holds 64).
const MAX_USER_ID: usize = 64;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/webhooks/{provider}/deauthorize", post(deauthorize))
        .route("/webhooks/{provider}/data-deletion", post(data_deletion))
}

/// The person removed the app at Meta: their accounts need reauthorization.
async fn deauthorize(
    State(app): State<AppState>,
    Path(segment): Path<String>,
    request: Request,
) -> Response {
    let (provider, user_id) = match verified(&app, &segment, request).await {
        Ok(verified) => verified,
        Err(refusal) => return refusal,
    };
    match meta_callbacks::deauthorize(&app.db, app.clock.unix(), provider, &user_id).await {
        Ok(done) => {
            tracing::info!(
                provider = provider.as_str(),
                accounts = done.accounts,
                workspaces = done.workspaces,
                "Meta deauthorize callback"
            );
            answer(StatusCode::OK, json!({ "success": true }))
        }
        Err(err) => refuse(err),
    }
}

/// The person asked for their data to be deleted: it is, and Meta gets the status page.
async fn data_deletion(
    State(app): State<AppState>,
    Path(segment): Path<String>,
    request: Request,
) -> Response {
    let (provider, user_id) = match verified(&app, &segment, request).await {
        Ok(verified) => verified,
        Err(refusal) => return refusal,
    };
    match meta_callbacks::delete_data(&app.db, app.clock.unix(), provider, &user_id).await {
        Ok(done) => {
            tracing::info!(
                provider = provider.as_str(),
                accounts = done.accounts,
                workspaces = done.workspaces,
                "Meta data-deletion callback"
            );
            let code = done.confirmation_code;
            let url = app.public_url.join(&format!("/data-deletion/{code}"));
            answer(
                StatusCode::OK,
                json!({ "url": url, "confirmation_code": code }),
            )
        }
        Err(err) => refuse(err),
    }
}

/// The provider named by the path and the user id of a verified signed request, or the
/// answer refusing it.
async fn verified(
    app: &AppState,
    segment: &str,
    request: Request,
) -> Result<(Provider, String), Response> {
    let provider = Provider::ALL
        .into_iter()
        .find(|p| p.callback_segment() == segment)
        .ok_or_else(|| refuse(AppError::NotFound))?;
    let secret = app
        .signing_secrets
        .get(provider)
        .ok_or_else(|| refuse(AppError::NotFound))?;
    let signed = signed_request_field(request).await.map_err(|err| {
        tracing::warn!(
            provider = provider.as_str(),
            code = err.code(),
            "refused a Meta callback"
        );
        refuse(err)
    })?;
    let payload = signed_request::verify(secret.expose_secret(), &signed).map_err(|err| {
        tracing::warn!(provider = provider.as_str(), reason = %err, "refused a Meta callback");
        refuse(AppError::SignedRequestInvalid)
    })?;
    let user_id = payload.user_id;
    if user_id.is_empty()
        || user_id.chars().count() > MAX_USER_ID
        || user_id.chars().any(char::is_control)
    {
        tracing::warn!(
            provider = provider.as_str(),
            "refused a Meta callback: its user id is empty, too long or has control characters"
        );
        return Err(refuse(AppError::SignedRequestInvalid));
    }
    Ok((provider, user_id))
}

/// The one `signed_request` field of a form body of at most [`MAX_BODY`] bytes.
async fn signed_request_field(request: Request) -> Result<String, AppError> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY as u64) {
        return Err(AppError::RequestTooLarge);
    }
    // Fails only past the limit, or when the client went away (which reads no answer).
    let body = axum::body::to_bytes(request.into_body(), MAX_BODY)
        .await
        .map_err(|_| AppError::RequestTooLarge)?;
    let mut values = url::form_urlencoded::parse(&body)
        .filter(|(name, _)| name == "signed_request")
        .map(|(_, value)| value);
    match (values.next(), values.next()) {
        (Some(value), None) if !value.is_empty() && value.len() <= MAX_SIGNED_REQUEST => {
            Ok(value.into_owned())
        }
        // Missing, doubled, empty or too long.
        _ => Err(AppError::SignedRequestInvalid),
    }
}

fn answer(status: StatusCode, body: serde_json::Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `{"code", "error"}` with the error's status.
fn refuse(error: AppError) -> Response {
    answer(
        error.status_code(),
        json!({ "code": error.code(), "error": error.message() }),
    )
}

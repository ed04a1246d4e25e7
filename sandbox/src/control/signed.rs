//! Signed requests (produced, and delivered to this app's webhooks) and the Facebook app's
//! dashboard settings.

use super::{db_failure, fail, ControlResult};
use crate::signed::{Callback, DeliveryError, Product};
use crate::Sandbox;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SignedRequestOrder {
    product: Product,
    callback: Callback,
    user_id: String,
    #[serde(default)]
    forged: bool,
    #[serde(default)]
    deliver: bool,
}

/// Produces a signed request (`{"signed_request": …}`) and, with `"deliver": true`, POSTs it to
/// this app's own webhook and reports the answer.
pub(super) async fn signed_request(
    State(sandbox): State<Sandbox>,
    body: Result<Json<SignedRequestOrder>, axum::extract::rejection::JsonRejection>,
) -> ControlResult {
    let Json(order) = body.map_err(|err| {
        fail(
            StatusCode::BAD_REQUEST,
            &format!("not a signed-request order: {}", err.body_text()),
        )
    })?;
    if order.user_id.is_empty() || order.user_id.len() > 64 {
        return Err(fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            "user_id is 1 to 64 characters",
        ));
    }
    if !order.deliver {
        let signed = sandbox
            .signed_request(order.product, order.callback, &order.user_id, order.forged)
            .await
            .map_err(db_failure)?;
        return Ok(Json(json!({ "signed_request": signed })).into_response());
    }
    match sandbox
        .deliver_signed_request(order.product, order.callback, &order.user_id, order.forged)
        .await
    {
        Ok(delivery) => Ok(Json(json!({ "delivered": delivery })).into_response()),
        Err(DeliveryError::Database(err)) => Err(db_failure(err)),
        Err(DeliveryError::Unreachable(reason)) => Err(fail(
            StatusCode::BAD_GATEWAY,
            &format!("the app's webhook did not answer: {reason}"),
        )),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AppSettings {
    require_appsecret_proof: bool,
}

pub(super) async fn app_settings(State(sandbox): State<Sandbox>) -> ControlResult {
    let on = sandbox
        .requires_appsecret_proof()
        .await
        .map_err(db_failure)?;
    Ok(Json(json!({ "require_appsecret_proof": on })).into_response())
}

/// The Facebook app's dashboard settings: `{"require_appsecret_proof": true}`.
pub(super) async fn set_app_settings(
    State(sandbox): State<Sandbox>,
    body: Result<Json<AppSettings>, axum::extract::rejection::JsonRejection>,
) -> ControlResult {
    let Json(settings) = body.map_err(|_| {
        fail(
            StatusCode::BAD_REQUEST,
            "expected {\"require_appsecret_proof\": true|false}",
        )
    })?;
    sandbox
        .set_require_appsecret_proof(settings.require_appsecret_proof)
        .await
        .map_err(db_failure)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

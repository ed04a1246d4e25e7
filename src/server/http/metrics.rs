//! `/metrics`: Prometheus' text format (docs/operations.md → "Metrics"). Outside the session and
//! sign-in layers and on any host, like `/healthz`; when `SWITCHBOARD_METRICS_TOKEN` is set only
//! a request bearing it is answered (401 otherwise, saying nothing about what is measured).

use crate::error::AppError;
use crate::server::metrics::scrape::{self, ScrapeError};
use crate::server::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = &state.metrics_token {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim);
        if !presented.is_some_and(|presented| token.accepts(presented)) {
            let error = AppError::MetricsTokenRequired;
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                error.message(),
            )
                .into_response();
        }
    }
    match scrape::render(&state.metrics, &state.db, state.clock.unix()).await {
        Ok(body) => ([(header::CONTENT_TYPE, CONTENT_TYPE)], body).into_response(),
        Err(ScrapeError::Database(err)) => {
            tracing::warn!(error = %err, "metrics: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
        Err(ScrapeError::Encode) => AppError::Internal.into_response(),
    }
}

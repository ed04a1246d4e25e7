//! A database outage answered as one: any 500 from the app while the database doesn't answer
//! becomes a 503 saying so (`database_unavailable`), as a page for browsers and as the JSON
//! error for scripts. Whichever layer met the outage first (the session store, the sign-in
//! check, a page's query, a server function) the person learns the same thing: nothing was
//! changed, try again in a moment. When the database is back the pool reconnects by itself;
//! no restart is needed (docs/operations.md → "When the database goes away").

use crate::error::AppError;
use crate::server::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;

pub async fn database_outage(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let script_call = req.uri().path().starts_with("/api/") && !accepts_html(&req);
    let response = next.run(req).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || state.db.ping().await.is_ok() {
        return response;
    }
    tracing::warn!("answered 503: the database does not answer");
    let error = AppError::DatabaseUnavailable;
    if script_call {
        return (error.status_code(), Json(error)).into_response();
    }
    error.into_response()
}

fn accepts_html(req: &Request) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

//! Turns an [`AppError`] into a small, self-contained HTML page with the right status, for
//! failures outside Leptos's rendering (middleware, plain handlers).

use crate::error::AppError;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

impl AppError {
    /// The error's HTTP status ([`AppError::status`]) as axum's type; a number outside HTTP's
    /// range can't come from the table, and would be a 500.
    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status_code();
        let body = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Switchboard</title>\
             <link rel=\"stylesheet\" href=\"/style/main.css\"></head><body><main class=\"page narrow\">\
             <h1>{}</h1><p role=\"alert\">{}</p><p><a href=\"/\">Back to Switchboard</a></p></main></body></html>",
            status.canonical_reason().unwrap_or("Error"),
            self.message()
        );
        (status, Html(body)).into_response()
    }
}

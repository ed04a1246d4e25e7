//! The call log and the middleware in front of every Meta-facing sandbox route: it spends an
//! injected failure when one is planned for the path, and records every call — time, method,
//! path, product, fingerprints of the token and code sent (never the secrets themselves) and
//! the status answered — so tests can say "0 calls to the token endpoint".

use super::failures::{set_usage, Failure, DEFAULT_REGAIN_MINUTES, DEFAULT_TIMEOUT_SECONDS};
use super::Sandbox;
use crate::entities::call;
use crate::settings::at_call_time;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Form bodies larger than this are not inspected for tokens (and are refused by Meta anyway).
const MAX_INSPECTED_BODY: usize = 1024 * 1024;

/// A public, non-reversible name for a secret: the first 16 hex digits of its SHA-256. Tests
/// compute it for the tokens and codes they hold and compare.
pub fn fingerprint(secret: &str) -> String {
    let mut digest = crate::protocol::sha256_hex(secret);
    digest.truncate(16);
    digest
}

/// One call, as logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Call {
    pub at: i64,
    pub method: String,
    pub path: String,
    pub product: String,
    pub token_fingerprint: Option<String>,
    pub code_fingerprint: Option<String>,
    pub status: u16,
}

/// Which calls to list; every field narrows the list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CallFilter {
    /// A path pattern (`*` = any run of characters).
    pub path: Option<String>,
    pub method: Option<String>,
    pub product: Option<String>,
}

impl CallFilter {
    pub fn path(pattern: &str) -> Self {
        Self {
            path: Some(pattern.to_owned()),
            ..Self::default()
        }
    }

    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_owned());
        self
    }
}

impl Sandbox {
    /// Every logged call matching `filter`, oldest first.
    pub async fn calls(&self, filter: &CallFilter) -> Result<Vec<Call>, DbErr> {
        let mut query = call::Entity::find().order_by_asc(call::Column::Id);
        if let Some(method) = &filter.method {
            query = query.filter(call::Column::Method.eq(method.to_ascii_uppercase()));
        }
        if let Some(product) = &filter.product {
            query = query.filter(call::Column::Product.eq(product.as_str()));
        }
        Ok(query
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|row| {
                filter
                    .path
                    .as_deref()
                    .is_none_or(|pattern| super::failures::matches(pattern, &row.path))
            })
            .map(|row| Call {
                at: row.at,
                method: row.method,
                path: row.path,
                product: row.product,
                token_fingerprint: row.token_fingerprint,
                code_fingerprint: row.code_fingerprint,
                status: u16::try_from(row.status).unwrap_or_default(),
            })
            .collect())
    }

    pub async fn clear_calls(&self) -> Result<(), DbErr> {
        call::Entity::delete_many().exec(&self.db).await?;
        Ok(())
    }
}

/// The first path segments of the Meta-facing routes (the product of a logged call). Other
/// paths reaching the fallback — a browser's `/favicon.ico` — are not Meta calls.
const PRODUCTS: [&str; 7] = [
    "facebook",
    "graph",
    "instagram",
    "instagram-api",
    "instagram-graph",
    "threads",
    "threads-graph",
];

/// The token and code a request carries, wherever Meta would read them from.
fn secrets(query: &str, form: &[u8], headers: &HeaderMap) -> (Option<String>, Option<String>) {
    let params = super::graph::params::merge(query, form);
    let token = super::graph::auth::access_token(&params, headers)
        .or_else(|| params.get("fb_exchange_token").cloned())
        .filter(|t| !t.is_empty());
    let code = params.get("code").filter(|c| !c.is_empty()).cloned();
    (token, code)
}

/// The middleware: injected failure or the real handler, then one row in the call log.
pub async fn observe(State(sandbox): State<Sandbox>, request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or_default().to_owned();
    let product = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    if !PRODUCTS.contains(&product.as_str()) {
        return next.run(request).await;
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let (parts, body) = request.into_parts();
    let (form, body) = if is_form {
        match axum::body::to_bytes(body, MAX_INSPECTED_BODY).await {
            Ok(bytes) => (bytes.clone(), Body::from(bytes)),
            Err(_) => return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response(),
        }
    } else {
        (axum::body::Bytes::new(), body)
    };
    let (token, code) = secrets(&query, &form, &parts.headers);
    let request = Request::from_parts(parts, body);

    let (failure, now) = match sandbox.arrival(&path).await {
        Ok(arrival) => (arrival.failure, Some(arrival.now)),
        Err(err) => {
            tracing::error!(error = %err, "sandbox: cannot read the clock and failure plans");
            (None, None)
        }
    };
    let answer = |request: Request, next: Next| async move {
        match now {
            Some(now) => at_call_time(now, next.run(request)).await,
            // The handler reads the clock itself, and answers the error it meets.
            None => next.run(request).await,
        }
    };
    let mut entry = Call {
        at: now.unwrap_or_default(),
        method,
        path,
        product,
        token_fingerprint: token.as_deref().map(fingerprint),
        code_fingerprint: code.as_deref().map(fingerprint),
        status: 0,
    };
    let response = match failure {
        Some(Failure::Timeout { seconds }) => {
            // Logged before waiting: the client gives up long before the answer is sent.
            entry.status = 504;
            log(&sandbox, entry.clone()).await;
            tokio::time::sleep(Duration::from_secs(
                seconds.unwrap_or(DEFAULT_TIMEOUT_SECONDS),
            ))
            .await;
            return Failure::Timeout { seconds }.response();
        }
        Some(Failure::Late { seconds }) => {
            // Meta acts; the client gives up before it hears so.
            let response = answer(request, next).await;
            entry.status = response.status().as_u16();
            log(&sandbox, entry.clone()).await;
            tokio::time::sleep(Duration::from_secs(
                seconds.unwrap_or(DEFAULT_TIMEOUT_SECONDS),
            ))
            .await;
            return response;
        }
        Some(Failure::Usage { percent }) => {
            let mut response = answer(request, next).await;
            set_usage(&mut response, percent, DEFAULT_REGAIN_MINUTES);
            response
        }
        Some(Failure::Override { field, value }) => {
            override_field(answer(request, next).await, &field, value).await
        }
        Some(other) => other.response(),
        None => answer(request, next).await,
    };
    entry.status = response.status().as_u16();
    log(&sandbox, entry).await;
    response
}

/// The real answer with `field` set to `value`; an answer that isn't a JSON object is passed
/// on unchanged.
async fn override_field(response: Response, field: &str, value: serde_json::Value) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_INSPECTED_BODY).await else {
        return axum::http::StatusCode::BAD_GATEWAY.into_response();
    };
    let bytes = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Object(mut object)) => {
            object.insert(field.to_owned(), value);
            parts.headers.remove(axum::http::header::CONTENT_LENGTH);
            serde_json::Value::Object(object)
                .to_string()
                .into_bytes()
                .into()
        }
        _ => bytes,
    };
    Response::from_parts(parts, Body::from(bytes))
}

/// Writes `entry` before the answer is sent (a failure is logged by `call_log`).
async fn log(sandbox: &Sandbox, entry: Call) {
    sandbox.call_log.write(&sandbox.db, entry).await;
}

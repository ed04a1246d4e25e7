//! The one HTTP client every call to Meta goes through: a timeout on every call
//! (`SWITCHBOARD_HTTP_TIMEOUT`), no redirects followed, a capped body read, the shared backoff
//! (a call waits while one is in force; every answer's usage headers and rate-limit codes are
//! recorded — docs/meta-api.md §9), and every failure classified as a [`MetaError`]. Neither
//! URLs (they carry tokens) nor bodies are ever logged.

use super::error::MetaError;
use super::gate::{UsageGate, Verdict};
use super::usage::read_usage;
use crate::server::metrics::labels::{endpoint_of, MetaLabels};
use crate::server::metrics::Metrics;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::time::{Duration, Instant};

/// The largest answer read from Meta. A Page list of 100 entries is well under 100 KiB.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// One product's client: the shared connection pool, the gate of the app it speaks for, and
/// the instance's counters (every call is counted by endpoint and outcome).
#[derive(Clone)]
pub struct MetaHttp {
    client: reqwest::Client,
    gate: UsageGate,
    metrics: Metrics,
}

#[derive(Deserialize)]
struct GraphErrorBody {
    error: GraphErrorFields,
}

#[derive(Deserialize)]
struct GraphErrorFields {
    code: i64,
    error_subcode: Option<i64>,
}

/// Instagram Login's own error shape on its code-exchange host (docs/meta-api.md §6.2):
/// `{"error_type": "OAuthException", "code": 400, "error_message": "…"}`.
#[derive(Deserialize)]
struct InstagramErrorBody {
    error_type: String,
    code: i64,
}

impl MetaHttp {
    pub fn new(
        timeout: Duration,
        gate: UsageGate,
        metrics: Metrics,
    ) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Switchboard/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            client,
            gate,
            metrics,
        })
    }

    /// The same connection pool, speaking for another app (one client per product).
    pub fn with_gate(&self, gate: UsageGate) -> Self {
        Self {
            client: self.client.clone(),
            gate,
            metrics: self.metrics.clone(),
        }
    }

    /// The backoff this client respects.
    pub fn gate(&self) -> &UsageGate {
        &self.gate
    }

    /// This client for work already admitted: its calls record backoffs but aren't refused by
    /// them (see [`UsageGate::admitted`]).
    pub fn admitted(&self) -> Self {
        self.with_gate(self.gate.admitted())
    }

    /// This client for a batch of calls admitted by one read of the shared backoff (see
    /// [`UsageGate::admit_batch`]); refused while a backoff is in force.
    pub async fn admit_batch(&self) -> Result<Self, MetaError> {
        Ok(self.with_gate(self.gate.admit_batch().await?))
    }

    /// GET `url` with `params`, answering the JSON body as `T`.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        url: &str,
        params: &[(&str, &str)],
    ) -> Result<T, MetaError> {
        self.get_json_on(None, url, params).await
    }

    /// [`MetaHttp::get_json`] for a call naming `object` (a Page id in its path), whose own
    /// backoff applies to it too.
    pub async fn get_json_on<T: DeserializeOwned>(
        &self,
        object: Option<&str>,
        url: &str,
        params: &[(&str, &str)],
    ) -> Result<T, MetaError> {
        let request = self.client.get(url).query(params);
        self.send(object, url, request).await
    }

    /// POST `params` as a form to `url` (Instagram's and Threads' code exchanges), answering the
    /// JSON body as `T`. Secrets travel in the body, not the URL.
    pub async fn post_form_json<T: DeserializeOwned>(
        &self,
        url: &str,
        params: &[(&str, &str)],
    ) -> Result<T, MetaError> {
        let request = self.client.post(url).form(params);
        self.send(None, url, request).await
    }

    /// POST `params` as a form to `url`, naming `object` (publishing: the Page or account the
    /// path starts with), whose own backoff applies too.
    pub async fn post_form_json_on<T: DeserializeOwned>(
        &self,
        object: Option<&str>,
        url: &str,
        params: &[(&str, &str)],
    ) -> Result<T, MetaError> {
        let request = self.client.post(url).form(params);
        self.send(object, url, request).await
    }

    /// DELETE `url` (naming `object`) with `params` as a form body (the app token stays out of
    /// the URL), answering the JSON body as `T`.
    pub async fn delete_form_json<T: DeserializeOwned>(
        &self,
        object: Option<&str>,
        url: &str,
        params: &[(&str, &str)],
    ) -> Result<T, MetaError> {
        let request = self.client.delete(url).form(params);
        self.send(object, url, request).await
    }

    /// Every call, counted by endpoint (`url` with its ids replaced; its query never read) and
    /// outcome.
    async fn send<T: DeserializeOwned>(
        &self,
        object: Option<&str>,
        url: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<T, MetaError> {
        let started = Instant::now();
        let result = self.exchange(object, request).await;
        let labels = MetaLabels {
            endpoint: endpoint_of(url),
            outcome: result.as_ref().map_or_else(MetaError::kind, |_| "ok"),
        };
        self.metrics.meta_call(labels, started.elapsed());
        result
    }

    /// One exchange: refused before anything is sent while a backoff is in force; the answer's
    /// usage headers weighed whatever it says, even when its body is unusable.
    async fn exchange<T: DeserializeOwned>(
        &self,
        object: Option<&str>,
        request: reqwest::RequestBuilder,
    ) -> Result<T, MetaError> {
        self.gate.admit(object).await?;
        let mut response = request.send().await.map_err(|err| {
            // No connection: nothing reached Meta. Anything else (a timeout, a connection
            // broken after the request went out): Meta may have acted.
            let connected = !err.is_connect();
            // `without_url`: the URL carries tokens.
            tracing::warn!(error = %err.without_url(), "a call to Meta failed before an answer");
            if !connected {
                MetaError::Network
            } else {
                MetaError::Unanswered
            }
        })?;
        let status = response.status();
        let usage = read_usage(response.headers());
        let body = read_body(&mut response, status).await;
        let verdict = match &body {
            Ok(body) => classify(status, body),
            Err(err) => Verdict::Failed(err.clone()),
        };
        self.gate.observe(&usage, object, verdict).await?;
        let body = body?;
        serde_json::from_slice(&body).map_err(|err| {
            tracing::warn!(
                status = status.as_u16(),
                line = err.line(),
                column = err.column(),
                "Meta's answer was not the JSON expected"
            );
            MetaError::Malformed
        })
    }
}

/// The body, read up to [`MAX_BODY_BYTES`].
async fn read_body(
    response: &mut reqwest::Response,
    status: StatusCode,
) -> Result<Vec<u8>, MetaError> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    tracing::warn!(status = status.as_u16(), "Meta's answer was too large");
                    return Err(MetaError::Malformed);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(err) => {
                tracing::warn!(error = %err.without_url(), "Meta's answer broke off");
                return Err(MetaError::Unanswered);
            }
        }
    }
}

/// What a status and body say: any body that parses as a Graph (or Instagram Login) error is
/// an error whatever the status; then 5xx, other non-2xx statuses, and a usable answer.
fn classify(status: StatusCode, body: &[u8]) -> Verdict {
    if let Ok(GraphErrorBody { error }) = serde_json::from_slice::<GraphErrorBody>(body) {
        tracing::warn!(
            status = status.as_u16(),
            code = error.code,
            subcode = error.error_subcode,
            "Meta answered with a Graph error"
        );
        return match MetaError::from_graph_code(error.code, error.error_subcode) {
            MetaError::RateLimited { .. } => Verdict::RateLimitCode(error.code),
            other => Verdict::Failed(other),
        };
    }
    if let Ok(error) = serde_json::from_slice::<InstagramErrorBody>(body) {
        tracing::warn!(
            status = status.as_u16(),
            code = error.code,
            kind = error.error_type.as_str(),
            "Instagram answered with an error"
        );
        return match MetaError::from_graph_code(error.code, None) {
            MetaError::RateLimited { .. } => Verdict::RateLimitCode(error.code),
            other => Verdict::Failed(other),
        };
    }
    if status.is_server_error() {
        tracing::warn!(
            status = status.as_u16(),
            "Meta answered with a server error"
        );
        return Verdict::Failed(MetaError::Unavailable);
    }
    if !status.is_success() {
        tracing::warn!(
            status = status.as_u16(),
            "Meta answered with an unexpected status"
        );
        return Verdict::Failed(MetaError::Malformed);
    }
    Verdict::Usable
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph_error(code: i64) -> Vec<u8> {
        format!(r#"{{"error":{{"message":"m","type":"OAuthException","code":{code}}}}}"#)
            .into_bytes()
    }

    #[test]
    fn graph_errors_are_classified_whatever_the_status() {
        let ok = StatusCode::OK;
        let bad = StatusCode::BAD_REQUEST;
        assert_eq!(classify(ok, br#"{"id":"1"}"#), Verdict::Usable);
        assert_eq!(classify(ok, &graph_error(4)), Verdict::RateLimitCode(4));
        assert_eq!(
            classify(bad, &graph_error(80001)),
            Verdict::RateLimitCode(80001)
        );
        assert_eq!(
            classify(bad, &graph_error(368)),
            Verdict::Failed(MetaError::PolicyBlocked { subcode: None })
        );
        let html = b"<html></html>";
        let failed = |e| Verdict::Failed(e);
        assert_eq!(
            classify(StatusCode::BAD_GATEWAY, html),
            failed(MetaError::Unavailable)
        );
        assert_eq!(
            classify(StatusCode::NOT_FOUND, html),
            failed(MetaError::Malformed)
        );
    }
}

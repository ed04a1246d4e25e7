//! The one HTTP client every call to Meta goes through: a timeout on every call
//! (`SWITCHBOARD_HTTP_TIMEOUT`), no redirects followed, a capped body read, Meta's usage
//! headers checked against the back-off threshold, and every failure classified as a
//! [`MetaError`]. Neither URLs (they carry tokens) nor bodies are ever logged.

use super::error::MetaError;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::time::Duration;

/// The largest answer read from Meta. A Page list of 100 entries is well under 100 KiB.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Clone)]
pub struct MetaHttp {
    client: reqwest::Client,
    usage_threshold: u32,
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
    pub fn new(timeout: Duration, usage_threshold: u8) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Switchboard/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            client,
            usage_threshold: u32::from(usage_threshold),
        })
    }

    /// GET `url` with `params`, answering the JSON body as `T`.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        url: &str,
        params: &[(&str, &str)],
    ) -> Result<T, MetaError> {
        let request = self.client.get(url).query(params);
        self.send(request).await
    }

    /// POST `params` as a form to `url` (Instagram's and Threads' code exchanges), answering the
    /// JSON body as `T`. Secrets travel in the body, not the URL.
    pub async fn post_form_json<T: DeserializeOwned>(
        &self,
        url: &str,
        params: &[(&str, &str)],
    ) -> Result<T, MetaError> {
        let request = self.client.post(url).form(params);
        self.send(request).await
    }

    /// DELETE `url` with `params` as a form body (the app token stays out of the URL), answering
    /// the JSON body as `T`.
    pub async fn delete_form_json<T: DeserializeOwned>(
        &self,
        url: &str,
        params: &[(&str, &str)],
    ) -> Result<T, MetaError> {
        let request = self.client.delete(url).form(params);
        self.send(request).await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, MetaError> {
        let mut response = request.send().await.map_err(|err| {
            // `without_url`: the URL carries tokens.
            tracing::warn!(error = %err.without_url(), "a call to Meta failed before an answer");
            MetaError::Network
        })?;
        let status = response.status();
        let usage = usage_percent(response.headers());
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
                Ok(None) => break,
                Err(err) => {
                    tracing::warn!(error = %err.without_url(), "Meta's answer broke off");
                    return Err(MetaError::Network);
                }
            }
        }
        if let Ok(GraphErrorBody { error }) = serde_json::from_slice::<GraphErrorBody>(&body) {
            tracing::warn!(
                status = status.as_u16(),
                code = error.code,
                subcode = error.error_subcode,
                "Meta answered with a Graph error"
            );
            let mut classified = MetaError::from_graph_code(error.code, error.error_subcode);
            if let MetaError::RateLimited { regain_minutes } = &mut classified {
                *regain_minutes = usage.regain_minutes;
            }
            return Err(classified);
        }
        if let Ok(error) = serde_json::from_slice::<InstagramErrorBody>(&body) {
            tracing::warn!(
                status = status.as_u16(),
                code = error.code,
                kind = error.error_type.as_str(),
                "Instagram answered with an error"
            );
            return Err(MetaError::from_graph_code(error.code, None));
        }
        if status.is_server_error() {
            tracing::warn!(
                status = status.as_u16(),
                "Meta answered with a server error"
            );
            return Err(MetaError::Unavailable);
        }
        if !status.is_success() {
            tracing::warn!(
                status = status.as_u16(),
                "Meta answered with an unexpected status"
            );
            return Err(MetaError::Malformed);
        }
        if usage.percent >= self.usage_threshold {
            tracing::warn!(
                usage = usage.percent,
                "Meta usage is at the back-off threshold"
            );
            return Err(MetaError::RateLimited {
                regain_minutes: usage.regain_minutes,
            });
        }
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

/// The highest usage Meta reports in its headers, and the time to regain access, if given.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub percent: u32,
    pub regain_minutes: Option<u32>,
}

/// Reads `X-App-Usage`, `X-Page-Usage` and `X-Business-Use-Case-Usage` (docs/meta-api.md §9).
pub fn usage_percent(headers: &HeaderMap) -> Usage {
    let mut usage = Usage::default();
    let mut consider = |object: &serde_json::Value| {
        for key in ["call_count", "total_time", "total_cputime"] {
            if let Some(value) = object.get(key).and_then(serde_json::Value::as_f64) {
                usage.percent = usage.percent.max(value.clamp(0.0, 1000.0) as u32);
            }
        }
        if let Some(minutes) = object
            .get("estimated_time_to_regain_access")
            .and_then(serde_json::Value::as_u64)
            .filter(|m| *m > 0)
        {
            let minutes = u32::try_from(minutes).unwrap_or(u32::MAX);
            usage.regain_minutes = Some(usage.regain_minutes.unwrap_or(0).max(minutes));
        }
    };
    for name in ["x-app-usage", "x-page-usage"] {
        if let Some(value) = header_json(headers, name) {
            consider(&value);
        }
    }
    if let Some(serde_json::Value::Object(objects)) =
        header_json(headers, "x-business-use-case-usage")
    {
        for entries in objects.values() {
            for entry in entries.as_array().into_iter().flatten() {
                consider(entry);
            }
        }
    }
    usage
}

fn header_json(headers: &HeaderMap, name: &str) -> Option<serde_json::Value> {
    serde_json::from_str(headers.get(name)?.to_str().ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn usage_is_the_highest_figure_in_any_header() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-app-usage",
            HeaderValue::from_static(r#"{"call_count":28,"total_time":25,"total_cputime":25}"#),
        );
        headers.insert(
            "x-business-use-case-usage",
            HeaderValue::from_static(
                r#"{"1111":[{"type":"pages","call_count":97,"total_cputime":23,"total_time":23,"estimated_time_to_regain_access":4}]}"#,
            ),
        );
        assert_eq!(
            usage_percent(&headers),
            Usage {
                percent: 97,
                regain_minutes: Some(4)
            }
        );
    }

    #[test]
    fn missing_or_garbled_usage_headers_count_as_no_usage() {
        let mut headers = HeaderMap::new();
        headers.insert("x-app-usage", HeaderValue::from_static("not json"));
        assert_eq!(usage_percent(&headers), Usage::default());
    }
}

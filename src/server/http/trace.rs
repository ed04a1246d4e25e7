//! The request trace: a span per request naming the method and path only (queries carry OAuth
//! codes, states and, to the sandbox, tokens), and how a server-error answer is logged.
//!
//! A 503 is Switchboard refusing on purpose — sign-in busy under a storm, the database out of
//! reach — and each is already explained where it is decided; logging every one at ERROR
//! would let a wrong-password flood fill the logs with hundreds of lines a second. So a 503 is
//! logged at DEBUG, and every other 5xx (a bug, a panic turned into a 500) at ERROR.

use axum::http::{Request, StatusCode};
use std::time::Duration;
use tower_http::classify::{ServerErrorsAsFailures, ServerErrorsFailureClass, SharedClassifier};
use tower_http::trace::{
    DefaultOnBodyChunk, DefaultOnEos, DefaultOnRequest, DefaultOnResponse, MakeSpan, OnFailure,
    TraceLayer,
};
use tracing::Span;

/// The span of one request.
#[derive(Clone, Copy)]
pub struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, request: &Request<B>) -> Span {
        tracing::debug_span!("request", method = %request.method(), path = %request.uri().path())
    }
}

/// How a failed answer is logged.
#[derive(Clone, Copy)]
pub struct LogFailure;

impl OnFailure<ServerErrorsFailureClass> for LogFailure {
    fn on_failure(&mut self, class: ServerErrorsFailureClass, latency: Duration, _: &Span) {
        let latency_ms = latency.as_millis();
        match class {
            ServerErrorsFailureClass::StatusCode(StatusCode::SERVICE_UNAVAILABLE) => {
                tracing::debug!(latency_ms, "answered 503: refused on purpose");
            }
            other => tracing::error!(classification = %other, latency_ms, "response failed"),
        }
    }
}

/// The layer, as the router uses it.
pub fn layer() -> TraceLayer<
    SharedClassifier<ServerErrorsAsFailures>,
    RequestSpan,
    DefaultOnRequest,
    DefaultOnResponse,
    DefaultOnBodyChunk,
    DefaultOnEos,
    LogFailure,
> {
    TraceLayer::new_for_http()
        .make_span_with(RequestSpan)
        .on_failure(LogFailure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if let Ok(mut buffer) = self.0.lock() {
                buffer.extend_from_slice(bytes);
            }
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// What `class` logs at INFO and above.
    fn logged(class: ServerErrorsFailureClass) -> String {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            LogFailure.on_failure(class, Duration::from_millis(3), &Span::none());
        });
        let bytes = buffer.0.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[test]
    fn a_503_refused_on_purpose_is_not_an_error_line_but_a_500_is() {
        let busy = ServerErrorsFailureClass::StatusCode(StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(logged(busy), "");
        let bug = logged(ServerErrorsFailureClass::StatusCode(
            StatusCode::INTERNAL_SERVER_ERROR,
        ));
        assert!(bug.contains("ERROR") && bug.contains("500"), "{bug}");
        let lost = logged(ServerErrorsFailureClass::Error("connection reset".into()));
        assert!(lost.contains("ERROR"), "{lost}");
    }
}

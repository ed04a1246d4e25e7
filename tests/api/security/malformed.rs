//! Meta answering badly on every call of a Facebook, Instagram or Threads connection — an HTML
//! page, truncated JSON,
//! a body far over the size cap, and a well-formed answer with its key field missing or of the
//! wrong type: each connection fails closed (an error the person can act on, 0 rows stored)
//! and the answer's body is never logged (requirement 11).

use crate::connect::direct::{Direct, ACME_DIRECT, ACME_THREADS, INSTAGRAM, THREADS};
use crate::connect::{connect, outcome, stored, Consent, ALEX};
use crate::helpers::{spawn_app, TestApp};
use crate::logs::Capture;
use meta_sandbox::failures::Failure;
use serde_json::json;
use tracing_subscriber::filter::LevelFilter;

/// A marker inside every bad answer the sandbox sends.
const SENTINEL: &str = "sentinel-meta-body-5521";

/// The calls a Facebook connection makes, with the field its answer can't do without.
const CALLS: [(&str, &str); 5] = [
    ("*/oauth/access_token", "access_token"),
    ("*/me", "id"),
    ("*/me/permissions", "data"),
    ("*/debug_token", "data"),
    ("*/me/accounts", "data"),
];

fn bad_answers(field: &str) -> Vec<Failure> {
    vec![
        Failure::Html,
        Failure::MalformedJson,
        Failure::Oversized {
            bytes: Some(3_000_000),
        },
        Failure::Override {
            field: field.to_owned(),
            value: serde_json::Value::Null,
        },
        Failure::Override {
            field: field.to_owned(),
            value: json!({ "unexpected": SENTINEL }),
        },
    ]
}

/// A connection whose `path` answered `failure` landed on an error, stored nothing, and the
/// plan is cleared for the next case.
async fn assert_failed_closed(app: &TestApp, path: &str, failure: &Failure, landed: &str) {
    assert!(
        landed.starts_with("/settings/integrations?error="),
        "{path} answering {failure:?} landed on {landed}"
    );
    assert_eq!(
        stored(app).await,
        (0, 0),
        "{path} {failure:?}: nothing stored"
    );
    app.sandbox.clear_failures().await.unwrap();
}

async fn connect_refused(app: &TestApp) -> String {
    let response = connect(app, Consent::all(ALEX, &["1111", "2222"])).await;
    outcome(app, response).await.0
}

#[tokio::test]
async fn every_bad_answer_on_every_connect_call_fails_closed_and_is_never_logged() {
    let app = spawn_app().await;
    app.setup().await;
    let logs = Capture::start(LevelFilter::TRACE).await;
    let mut tried = 0;
    for (path, field) in CALLS {
        for failure in bad_answers(field) {
            app.sandbox.fail_next(path, 1, &failure).await.unwrap();
            let landed = connect_refused(&app).await;
            assert_failed_closed(&app, path, &failure, &landed).await;
            tried += 1;
        }
    }
    // debug_token saying the token is not valid, or describing another app's token.
    let ours = app.sandbox.apps().await.unwrap().facebook.app_id;
    for data in [
        json!({ "is_valid": false, "app_id": ours, "expires_at": 0 }),
        json!({ "is_valid": true, "app_id": "999999", "expires_at": 0 }),
    ] {
        let failure = Failure::Override {
            field: "data".into(),
            value: data.clone(),
        };
        app.sandbox
            .fail_next("*/debug_token", 1, &failure)
            .await
            .unwrap();
        let landed = connect_refused(&app).await;
        assert!(
            landed.contains("?error="),
            "debug_token {data} landed on {landed}"
        );
        assert_eq!(stored(&app).await, (0, 0));
        tried += 1;
    }
    let text = logs.text();
    assert!(!text.contains(SENTINEL), "a bad answer's body was logged");
    assert!(!text.contains("<html"), "an HTML answer was logged");
    println!("{tried} bad answers tried, each refused with nothing stored");
}

/// The calls of Connect Instagram and Connect Threads, each with the field its answer can't do
/// without (`None`: the answer has two accepted shapes, so only unreadable answers are sent).
const DIRECT_CALLS: [(&str, &str, Option<&str>); 7] = [
    ("instagram", "*/instagram-api/oauth/access_token", None),
    ("instagram", "*/instagram-graph/*/me", Some("user_id")),
    (
        "instagram",
        "*/instagram-graph/access_token",
        Some("access_token"),
    ),
    ("threads", "*/threads-graph/*oauth/access_token", None),
    (
        "threads",
        "*/threads-graph/access_token",
        Some("access_token"),
    ),
    ("threads", "*/threads-graph/*/debug_token", Some("data")),
    ("threads", "*/threads-graph/*/me", Some("id")),
];

#[tokio::test]
async fn every_bad_answer_on_every_instagram_and_threads_connect_call_fails_closed_and_is_never_logged(
) {
    let app = spawn_app().await;
    app.setup().await;
    let logs = Capture::start(LevelFilter::TRACE).await;
    let mut tried = 0;
    for (provider, path, field) in DIRECT_CALLS {
        let (flow, who): (&Direct, &str) = match provider {
            "instagram" => (&INSTAGRAM, ACME_DIRECT),
            _ => (&THREADS, ACME_THREADS),
        };
        let mut answers = bad_answers(field.unwrap_or("access_token"));
        if field.is_none() {
            answers.truncate(3);
        }
        for failure in answers {
            app.sandbox.fail_next(path, 1, &failure).await.unwrap();
            let (landed, _) = flow.connect(&app, who, &flow.scopes).await;
            assert_failed_closed(&app, path, &failure, &landed).await;
            tried += 1;
        }
    }
    let text = logs.text();
    assert!(!text.contains(SENTINEL), "a bad answer's body was logged");
    assert!(!text.contains("<html"), "an HTML answer was logged");
    assert_eq!(tried, 2 * 3 + 5 * 5);
}

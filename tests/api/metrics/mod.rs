//! `/metrics` (docs/operations.md → "Metrics"): Prometheus text that parses, counters that move
//! when the sandbox is driven through a connect, a sweep and failures, database gauges, no ids
//! or tokens in any label, and the optional bearer token.

mod parse;

use crate::connect::{connect, outcome, Consent, ALEX};
use crate::connections::{connect_alex, owner_app};
use crate::helpers::{spawn_app_with, TestApp};
use meta_sandbox::failures::Failure;
use parse::{value, Sample};
use switchboard::server::jobs::maintenance::run_once;

/// Scrapes `/metrics` (no token) and parses it.
async fn scrape(app: &TestApp) -> Vec<Sample> {
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let body = response.text().await.unwrap();
    parse::parse(&body).unwrap_or_else(|err| panic!("{err}\n{body}"))
}

#[tokio::test]
async fn metrics_parse_and_move_with_a_connect_a_sweep_and_failures() {
    let app = owner_app().await;
    let fresh = scrape(&app).await;
    assert_eq!(
        value(&fresh, "switchboard_accounts", &[]),
        0.0,
        "no accounts yet"
    );
    assert_eq!(
        fresh
            .iter()
            .filter(|s| s.name == "switchboard_accounts")
            .count(),
        12,
        "every platform × status, at 0"
    );

    connect_alex(&app, &["1111", "2222"]).await;
    let connected = scrape(&app).await;
    let callback = [
        ("method", "GET"),
        ("route", "/oauth/{provider}/callback"),
        ("status", "303"),
    ];
    assert_eq!(
        value(&connected, "switchboard_http_requests_total", &callback),
        1.0
    );
    assert_eq!(
        value(
            &connected,
            "switchboard_http_request_duration_seconds_count",
            &callback
        ),
        1.0
    );
    let ok = |endpoint| [("endpoint", endpoint), ("outcome", "ok")];
    assert_eq!(
        value(
            &connected,
            "switchboard_meta_calls_total",
            &ok("oauth/access_token")
        ),
        2.0,
        "code, then long-lived"
    );
    assert_eq!(
        value(
            &connected,
            "switchboard_meta_calls_total",
            &ok("me/accounts")
        ),
        1.0
    );
    assert!(
        value(
            &connected,
            "switchboard_meta_call_duration_seconds_count",
            &ok("debug_token")
        ) >= 1.0
    );
    let active_pages = [("platform", "facebook_page"), ("status", "active")];
    assert_eq!(
        value(&connected, "switchboard_accounts", &active_pages),
        2.0
    );
    assert_eq!(
        value(&connected, "switchboard_accounts", &[("status", "active")]),
        3.0
    );

    // A sweep after Meta invalidated Alex's sessions: three accounts need reauthorization.
    let sweeps_before = value(
        &connected,
        "switchboard_sweeps_total",
        &[("outcome", "completed")],
    );
    app.sandbox.invalidate_user(ALEX, 460).await.unwrap();
    run_once(&app.state).await.unwrap();
    let swept = scrape(&app).await;
    assert!(
        value(
            &swept,
            "switchboard_sweeps_total",
            &[("outcome", "completed")]
        ) > sweeps_before
    );
    assert!(value(&swept, "switchboard_tokens_total", &[("action", "probed")]) >= 1.0);
    assert_eq!(
        value(
            &swept,
            "switchboard_token_failures_total",
            &[("reason", "password_changed")]
        ),
        3.0
    );
    assert_eq!(
        value(
            &swept,
            "switchboard_accounts",
            &[("status", "needs_reauth")]
        ),
        3.0
    );

    // Meta failing a connect: counted by its kind, and the app's rate-limit backoff shows.
    app.sandbox
        .fail_next("*oauth/access_token*", 1, &Failure::Http500)
        .await
        .unwrap();
    let _ = connect(&app, Consent::all(ALEX, &["1111"])).await;
    app.sandbox
        .fail_next(
            "*me/accounts*",
            1,
            &Failure::GraphError {
                code: 4,
                subcode: None,
                minutes: Some(5),
            },
        )
        .await
        .unwrap();
    let _ = connect(&app, Consent::all(ALEX, &["1111"])).await;
    let failed = scrape(&app).await;
    let unavailable = [
        ("endpoint", "oauth/access_token"),
        ("outcome", "unavailable"),
    ];
    assert_eq!(
        value(&failed, "switchboard_meta_calls_total", &unavailable),
        1.0
    );
    let limited = [("endpoint", "me/accounts"), ("outcome", "rate_limited")];
    assert_eq!(
        value(&failed, "switchboard_meta_calls_total", &limited),
        1.0
    );
    assert_eq!(
        value(
            &failed,
            "switchboard_meta_backoffs_in_force",
            &[("scope", "app")]
        ),
        1.0
    );
    assert_eq!(value(&failed, "switchboard_revocations_pending", &[]), 0.0);
}

#[tokio::test]
async fn no_metric_label_carries_an_id_a_token_or_a_query() {
    let app = owner_app().await;
    let response = connect(&app, Consent::all(ALEX, &["1111", "2222"])).await;
    outcome(&app, response).await;
    let _ = app.get("/accounts/1?x=secret-query-value").await;
    let samples = scrape(&app).await;
    let ids: Vec<String> =
        <switchboard::server::entities::account::Entity as sea_orm::EntityTrait>::find()
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.external_id)
            .collect();
    for sample in &samples {
        for value in sample.labels.values() {
            assert!(
                !ids.iter().any(|id| value.contains(id.as_str())),
                "{sample:?}"
            );
            assert!(
                !value.contains('?') && !value.contains("secret-query-value"),
                "{sample:?}"
            );
            assert!(
                !value.contains("EAA") && !value.contains("IGQ"),
                "{sample:?}"
            );
        }
    }
    assert!(samples
        .iter()
        .any(|s| s.labels.get("route").map(String::as_str) == Some("/accounts/{id}")));
}

const TOKEN: &str = "metrics-sentinel-0123456789";

#[tokio::test]
async fn with_a_metrics_token_only_a_request_bearing_it_is_answered() {
    let app = spawn_app_with(&[("SWITCHBOARD_METRICS_TOKEN", TOKEN)]).await;
    let metrics = app.url("/metrics");
    for authorization in [None, Some("Bearer wrong-token-0123456789"), Some(TOKEN)] {
        let mut request = app.client.get(&metrics);
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401, "{authorization:?}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        let body = response.text().await.unwrap();
        assert!(
            !body.contains("switchboard_") && !body.contains(TOKEN),
            "{body}"
        );
    }
    let response = app
        .client
        .get(&metrics)
        .header("authorization", format!("Bearer {TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert!(parse::parse(&body).is_ok());
    assert!(!body.contains(TOKEN));
}

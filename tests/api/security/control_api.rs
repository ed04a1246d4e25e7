//! The sandbox's control API answers local scripts and nobody else: not a page in a browser
//! (it sends `Origin`), not a DNS-rebinding page (its own `Host`), not a client behind a proxy.

use crate::helpers::{spawn_app, TestApp};
use reqwest::header::{HOST, ORIGIN};
use reqwest::Client;
use serde_json::json;

async fn apps_with(app: &TestApp, headers: &[(&str, &str)]) -> (u16, String) {
    let mut request = Client::new().get(app.url("/sandbox/_control/apps"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn clock_post_with(app: &TestApp, headers: &[(&str, &str)]) -> u16 {
    let mut request = Client::new()
        .post(app.url("/sandbox/_control/clock"))
        .json(&json!({ "seconds": 60 }));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn a_plain_local_script_reads_the_apps_and_moves_the_clock() {
    let app = spawn_app().await;
    let (status, body) = apps_with(&app, &[]).await;
    assert_eq!(status, 200);
    assert!(body.contains("app_secret"));
    assert_eq!(clock_post_with(&app, &[]).await, 200);
    let (status, _) = apps_with(&app, &[(HOST.as_str(), "localhost")]).await;
    assert_eq!(status, 200, "localhost is a loopback name");
    let own = app.address.clone();
    assert_eq!(
        clock_post_with(&app, &[(ORIGIN.as_str(), &own)]).await,
        200,
        "the app's own origin"
    );
}

#[tokio::test]
async fn a_foreign_host_name_is_refused_before_any_work() {
    let app = spawn_app().await;
    for host in [
        "rebind.evil.example",
        "rebind.evil.example:3000",
        "10.0.0.7",
    ] {
        let (status, body) = apps_with(&app, &[(HOST.as_str(), host)]).await;
        assert_eq!(status, 403, "{host}");
        assert!(!body.contains("app_secret"), "{host}: {body}");
        assert_eq!(clock_post_with(&app, &[(HOST.as_str(), host)]).await, 403);
    }
    assert_eq!(
        app.sandbox.clock_offset().await.unwrap(),
        0,
        "the clock did not move"
    );
}

#[tokio::test]
async fn a_request_from_a_web_page_is_refused_before_any_work() {
    let app = spawn_app().await;
    for origin in ["https://evil.example", "null", "http://127.0.0.1:1"] {
        let (status, body) = apps_with(&app, &[(ORIGIN.as_str(), origin)]).await;
        assert_eq!(status, 403, "{origin}");
        assert!(!body.contains("app_secret"));
        assert_eq!(
            clock_post_with(&app, &[(ORIGIN.as_str(), origin)]).await,
            403,
            "{origin}"
        );
    }
    assert_eq!(
        app.sandbox.clock_offset().await.unwrap(),
        0,
        "the clock did not move"
    );
}

#[tokio::test]
async fn a_request_through_a_proxy_is_refused_before_any_work() {
    let app = spawn_app().await;
    for (name, value) in [
        ("x-forwarded-for", "203.0.113.9"),
        ("forwarded", "for=203.0.113.9"),
        ("x-real-ip", "203.0.113.9"),
        ("x-forwarded-host", "switchboard.example"),
    ] {
        let (status, body) = apps_with(&app, &[(name, value)]).await;
        assert_eq!(status, 403, "{name}");
        assert!(!body.contains("app_secret"));
        assert_eq!(clock_post_with(&app, &[(name, value)]).await, 403, "{name}");
    }
    assert_eq!(
        app.sandbox.clock_offset().await.unwrap(),
        0,
        "the clock did not move"
    );
}

//! The sandbox's failure injection, call log, permission revocation and signed requests,
//! through HTTP and through the Rust API.

use super::{control, error_code, Meta, ALEX};
use crate::helpers::spawn_app;
use meta_sandbox::calls::{fingerprint, CallFilter};
use meta_sandbox::failures::Failure;
use meta_sandbox::signed::{Callback, Product};
use reqwest::Method;
use serde_json::{json, Value};
use switchboard::server::meta::signed_request;

async fn plan(app: &crate::helpers::TestApp, path: &str, times: i32, failure: Value) -> u16 {
    control(
        app,
        Method::POST,
        "/failures",
        Some(json!({ "path": path, "times": times, "failure": failure })),
    )
    .await
    .0
}

#[tokio::test]
async fn an_injected_failure_answers_the_next_n_calls_then_the_real_endpoint_answers_again() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let token = meta.long_token(ALEX, &["1111"]).await;
    assert_eq!(
        plan(&app, "*/me", 2, json!({ "kind": "graph_error", "code": 2 })).await,
        201
    );
    let (_, plans) = control(&app, Method::GET, "/failures", None).await;
    assert_eq!(plans["data"][0]["remaining"], 2);
    for _ in 0..2 {
        let (status, body) = meta.graph("/me", &[("access_token", &token)]).await;
        assert_eq!((status, error_code(&body)), (500, (2, None)));
    }
    let (status, body) = meta.graph("/me", &[("access_token", &token)]).await;
    assert_eq!((status, body["id"].as_str()), (200, Some(ALEX)));
    let (_, plans) = control(&app, Method::GET, "/failures", None).await;
    assert_eq!(plans["data"], json!([]), "the plan is spent");
}

#[tokio::test]
async fn each_failure_kind_answers_the_way_meta_fails() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let token = meta.long_token(ALEX, &["1111"]).await;
    let me = app.url("/sandbox/graph/v25.0/me");
    let get = || async {
        meta.http
            .get(&me)
            .query(&[("access_token", &token)])
            .send()
            .await
            .unwrap()
    };

    plan(&app, "*/me", 1, json!({ "kind": "http_500" })).await;
    assert_eq!(get().await.status(), 500);

    plan(&app, "*/me", 1, json!({ "kind": "malformed_json" })).await;
    let response = get().await;
    assert_eq!(response.status(), 200);
    assert!(serde_json::from_str::<Value>(&response.text().await.unwrap()).is_err());

    plan(&app, "*/me", 1, json!({ "kind": "html" })).await;
    let response = get().await;
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));

    plan(
        &app,
        "*/me",
        1,
        json!({ "kind": "oversized", "bytes": 2_000_000 }),
    )
    .await;
    assert_eq!(get().await.bytes().await.unwrap().len(), 2_000_000);

    plan(
        &app,
        "*/me",
        1,
        json!({ "kind": "graph_error", "code": 80001, "minutes": 9 }),
    )
    .await;
    let response = get().await;
    assert_eq!(response.status(), 400);
    let business = response.headers()["x-business-use-case-usage"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(business.contains("\"estimated_time_to_regain_access\":9"));
    assert_eq!(
        error_code(&response.json::<Value>().await.unwrap()),
        (80001, None)
    );

    plan(
        &app,
        "*/me",
        1,
        json!({ "kind": "graph_error", "code": 368, "subcode": 1390008 }),
    )
    .await;
    assert_eq!(
        error_code(&get().await.json::<Value>().await.unwrap()),
        (368, Some(1390008))
    );

    plan(&app, "*/me", 1, json!({ "kind": "usage", "percent": 95 })).await;
    let response = get().await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["x-app-usage"]
        .to_str()
        .unwrap()
        .contains("\"call_count\":95"));
    assert_eq!(response.json::<Value>().await.unwrap()["id"], ALEX);
}

#[tokio::test]
async fn an_injected_timeout_outlasts_the_clients_timeout_and_is_logged() {
    let app = spawn_app().await;
    app.sandbox
        .fail_next("*/debug_token", 1, &Failure::Timeout { seconds: Some(2) })
        .await
        .unwrap();
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_millis(300))
        .build()
        .unwrap();
    let err = client
        .get(app.url("/sandbox/graph/v25.0/debug_token"))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout());
    let calls = app
        .sandbox
        .calls(&CallFilter::path("*/debug_token"))
        .await
        .unwrap();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].status, 504);
}

#[tokio::test]
async fn the_call_log_records_every_call_with_fingerprints_never_the_secrets() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let code = meta.code(ALEX, &["1111"]).await;
    let (_, body) = meta.exchange(&code).await;
    let token = body["access_token"].as_str().unwrap().to_owned();
    meta.graph("/me", &[("access_token", &token)]).await;

    let (status, log) = control(
        &app,
        Method::GET,
        "/calls?path=*/oauth/access_token&method=GET",
        None,
    )
    .await;
    assert_eq!(status, 200);
    let calls = log["data"].as_array().unwrap();
    assert_eq!(calls.len(), 1, "{log}");
    assert_eq!(calls[0]["code_fingerprint"], fingerprint(&code));
    assert_eq!(calls[0]["product"], "graph");
    assert_eq!(calls[0]["status"], 200);
    let (_, all) = control(&app, Method::GET, "/calls", None).await;
    let text = all.to_string();
    assert!(
        !text.contains(&code) && !text.contains(&token),
        "no secrets"
    );
    let me = app
        .sandbox
        .calls(&CallFilter::path("*/me").method("get"))
        .await
        .unwrap();
    assert_eq!(
        me[0].token_fingerprint.as_deref(),
        Some(fingerprint(&token).as_str())
    );
    // The dialog is logged too (the consent screen's POST).
    assert!(text.contains("/facebook/v25.0/dialog/oauth"));

    assert_eq!(control(&app, Method::DELETE, "/calls", None).await.0, 204);
    let (_, log) = control(&app, Method::GET, "/calls", None).await;
    assert_eq!(log["data"], json!([]));
}

#[tokio::test]
async fn bad_failure_plans_are_refused_with_a_reason() {
    let app = spawn_app().await;
    let (status, body) = control(
        &app,
        Method::POST,
        "/failures",
        Some(json!({ "path": "*/me", "failure": { "kind": "explode" } })),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body["error"].is_string());
    assert_eq!(
        plan(&app, "*/me", 0, json!({ "kind": "http_500" })).await,
        422
    );
    assert_eq!(
        plan(&app, "graph/me", 1, json!({ "kind": "http_500" })).await,
        422
    );
    assert_eq!(
        plan(&app, "*/me", 1, json!({ "kind": "usage", "percent": 300 })).await,
        422
    );
    let (_, plans) = control(&app, Method::GET, "/failures", None).await;
    assert_eq!(plans["data"], json!([]), "nothing was planned");
    plan(&app, "*/me", 3, json!({ "kind": "http_500" })).await;
    assert_eq!(
        control(&app, Method::DELETE, "/failures", None).await.0,
        204
    );
    assert!(app.sandbox.failures().await.unwrap().is_empty());
}

#[tokio::test]
async fn revoking_one_permission_over_http_makes_it_declined() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let token = meta.long_token(ALEX, &["1111"]).await;
    let path = format!("/users/{ALEX}/permissions/instagram_basic/revoke");
    assert_eq!(control(&app, Method::POST, &path, None).await.0, 204);
    let (_, body) = meta
        .graph("/me/permissions", &[("access_token", &token)])
        .await;
    let status_of = |name: &str| {
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["permission"] == name)
            .map(|p| p["status"].clone())
    };
    assert_eq!(status_of("instagram_basic"), Some(json!("declined")));
    assert_eq!(status_of("pages_show_list"), Some(json!("granted")));
    assert_eq!(control(&app, Method::POST, &path, None).await.0, 404);
    assert!(!app
        .sandbox
        .revoke_permission("999", "pages_show_list")
        .await
        .unwrap());
}

#[tokio::test]
async fn signed_requests_verify_with_their_products_secret_and_forgeries_do_not() {
    let app = spawn_app().await;
    let apps = app.sandbox.apps().await.unwrap();
    for (product, name, secret) in [
        (Product::Facebook, "facebook", &apps.facebook.app_secret),
        (Product::Instagram, "instagram", &apps.instagram.app_secret),
        (Product::Threads, "threads", &apps.threads.app_secret),
    ] {
        let (status, body) = control(
            &app,
            Method::POST,
            "/signed_requests",
            Some(json!({ "product": name, "callback": "data_deletion", "user_id": "218471" })),
        )
        .await;
        assert_eq!(status, 200);
        let payload =
            signed_request::verify(secret, body["signed_request"].as_str().unwrap()).unwrap();
        assert_eq!(payload.user_id, "218471");
        assert!(payload.expires.unwrap() > payload.issued_at);

        let forged = app
            .sandbox
            .signed_request(product, Callback::Deauthorize, "218471", true)
            .await
            .unwrap();
        assert!(signed_request::verify(secret, &forged).is_err());
        let genuine = app
            .sandbox
            .signed_request(product, Callback::Deauthorize, "218471", false)
            .await
            .unwrap();
        let payload = signed_request::verify(secret, &genuine).unwrap();
        assert_eq!(payload.expires, None, "deauthorize carries no expiry");
    }
    let (status, _) = control(
        &app,
        Method::POST,
        "/signed_requests",
        Some(json!({ "product": "myspace", "callback": "deauthorize", "user_id": "1" })),
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_delivered_signed_request_goes_to_the_apps_own_webhook_path() {
    let app = spawn_app().await;
    let (status, body) = control(
        &app,
        Method::POST,
        "/signed_requests",
        Some(json!({ "product": "instagram", "callback": "deauthorize", "user_id": "42", "deliver": true })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["delivered"]["url"],
        app.url("/webhooks/instagram/deauthorize")
    );
    assert!(body["delivered"]["status"].as_u64().is_some());
    let delivery = app
        .sandbox
        .deliver_signed_request(Product::Facebook, Callback::DataDeletion, "42", false)
        .await
        .unwrap();
    assert_eq!(delivery.url, app.url("/webhooks/meta/data-deletion"));
}

#[tokio::test]
async fn failure_plans_and_the_call_log_survive_a_restart() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let token = meta.long_token(ALEX, &["1111"]).await;
    app.sandbox
        .fail_next(
            "*/me",
            1,
            &Failure::GraphError {
                code: 4,
                subcode: None,
                minutes: None,
            },
        )
        .await
        .unwrap();
    let logged = app
        .sandbox
        .calls(&CallFilter::default())
        .await
        .unwrap()
        .len();
    assert!(logged > 0);
    let (url, dir) = app.stop().await;
    let restarted = crate::helpers::spawn_app_on(&url, dir).await;
    let meta = Meta::new(&restarted).await;
    let (_, body) = meta.graph("/me", &[("access_token", &token)]).await;
    assert_eq!(error_code(&body), (4, None));
    let after = restarted
        .sandbox
        .calls(&CallFilter::default())
        .await
        .unwrap();
    assert_eq!(after.len(), logged + 1);
}

#[tokio::test]
async fn require_app_secret_refuses_user_tokens_without_their_proof() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let token = meta.long_token(ALEX, &["1111"]).await;
    let (status, body) = control(
        &app,
        Method::PUT,
        "/app_settings",
        Some(json!({ "require_appsecret_proof": true })),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let (status, body) = meta.graph("/me", &[("access_token", &token)]).await;
    assert_eq!((status, error_code(&body)), (400, (100, None)));
    let proof =
        switchboard::server::meta::proof::appsecret_proof(&meta.apps.facebook.app_secret, &token);
    let (status, _) = meta
        .graph(
            "/me",
            &[("access_token", &token), ("appsecret_proof", &proof)],
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = meta
        .graph(
            "/debug_token",
            &[("input_token", &token), ("access_token", &meta.app_token())],
        )
        .await;
    assert_eq!(status, 200, "the app's own token needs no proof");
    let (_, settings) = control(&app, Method::GET, "/app_settings", None).await;
    assert_eq!(settings["require_appsecret_proof"], true);
    assert_eq!(
        control(&app, Method::PUT, "/app_settings", Some(json!({ "x": 1 })))
            .await
            .0,
        400
    );
}

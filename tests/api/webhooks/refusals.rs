//! What the webhooks refuse: anything but one genuine signed request from the product the path
//! names, naming a sensible user — each refusal a 400 (413 for an oversized body, 404 for a
//! product without an app) with a short JSON error, and nothing changed.

use super::*;
use crate::logs::Capture;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use meta_sandbox::protocol::{sign_request, SignedPayload};
use sha2::Sha256;
use tracing_subscriber::filter::LevelFilter;

const DEAUTHORIZE: &str = "/webhooks/meta/deauthorize";

/// A payload signed with the sandbox's Facebook secret.
async fn facebook_signed(app: &TestApp, user_id: &str, algorithm: &'static str) -> String {
    let apps = app.sandbox.apps().await.unwrap();
    let payload = SignedPayload {
        user_id: user_id.to_owned(),
        algorithm,
        issued_at: 1_900_000_000,
        expires: None,
    };
    sign_request(&apps.facebook.app_secret, &payload)
}

/// `json` (any text) signed with `secret` as Meta signs a payload.
fn sign_text(secret: &str, json: &str) -> String {
    let encoded = URL_SAFE_NO_PAD.encode(json);
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(encoded.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signature}.{encoded}")
}

fn assert_refused(what: &str, (status, body): (u16, Value), expected: u16) {
    assert_eq!(status, expected, "{what}: {body}");
    assert!(
        body["code"].is_string() && body["error"].is_string(),
        "{what}: {body}"
    );
}

#[tokio::test]
async fn forged_mis_signed_malformed_and_oversized_requests_are_refused_and_change_nothing() {
    let app = app_with_alex().await;
    let before = snapshot(&app).await;
    let genuine = signed(&app, "facebook", "deauthorize", ALEX).await;
    let secret = app.sandbox.apps().await.unwrap().facebook.app_secret;

    assert_refused(
        "forged",
        deliver(&app, "facebook", "deauthorize", ALEX, true).await,
        400,
    );
    assert_refused(
        "forged data deletion",
        deliver(&app, "facebook", "data_deletion", ALEX, true).await,
        400,
    );
    let hs256 = facebook_signed(&app, ALEX, "HS256").await;
    let cases: Vec<(&str, String, u16)> = vec![
        ("another algorithm", form(&hs256), 400),
        ("truncated", form(&genuine[..genuine.len() - 4]), 400),
        ("signature cut", form(&genuine[8..]), 400),
        (
            "no signature",
            form(genuine.split_once('.').unwrap().1),
            400,
        ),
        ("missing field", "other=1".to_owned(), 400),
        ("empty body", String::new(), 400),
        ("empty field", "signed_request=".to_owned(), 400),
        (
            "doubled",
            format!("{}&{}", form(&genuine), form(&genuine)),
            400,
        ),
        ("garbage", form("!!!.???"), 400),
        ("not JSON", form(&sign_text(&secret, "user_id=1")), 400),
        (
            "JSON of the wrong shape",
            form(&sign_text(&secret, r#"{"user_id":1}"#)),
            400,
        ),
        (
            "empty user id",
            form(&facebook_signed(&app, "", "HMAC-SHA256").await),
            400,
        ),
        (
            "user id over 64 characters",
            form(&facebook_signed(&app, &"1".repeat(65), "HMAC-SHA256").await),
            400,
        ),
        (
            "signed request over its limit",
            form(&"a".repeat(4000)),
            400,
        ),
        ("body over 8 KiB", form(&"a".repeat(9000)), 413),
    ];
    for (what, body, expected) in cases {
        assert_refused(what, post_body(&app, DEAUTHORIZE, body).await, expected);
    }
    for (what, body) in [
        (
            "truncated data deletion",
            form(&genuine[..genuine.len() - 1]),
        ),
        ("another algorithm", form(&hs256)),
    ] {
        let path = "/webhooks/meta/data-deletion";
        assert_refused(what, post_body(&app, path, body).await, 400);
    }
    assert_eq!(snapshot(&app).await, before, "nothing changed");
    // And the genuine one, posted the same way, is accepted.
    let (status, _) = post_body(&app, DEAUTHORIZE, form(&genuine)).await;
    assert_eq!(status, 200);
    assert_ne!(snapshot(&app).await, before);
}

#[tokio::test]
async fn a_request_signed_with_another_products_secret_is_refused() {
    let app = spawn_app().await;
    app.setup().await;
    connect_acme_threads(&app).await;
    connect_acme_direct(&app).await;
    let before = snapshot(&app).await;
    for (product, path, user) in [
        ("facebook", "/webhooks/threads/deauthorize", ACME_THREADS),
        ("facebook", "/webhooks/threads/data-deletion", ACME_THREADS),
        ("threads", "/webhooks/instagram/deauthorize", ACME_DIRECT),
        ("instagram", "/webhooks/meta/data-deletion", ACME_DIRECT),
    ] {
        let callback = if path.ends_with("deauthorize") {
            "deauthorize"
        } else {
            "data_deletion"
        };
        let request = signed(&app, product, callback, user).await;
        assert_refused(path, post_body(&app, path, form(&request)).await, 400);
    }
    assert_eq!(snapshot(&app).await, before);
}

/// docs/meta-api.md §10's published example, signed with the secret `key`.
const VECTOR: &str = "Mf_s6nTb38UYqioBmPqu0Ewm9souPZB9I2fIGwV729U.eyJ1c2VyX2lkIjoiMCIsImFsZ29yaXRobSI6IkhNQUMtU0hBMjU2IiwiaXNzdWVkX2F0IjoxNjI0MjQ0MTU2fQ";

/// The app outside sandbox mode with only a Facebook app, whose secret is `secret`; answers
/// its base URL.
async fn facebook_only_app(secret: &str) -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::helpers::fresh_database_url(&dir).await;
    let config = crate::helpers::test_config_with(
        &url,
        &dir,
        &[
            ("SWITCHBOARD_SANDBOX", "0"),
            ("META_APP_ID", "123456789"),
            ("META_APP_SECRET", secret),
        ],
    );
    let app = switchboard::server::startup::Application::build(
        config,
        std::sync::Arc::new(switchboard::server::clock::SystemClock),
    )
    .await
    .unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    (base, dir)
}

async fn post_to(base: &str, path: &str, signed: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(signed))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn metas_published_test_vector_is_accepted_by_a_facebook_app_whose_secret_is_key() {
    let (base, _dir) = facebook_only_app("key").await;
    let (status, body) = post_to(&base, DEAUTHORIZE, VECTOR).await;
    assert_eq!((status, body), (200, json!({ "success": true })));
    let (status, body) = post_to(&base, "/webhooks/meta/data-deletion", VECTOR).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["confirmation_code"].is_string());
    // With padding on the signature, as some deliveries carry it.
    let (signature, payload) = VECTOR.split_once('.').unwrap();
    let padded = format!("{signature}=.{payload}");
    assert_eq!(post_to(&base, DEAUTHORIZE, &padded).await.0, 200);
    let (status, _) = post_to(&base, DEAUTHORIZE, &VECTOR.replace("Mf_", "Mg_")).await;
    assert_eq!(status, 400, "one changed character");
}

#[tokio::test]
async fn an_unknown_product_or_one_without_an_app_is_not_found() {
    let app = spawn_app().await;
    let (status, _) = post_body(&app, "/webhooks/myspace/deauthorize", "x=1").await;
    assert_eq!(status, 404);
    let response = reqwest::get(app.url(DEAUTHORIZE)).await.unwrap();
    assert_eq!(response.status(), 404, "GET is not a callback");

    let secret = "a-real-looking-facebook-secret";
    let (base, _dir) = facebook_only_app(secret).await;
    let signed = sign_request(
        secret,
        &SignedPayload {
            user_id: "218471".into(),
            algorithm: "HMAC-SHA256",
            issued_at: 1_291_836_800,
            expires: None,
        },
    );
    for path in [
        "/webhooks/instagram/deauthorize",
        "/webhooks/instagram/data-deletion",
        "/webhooks/threads/deauthorize",
        "/webhooks/threads/data-deletion",
    ] {
        assert_eq!(post_to(&base, path, &signed).await.0, 404, "{path}");
    }
    assert_eq!(post_to(&base, DEAUTHORIZE, &signed).await.0, 200);
}

#[tokio::test]
async fn neither_the_signed_request_nor_the_app_secret_is_logged() {
    let logs = Capture::start(LevelFilter::TRACE).await;
    let app = app_with_alex().await;
    let secret = app.sandbox.apps().await.unwrap().facebook.app_secret;
    let genuine = signed(&app, "facebook", "data_deletion", ALEX).await;
    let (signature, payload) = genuine.split_once('.').unwrap();
    let (status, body) = post_body(&app, "/webhooks/meta/data-deletion", form(&genuine)).await;
    assert_eq!(status, 200, "{body}");
    let forged = facebook_signed(&app, ALEX, "HS256").await;
    assert_eq!(post_body(&app, DEAUTHORIZE, form(&forged)).await.0, 400);
    let logged = logs.text();
    assert!(
        logged.contains("Meta data-deletion callback"),
        "the app's events were captured"
    );
    assert!(logged.contains("refused a Meta callback"));
    for (what, secret) in [
        ("app secret", secret.as_str()),
        ("signature", signature),
        ("payload", payload),
        ("forged request", forged.as_str()),
    ] {
        assert_eq!(logged.matches(secret).count(), 0, "the {what} was logged");
    }
}

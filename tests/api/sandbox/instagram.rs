//! Instagram API with Instagram Login against docs/meta-api.md §6: the code exchange on
//! api.instagram.com in both answer shapes and with that host's own errors, and `me` on
//! graph.instagram.com.

use super::{control, error_code, Login, Meta, ACMEBAKERY, ACME_DIRECT, ACME_DIRECT_IG, IG_SCOPE};
use crate::helpers::spawn_app;
use meta_sandbox::scenario::InstagramExchangeShape;
use reqwest::Method;
use serde_json::{json, Value};

const LOGIN: Login = Login::Instagram;

/// The api.instagram.com refusal's message, after checking its shape.
fn instagram_error(status: u16, body: &Value) -> String {
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error_type"], "OAuthException", "{body}");
    assert_eq!(body["code"], 400);
    body["error_message"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_code_exchange_answers_the_documented_data_shape_by_default() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let permissions: Vec<&str> = IG_SCOPE.split(',').collect();
    let code = meta.instagram_code(ACME_DIRECT, &permissions).await;
    let (status, body) = meta.login_exchange(LOGIN, &code).await;
    assert_eq!(status, 200, "{body}");
    let entry = &body["data"][0];
    assert_eq!(
        entry["user_id"], ACME_DIRECT_IG,
        "the professional id, as a string"
    );
    assert_eq!(entry["permissions"], IG_SCOPE);
    let token = entry["access_token"].as_str().unwrap();
    assert!(token.starts_with("IGAA"), "{token}");
    let stored = app.sandbox.find_token(token).await.unwrap().unwrap();
    assert_eq!(
        stored.user_id.as_deref(),
        Some(ACME_DIRECT),
        "issued to the app-scoped id"
    );
    assert_eq!(stored.app_id, meta.apps.instagram.app_id);
    assert!(!stored.long_lived);
    // The handler and the token row each read the clock: a second may tick between them.
    assert!((3599..=3600).contains(&(stored.expires_at - stored.issued_at)));
}

#[tokio::test]
async fn the_flat_shape_is_switched_on_through_the_rust_api_or_the_control_api() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    app.sandbox
        .set_instagram_exchange_shape(InstagramExchangeShape::Flat)
        .await
        .unwrap();
    let code = meta
        .instagram_code(ACME_DIRECT, &["instagram_business_basic"])
        .await;
    let (status, body) = meta.login_exchange(LOGIN, &code).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user_id"].as_u64(), Some(17_841_400_000_000_011));
    assert_eq!(body["permissions"], json!(["instagram_business_basic"]));
    assert!(body["access_token"].as_str().unwrap().starts_with("IGAA"));
    assert!(body.get("data").is_none());

    let (_, mut scenario) = control(&app, Method::GET, "/scenario", None).await;
    assert_eq!(scenario["switches"]["instagram_exchange_shape"], "flat");
    scenario["switches"]["instagram_exchange_shape"] = json!("data");
    let (status, _) = control(&app, Method::PUT, "/scenario", Some(scenario)).await;
    assert_eq!(status, 204);
    let code = meta
        .instagram_code(ACME_DIRECT, &["instagram_business_basic"])
        .await;
    let (_, body) = meta.login_exchange(LOGIN, &code).await;
    assert!(body["data"][0]["access_token"].is_string(), "{body}");
}

#[tokio::test]
async fn a_used_or_unknown_code_and_a_redirect_mismatch_are_refused_in_instagrams_shape() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let code = meta
        .instagram_code(ACME_DIRECT, &["instagram_business_basic"])
        .await;
    assert_eq!(meta.login_exchange(LOGIN, &code).await.0, 200);
    let (status, body) = meta.login_exchange(LOGIN, &code).await;
    assert_eq!(
        instagram_error(status, &body),
        "Matching code was not found or was already used"
    );
    let (status, body) = meta.login_exchange(LOGIN, "AQBnot-a-code").await;
    assert_eq!(
        instagram_error(status, &body),
        "Matching code was not found or was already used"
    );

    let code = meta
        .instagram_code(ACME_DIRECT, &["instagram_business_basic"])
        .await;
    let app_creds = meta.apps.instagram.clone();
    let other = format!("{}/", meta.login_callback(LOGIN));
    let (status, body) = meta
        .login_token_call(
            LOGIN,
            &[
                ("client_id", &app_creds.app_id),
                ("client_secret", &app_creds.app_secret),
                ("grant_type", "authorization_code"),
                ("redirect_uri", &other),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(
        instagram_error(status, &body),
        "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request"
    );
}

#[tokio::test]
async fn a_bad_client_id_secret_or_missing_parameter_is_refused_without_spending_the_code() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let code = meta
        .instagram_code(ACME_DIRECT, &["instagram_business_basic"])
        .await;
    let creds = meta.apps.instagram.clone();
    let callback = meta.login_callback(LOGIN);
    let facebook = meta.apps.facebook.app_id.clone();
    let form = |id: &'static str, secret: &'static str| {
        let mut form = vec![
            ("client_id", creds.app_id.as_str()),
            ("client_secret", creds.app_secret.as_str()),
            ("grant_type", "authorization_code"),
            ("redirect_uri", callback.as_str()),
            ("code", code.as_str()),
        ];
        if !id.is_empty() {
            form[0].1 = id;
        }
        if !secret.is_empty() {
            form[1].1 = secret;
        }
        form
    };
    let mut bad_app = form("", "");
    bad_app[0].1 = &facebook;
    let (status, body) = meta.login_token_call(LOGIN, &bad_app).await;
    assert_eq!(instagram_error(status, &body), "Invalid platform app");
    let (status, body) = meta.login_token_call(LOGIN, &form("", "wrong")).await;
    assert_eq!(
        instagram_error(status, &body),
        "Error validating client secret."
    );
    let mut missing = form("", "");
    missing.retain(|(k, _)| *k != "redirect_uri");
    let (status, body) = meta.login_token_call(LOGIN, &missing).await;
    assert!(instagram_error(status, &body).contains("redirect_uri"));
    let (status, body) = meta.login_token_call(LOGIN, &form("", "")).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn the_exchange_takes_its_parameters_in_the_query_too() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let code = meta
        .instagram_code(ACME_DIRECT, &["instagram_business_basic"])
        .await;
    let creds = meta.apps.instagram.clone();
    let response = meta
        .http
        .post(app.url("/sandbox/instagram-api/oauth/access_token"))
        .query(&[
            ("client_id", creds.app_id.as_str()),
            ("client_secret", creds.app_secret.as_str()),
            ("grant_type", "authorization_code"),
            ("redirect_uri", meta.login_callback(LOGIN).as_str()),
            ("code", code.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn me_answers_the_requested_fields_with_both_ids_and_the_account_type() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let token = meta.login_long_token(LOGIN, ACMEBAKERY).await;
    let (status, body) = meta
        .login_me(LOGIN, &token, "user_id,username,name,account_type")
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({
            "id": ACMEBAKERY,
            "user_id": "17841400000000001",
            "username": "acmebakery",
            "name": "Acme",
            "account_type": "BUSINESS",
        })
    );
    let (_, body) = meta
        .login_graph(LOGIN, "/v25.0/me", &[("access_token", &token)])
        .await;
    assert_eq!(body, json!({ "id": ACMEBAKERY, "username": "acmebakery" }));
    let personal = meta.login_token(LOGIN, super::PERSONAL_PAT).await;
    let (_, body) = meta.login_me(LOGIN, &personal, "account_type").await;
    assert_eq!(body["account_type"], "PERSONAL");
}

#[tokio::test]
async fn a_facebook_or_threads_token_cannot_be_parsed_on_graph_instagram() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let facebook = meta.long_token(super::ALEX, &["1111"]).await;
    let threads = meta
        .login_long_token(Login::Threads, super::ACME_THREADS)
        .await;
    for token in [facebook.as_str(), threads.as_str(), "garbage"] {
        let (status, body) = meta.login_me(LOGIN, token, "id").await;
        assert_eq!((status, error_code(&body)), (400, (190, None)));
        assert_eq!(
            body["error"]["message"],
            "Invalid OAuth access token - Cannot parse access token"
        );
    }
}

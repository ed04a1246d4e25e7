//! Threads against docs/meta-api.md §7 and §3: the code exchange and its Graph-shaped
//! refusals, app tokens, `me` and Threads' own `debug_token`.

use super::{error_code, Login, Meta, ACME_THREADS, THREADS_SCOPE};
use crate::helpers::spawn_app;
use serde_json::json;

const LOGIN: Login = Login::Threads;

#[tokio::test]
async fn the_code_exchange_answers_a_short_lived_token_and_the_numeric_profile_id() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let code = meta.threads_code(ACME_THREADS, &["threads_basic"]).await;
    let (status, body) = meta.login_exchange(LOGIN, &code).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user_id"].as_u64(), Some(7_000_000_000_000_001));
    let token = body["access_token"].as_str().unwrap();
    assert!(token.starts_with("THAA"), "{token}");
    let stored = app.sandbox.find_token(token).await.unwrap().unwrap();
    // The handler and the token row each read the clock: a second may tick between them.
    assert!((3599..=3600).contains(&(stored.expires_at - stored.issued_at)));
    assert_eq!(stored.app_id, meta.apps.threads.app_id);

    let (status, body) = meta.login_exchange(LOGIN, &code).await;
    assert_eq!((status, error_code(&body)), (400, (100, Some(36009))));
    assert!(body["error"]["fbtrace_id"].is_string());
}

#[tokio::test]
async fn a_redirect_mismatch_a_bad_secret_and_the_facebook_app_id_are_refused_graph_style() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let creds = meta.apps.threads.clone();
    let callback = meta.login_callback(LOGIN);
    let facebook = meta.apps.facebook.app_id.clone();
    let code = meta.threads_code(ACME_THREADS, &["threads_basic"]).await;
    let call = |id: &str, secret: &str, redirect: &str, code: &str| {
        let form: Vec<(String, String)> = [
            ("client_id", id),
            ("client_secret", secret),
            ("grant_type", "authorization_code"),
            ("redirect_uri", redirect),
            ("code", code),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let meta = &meta;
        async move {
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            meta.login_token_call(LOGIN, &form).await
        }
    };
    let (status, body) = call(&facebook, &creds.app_secret, &callback, &code).await;
    assert_eq!((status, error_code(&body)), (400, (101, Some(4_476_002))));
    let (_, body) = call(&creds.app_id, "wrong", &callback, &code).await;
    assert_eq!(error_code(&body), (1, None));
    let other = format!("{callback}?x=1");
    let (_, body) = call(&creds.app_id, &creds.app_secret, &other, &code).await;
    assert_eq!(error_code(&body), (100, Some(36008)));
}

#[tokio::test]
async fn me_honours_fields_and_always_answers_the_id() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let token = meta.login_long_token(LOGIN, ACME_THREADS).await;
    let (status, body) = meta
        .login_me(
            LOGIN,
            &token,
            "id,username,name,threads_profile_picture_url,threads_biography,is_verified",
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["id"], ACME_THREADS);
    assert_eq!(body["username"], "acme.threads");
    assert_eq!(body["name"], "Acme Threads");
    assert!(body["threads_profile_picture_url"].is_string());
    assert_eq!(body["threads_biography"], "");
    assert_eq!(body["is_verified"], false);
    let (_, body) = meta.login_me(LOGIN, &token, "username").await;
    assert_eq!(
        body,
        json!({ "id": ACME_THREADS, "username": "acme.threads" })
    );
}

#[tokio::test]
async fn threads_debug_token_reports_the_granted_scopes_and_expiry_of_a_valid_token() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let scope: Vec<&str> = THREADS_SCOPE.split(',').collect();
    let code = meta.threads_code(ACME_THREADS, &scope).await;
    let (_, body) = meta.login_exchange(LOGIN, &code).await;
    let short = body["access_token"].as_str().unwrap().to_owned();
    let (_, body) = meta.login_long_lived(LOGIN, &short).await;
    let long = body["access_token"].as_str().unwrap().to_owned();
    let (status, body) = meta
        .login_graph(
            LOGIN,
            "/v1.0/debug_token",
            &[("input_token", &long), ("access_token", &short)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let data = &body["data"];
    assert_eq!(data["type"], "USER");
    assert_eq!(data["app_id"], meta.apps.threads.app_id);
    assert_eq!(data["is_valid"], true);
    assert_eq!(data["user_id"], ACME_THREADS);
    assert_eq!(data["scopes"], json!(scope));
    let expires = data["expires_at"].as_i64().unwrap();
    let issued = data["issued_at"].as_i64().unwrap();
    assert!((60 * 86_400 - 1..=60 * 86_400).contains(&(expires - issued)));
    assert!(data["data_access_expires_at"].as_i64().unwrap() > issued);
    assert!(data["application"].is_string());
}

#[tokio::test]
async fn threads_debug_token_takes_the_app_token_and_shows_invalid_tokens_in_facebooks_shape() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let creds = meta.apps.threads.clone();
    let (status, body) = meta
        .login_token_call(
            LOGIN,
            &[
                ("client_id", &creds.app_id),
                ("client_secret", &creds.app_secret),
                ("grant_type", "client_credentials"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let app_token = body["access_token"].as_str().unwrap().to_owned();
    assert!(
        app_token.starts_with(&format!("TH|{}|", creds.app_id)),
        "{app_token}"
    );

    let token = meta.login_long_token(LOGIN, ACME_THREADS).await;
    app.sandbox
        .invalidate_user(ACME_THREADS, 460)
        .await
        .unwrap();
    let literal = format!("{}|{}", creds.app_id, creds.app_secret);
    for caller in [app_token.as_str(), literal.as_str()] {
        let (status, body) = meta
            .login_graph(
                LOGIN,
                "/v1.0/debug_token",
                &[("input_token", &token), ("access_token", caller)],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["is_valid"], false);
        assert_eq!(body["data"]["error"]["code"], 190);
        assert_eq!(body["data"]["error"]["subcode"], 460);
        assert_eq!(body["data"]["scopes"], json!([]));
    }
    let facebook = meta.user_token(super::ALEX, &["1111"]).await;
    let (_, body) = meta
        .login_graph(
            LOGIN,
            "/v1.0/debug_token",
            &[("input_token", &facebook), ("access_token", &app_token)],
        )
        .await;
    assert_eq!(body["data"]["is_valid"], false);
    assert_eq!(
        body["data"]["error"]["message"],
        "Invalid OAuth access token - Cannot parse access token"
    );
    let (status, body) = meta
        .login_graph(LOGIN, "/v1.0/debug_token", &[("input_token", &token)])
        .await;
    assert_eq!((status, error_code(&body)), (400, (100, None)));
    let (status, body) = meta
        .login_graph(
            LOGIN,
            "/v1.0/debug_token",
            &[("input_token", &token), ("access_token", &facebook)],
        )
        .await;
    assert_eq!((status, error_code(&body)), (400, (190, None)));
}

use super::{error_code, query_value, Meta, ALEX, SCOPE};
use crate::helpers::{spawn_app, spawn_app_on};

#[tokio::test]
async fn a_code_becomes_a_short_lived_token_once_and_only_once() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let code = meta.code(ALEX, &["1111", "2222"]).await;
    let (status, body) = meta.exchange(&code).await;
    assert_eq!(status, 200);
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 7200);
    let (status, body) = meta.exchange(&code).await;
    assert_eq!((status, error_code(&body)), (400, (100, Some(36009))));
    assert_eq!(body["error"]["type"], "OAuthException");
    assert!(body["error"]["fbtrace_id"].is_string());
}

#[tokio::test]
async fn the_redirect_uri_must_match_byte_for_byte_and_codes_expire() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let code = meta.code(ALEX, &["1111"]).await;
    let (id, secret) = (
        meta.apps.facebook.app_id.clone(),
        meta.apps.facebook.app_secret.clone(),
    );
    let other = format!("{}/", meta.callback());
    let (status, body) = meta
        .graph(
            "/oauth/access_token",
            &[
                ("client_id", &id),
                ("client_secret", &secret),
                ("redirect_uri", &other),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!((status, error_code(&body)), (400, (100, Some(36008))));

    let code = meta.code(ALEX, &["1111"]).await;
    app.sandbox
        .advance_clock(chrono::Duration::minutes(11))
        .await
        .unwrap();
    let (_, body) = meta.exchange(&code).await;
    assert_eq!(error_code(&body), (100, Some(36007)));
}

#[tokio::test]
async fn the_client_id_and_secret_are_checked() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let code = meta.code(ALEX, &["1111"]).await;
    let (id, callback) = (meta.apps.facebook.app_id.clone(), meta.callback());
    let (_, body) = meta
        .graph(
            "/oauth/access_token",
            &[
                ("client_id", "42"),
                ("client_secret", "x"),
                ("redirect_uri", &callback),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(error_code(&body), (101, None));
    let (_, body) = meta
        .graph(
            "/oauth/access_token",
            &[
                ("client_id", &id),
                ("client_secret", "wrong"),
                ("redirect_uri", &callback),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(error_code(&body), (1, None));
    // Rejected client credentials don't burn the code.
    assert_eq!(meta.exchange(&code).await.0, 200);
}

#[tokio::test]
async fn pkce_is_verified_when_a_challenge_was_sent() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    // RFC 7636 appendix B.
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let extra = [
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
    ];
    let location = meta
        .consent(ALEX, &["1111"], &["pages_show_list"], &extra)
        .await;
    let code = query_value(&location, "code").unwrap();
    let (id, secret, callback) = (
        meta.apps.facebook.app_id.clone(),
        meta.apps.facebook.app_secret.clone(),
        meta.callback(),
    );
    let base = [
        ("client_id", id.as_str()),
        ("client_secret", secret.as_str()),
        ("redirect_uri", callback.as_str()),
        ("code", code.as_str()),
    ];
    let (status, _) = meta
        .graph(
            "/oauth/access_token",
            &[&base[..], &[("code_verifier", "wrong-verifier")]].concat(),
        )
        .await;
    assert_eq!(status, 400);

    let location = meta
        .consent(ALEX, &["1111"], &["pages_show_list"], &extra)
        .await;
    let code = query_value(&location, "code").unwrap();
    let base = [
        ("client_id", id.as_str()),
        ("client_secret", secret.as_str()),
        ("redirect_uri", callback.as_str()),
        ("code", code.as_str()),
    ];
    let (status, body) = meta
        .graph(
            "/oauth/access_token",
            &[&base[..], &[("code_verifier", verifier)]].concat(),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_long_lived_token_lasts_sixty_days_and_cannot_be_extended() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let short = meta.user_token(ALEX, &["1111"]).await;
    let (status, body) = meta.long_lived(&short).await;
    assert_eq!(status, 200);
    assert_eq!(body["expires_in"], 60 * 86_400);
    let long = body["access_token"].as_str().unwrap().to_owned();
    app.sandbox
        .advance_clock(chrono::Duration::days(10))
        .await
        .unwrap();
    let (_, again) = meta.long_lived(&long).await;
    // The same expiry as before (give or take the second that passed between the calls).
    let left = again["expires_in"].as_i64().unwrap();
    assert!(
        (left - 50 * 86_400).abs() <= 2,
        "same expiry as before: {left}"
    );
    app.sandbox
        .advance_clock(chrono::Duration::days(51))
        .await
        .unwrap();
    let (_, body) = meta.graph("/me", &[("access_token", &long)]).await;
    assert_eq!(error_code(&body), (190, Some(463)));
}

#[tokio::test]
async fn client_credentials_give_an_app_token() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let (id, secret) = (
        meta.apps.facebook.app_id.clone(),
        meta.apps.facebook.app_secret.clone(),
    );
    let (status, body) = meta
        .graph(
            "/oauth/access_token",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", &id),
                ("client_secret", &secret),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let token = body["access_token"].as_str().unwrap();
    assert!(token.starts_with(&format!("{id}|")));
    let user = meta.user_token(ALEX, &["1111"]).await;
    let (_, debug) = meta
        .graph(
            "/debug_token",
            &[("input_token", &user), ("access_token", token)],
        )
        .await;
    assert_eq!(debug["data"]["is_valid"], true);
}

#[tokio::test]
async fn no_plaintext_code_or_token_is_stored_and_tokens_survive_a_restart() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let code = meta.code(ALEX, &["1111"]).await;
    let (_, body) = meta.exchange(&code).await;
    let token = body["access_token"].as_str().unwrap().to_owned();
    let (_, accounts) = meta
        .graph("/me/accounts", &[("access_token", &token)])
        .await;
    let page_token = accounts["data"][0]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();

    use meta_sandbox::entities::{code as codes, token as tokens};
    use sea_orm::EntityTrait;
    let stored_codes = codes::Entity::find().all(&app.db).await.unwrap();
    let stored_tokens = tokens::Entity::find().all(&app.db).await.unwrap();
    assert!(!stored_tokens.is_empty());
    for secret in [&code, &token, &page_token] {
        assert!(stored_codes
            .iter()
            .all(|c| !format!("{c:?}").contains(secret.as_str())));
        assert!(stored_tokens
            .iter()
            .all(|t| !format!("{t:?}").contains(secret.as_str())));
    }
    if let Some(path) = app
        .database_url
        .strip_prefix("sqlite://")
        .and_then(|p| p.split('?').next())
    {
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for secret in [&code, &token, &page_token] {
            assert!(
                !text.contains(secret.as_str()),
                "plaintext in the database file"
            );
        }
    }

    let apps_before = meta.apps.clone();
    let (url, dir) = app.stop().await;
    let restarted = spawn_app_on(&url, dir).await;
    let meta = Meta::new(&restarted).await;
    assert_eq!(meta.apps, apps_before, "the credentials are kept");
    let (status, me) = meta.graph("/me", &[("access_token", &token)]).await;
    assert_eq!(status, 200);
    assert_eq!(me["name"], "Alex Admin");
}

#[tokio::test]
async fn graph_responses_carry_the_app_usage_header() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let token = meta.user_token(ALEX, &["1111"]).await;
    let response = meta
        .http
        .get(app.url("/sandbox/graph/v25.0/me"))
        .query(&[("access_token", &token)])
        .send()
        .await
        .unwrap();
    let usage: serde_json::Value =
        serde_json::from_str(response.headers()["x-app-usage"].to_str().unwrap()).unwrap();
    assert!(usage["call_count"].is_number());
    let _ = SCOPE;
}

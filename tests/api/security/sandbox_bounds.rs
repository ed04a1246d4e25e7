//! No number a test script (or Meta) sends can stop the app: out-of-range clock moves are
//! refused, a stored one is reset at start, deep field selections and absurd cursors get
//! Graph errors, and token lifetimes no real token has fail the connect cleanly.

use crate::connect::{alert, connect, outcome, stored, token_calls, Consent, ALEX};
use crate::helpers::{location, spawn_app, spawn_app_on, TestApp, OWNER_EMAIL, OWNER_PASSWORD};
use crate::sandbox::{control, error_code, Meta};
use base64::Engine;
use meta_sandbox::calls::CallFilter;
use meta_sandbox::failures::Failure;
use meta_sandbox::MAX_CLOCK_OFFSET_SECONDS;
use reqwest::Method;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

async fn can_sign_in(app: &TestApp) {
    app.logout().await;
    let response = app.login(OWNER_EMAIL, OWNER_PASSWORD).await;
    assert_eq!(location(&response), "/accounts", "sign-in still works");
}

#[tokio::test]
async fn a_clock_move_past_ten_years_is_refused_and_sign_in_keeps_working() {
    let app = spawn_app().await;
    app.setup().await;
    for seconds in [
        json!(10_000_000_000_000i64),
        json!(i64::MAX),
        json!(-1),
        json!(MAX_CLOCK_OFFSET_SECONDS + 1),
    ] {
        let (status, body) = control(
            &app,
            Method::POST,
            "/clock",
            Some(json!({ "seconds": seconds })),
        )
        .await;
        assert_eq!(status, 400, "{seconds}: {body}");
    }
    let (status, _) = control(&app, Method::GET, "/clock", None).await;
    assert_eq!(status, 200);
    can_sign_in(&app).await;

    // Ten years exactly is allowed; a second more in total is not.
    let (status, _) = control(
        &app,
        Method::POST,
        "/clock",
        Some(json!({ "seconds": MAX_CLOCK_OFFSET_SECONDS })),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = control(&app, Method::POST, "/clock", Some(json!({ "seconds": 1 }))).await;
    assert_eq!(status, 400);
    can_sign_in(&app).await;
}

#[tokio::test]
async fn a_stored_clock_offset_out_of_range_is_reset_at_start() {
    let app = spawn_app().await;
    app.setup().await;
    app.db
        .execute_raw(Statement::from_string(
            app.db.get_database_backend(),
            "UPDATE meta_sandbox_settings SET value = '10000000000000' WHERE key = 'clock_offset'",
        ))
        .await
        .unwrap();
    app.db
        .execute_raw(Statement::from_string(
            app.db.get_database_backend(),
            "INSERT INTO meta_sandbox_settings (key, value) SELECT 'clock_offset', '10000000000000' WHERE NOT EXISTS (SELECT 1 FROM meta_sandbox_settings WHERE key = 'clock_offset')",
        ))
        .await
        .unwrap();
    let (database_url, dir) = app.stop().await;

    let restarted = spawn_app_on(&database_url, dir).await;
    assert_eq!(restarted.sandbox.clock_offset().await.unwrap(), 0);
    let response = restarted.login(OWNER_EMAIL, OWNER_PASSWORD).await;
    assert_eq!(location(&response), "/accounts");
}

#[tokio::test]
async fn a_field_selection_nested_thousands_deep_is_a_graph_error_not_a_crash() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let token = meta.long_token(ALEX, &["1111"]).await;
    // As deep as a URL can carry (the unit test goes far deeper).
    let depth = 9_000;
    let fields = format!("{}id{}", "a{".repeat(depth), "}".repeat(depth));
    let (status, body) = meta
        .graph(
            "/me/accounts",
            &[("fields", &fields), ("access_token", &token)],
        )
        .await;
    assert_eq!((status, error_code(&body).0), (400, 100), "{body}");
    let (status, _) = meta
        .graph(
            "/me/accounts",
            &[("fields", "id,name"), ("access_token", &token)],
        )
        .await;
    assert_eq!(status, 200, "the sandbox is still up");
}

#[tokio::test]
async fn a_cursor_at_the_end_of_the_numbers_is_an_invalid_cursor() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let token = meta.long_token(ALEX, &["1111"]).await;
    let cursor =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("idx:{}", usize::MAX));
    let (status, body) = meta
        .graph(
            "/me/accounts",
            &[("after", &cursor), ("access_token", &token)],
        )
        .await;
    assert_eq!((status, error_code(&body).0), (400, 100), "{body}");
}

#[tokio::test]
async fn a_token_lifetime_no_real_token_has_fails_the_connect_with_provider_error() {
    for expires_in in [json!(i64::MAX), json!(-3600)] {
        let app = spawn_app().await;
        app.setup().await;
        app.sandbox
            .fail_next(
                "*/oauth/access_token",
                2,
                &Failure::Override {
                    field: "expires_in".into(),
                    value: expires_in.clone(),
                },
            )
            .await
            .unwrap();
        let response = connect(&app, Consent::all(ALEX, &["1111", "2222"])).await;
        let (location, page) = outcome(&app, response).await;
        assert_eq!(
            location, "/settings/integrations?error=provider_error",
            "{expires_in}"
        );
        assert_eq!(
            alert(&page).map(|(code, _)| code).as_deref(),
            Some("provider_error")
        );
        assert_eq!(token_calls(&app).await, 1, "stopped at the first answer");
        let later = app.sandbox.calls(&CallFilter::path("*/me*")).await.unwrap();
        assert!(later.is_empty(), "no Graph call after it: {later:?}");
        assert_eq!(stored(&app).await, (0, 0), "nothing stored");
    }
}

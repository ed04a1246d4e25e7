//! At the most verbose log level, a sign-in and a whole connection leave no password, token,
//! OAuth code, state or app secret in the logs or the pages: each is a sentinel value this test
//! issued or captured, searched for everywhere afterwards.

use crate::connect::{consent, outcome, start, Consent, ALEX};
use crate::helpers::{location, spawn_app, spawn_app_on, TestApp};
use crate::logs::Capture;
use crate::sandbox::query_value;
use sea_orm::EntityTrait;
use secrecy::ExposeSecret;
use switchboard::domain::Provider;
use switchboard::server::crypto::vault::{Owner, Slot};
use switchboard::server::entities::grant;
use tracing_subscriber::filter::LevelFilter;

const EMAIL: &str = "sentinel.owner@example.com";
const PASSWORD: &str = "Sentinel-Passw0rd-7f3a";
const WRONG_PASSWORD: &str = "Wrong-Sentinel-9c1e";
const DATABASE_PASSWORD: &str = "Db-Sentinel-5b2d";

/// A PostgreSQL URL gets a password (trust authentication ignores it) so the logs can be
/// searched for it too; SQLite URLs have none.
fn with_database_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.scheme().starts_with("postgres") => {
            parsed.set_password(Some(DATABASE_PASSWORD)).unwrap();
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

async fn user_token(app: &TestApp) -> String {
    let grant = grant::Entity::find().one(&app.db).await.unwrap().unwrap();
    let owner = Owner {
        row_id: grant.id,
        workspace_id: grant.workspace_id,
        provider: Provider::Facebook,
    };
    app.vault
        .open(Slot::GRANT_USER_TOKEN, &owner, &grant.token_ciphertext)
        .unwrap()
        .expose_secret()
        .to_owned()
}

#[tokio::test]
async fn sign_in_and_a_full_connection_at_trace_level_leave_no_secret_in_logs_or_pages() {
    let logs = Capture::start(LevelFilter::TRACE).await;
    let first = spawn_app().await;
    let (url, dir) = first.stop().await;
    let app = spawn_app_on(&with_database_password(&url), dir).await;

    let mut pages = String::new();
    let response = app
        .setup_with("Sentinel Co", "Sentinel Owner", EMAIL, PASSWORD)
        .await;
    assert_eq!(location(&response), "/accounts");
    app.logout().await;
    let wrong = app.login(EMAIL, WRONG_PASSWORD).await;
    pages.push_str(&app.follow(wrong).await.1);
    let right = app.login(EMAIL, PASSWORD).await;
    assert_eq!(location(&right), "/accounts");

    let dialog = start(&app, &app.client).await;
    let callback = consent(&app, &dialog, &Consent::all(ALEX, &["1111", "2222"])).await;
    let code = query_value(&callback, "code").unwrap();
    let state = query_value(&callback, "state").unwrap();
    let response = crate::connect::arrive(&app.client, &callback).await;
    let (landed, page) = outcome(&app, response).await;
    assert_eq!(landed, "/settings/integrations");
    pages.push_str(&page);
    for path in [
        "/accounts",
        "/settings/integrations",
        "/settings/activity",
        "/settings/members",
    ] {
        pages.push_str(&app.page(path).await);
    }

    let token = user_token(&app).await;
    let app_secret = app.sandbox.apps().await.unwrap().facebook.app_secret;
    let logged = logs.text();
    assert!(logged.contains("TRACE"), "trace-level logs were captured");
    assert!(
        logged.contains("sign-in refused"),
        "the app's own events too"
    );
    let sentinels = [
        ("password", PASSWORD),
        ("wrong password", WRONG_PASSWORD),
        ("database password", DATABASE_PASSWORD),
        ("OAuth code", code.as_str()),
        ("OAuth state", state.as_str()),
        ("user token", token.as_str()),
        ("app secret", app_secret.as_str()),
    ];
    for (what, secret) in sentinels {
        assert_eq!(logged.matches(secret).count(), 0, "the {what} was logged");
        assert_eq!(pages.matches(secret).count(), 0, "a page shows the {what}");
    }
}

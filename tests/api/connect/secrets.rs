//! Tokens are stored only as ciphertext that opens to the real token, and appear nowhere
//! else: not in the database in the clear, not in pages, not in logs.

use super::{connect, outcome, Consent, ALEX};
use crate::helpers::spawn_app;
use sea_orm::{ConnectionTrait, EntityTrait, Statement};
use secrecy::ExposeSecret;
use switchboard::domain::Provider;
use switchboard::server::crypto::vault::{Owner, Slot};
use switchboard::server::entities::{account, grant};

/// Everything the database holds, as text: the SQLite files' bytes, or every row of every
/// table on PostgreSQL.
async fn database_text(app: &crate::helpers::TestApp) -> String {
    if let Some(path) = app
        .database_url
        .strip_prefix("sqlite://")
        .and_then(|rest| rest.split('?').next())
    {
        let mut text = String::new();
        for suffix in ["", "-wal"] {
            if let Ok(bytes) = std::fs::read(format!("{path}{suffix}")) {
                text.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
        return text;
    }
    let tables = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
        ))
        .await
        .unwrap();
    let mut text = String::new();
    for table in tables {
        let name: String = table.try_get("", "tablename").unwrap();
        let rows = app
            .db
            .query_all_raw(Statement::from_string(
                app.db.get_database_backend(),
                format!("SELECT CAST(t AS TEXT) AS row FROM \"{name}\" t"),
            ))
            .await
            .unwrap();
        for row in rows {
            text.push_str(&row.try_get::<String>("", "row").unwrap());
        }
    }
    text
}

#[tokio::test]
async fn tokens_are_stored_only_as_ciphertext_that_opens_to_the_real_token() {
    let logs = crate::logs::Capture::start(tracing_subscriber::filter::LevelFilter::DEBUG).await;

    let app = spawn_app().await;
    app.setup().await;
    let response = connect(&app, Consent::all(ALEX, &["1111", "2222"])).await;
    let (_, page) = outcome(&app, response).await;

    let grant = grant::Entity::find().one(&app.db).await.unwrap().unwrap();
    let owner = |row_id, workspace_id| Owner {
        row_id,
        workspace_id,
        provider: Provider::Facebook,
    };
    let user_token = app
        .vault
        .open(
            Slot::GRANT_USER_TOKEN,
            &owner(grant.id, grant.workspace_id),
            &grant.token_ciphertext,
        )
        .unwrap();
    let meta = crate::sandbox::Meta::new(&app).await;
    let (status, me) = meta
        .graph("/me", &[("access_token", user_token.expose_secret())])
        .await;
    assert_eq!(
        (status, me["id"].as_str()),
        (200, Some(ALEX)),
        "the stored token works"
    );
    assert_eq!(
        grant.token_key_fingerprint,
        app.keyring.current_fingerprint()
    );

    let mut secrets = vec![user_token.expose_secret().to_owned()];
    for row in account::Entity::find().all(&app.db).await.unwrap() {
        let Some(ciphertext) = row.token_ciphertext else {
            assert_eq!(
                row.platform, "instagram_business",
                "only Instagram borrows its Page's token"
            );
            continue;
        };
        let token = app
            .vault
            .open(
                Slot::ACCOUNT_TOKEN,
                &owner(row.id, row.workspace_id),
                &ciphertext,
            )
            .unwrap();
        // The same ciphertext under another row's associated data does not open.
        assert!(app
            .vault
            .open(
                Slot::ACCOUNT_TOKEN,
                &owner(row.id + 1000, row.workspace_id),
                &ciphertext
            )
            .is_err());
        secrets.push(token.expose_secret().to_owned());
    }
    assert_eq!(secrets.len(), 3, "one user token and two Page tokens");

    let mut pages = page;
    for path in ["/accounts", "/settings/integrations", "/settings/activity"] {
        pages.push_str(&app.page(path).await);
    }
    let database = database_text(&app).await;
    let logged = logs.text();
    assert!(!logged.is_empty(), "the logs were captured");
    for secret in &secrets {
        assert!(secret.starts_with("EAAG"), "a sandbox token");
        assert!(
            !database.contains(secret.as_str()),
            "database holds a token in the clear"
        );
        assert!(!pages.contains(secret.as_str()), "a page shows a token");
        assert!(
            !logged.contains(secret.as_str()),
            "a log line holds a token"
        );
    }
    let apps = app.sandbox.apps().await.unwrap();
    assert!(
        !logged.contains(&apps.facebook.app_secret),
        "the app secret was logged"
    );
}

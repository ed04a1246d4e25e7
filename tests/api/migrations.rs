//! Upgrading a database from the schema before the Meta sandbox became a crate of its own:
//! product migrations 1–5, with the sandbox's tables (`sandbox_*`) in the product's chain.
//! Production keeps no sandbox table; sandbox mode keeps its app credentials and the tokens
//! issued under them. The list indexes (migration 14) roll back to the indexes before them and
//! forward again.

use crate::helpers::{fresh_database_url, spawn_app_on};
use crate::sandbox::ALEX;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};
use std::sync::Arc;
use switchboard::server::config::DatabaseUrl;

/// How many product migrations had landed before the sandbox moved out.
const PREVIOUS_SCHEMA: u32 = 5;

/// A database at the previous schema, with sandbox state in its old tables.
async fn database_at_the_previous_schema(dir: &tempfile::TempDir) -> (String, DatabaseConnection) {
    use migration::MigratorTrait;
    let url = fresh_database_url(dir).await;
    let db = switchboard::server::db::connect(&DatabaseUrl::parse(&url).unwrap())
        .await
        .unwrap();
    migration::Migrator::up(&db, Some(PREVIOUS_SCHEMA))
        .await
        .unwrap();
    (url, db)
}

async fn execute(db: &DatabaseConnection, sql: &str) {
    db.execute_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap();
}

async fn tables(db: &DatabaseConnection) -> Vec<String> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()"
        }
        _ => "SELECT name FROM sqlite_master WHERE type = 'table'",
    };
    db.query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<String>("", "name").unwrap())
        .collect()
}

/// What an earlier build's sandbox had stored: its apps, and a long-lived token Alex gave the
/// Facebook app (with the grant behind it).
async fn store_earlier_sandbox_state(db: &DatabaseConnection, token: &str) {
    let apps = r#"{"facebook":{"app_id":"111111111111111","app_secret":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},"instagram":{"app_id":"222222222222222","app_secret":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"},"threads":{"app_id":"333333333333333","app_secret":"cccccccccccccccccccccccccccccccc"}}"#;
    execute(
        db,
        &format!("INSERT INTO sandbox_settings (key, value) VALUES ('apps', '{apps}')"),
    )
    .await;
    let digest = meta_sandbox::issued::digest(token);
    execute(
        db,
        &format!(
            "INSERT INTO sandbox_tokens (digest, kind, app_id, user_id, page_id, long_lived, issued_at, expires_at, invalidated_subcode) \
             VALUES ('{digest}', 'USER', '111111111111111', '{ALEX}', NULL, TRUE, 1, 0, NULL)"
        ),
    )
    .await;
    execute(
        db,
        &format!(
            "INSERT INTO sandbox_grants (app_id, user_id, granted, declined, page_ids, granted_at, data_access_expires_at) \
             VALUES ('111111111111111', '{ALEX}', '[\"pages_show_list\"]', '[]', '[]', 1, 99999999999)"
        ),
    )
    .await;
}

#[tokio::test]
async fn a_production_database_migrated_from_the_previous_schema_has_no_sandbox_tables() {
    let dir = tempfile::tempdir().unwrap();
    let (_, db) = database_at_the_previous_schema(&dir).await;
    store_earlier_sandbox_state(&db, "EAAGearlier").await;
    assert!(tables(&db).await.iter().any(|t| t == "sandbox_settings"));

    // What `switchboard migrate` runs with a real Meta app configured.
    switchboard::server::db::migrate(&db, false).await.unwrap();

    let sandbox_tables: Vec<String> = tables(&db)
        .await
        .into_iter()
        .filter(|t| t.contains("sandbox"))
        .collect();
    assert_eq!(sandbox_tables, Vec::<String>::new());
    assert!(tables(&db).await.iter().any(|t| t == "accounts"));
}

#[tokio::test]
async fn the_first_sandbox_start_after_the_upgrade_keeps_the_apps_and_the_tokens_issued() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let (url, db) = database_at_the_previous_schema(&dir).await;
    let token = "EAAGtokenissuedbeforetheupgrade";
    store_earlier_sandbox_state(&db, token).await;
    db.close().await.unwrap();

    let app = spawn_app_on(&url, dir).await;

    let apps = app.sandbox.apps().await.unwrap();
    assert_eq!(apps.facebook.app_id, "111111111111111");
    assert_eq!(apps.threads.app_secret, "cccccccccccccccccccccccccccccccc");
    let me: serde_json::Value = reqwest::Client::new()
        .get(app.url("/sandbox/graph/v25.0/me"))
        .query(&[("access_token", token)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["id"], ALEX, "{me}");
    let left: Vec<String> = tables(&app.db)
        .await
        .into_iter()
        .filter(|t| t.starts_with("sandbox_"))
        .collect();
    assert_eq!(left, Vec::<String>::new(), "the old tables are gone");
}

/// The names of `table`'s indexes that were made by a migration (not a primary key's).
async fn indexes(db: &DatabaseConnection, table: &str) -> Vec<String> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => format!(
            "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() \
             AND tablename = '{table}' AND indexname NOT LIKE '%_pkey'"
        ),
        _ => format!(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}' \
             AND sql IS NOT NULL"
        ),
    };
    let mut names: Vec<String> = db
        .query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<String>("", "name").unwrap())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn the_list_indexes_migration_rolls_back_to_the_indexes_before_it_and_forward_again() {
    use migration::MigratorTrait;
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let db = switchboard::server::db::connect(&DatabaseUrl::parse(&url).unwrap())
        .await
        .unwrap();
    migration::Migrator::up(&db, None).await.unwrap();
    let latest = (indexes(&db, "accounts").await, indexes(&db, "posts").await);
    assert!(latest
        .0
        .contains(&"accounts_grant_status_expiry".to_owned()));
    assert!(!latest.0.contains(&"accounts_grant".to_owned()));
    assert!(latest
        .1
        .contains(&"posts_workspace_status_account".to_owned()));

    migration::Migrator::down(&db, Some(1)).await.unwrap();
    let before = indexes(&db, "accounts").await;
    assert!(before.contains(&"accounts_grant".to_owned()));
    for gone in [
        "accounts_grant_status_expiry",
        "accounts_workspace_status_expiry",
        "accounts_workspace_parent_status_name",
    ] {
        assert!(!before.contains(&gone.to_owned()), "{gone} still there");
    }
    assert!(!indexes(&db, "posts")
        .await
        .contains(&"posts_workspace_status_account".to_owned()));

    migration::Migrator::up(&db, None).await.unwrap();
    assert_eq!(
        (indexes(&db, "accounts").await, indexes(&db, "posts").await),
        latest
    );
}

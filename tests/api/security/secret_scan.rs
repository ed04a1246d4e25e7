//! The secret scan that ends the test run (`scripts/test`): the browser tests keep every
//! server's database files, key file, output and served pages in `E2E_SCAN_DIR`; this reads
//! them all and finds none of the secrets those servers held.
//!
//! The sentinels are the real values: every token still stored (opened with that server's own
//! master key), the master key itself, the sandbox apps' secrets and the passwords the browser
//! tests type (read from their sources, so a new one is scanned for without a list to keep).
//! Database files are read as raw bytes, so deleted rows left in free pages or the WAL count.

use sea_orm::{ConnectionTrait, Database, Statement};
use secrecy::ExposeSecret;
use std::path::{Path, PathBuf};
use switchboard::domain::Provider;
use switchboard::server::crypto::vault::{Owner, Slot, Vault};
use switchboard::server::crypto::{Keyring, MasterKey};

/// Passwords typed by the browser tests: every `password: '…'` and `PASSWORD = '…'` literal.
fn browser_test_passwords() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("end2end/tests");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for marker in ["password: '", "PASSWORD = '", "signIn(page, EMAIL, '"] {
            for part in text.split(marker).skip(1) {
                found.push(part.split('\'').next().unwrap().to_owned());
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// Every stored token that opens with `vault`: (table, column) text of grants and accounts.
async fn stored_tokens(db: &sea_orm::DatabaseConnection, vault: &Vault) -> Vec<String> {
    let mut tokens = Vec::new();
    for (slot, query) in [
        (
            Slot::GRANT_USER_TOKEN,
            "SELECT id, workspace_id, token_ciphertext AS t FROM grants \
             WHERE token_ciphertext <> ''",
        ),
        (
            Slot::ACCOUNT_TOKEN,
            "SELECT id, workspace_id, token_ciphertext AS t FROM accounts \
             WHERE token_ciphertext IS NOT NULL",
        ),
    ] {
        let rows = db
            .query_all_raw(Statement::from_string(db.get_database_backend(), query))
            .await
            .unwrap();
        for row in rows {
            let (id, workspace, text): (i64, i64, String) = (
                row.try_get("", "id").unwrap(),
                row.try_get("", "workspace_id").unwrap(),
                row.try_get("", "t").unwrap(),
            );
            let opened = [Provider::Facebook, Provider::Instagram, Provider::Threads]
                .into_iter()
                .find_map(|provider| {
                    let owner = Owner {
                        row_id: id,
                        workspace_id: workspace,
                        provider,
                    };
                    vault.open(slot, &owner, &text).ok()
                });
            let token = opened.unwrap_or_else(|| {
                panic!("row {id} of `{query}` does not open with its server's key")
            });
            tokens.push(token.expose_secret().to_owned());
        }
    }
    tokens
}

/// The sandbox apps' secrets, from the sandbox's settings rows.
async fn app_secrets(db: &sea_orm::DatabaseConnection) -> Vec<String> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT value FROM meta_sandbox_settings",
        ))
        .await
        .unwrap();
    let mut secrets = Vec::new();
    for row in rows {
        let value: String = row.try_get("", "value").unwrap();
        for part in value.split("\"app_secret\":\"").skip(1) {
            secrets.push(part.split('"').next().unwrap().to_owned());
        }
    }
    secrets
}

fn bytes_of(dir: &Path, names: &[&str]) -> Vec<(String, Vec<u8>)> {
    names
        .iter()
        .filter_map(|name| Some((name.to_string(), std::fs::read(dir.join(name)).ok()?)))
        .collect()
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
}

struct Totals {
    servers: usize,
    tokens: usize,
    pages_bytes: usize,
}

async fn scan_server(dir: &Path, passwords: &[String], totals: &mut Totals) {
    let key_text = std::fs::read_to_string(dir.join("master.key")).unwrap();
    let key = MasterKey::from_base64(key_text.trim()).unwrap();
    let vault = Vault::new(Keyring::new(key, Vec::new()));
    let url = format!("sqlite://{}?mode=ro", dir.join("switchboard.db").display());
    let db = Database::connect(&url).await.unwrap();
    let tokens = stored_tokens(&db, &vault).await;
    let secrets = app_secrets(&db).await;
    db.close().await.unwrap();

    let database = bytes_of(dir, &["switchboard.db", "switchboard.db-wal"]);
    let output = bytes_of(dir, &["server.log", "pages.html"]);
    let at = dir.display();
    for (file, bytes) in database.iter().chain(&output) {
        for token in &tokens {
            assert!(
                !holds(bytes, token),
                "{at}/{file} holds a token in the clear"
            );
        }
        for password in passwords {
            assert!(!holds(bytes, password), "{at}/{file} holds a password");
        }
        assert!(
            !holds(bytes, key_text.trim()),
            "{at}/{file} holds the master key"
        );
    }
    // The sandbox (Meta's side) keeps its own app secrets; the app must never show or log them.
    for (file, bytes) in &output {
        for secret in &secrets {
            assert!(!holds(bytes, secret), "{at}/{file} holds an app secret");
        }
    }
    totals.servers += 1;
    totals.tokens += tokens.len();
    totals.pages_bytes += output
        .iter()
        .filter(|(name, _)| name == "pages.html")
        .map(|(_, b)| b.len())
        .sum::<usize>();
}

#[test]
fn the_browser_tests_passwords_are_found_in_their_sources() {
    let passwords = browser_test_passwords();
    assert!(passwords.contains(&"correct horse battery staple".to_owned()));
    assert!(passwords.contains(&"wrong password".to_owned()));
    assert!(passwords.len() >= 4, "{passwords:?}");
}

#[tokio::test]
#[ignore = "scripts/test runs it after the browser tests, over what they kept in E2E_SCAN_DIR"]
async fn the_browser_tests_databases_logs_and_pages_hold_none_of_their_secrets() {
    let root = PathBuf::from(std::env::var("E2E_SCAN_DIR").expect("E2E_SCAN_DIR is set"));
    let passwords = browser_test_passwords();
    let mut totals = Totals {
        servers: 0,
        tokens: 0,
        pages_bytes: 0,
    };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("switchboard.db").exists())
        .collect();
    dirs.sort();
    for dir in &dirs {
        scan_server(dir, &passwords, &mut totals).await;
    }
    println!(
        "secret scan: {} servers, {} stored tokens, {} passwords, {} KB of pages: nothing found",
        totals.servers,
        totals.tokens,
        passwords.len(),
        totals.pages_bytes / 1024
    );
    assert!(totals.servers >= 10, "the browser tests kept their servers");
    assert!(totals.tokens > 0, "some servers held tokens to look for");
    assert!(totals.pages_bytes > 0, "pages were kept");
}

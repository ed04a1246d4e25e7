//! The binary as operators run it: exit codes, one-line errors, user commands.

use crate::helpers::{fresh_database_url, location, spawn_app_on, WORKSPACE};
use std::process::{Command, Output};
use std::sync::Arc;

fn switchboard(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_switchboard"));
    command
        .args(args)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).trim().to_owned()
}

#[test]
fn a_bad_database_url_stops_the_binary_with_one_clear_line() {
    let output = switchboard(
        &["migrate"],
        &[("DATABASE_URL", "mysql://root:sekret@localhost/x")],
    );
    assert!(!output.status.success());
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("DATABASE_URL must start with sqlite:// or postgres://"));
    assert!(!message.contains("sekret"));
}

#[test]
fn an_unreachable_postgres_stops_the_binary_with_one_clear_line() {
    let output = switchboard(
        &["migrate"],
        &[("DATABASE_URL", "postgres://root@127.0.0.1:1/none")],
    );
    assert!(!output.status.success());
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.contains("cannot connect to the PostgreSQL database"),
        "{message}"
    );
    assert!(!message.contains("panicked"));
}

#[test]
fn a_bad_listen_address_stops_the_binary_with_one_clear_line() {
    let output = switchboard(&["serve"], &[("LEPTOS_SITE_ADDR", "not-an-address")]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "switchboard: LEPTOS_SITE_ADDR \"not-an-address\" is not an address: expected host:port, like 127.0.0.1:3000"
    );
}

#[test]
fn every_command_has_help() {
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["migrate", "--help"],
        &["user", "create", "--help"],
        &["user", "set-password", "--help"],
    ] {
        let output = switchboard(args, &[]);
        assert!(output.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("Usage"),
            "{args:?}"
        );
    }
}

#[tokio::test]
async fn user_create_makes_a_user_who_can_sign_in_and_re_adding_keeps_their_password() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let url = fresh_database_url(&dir).await;
    let env = [
        ("DATABASE_URL", url.as_str()),
        ("NEW_PASSWORD", "cli-password-123"),
    ];
    let created = switchboard(
        &[
            "user",
            "create",
            "--email",
            "Cli@Example.com",
            "--name",
            "Cli User",
            "--workspace",
            WORKSPACE,
            "--role",
            "owner",
            "--password-env",
            "NEW_PASSWORD",
        ],
        &env,
    );
    assert!(created.status.success(), "{}", stderr(&created));
    assert!(String::from_utf8_lossy(&created.stdout)
        .contains("Created cli@example.com as Owner of Acme Social (new workspace)."));

    let env = [
        ("DATABASE_URL", url.as_str()),
        ("NEW_PASSWORD", "other-password-456"),
    ];
    let again = switchboard(
        &[
            "user",
            "create",
            "--email",
            "cli@example.com",
            "--name",
            "Cli User",
            "--workspace",
            "Second Space",
            "--role",
            "admin",
            "--password-env",
            "NEW_PASSWORD",
        ],
        &env,
    );
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(String::from_utf8_lossy(&again.stdout).contains("password unchanged"));

    let app = spawn_app_on(&url, dir).await;
    assert_eq!(
        app.get("/setup").await.status(),
        404,
        "a CLI-created user completes first run"
    );
    let response = app.login("cli@example.com", "cli-password-123").await;
    assert_eq!(location(&response), "/accounts");
    assert_eq!(app.count("workspaces").await, 2);
    assert_eq!(app.count("memberships").await, 2);
}

#[tokio::test]
async fn user_create_refuses_an_unknown_role_and_a_bad_email() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let role = switchboard(
        &[
            "user",
            "create",
            "--email",
            "a@example.com",
            "--name",
            "A",
            "--workspace",
            "W",
            "--role",
            "superuser",
        ],
        &[("DATABASE_URL", url.as_str())],
    );
    assert!(!role.status.success());
    assert!(stderr(&role).contains("unknown role"));
    let email = switchboard(
        &[
            "user",
            "create",
            "--email",
            "nope",
            "--name",
            "A",
            "--workspace",
            "W",
            "--role",
            "owner",
            "--password-env",
            "HOME",
        ],
        &[("DATABASE_URL", url.as_str())],
    );
    assert!(!email.status.success());
    assert_eq!(
        stderr(&email),
        "switchboard: Enter a valid email address, like name@example.com."
    );
}

#[tokio::test]
async fn set_password_changes_the_password_and_ends_that_users_sessions() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let url = fresh_database_url(&dir).await;
    let app = spawn_app_on(&url, dir).await;
    app.setup().await;
    assert_eq!(app.get("/accounts").await.status(), 200);

    let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args([
            "user",
            "set-password",
            "--email",
            crate::helpers::OWNER_EMAIL,
        ])
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"brand-new-password\n")
            .unwrap();
    }
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!String::from_utf8_lossy(&output.stdout).contains("brand-new-password"));

    assert_eq!(app.get("/accounts").await.status(), 303, "session ended");
    let old = app
        .login(crate::helpers::OWNER_EMAIL, crate::helpers::OWNER_PASSWORD)
        .await;
    assert_eq!(old.status(), 302);
    assert_ne!(location(&old), "/accounts");
    let new = app
        .login(crate::helpers::OWNER_EMAIL, "brand-new-password")
        .await;
    assert_eq!(location(&new), "/accounts");
}

#[test]
fn migrate_applies_migrations_and_exits() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}/nested/folder/db.sqlite?mode=rwc",
        dir.path().display()
    );
    let output = switchboard(&["migrate"], &[("DATABASE_URL", url.as_str())]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        dir.path().join("nested/folder/db.sqlite").exists(),
        "folder and file created"
    );
}

#[test]
fn the_sandbox_refuses_to_start_beside_real_meta_credentials() {
    let output = switchboard(
        &["serve"],
        &[("SWITCHBOARD_SANDBOX", "1"), ("META_APP_ID", "1234")],
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "switchboard: SWITCHBOARD_SANDBOX=1 can't be combined with real Meta app credentials (META_APP_ID): unset one or the other"
    );
}

#[test]
fn refresh_runs_only_with_once_and_then_reports_what_the_sweep_did() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}/sb.db?mode=rwc", dir.path().display());
    let key = dir.path().join("master.key");
    {
        use base64::Engine;
        use std::os::unix::fs::PermissionsExt;
        let encoded = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
        std::fs::write(&key, encoded).unwrap();
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let env = [
        ("DATABASE_URL", database.as_str()),
        ("SWITCHBOARD_MASTER_KEY_FILE", key.to_str().unwrap()),
    ];
    let refused = switchboard(&["refresh"], &env);
    assert!(!refused.status.success());
    let message = stderr(&refused);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("refresh --once"), "{message}");

    let once = switchboard(&["refresh", "--once"], &env);
    assert!(once.status.success(), "{}", stderr(&once));
    assert_eq!(
        String::from_utf8_lossy(&once.stdout).trim(),
        "refreshed 0 · probed 0 · needs reauthorization 0 · deferred 0"
    );
}

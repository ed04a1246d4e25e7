//! The master key at start: generated once into a 0600 file, required to match the database
//! afterwards, accepted beside a previous key during a rotation, and a bad one stops the binary
//! with one clear line.

use crate::helpers::{spawn_app, test_config};
use secrecy::SecretString;
use std::process::Command;
use std::sync::Arc;
use switchboard::server::clock::SystemClock;
use switchboard::server::config::MasterKeySource;
use switchboard::server::crypto::MasterKey;
use switchboard::server::startup::Application;

fn inline(key: &MasterKey) -> MasterKeySource {
    MasterKeySource::Inline(SecretString::from(key.to_base64()))
}

#[tokio::test]
async fn the_first_start_generates_a_key_file_only_its_owner_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let app = spawn_app().await;
    let (url, dir) = app.stop().await;
    let file = dir.path().join("master.key");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    // The next start reads the same key and is accepted.
    let again = crate::helpers::spawn_app_on(&url, dir.clone()).await;
    assert_eq!(app_fingerprint(&again), key_in(&file).fingerprint());
}

fn key_in(path: &std::path::Path) -> MasterKey {
    switchboard::server::crypto::key_file::load(path).unwrap()
}

fn app_fingerprint(app: &crate::helpers::TestApp) -> String {
    app.keyring.current_fingerprint().to_owned()
}

#[tokio::test]
async fn another_key_is_refused_unless_the_known_key_is_configured_as_previous() {
    let app = spawn_app().await;
    let (url, dir) = app.stop().await;
    let known = key_in(&dir.path().join("master.key"));
    let stranger = MasterKey::generate();

    let mut config = test_config(&url, &dir);
    config.keys.master = inline(&stranger);
    let refused = Application::build(config, Arc::new(SystemClock)).await;
    let message = format!("{:#}", refused.err().expect("a wrong key is refused"));
    assert!(
        message.contains("master key does not match this database"),
        "{message}"
    );

    let mut config = test_config(&url, &dir);
    config.keys.master = inline(&stranger);
    config.keys.previous = vec![SecretString::from(known.to_base64())];
    assert!(
        Application::build(config, Arc::new(SystemClock))
            .await
            .is_ok(),
        "a rotation may begin"
    );
    // From then on the new key is known on its own.
    let mut config = test_config(&url, &dir);
    config.keys.master = inline(&stranger);
    assert!(Application::build(config, Arc::new(SystemClock))
        .await
        .is_ok());
}

#[tokio::test]
async fn a_wrong_or_malformed_master_key_stops_the_binary_with_one_line() {
    let app = spawn_app().await;
    let (url, dir) = app.stop().await;
    if !url.starts_with("sqlite") {
        return; // The binary test needs only one database kind.
    }
    let run = |key: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .arg("serve")
            .env("DATABASE_URL", &url)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("SWITCHBOARD_MASTER_KEY", key)
            .env("RUST_LOG", "off")
            .output()
            .unwrap();
        assert!(!output.status.success());
        String::from_utf8_lossy(&output.stderr).trim().to_owned()
    };
    let stranger = MasterKey::generate();
    let known = key_in(&dir.path().join("master.key"));
    let wrong = run(&stranger.to_base64());
    assert_eq!(
        wrong,
        format!(
            "switchboard: master key does not match this database (it is {}; the database knows {})",
            stranger.fingerprint(),
            known.fingerprint()
        )
    );
    let malformed = run("c2hvcnQ=");
    assert_eq!(malformed.lines().count(), 1, "{malformed}");
    assert!(
        malformed.starts_with("switchboard: SWITCHBOARD_MASTER_KEY:"),
        "{malformed}"
    );
    assert!(!malformed.contains("c2hvcnQ"));
    drop(dir);
}

#[tokio::test]
async fn a_key_file_others_can_read_stops_the_binary_with_one_line_naming_file_and_mode() {
    use std::os::unix::fs::PermissionsExt;
    let app = spawn_app().await;
    let (url, dir) = app.stop().await;
    if !url.starts_with("sqlite") {
        return; // The binary test needs only one database kind.
    }
    let file = dir.path().join("master.key");
    let start = |mode: u32| {
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard"))
            .arg("serve")
            .env("DATABASE_URL", &url)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("SWITCHBOARD_MASTER_KEY_FILE", &file)
            .env("RUST_LOG", "warn")
            .stderr(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_secs(2));
        let running = child.try_wait().unwrap().is_none();
        let _ = child.kill();
        let output = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&output.stderr).into_owned()
            + &String::from_utf8_lossy(&output.stdout);
        (running, text)
    };
    let (running, refused) = start(0o644);
    assert!(!running, "a world-readable key file stops the start");
    let line = refused.trim();
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(line.contains(&file.display().to_string()), "{line}");
    assert!(
        line.contains("0644") && line.contains("chmod 600"),
        "{line}"
    );

    let (running, warned) = start(0o640);
    assert!(running, "a group-readable key file is accepted: {warned}");
    assert!(warned.contains("readable by its group"), "{warned}");
}

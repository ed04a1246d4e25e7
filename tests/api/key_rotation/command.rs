//! `switchboard keys rotate` as the operator runs it: progress per table, the final word on the
//! previous keys, a bounded batch size, and no key in its output.

use super::tokens_under_an_old_key;
use std::process::Command;
use switchboard::server::crypto::MasterKey;

fn keys_rotate(
    database: &str,
    args: &[&str],
    current: &MasterKey,
    previous: &[&MasterKey],
) -> (bool, String) {
    let previous: Vec<String> = previous.iter().map(|k| k.to_base64()).collect();
    let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["keys", "rotate"])
        .args(args)
        .env("DATABASE_URL", database)
        .env("SWITCHBOARD_MASTER_KEY", current.to_base64())
        .env("SWITCHBOARD_PREVIOUS_MASTER_KEYS", previous.join(","))
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[tokio::test]
async fn keys_rotate_prints_progress_and_says_when_no_previous_key_is_in_use() {
    let (url, _dir, old) = tokens_under_an_old_key().await;
    let new = MasterKey::generate();
    let (ok, out) = keys_rotate(&url, &["--batch-size", "0"], &new, &[&old]);
    assert!(!ok, "a batch size of 0 is refused: {out}");
    let (ok, out) = keys_rotate(&url, &["--batch-size", "10001"], &new, &[&old]);
    assert!(!ok, "over 10000 is refused: {out}");

    let (ok, out) = keys_rotate(&url, &["--batch-size", "2"], &new, &[&old]);
    assert!(ok, "{out}");
    assert!(
        out.contains("grants: 1 stored tokens under a previous key"),
        "{out}"
    );
    assert!(
        out.contains("accounts: 3 stored tokens under a previous key"),
        "{out}"
    );
    assert!(out.contains("accounts: 2/3 done"), "{out}");
    assert!(out.contains("accounts: 3/3 done"), "{out}");
    assert!(
        out.contains(&format!(
            "Re-wrapped 4 stored tokens under master key {}",
            new.fingerprint()
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "Master key {} is no longer used and was retired.",
            old.fingerprint()
        )),
        "{out}"
    );
    assert!(out.contains("No previous key is in use"), "{out}");
    for key in [&old, &new] {
        assert!(!out.contains(&key.to_base64()), "no key in the output");
    }

    // Run again with the new key alone: nothing to do, nothing missing.
    let (ok, out) = keys_rotate(&url, &[], &new, &[]);
    assert!(ok, "{out}");
    assert!(out.contains("Re-wrapped 0 stored tokens"), "{out}");
    // The old key alone is refused before anything is touched.
    let (ok, out) = keys_rotate(&url, &[], &old, &[]);
    assert!(!ok);
    assert!(
        out.contains("master key does not match this database"),
        "{out}"
    );
}

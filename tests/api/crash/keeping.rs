//! Crashes while keeping tokens: the sweep renewing one, and a master key rotation.

use super::binary::run_aborting;
use super::invariants::assert_invariants;
use super::stopped;
use crate::connect::direct::{ACME_DIRECT, INSTAGRAM};
use crate::connections::account_named;
use crate::helpers::{spawn_app_with, spawn_app_with_keys};
use crate::key_rotation::{every_token_opens, tokens_under_an_old_key, WINDOW};
use crate::maintenance::{a_day_later, calls_to, status_of, sweep};
use switchboard::server::crypto::MasterKey;
use switchboard::server::key_rotation::rotate;

#[tokio::test]
async fn killed_before_a_renewed_token_commits_the_old_one_is_kept_and_the_next_sweep_renews_it_once(
) {
    let app = spawn_app_with(&WINDOW).await;
    app.setup().await;
    INSTAGRAM
        .connect(&app, ACME_DIRECT, &INSTAGRAM.scopes)
        .await;
    a_day_later(&app).await;
    let before = account_named(&app, "acme.direct").await;
    // `refresh --once` beside the running server, whose sandbox stands in for Meta.
    let env = [
        (WINDOW[0].0, WINDOW[0].1.to_owned()),
        ("PUBLIC_URL", app.address.clone()),
    ];
    let step = "refresh.before_commit";
    run_aborting(
        &app.database_url,
        app.dir(),
        &["refresh", "--once"],
        step,
        &env,
    )
    .await;
    let (url, dir, _) = stopped(app).await;

    let key = switchboard::server::crypto::key_file::load(&dir.path().join("master.key")).unwrap();
    let app = spawn_app_with_keys(&url, dir, &key, &[], &WINDOW).await;
    let row = account_named(&app, "acme.direct").await;
    assert_eq!(
        row.token_ciphertext, before.token_ciphertext,
        "the old token, kept"
    );
    assert_eq!(
        calls_to(&app, "*refresh_access_token*").await,
        1,
        "Meta renewed it once"
    );
    assert_invariants(&app).await;

    // The dead sweeper's lease runs out; the next sweep renews it (Meta's old token lives on
    // until its own expiry, so nothing was lost in between).
    app.clock.advance(chrono::Duration::minutes(6));
    sweep(&app).await;
    let row = account_named(&app, "acme.direct").await;
    assert_ne!(row.token_ciphertext, before.token_ciphertext, "renewed");
    assert_eq!(calls_to(&app, "*refresh_access_token*").await, 2);
    assert_eq!(status_of(&app, "acme.direct").await.0, "active");
    assert_invariants(&app).await;
}

#[tokio::test]
async fn killed_after_the_first_rotation_batch_every_token_opens_and_the_rotation_resumes_to_the_end(
) {
    let (url, dir, old) = tokens_under_an_old_key().await;
    let new = MasterKey::generate();
    let keys = [
        ("SWITCHBOARD_MASTER_KEY", new.to_base64()),
        ("SWITCHBOARD_PREVIOUS_MASTER_KEYS", old.to_base64()),
    ];
    let args = ["keys", "rotate", "--batch-size", "1"];
    run_aborting(&url, dir.path(), &args, "rotation.after_batch", &keys).await;

    let app = spawn_app_with_keys(&url, dir.clone(), &new, &[&old], &WINDOW).await;
    let by_key = every_token_opens(&app).await;
    assert_eq!(
        by_key.get(new.fingerprint()),
        Some(&1),
        "one batch of one: {by_key:?}"
    );
    assert!(
        by_key.get(old.fingerprint()).is_some_and(|n| *n > 0),
        "{by_key:?}"
    );
    assert_invariants(&app).await;

    rotate(&app.db, &app.vault, 1, |_, _| {}).await.unwrap();
    let by_key = every_token_opens(&app).await;
    assert_eq!(
        by_key.keys().collect::<Vec<_>>(),
        [new.fingerprint()],
        "all under the new key"
    );
    assert_invariants(&app).await;
    let (url, dir) = app.stop().await;
    let app = spawn_app_with_keys(&url, dir, &new, &[], &WINDOW).await;
    assert_invariants(&app).await;
}

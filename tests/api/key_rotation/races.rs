//! A rotation racing the other writers of a token: a disconnect that destroyed it and a refresh
//! that replaced it both stay as they left it, whichever came first.

use super::{every_token_opens, tokens_under_an_old_key, WINDOW};
use crate::connections::{account_named, press_disconnect};
use crate::helpers::{spawn_app_with_keys, TestApp, OWNER_EMAIL, OWNER_PASSWORD};
use crate::maintenance::a_day_later;
use meta_sandbox::failures::Failure;
use secrecy::ExposeSecret;
use switchboard::domain::Provider;
use switchboard::server::crypto::vault::{Owner, Slot};
use switchboard::server::crypto::MasterKey;
use switchboard::server::jobs::maintenance::run_once;
use switchboard::server::key_rotation::{self, Batch, Rotation};

/// An app mid-rotation (new key current, old key previous), its Owner signed in again.
async fn rotating_app() -> (TestApp, MasterKey) {
    let (url, dir, old) = tokens_under_an_old_key().await;
    let new = MasterKey::generate();
    let app = spawn_app_with_keys(&url, dir, &new, &[&old], &WINDOW).await;
    app.login(OWNER_EMAIL, OWNER_PASSWORD).await;
    (app, new)
}

/// The rotation's batch holding account `id`, read but not yet written.
async fn batch_holding(rotation: &mut Rotation, id: i64) -> Batch {
    while let Some(batch) = rotation.next_batch().await.unwrap() {
        if batch.table() == "accounts" && batch.ids().contains(&id) {
            return batch;
        }
    }
    panic!("no batch holds account {id}");
}

/// The direct Instagram account's token, opened.
async fn direct_token(app: &TestApp) -> (String, String) {
    let row = account_named(app, "acme.direct").await;
    let ciphertext = row.token_ciphertext.clone().expect("a token");
    let owner = Owner {
        row_id: row.id,
        workspace_id: row.workspace_id,
        provider: Provider::Instagram,
    };
    let token = app
        .vault
        .open(Slot::ACCOUNT_TOKEN, &owner, &ciphertext)
        .unwrap();
    (ciphertext, token.expose_secret().to_owned())
}

#[tokio::test]
async fn a_rotation_racing_a_disconnect_never_brings_the_destroyed_token_back() {
    let (app, _) = rotating_app().await;
    let id = account_named(&app, "acme.direct").await.id;
    let mut rotation = Rotation::new(app.db.clone(), app.vault.clone(), 500);
    let batch = batch_holding(&mut rotation, id).await;
    let response = press_disconnect(&app, &app.client, id).await;
    assert!(response.status().is_redirection(), "{}", response.status());
    let written = rotation.write(batch).await.unwrap();
    assert_eq!(written.changed, 1, "{written:?}");
    let row = account_named(&app, "acme.direct").await;
    assert_eq!(row.status, "disconnected");
    assert!(
        row.token_ciphertext
            .as_deref()
            .unwrap_or_default()
            .is_empty(),
        "the destroyed token stays destroyed"
    );
    every_token_opens(&app).await;
}

#[tokio::test]
async fn a_refresh_written_after_the_rotation_read_the_row_is_kept() {
    let (app, _) = rotating_app().await;
    let (_, old_token) = direct_token(&app).await;
    let id = account_named(&app, "acme.direct").await.id;
    a_day_later(&app).await;
    // The rotation reads, the sweep renews, then the rotation writes: the renewal stays.
    let mut rotation = Rotation::new(app.db.clone(), app.vault.clone(), 500);
    let batch = batch_holding(&mut rotation, id).await;
    assert_eq!(run_once(&app.state).await.unwrap().refreshed, 1);
    let (renewed_ciphertext, renewed) = direct_token(&app).await;
    assert_ne!(renewed, old_token);
    let written = rotation.write(batch).await.unwrap();
    assert_eq!(written.changed, 1, "{written:?}");
    let (ciphertext, token) = direct_token(&app).await;
    assert_eq!(ciphertext, renewed_ciphertext);
    assert_eq!(token, renewed, "the old token is not restored");
}

#[tokio::test]
async fn a_refresh_that_read_the_row_before_the_rotation_rewrapped_it_still_lands() {
    let (app, new) = rotating_app().await;
    let (old_ciphertext, old_token) = direct_token(&app).await;
    assert!(!old_ciphertext.contains(new.fingerprint()));
    a_day_later(&app).await;
    // The sweep reads and asks Meta (answered a second late), the rotation re-wraps the row
    // meanwhile, then the sweep writes the renewed token.
    app.sandbox
        .fail_next(
            "*refresh_access_token*",
            1,
            &Failure::Late { seconds: Some(1) },
        )
        .await
        .unwrap();
    let (swept, rotated) = tokio::join!(run_once(&app.state), async {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        key_rotation::rotate(&app.db, &app.vault, 500, |_, _| {}).await
    });
    let rotated = rotated.unwrap();
    assert!(rotated.totals.rewrapped >= 1, "{rotated}");
    assert_eq!(swept.unwrap().refreshed, 1, "the late renewal was written");
    let (ciphertext, token) = direct_token(&app).await;
    assert_ne!(token, old_token, "renewed");
    assert!(ciphertext.starts_with(&format!("v1.{}.", new.fingerprint())));
    every_token_opens(&app).await;
}

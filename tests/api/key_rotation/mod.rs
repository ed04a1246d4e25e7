//! `switchboard keys rotate` (docs/operations.md → "Rotating the master key") against real
//! databases: every token re-wrapped and still opening at every point, a rotation killed halfway
//! and resumed, the start refusing a missing or wrong previous key by its fingerprint and, once
//! rotated, the old key alone; a rotation racing a disconnect or a refresh never undoes it.

mod command;
mod races;

use crate::connect::direct::{ACME_DIRECT, INSTAGRAM};
use crate::connections::connect_alex;
use crate::helpers::{keyed_config, spawn_app_with, spawn_app_with_keys, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::Arc;
use switchboard::domain::{Platform, Provider};
use switchboard::server::clock::SystemClock;
use switchboard::server::crypto::vault::{Owner, Slot};
use switchboard::server::crypto::MasterKey;
use switchboard::server::entities::{account, grant};
use switchboard::server::key_rotation::{Rotation, Written};
use switchboard::server::startup::Application;

/// The refresh window the race tests need (every direct token inside it).
pub const WINDOW: [(&str, &str); 1] = [("SWITCHBOARD_REFRESH_WINDOW", "60d")];

/// A database holding Facebook grants, Pages and a direct Instagram account under the key
/// file's key; the app stopped. Answers (url, dir, that old key).
pub async fn tokens_under_an_old_key() -> (String, Arc<tempfile::TempDir>, MasterKey) {
    let app = spawn_app_with(&WINDOW).await;
    app.setup().await;
    connect_alex(&app, &["1111", "2222"]).await;
    INSTAGRAM
        .connect(&app, ACME_DIRECT, &INSTAGRAM.scopes)
        .await;
    let (url, dir) = app.stop().await;
    let old = switchboard::server::crypto::key_file::load(&dir.path().join("master.key")).unwrap();
    (url, dir, old)
}

/// Opens every stored token with the app's keys; answers how many there are, by fingerprint.
pub async fn every_token_opens(app: &TestApp) -> HashMap<String, usize> {
    let grants = grant::Entity::find().all(&app.db).await.unwrap();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut providers = HashMap::new();
    for row in &grants {
        let provider: Provider = row.provider.parse().unwrap();
        providers.insert(row.id, provider);
        if row.token_ciphertext.is_empty() {
            continue;
        }
        let owner = Owner {
            row_id: row.id,
            workspace_id: row.workspace_id,
            provider,
        };
        app.vault
            .open(Slot::GRANT_USER_TOKEN, &owner, &row.token_ciphertext)
            .unwrap_or_else(|err| panic!("grant {} does not open: {err}", row.id));
        *by_key.entry(row.token_key_fingerprint.clone()).or_default() += 1;
    }
    let accounts = account::Entity::find()
        .filter(account::Column::TokenCiphertext.is_not_null())
        .all(&app.db)
        .await
        .unwrap();
    for row in accounts {
        let Some(ciphertext) = row.token_ciphertext.as_deref().filter(|c| !c.is_empty()) else {
            continue;
        };
        let provider = match row.grant_id.and_then(|id| providers.get(&id)) {
            Some(provider) => *provider,
            None if row.platform == Platform::Threads.as_str() => Provider::Threads,
            None => Provider::Instagram,
        };
        let owner = Owner {
            row_id: row.id,
            workspace_id: row.workspace_id,
            provider,
        };
        app.vault
            .open(Slot::ACCOUNT_TOKEN, &owner, ciphertext)
            .unwrap_or_else(|err| panic!("account {} does not open: {err}", row.id));
        *by_key
            .entry(row.token_key_fingerprint.clone().unwrap_or_default())
            .or_default() += 1;
    }
    by_key
}

/// Why a start with these keys is refused (`None`: it starts).
async fn refusal(
    url: &str,
    dir: &tempfile::TempDir,
    current: &MasterKey,
    previous: &[&MasterKey],
) -> Option<String> {
    let config = keyed_config(url, dir, current, previous, &[]);
    match Application::build(config, Arc::new(SystemClock)).await {
        Ok(_) => None,
        Err(err) => Some(format!("{err:#}")),
    }
}

#[tokio::test]
async fn a_rotation_rewraps_every_token_which_opens_at_every_batch_and_retires_the_old_key() {
    let (url, dir, old) = tokens_under_an_old_key().await;
    let new = MasterKey::generate();
    let app = spawn_app_with_keys(&url, dir.clone(), &new, &[&old], &[]).await;
    let before = every_token_opens(&app).await;
    let total: usize = before.values().sum();
    assert!(
        total >= 4,
        "a grant, two Pages and the direct account: {before:?}"
    );
    assert_eq!(before.get(old.fingerprint()), Some(&total));

    let mut rotation = Rotation::new(app.db.clone(), app.vault.clone(), 2);
    let mut totals = Written::default();
    let mut batches = 0;
    while let Some(batch) = rotation.next_batch().await.unwrap() {
        assert!(batch.ids().len() <= 2);
        let written = rotation.write(batch).await.unwrap();
        totals.rewrapped += written.rewrapped;
        batches += 1;
        let now = every_token_opens(&app).await;
        assert_eq!(
            now.values().sum::<usize>(),
            total,
            "nothing lost mid-rotation"
        );
    }
    assert!(batches >= 3, "several batches: {batches}");
    assert_eq!(totals.rewrapped as usize, total);
    let report = rotation.finish().await.unwrap();
    assert!(report.complete(), "{report}");
    assert_eq!(report.retired, vec![old.fingerprint().to_owned()]);
    assert_eq!(
        every_token_opens(&app).await.get(new.fingerprint()),
        Some(&total)
    );
    assert!(report.to_string().contains("No previous key is in use"));
    app.stop().await;

    // The new key alone starts; the old key alone is refused by name.
    assert_eq!(refusal(&url, &dir, &new, &[]).await, None);
    let refused = refusal(&url, &dir, &old, &[])
        .await
        .expect("old key refused");
    assert!(
        refused.contains("master key does not match this database"),
        "{refused}"
    );
    assert!(
        refused.contains(new.fingerprint()),
        "names the key it knows: {refused}"
    );
}

#[tokio::test]
async fn a_rotation_killed_halfway_keeps_every_token_open_and_resumes_where_it_stopped() {
    let (url, dir, old) = tokens_under_an_old_key().await;
    let new = MasterKey::generate();
    let app = spawn_app_with_keys(&url, dir.clone(), &new, &[&old], &[]).await;
    let total: usize = every_token_opens(&app).await.values().sum();
    // One batch of one row, then the process "dies": the rotation is dropped.
    let mut first = Rotation::new(app.db.clone(), app.vault.clone(), 1);
    let batch = first.next_batch().await.unwrap().unwrap();
    assert_eq!(first.write(batch).await.unwrap().rewrapped, 1);
    drop(first);
    let halfway = every_token_opens(&app).await;
    assert_eq!(halfway.get(new.fingerprint()), Some(&1));
    assert_eq!(halfway.get(old.fingerprint()), Some(&(total - 1)));
    app.stop().await;

    // Without the old key the start names it and how many tokens still need it.
    let refused = refusal(&url, &dir, &new, &[]).await.expect("refused");
    assert!(refused.contains(old.fingerprint()), "{refused}");
    assert!(
        refused.contains(&format!("wraps {} stored tokens", total - 1)),
        "{refused}"
    );
    assert!(
        refused.contains("SWITCHBOARD_PREVIOUS_MASTER_KEYS"),
        "{refused}"
    );
    // A wrong previous key is no help: the same fingerprint is named.
    let wrong = MasterKey::generate();
    let refused = refusal(&url, &dir, &new, &[&wrong]).await.expect("refused");
    assert!(refused.contains(old.fingerprint()), "{refused}");

    // Resumed, it re-wraps only what is left.
    let app = spawn_app_with_keys(&url, dir.clone(), &new, &[&old], &[]).await;
    let mut again = Rotation::new(app.db.clone(), app.vault.clone(), 500);
    let mut rewrapped = 0;
    while let Some(batch) = again.next_batch().await.unwrap() {
        rewrapped += again.write(batch).await.unwrap().rewrapped;
    }
    assert_eq!(rewrapped as usize, total - 1);
    assert!(again.finish().await.unwrap().complete());
    assert_eq!(
        every_token_opens(&app).await.get(new.fingerprint()),
        Some(&total)
    );
}

#[tokio::test]
async fn a_second_rotation_finds_nothing_to_do() {
    let (url, dir, old) = tokens_under_an_old_key().await;
    let new = MasterKey::generate();
    let app = spawn_app_with_keys(&url, dir.clone(), &new, &[&old], &[]).await;
    let first = switchboard::server::key_rotation::rotate(&app.db, &app.vault, 500, |_, _| {})
        .await
        .unwrap();
    assert!(first.complete());
    let second = switchboard::server::key_rotation::rotate(&app.db, &app.vault, 500, |_, _| {})
        .await
        .unwrap();
    assert_eq!(second.totals, Written::default());
    assert!(second.retired.is_empty(), "already retired");
}

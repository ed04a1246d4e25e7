//! Stored tokens as someone with write access to the database could leave them: swapped between
//! rows of one workspace and between workspaces. None opens where it now sits; the sweep treats
//! it as undecryptable and never sends it to Meta; a rotation leaves it, and its old key, in
//! place until the row is put back (docs/hardening.md, requirements 21, 23 and 24).

use crate::connections::{account_in, connect_alex};
use crate::helpers::{spawn_app, spawn_app_with_keys, spoiled, TestApp};
use crate::maintenance::{announcements, calls_to, sweep};
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, Set};
use switchboard::domain::Provider;
use switchboard::server::crypto::vault::{Owner, Slot};
use switchboard::server::crypto::MasterKey;
use switchboard::server::entities::{account, grant};
use switchboard::server::key_rotation::{Report, Rotation, Written};

/// Two workspaces, each with Alex's grant and his Pages Acme Bakery and Side Project.
async fn two_workspaces(app: &TestApp) -> (i64, i64) {
    app.setup().await;
    connect_alex(app, &["1111", "2222"]).await;
    app.create_workspace("Second Shop").await;
    connect_alex(app, &["1111", "2222"]).await;
    let grants = grants_oldest_first(app).await;
    assert_eq!(grants.len(), 2, "one grant per workspace");
    assert_ne!(grants[0].workspace_id, grants[1].workspace_id);
    (grants[0].workspace_id, grants[1].workspace_id)
}

/// Swaps the two grants' user tokens (one workspace's with the other's).
async fn swap_grant_tokens(app: &TestApp) {
    let grants = grants_oldest_first(app).await;
    let (a, b) = (&grants[0], &grants[1]);
    for (row, from) in [(a, b), (b, a)] {
        let mut changed: grant::ActiveModel = row.clone().into();
        changed.token_ciphertext = Set(from.token_ciphertext.clone());
        changed.update(&app.db).await.unwrap();
    }
}

/// Swaps the token ciphertexts the two accounts hold now.
async fn swap_account_tokens(app: &TestApp, a: &account::Model, b: &account::Model) {
    let find = |id| account::Entity::find_by_id(id).one(&app.db);
    let (a, b) = (
        find(a.id).await.unwrap().unwrap(),
        find(b.id).await.unwrap().unwrap(),
    );
    for (row, from) in [(&a, &b), (&b, &a)] {
        let mut changed: account::ActiveModel = row.clone().into();
        changed.token_ciphertext = Set(from.token_ciphertext.clone());
        changed.update(&app.db).await.unwrap();
    }
}

/// Whose a Facebook-issued token is: a grant's or a Page's row in its workspace.
fn facebook_owner(row_id: i64, workspace_id: i64) -> Owner {
    Owner {
        row_id,
        workspace_id,
        provider: Provider::Facebook,
    }
}

/// The grants, oldest first.
async fn grants_oldest_first(app: &TestApp) -> Vec<grant::Model> {
    grant::Entity::find()
        .order_by_asc(grant::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// Runs a whole rotation; answers its totals and report.
async fn rotate(app: &TestApp) -> (Written, Report) {
    let mut rotation = Rotation::new(app.db.clone(), app.vault.clone(), 500);
    let mut totals = Written::default();
    while let Some(batch) = rotation.next_batch().await.unwrap() {
        let written = rotation.write(batch).await.unwrap();
        totals.rewrapped += written.rewrapped;
        totals.unreadable += written.unreadable;
    }
    (totals, rotation.finish().await.unwrap())
}

#[tokio::test]
async fn tokens_swapped_between_rows_open_nowhere_and_keep_their_old_key_in_use_until_put_back() {
    let first = spawn_app().await;
    let (one, two) = two_workspaces(&first).await;
    let (url, dir) = first.stop().await;
    let old = switchboard::server::crypto::key_file::load(&dir.path().join("master.key")).unwrap();
    let new = MasterKey::generate();
    let app = spawn_app_with_keys(&url, dir.clone(), &new, &[&old], &[]).await;

    // Within one workspace: its two Pages' tokens. Across workspaces: the two grants' tokens.
    let acme = account_in(&app, one, "Acme Bakery").await;
    let side = account_in(&app, one, "Side Project").await;
    let grants = grants_oldest_first(&app).await;
    assert_eq!(grants[1].workspace_id, two);
    swap_account_tokens(&app, &acme, &side).await;
    swap_grant_tokens(&app).await;
    for (row, origin) in [(&acme, &side), (&side, &acme)] {
        let now = account::Entity::find_by_id(row.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let text = now.token_ciphertext.unwrap();
        let vault = &app.vault;
        assert!(
            vault
                .open(
                    Slot::ACCOUNT_TOKEN,
                    &facebook_owner(row.id, row.workspace_id),
                    &text
                )
                .is_err(),
            "{}",
            row.name
        );
        assert!(vault
            .open(
                Slot::ACCOUNT_TOKEN,
                &facebook_owner(origin.id, origin.workspace_id),
                &text
            )
            .is_ok());
    }
    for (row, origin) in [(&grants[0], &grants[1]), (&grants[1], &grants[0])] {
        let now = grant::Entity::find_by_id(row.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let text = now.token_ciphertext;
        let vault = &app.vault;
        let slot = Slot::GRANT_USER_TOKEN;
        assert!(
            vault
                .open(slot, &facebook_owner(row.id, row.workspace_id), &text)
                .is_err(),
            "grant {}",
            row.id
        );
        assert!(vault
            .open(slot, &facebook_owner(origin.id, origin.workspace_id), &text)
            .is_ok());
    }

    // The rotation can't read the four, leaves them under the old key, and keeps that key.
    let (totals, report) = rotate(&app).await;
    assert_eq!(totals.unreadable, 4, "{report}");
    assert!(!report.complete(), "{report}");
    assert_eq!(report.still_used.get(old.fingerprint()), Some(&4));
    assert!(report.retired.is_empty(), "{report}");

    // Put back, the next rotation moves them and only then retires the old key.
    swap_account_tokens(&app, &acme, &side).await;
    swap_grant_tokens(&app).await;
    let (totals, report) = rotate(&app).await;
    assert_eq!((totals.rewrapped, totals.unreadable), (4, 0), "{report}");
    assert!(report.complete(), "{report}");
    assert_eq!(report.retired, vec![old.fingerprint().to_owned()]);
}

#[tokio::test]
async fn a_grant_token_swapped_in_from_another_workspace_is_undecryptable_and_never_reaches_meta() {
    let app = spawn_app().await;
    let (one, two) = two_workspaces(&app).await;
    swap_grant_tokens(&app).await;
    let before = calls_to(&app, "*/debug_token").await;

    sweep(&app).await;
    for workspace in [one, two] {
        for name in ["Acme Bakery", "Side Project"] {
            let row = account_in(&app, workspace, name).await;
            assert_eq!(
                (row.status.as_str(), row.status_reason.as_deref()),
                ("needs_reauth", Some("decryption_failed")),
                "{name} in workspace {workspace}"
            );
        }
    }
    assert_eq!(
        calls_to(&app, "*/debug_token").await,
        before,
        "a token that doesn't open is never sent to Meta"
    );
    let announced = announcements(&app).await;
    assert!(announced >= 1, "the failure is announced");

    // No loop: the next sweep neither retries nor announces again.
    sweep(&app).await;
    assert_eq!(announcements(&app).await, announced);
    assert_eq!(calls_to(&app, "*/debug_token").await, before);
    assert!(app
        .page("/accounts?status=needs_reauth")
        .await
        .contains("Decryption failed — reconnect"));
}

/// A Page token that no longer opens (changed in the database) meets a publish: that Page's post
/// fails as undecryptable, the Page is marked Needs Reauthorization, nothing is sent to Meta for
/// it, and the other Page's post is published as usual.
#[tokio::test]
async fn a_page_token_that_no_longer_opens_fails_its_post_marks_the_page_and_sends_nothing() {
    use crate::connections::account_named;
    use crate::publishing::{app_with_pages, posts, published, SIDE_PAGE};
    let app = app_with_pages().await;
    let side = account_named(&app, "Side Project").await;
    let acme = account_named(&app, "Acme Bakery").await;
    let mut tampered: account::ActiveModel = side.clone().into();
    tampered.token_ciphertext = Set(side.token_ciphertext.as_deref().map(spoiled));
    tampered.update(&app.db).await.unwrap();

    published(&app, &[acme.id, side.id], "Seeded rye", "").await;
    let stored = posts(&app).await;
    let status_of = |id| stored.iter().find(|p| p.account_id == id).unwrap();
    assert_eq!(status_of(acme.id).status, "published");
    assert_eq!(status_of(side.id).status, "failed");
    let now = account_named(&app, "Side Project").await;
    assert_eq!(
        (now.status.as_str(), now.status_reason.as_deref()),
        ("needs_reauth", Some("decryption_failed"))
    );
    assert_eq!(
        calls_to(&app, &format!("*/{SIDE_PAGE}/feed")).await,
        0,
        "nothing sent to Meta with a token that doesn't open"
    );
}

//! **Reconnect**: the account's own flow again, and what the new grant changes — renewed
//! tokens that work, Pages new since last time, Pages left out, another Facebook user.

use super::{account_named, connect_alex, owner_app, press_disconnect, press_reconnect};
use crate::connect::direct::{ACME_DIRECT, INSTAGRAM};
use crate::connect::{arrive, consent, flash, outcome, stored, Consent, ALEX, ALL_PERMISSIONS};
use crate::helpers::{TestApp, OWNER_EMAIL, OWNER_PASSWORD};
use crate::sandbox::Meta;
use meta_sandbox::scenario::{PageRole, Scenario, TestUser};
use sea_orm::EntityTrait;
use secrecy::ExposeSecret;
use switchboard::domain::Provider;
use switchboard::server::crypto::vault::{Owner, Slot};
use switchboard::server::entities::{account, grant};

/// Reconnects account `id` from `from`, consenting as `consent_as`: (location, page).
async fn reconnect(
    app: &TestApp,
    id: i64,
    from: &str,
    consent_as: Consent<'_>,
) -> (String, String) {
    let dialog = press_reconnect(app, &app.client, id, from).await;
    let callback = consent(app, &dialog, &consent_as).await;
    outcome(app, arrive(&app.client, &callback).await).await
}

async fn status_of(app: &TestApp, name: &str) -> (String, Option<String>) {
    let row = account_named(app, name).await;
    (row.status, row.status_reason)
}

/// Whether the sandbox takes `token` as valid (`debug_token` with the app token).
async fn works(meta: &Meta<'_>, token: &str) -> bool {
    let (status, body) = meta
        .graph(
            "/debug_token",
            &[("input_token", token), ("access_token", &meta.app_token())],
        )
        .await;
    status == 200 && body["data"]["is_valid"] == true
}

#[tokio::test]
async fn a_reconnect_renews_every_token_so_it_opens_and_works_and_blanks_nothing() {
    let app = owner_app().await;
    connect_alex(&app, &["1111", "2222"]).await;
    let before = grant::Entity::find().one(&app.db).await.unwrap().unwrap();
    let acme = account_named(&app, "Acme Bakery").await;
    let from = format!("/accounts/{}", acme.id);
    // Ten days on, the new user token expires ten days later than the first.
    app.sandbox
        .advance_clock(chrono::Duration::days(10))
        .await
        .unwrap();
    // The app's clock follows; the session has gone idle meanwhile.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    app.login(OWNER_EMAIL, OWNER_PASSWORD).await;

    let dialog = press_reconnect(&app, &app.client, acme.id, &from).await;
    assert!(
        dialog.contains("auth_type=rerequest"),
        "declined permissions are offered again: {dialog}"
    );
    let callback = consent(&app, &dialog, &Consent::all(ALEX, &["1111", "2222"])).await;
    let (location, page) = outcome(&app, arrive(&app.client, &callback).await).await;
    assert_eq!(
        location, from,
        "back on the page the Reconnect started from"
    );
    assert_eq!(flash(&page).as_deref(), Some("Reconnected 3 accounts"));
    assert_eq!(stored(&app).await, (1, 3), "no duplicates");

    let after = grant::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_ne!(after.token_ciphertext, before.token_ciphertext);
    let (old, new) = (
        before.token_expires_at.unwrap(),
        after.token_expires_at.unwrap(),
    );
    assert!(
        (new - old - 10 * 86_400).abs() < 120,
        "the new expiry: {old} → {new}"
    );
    let meta = Meta::new(&app).await;
    let owner = |row_id| Owner {
        row_id,
        workspace_id: after.workspace_id,
        provider: Provider::Facebook,
    };
    let user_token = app
        .vault
        .open(
            Slot::GRANT_USER_TOKEN,
            &owner(after.id),
            &after.token_ciphertext,
        )
        .unwrap();
    assert!(works(&meta, user_token.expose_secret()).await);
    for row in account::Entity::find().all(&app.db).await.unwrap() {
        assert_eq!(row.status, "active", "{} is Active", row.name);
        if row.platform == "instagram_business" {
            assert_eq!(row.username.as_deref(), Some("acmebakery"), "kept");
            continue;
        }
        let ciphertext = row.token_ciphertext.clone().expect("a Page keeps a token");
        let token = app
            .vault
            .open(Slot::ACCOUNT_TOKEN, &owner(row.id), &ciphertext)
            .unwrap();
        assert!(
            works(&meta, token.expose_secret()).await,
            "{}'s token works",
            row.name
        );
    }
}

#[tokio::test]
async fn a_page_left_out_needs_reauthorization_and_a_page_new_since_last_time_appears() {
    let app = owner_app().await;
    connect_alex(&app, &["1111"]).await;
    let acme = account_named(&app, "Acme Bakery").await;
    let (_, page) = reconnect(
        &app,
        acme.id,
        "/settings/integrations",
        Consent::all(ALEX, &["2222"]),
    )
    .await;
    assert_eq!(
        flash(&page).as_deref(),
        Some("Reconnected 1 account · 1 new · 2 not included")
    );
    assert_eq!(status_of(&app, "Side Project").await.0, "active");
    for name in ["Acme Bakery", "acmebakery"] {
        assert_eq!(
            status_of(&app, name).await,
            (
                "needs_reauth".to_owned(),
                Some("not_in_latest_authorization".to_owned())
            ),
            "{name}"
        );
    }
    let list = app.page("/accounts?status=needs_reauth").await;
    assert!(list.contains("Not included in the latest authorization"));
    assert!(
        list.contains(">Reconnect<"),
        "Needs Reauthorization rows offer Reconnect"
    );

    // Ticking it again brings it back.
    let (_, page) = reconnect(
        &app,
        acme.id,
        "/settings/integrations",
        Consent::all(ALEX, &["1111", "2222"]),
    )
    .await;
    assert_eq!(flash(&page).as_deref(), Some("Reconnected 3 accounts"));
    assert_eq!(
        status_of(&app, "Acme Bakery").await,
        ("active".to_owned(), None)
    );
}

#[tokio::test]
async fn a_disconnected_page_stays_disconnected_unless_the_new_grant_includes_it() {
    let app = owner_app().await;
    connect_alex(&app, &["1111", "2222"]).await;
    let side = account_named(&app, "Side Project").await;
    press_disconnect(&app, &app.client, side.id).await;
    let acme = account_named(&app, "Acme Bakery").await;

    let (_, page) = reconnect(
        &app,
        acme.id,
        "/settings/integrations",
        Consent::all(ALEX, &["1111"]),
    )
    .await;
    assert_eq!(flash(&page).as_deref(), Some("Reconnected 2 accounts"));
    assert_eq!(status_of(&app, "Side Project").await.0, "disconnected");

    // The same rule when the user runs Connect Meta again, ticking it this time.
    connect_alex(&app, &["1111", "2222"]).await;
    assert_eq!(
        status_of(&app, "Side Project").await,
        ("active".to_owned(), None)
    );
}

#[tokio::test]
async fn another_facebook_user_is_a_new_grant_and_the_pages_it_finds_move_to_it() {
    let app = owner_app().await;
    let mut scenario = Scenario::default_world();
    scenario.users.push(TestUser {
        id: "10000000000000009".into(),
        name: "Cora Colleague".into(),
        roles: vec![PageRole {
            page_id: "1111".into(),
            tasks: vec!["MANAGE".into(), "CREATE_CONTENT".into()],
        }],
        businesses: vec![],
    });
    app.sandbox.load_scenario(&scenario).await.unwrap();
    connect_alex(&app, &["1111", "2222"]).await;
    let acme = account_named(&app, "Acme Bakery").await;
    let (_, page) = reconnect(
        &app,
        acme.id,
        "/settings/integrations",
        Consent::all("10000000000000009", &["1111"]),
    )
    .await;
    assert_eq!(flash(&page).as_deref(), Some("Reconnected 2 accounts"));
    assert_eq!(app.count("grants").await, 2, "a new grant");
    let cora = account_named(&app, "Acme Bakery").await.grant_id;
    assert_ne!(cora, acme.grant_id, "Acme Bakery moved to the new grant");
    assert_eq!(account_named(&app, "acmebakery").await.grant_id, cora);
    let side = account_named(&app, "Side Project").await;
    assert_eq!(
        (side.grant_id, side.status.as_str()),
        (acme.grant_id, "active"),
        "the other grant keeps its Page"
    );
}

#[tokio::test]
async fn a_declined_permission_on_reconnect_says_so_and_changes_nothing() {
    let app = owner_app().await;
    connect_alex(&app, &["1111", "2222"]).await;
    let before = account::Entity::find().all(&app.db).await.unwrap();
    let acme = account_named(&app, "Acme Bakery").await;
    let dialog = press_reconnect(&app, &app.client, acme.id, "/settings/integrations").await;
    let permissions: Vec<&str> = ALL_PERMISSIONS
        .into_iter()
        .filter(|p| *p != "pages_manage_posts")
        .collect();
    let consent_as = Consent {
        user: ALEX,
        pages: &["1111", "2222"],
        permissions: &permissions,
        proceed: true,
    };
    let callback = consent(&app, &dialog, &consent_as).await;
    let (location, _) = outcome(&app, arrive(&app.client, &callback).await).await;
    assert_eq!(
        location,
        "/settings/integrations?error=permissions_declined"
    );
    assert_eq!(account::Entity::find().all(&app.db).await.unwrap(), before);
}

#[tokio::test]
async fn an_instagram_account_linked_through_a_page_reconnects_through_its_page() {
    let app = owner_app().await;
    connect_alex(&app, &["1111"]).await;
    let ig = account_named(&app, "acmebakery").await;
    let detail = app.page(&format!("/accounts/{}", ig.id)).await;
    assert!(detail.contains("Reconnects through its Page, Acme Bakery."));
    let dialog = press_reconnect(&app, &app.client, ig.id, "/settings/integrations").await;
    assert!(
        dialog.starts_with(&app.url("/sandbox/facebook/")),
        "the Facebook dialog: {dialog}"
    );
}

#[tokio::test]
async fn a_direct_instagram_account_reconnects_with_instagram_login() {
    let app = owner_app().await;
    INSTAGRAM
        .connect(&app, ACME_DIRECT, &INSTAGRAM.scopes)
        .await;
    let direct = account_named(&app, "acme.direct").await;
    let dialog = press_reconnect(&app, &app.client, direct.id, "/settings/integrations").await;
    assert!(
        dialog.starts_with(&app.url("/sandbox/instagram/")),
        "{dialog}"
    );
    let callback = INSTAGRAM
        .consent(&app, &dialog, ACME_DIRECT, &INSTAGRAM.scopes, true)
        .await;
    let (_, page) = outcome(&app, arrive(&app.client, &callback).await).await;
    assert_eq!(flash(&page).as_deref(), Some("Reconnected 1 account"));
    let after = account_named(&app, "acme.direct").await;
    assert_ne!(
        after.token_ciphertext, direct.token_ciphertext,
        "a new token"
    );
    assert_eq!(app.count("accounts").await, 1);
}

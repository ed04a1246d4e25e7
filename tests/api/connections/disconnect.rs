//! **Disconnect**: the confirmation, the cascade from a Page to its Instagram accounts, tokens
//! destroyed at once, and the revocation recorded only with the last account that depends on
//! the Facebook login — in any workspace.

use super::{
    account_in, account_named, confirmed_deletes, connect_alex, owner_app, press_disconnect,
    revocation_of, wait_for_revocation,
};
use crate::connect::direct::{ACME_DIRECT, INSTAGRAM};
use crate::connect::{flash, ALEX};
use crate::helpers::html_unescape;
use sea_orm::EntityTrait;
use switchboard::server::entities::grant;

#[tokio::test]
async fn disconnecting_a_page_asks_first_then_takes_its_linked_instagram_account_with_it() {
    let app = owner_app().await;
    connect_alex(&app, &["1111", "2222"]).await;
    let acme = account_named(&app, "Acme Bakery").await;

    let confirm = html_unescape(
        &app.page(&format!("/accounts/{}/disconnect?from=/accounts", acme.id))
            .await,
    );
    assert!(
        confirm.contains("Acme Bakery and its linked Instagram account acmebakery"),
        "the confirmation names what goes with it"
    );
    assert!(confirm.contains("Yes, disconnect") && confirm.contains(">Cancel<"));
    assert_eq!(
        account_named(&app, "Acme Bakery").await.status,
        "active",
        "showing the confirmation changes nothing"
    );

    let response = press_disconnect(&app, &app.client, acme.id).await;
    let (location, page) = app.follow(response).await;
    assert_eq!(location, "/settings/integrations");
    assert_eq!(
        flash(&page).as_deref(),
        Some("Disconnected Acme Bakery and its linked Instagram account acmebakery.")
    );
    for name in ["Acme Bakery", "acmebakery"] {
        let row = account_named(&app, name).await;
        assert_eq!(row.status, "disconnected", "{name}");
        assert_eq!(row.token_ciphertext, None, "{name}'s token is destroyed");
    }
    let section = &page[page.find("Disconnected profiles").unwrap()..];
    assert!(section.contains("Acme Bakery") && section.contains("acmebakery"));
    let active = app.page("/accounts").await;
    assert!(!active.contains("Acme Bakery") && active.contains("Side Project"));
    assert!(app
        .page("/settings/activity")
        .await
        .contains("Account disconnected"));
    let grant = grant::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert!(
        !grant.token_ciphertext.is_empty(),
        "Side Project still uses the grant"
    );
    assert_eq!(
        revocation_of(&app, ALEX).await.map(|r| r.status).as_deref(),
        Some("idle"),
        "nothing to revoke while Side Project depends on the grant"
    );
}

#[tokio::test]
async fn the_grant_is_revoked_with_its_last_account_exactly_once_even_when_submitted_twice() {
    let app = owner_app().await;
    connect_alex(&app, &["1111", "2222"]).await;
    let acme = account_named(&app, "Acme Bakery").await;
    let side = account_named(&app, "Side Project").await;
    press_disconnect(&app, &app.client, acme.id).await;
    let (first, second) = tokio::join!(
        press_disconnect(&app, &app.client, side.id),
        press_disconnect(&app, &app.client, side.id),
    );
    assert!(first.status().is_redirection() && second.status().is_redirection());
    wait_for_revocation(&app, ALEX, |r| r.status == "done").await;
    assert_eq!(confirmed_deletes(&app, ALEX).await, 1);
    let grant = grant::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert!(
        grant.token_ciphertext.is_empty(),
        "the user token is destroyed too"
    );

    let again = press_disconnect(&app, &app.client, side.id).await;
    let (_, page) = app.follow(again).await;
    assert_eq!(
        flash(&page).as_deref(),
        Some("Side Project is already disconnected.")
    );
    switchboard::server::jobs::revocation_relay::run_once(&app.state)
        .await
        .unwrap();
    assert_eq!(
        confirmed_deletes(&app, ALEX).await,
        1,
        "still one revocation"
    );
    assert!(app
        .page("/settings/activity")
        .await
        .contains("Access removed at Meta"));
}

#[tokio::test]
async fn the_last_two_pages_disconnected_at_once_record_one_revocation() {
    let app = owner_app().await;
    connect_alex(&app, &["1111", "2222"]).await;
    let acme = account_named(&app, "Acme Bakery").await;
    let side = account_named(&app, "Side Project").await;
    let (a, b) = tokio::join!(
        press_disconnect(&app, &app.client, acme.id),
        press_disconnect(&app, &app.client, side.id),
    );
    assert!(a.status().is_redirection() && b.status().is_redirection());
    wait_for_revocation(&app, ALEX, |r| r.status == "done").await;
    assert_eq!(confirmed_deletes(&app, ALEX).await, 1);
}

#[tokio::test]
async fn the_same_meta_user_in_two_workspaces_is_revoked_only_once_both_are_disconnected() {
    let app = owner_app().await;
    connect_alex(&app, &["2222"]).await;
    let first = app.workspace_id(crate::helpers::WORKSPACE).await;
    app.create_workspace("Second Shop").await;
    connect_alex(&app, &["2222"]).await;
    let second = app.workspace_id("Second Shop").await;
    let in_second = account_in(&app, second, "Side Project").await;
    press_disconnect(&app, &app.client, in_second.id).await;
    switchboard::server::jobs::revocation_relay::run_once(&app.state)
        .await
        .unwrap();
    assert_eq!(
        confirmed_deletes(&app, ALEX).await,
        0,
        "the first workspace still uses it"
    );

    let back = app.switch_workspace(&first.to_string()).await;
    assert!(back.status().is_redirection());
    let in_first = account_in(&app, first, "Side Project").await;
    press_disconnect(&app, &app.client, in_first.id).await;
    wait_for_revocation(&app, ALEX, |r| r.status == "done").await;
    assert_eq!(confirmed_deletes(&app, ALEX).await, 1);
}

#[tokio::test]
async fn a_direct_instagram_account_is_disconnected_here_and_told_where_to_remove_the_app() {
    let app = owner_app().await;
    INSTAGRAM
        .connect(&app, ACME_DIRECT, &INSTAGRAM.scopes)
        .await;
    let direct = account_named(&app, "acme.direct").await;
    let confirm = app
        .page(&format!("/accounts/{}/disconnect", direct.id))
        .await;
    assert!(confirm.contains("instagram.com/accounts/manage_access"));
    press_disconnect(&app, &app.client, direct.id).await;
    let row = account_named(&app, "acme.direct").await;
    assert_eq!(
        (row.status.as_str(), row.token_ciphertext),
        ("disconnected", None)
    );
    assert_eq!(
        app.count("revocations").await,
        0,
        "Instagram has no revoke call"
    );
}

#[tokio::test]
async fn another_workspaces_account_cannot_be_disconnected() {
    let app = owner_app().await;
    connect_alex(&app, &["2222"]).await;
    let theirs = account_named(&app, "Side Project").await;
    app.create_workspace("Elsewhere").await;
    let response = press_disconnect(&app, &app.client, theirs.id).await;
    assert_eq!(
        crate::helpers::form_error(&app, response).await,
        "We couldn't find that page."
    );
    assert_eq!(account_named(&app, "Side Project").await.status, "active");
    let page = app
        .get(&format!("/accounts/{}/disconnect", theirs.id))
        .await;
    assert_eq!(page.status(), 404);
}

/// The confirmation's Cancel link to `href`, as rendered.
fn cancel(href: &str) -> String {
    format!("<a href=\"{href}\" class=\"button secondary\">Cancel</a>")
}

#[tokio::test]
async fn the_confirmations_cancel_link_never_leaves_the_site() {
    let app = owner_app().await;
    connect_alex(&app, &["2222"]).await;
    let side = account_named(&app, "Side Project").await;
    for from in [
        "https://evil.example/",
        "//evil.example/",
        "/%09/evil.example",
        "/\\evil.example",
    ] {
        let query: String = url::form_urlencoded::byte_serialize(from.as_bytes()).collect();
        let page = app
            .page(&format!("/accounts/{}/disconnect?from={query}", side.id))
            .await;
        assert!(
            page.contains(&cancel("/settings/integrations")),
            "{from}: Cancel goes to Integrations: {}",
            &page[page.find("confirm-buttons").unwrap_or(0)..]
        );
        assert!(!page.contains("evil.example"), "{from} is not echoed");
    }
    let page = app
        .page(&format!("/accounts/{}/disconnect?from=/accounts", side.id))
        .await;
    assert!(page.contains(&cancel("/accounts")));
}

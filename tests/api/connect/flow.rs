//! The connect flow when it works: what is stored, what the person sees, and connecting again.

use super::{
    connect, flash, outcome, press_connect, start, stored, Consent, ALEX, ALL_PERMISSIONS, BEA,
};
use crate::helpers::{form_error_with, role_message, spawn_app, OWNER_PASSWORD};
use meta_sandbox::scenario::Scenario;
use serde_json::json;

#[tokio::test]
async fn two_pages_and_a_linked_instagram_account_become_three_accounts() {
    let app = spawn_app().await;
    app.setup().await;
    let welcome = app.page("/accounts").await;
    assert!(welcome.contains("Connect Meta Account"));

    let response = connect(&app, Consent::all(ALEX, &["1111", "2222"])).await;
    let (location, page) = outcome(&app, response).await;
    assert_eq!(location, "/settings/integrations");
    assert_eq!(flash(&page).as_deref(), Some("Connected 3 accounts"));
    assert_eq!(stored(&app).await, (1, 3));
    for name in [
        "Acme Bakery",
        "Side Project",
        "acmebakery",
        "Instagram Business",
        "Olive Owner",
    ] {
        assert!(page.contains(name), "{name} is listed");
    }
    assert!(
        page.contains(">Connect Meta<"),
        "the integrations page offers Connect Meta"
    );
    let accounts = app.page("/accounts").await;
    assert!(
        !accounts.contains("Connect Meta Account"),
        "no welcome panel any more"
    );
    assert!(accounts.contains("Acme Bakery") && accounts.contains("acmebakery"));
    let activity = app.page("/settings/activity").await;
    assert!(activity.contains("Connection started") && activity.contains("Accounts connected"));
}

#[tokio::test]
async fn the_dialog_asks_for_the_least_scopes_with_state_and_pkce() {
    let app = spawn_app().await;
    app.setup().await;
    let dialog = start(&app, &app.client).await;
    let url = url::Url::parse(&dialog).unwrap();
    let get = |key: &str| {
        url.query_pairs()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let mut scopes: Vec<String> = get("scope").split(',').map(str::to_owned).collect();
    scopes.sort();
    let mut expected: Vec<String> = ALL_PERMISSIONS.iter().map(|s| (*s).to_owned()).collect();
    expected.sort();
    assert_eq!(scopes, expected);
    assert_eq!(get("redirect_uri"), app.url("/oauth/meta/callback"));
    assert_eq!(get("code_challenge_method"), "S256");
    assert!(get("state").len() >= 43, "at least 256 bits, base64url");
    assert_eq!(app.count("oauth_states").await, 1);
    let stored_digest: String = {
        use sea_orm::EntityTrait;
        switchboard::server::entities::oauth_state::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .digest
    };
    assert_ne!(
        stored_digest,
        get("state"),
        "only a digest of the state is stored"
    );
}

#[tokio::test]
async fn connecting_the_same_facebook_user_again_renews_without_duplicating() {
    let app = spawn_app().await;
    app.setup().await;
    let first = connect(&app, Consent::all(ALEX, &["1111", "2222"])).await;
    outcome(&app, first).await;
    let before: Vec<String> = ciphertexts(&app).await;
    let second = connect(&app, Consent::all(ALEX, &["1111", "2222"])).await;
    let (_, page) = outcome(&app, second).await;
    assert_eq!(flash(&page).as_deref(), Some("Connected 3 accounts"));
    assert_eq!(stored(&app).await, (1, 3));
    let after = ciphertexts(&app).await;
    assert_ne!(before, after, "the tokens were renewed");
}

async fn ciphertexts(app: &crate::helpers::TestApp) -> Vec<String> {
    use sea_orm::EntityTrait;
    use switchboard::server::entities::grant;
    grant::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.token_ciphertext)
        .collect()
}

#[tokio::test]
async fn declined_instagram_permissions_connect_the_pages_and_say_why() {
    let app = spawn_app().await;
    app.setup().await;
    let without_publish: Vec<&str> = ALL_PERMISSIONS
        .iter()
        .copied()
        .filter(|p| *p != "instagram_content_publish")
        .collect();
    let response = connect(
        &app,
        Consent {
            user: ALEX,
            pages: &["1111", "2222"],
            permissions: &without_publish,
            proceed: true,
        },
    )
    .await;
    let (_, page) = outcome(&app, response).await;
    assert_eq!(
        flash(&page).as_deref(),
        Some("Connected 2 accounts · Instagram permissions were not granted, so acmebakery was not connected")
    );
    assert_eq!(stored(&app).await, (1, 2));
}

#[tokio::test]
async fn an_analyze_only_page_is_named_beside_the_pages_that_connect() {
    let app = spawn_app().await;
    app.setup().await;
    app.sandbox
        .load_scenario(
            &serde_json::from_value::<Scenario>(json!({
                "users": [{ "id": "555", "name": "Mixed Roles", "roles": [
                    { "page_id": "1", "tasks": ["MANAGE", "CREATE_CONTENT"] },
                    { "page_id": "2", "tasks": ["ANALYZE"] }
                ]}],
                "pages": [{ "id": "1", "name": "Good Page" }, { "id": "2", "name": "Numbers Nook" }]
            }))
            .unwrap(),
        )
        .await
        .unwrap();
    let response = connect(&app, Consent::all("555", &["1", "2"])).await;
    let (_, page) = outcome(&app, response).await;
    assert_eq!(
        flash(&page).as_deref(),
        Some("Connected 1 account · Numbers Nook can't be connected: your role on this Page doesn't allow publishing. Ask a Page admin for full or partial control.")
    );
    assert_eq!(stored(&app).await, (1, 1));
}

#[tokio::test]
async fn a_hundred_and_fifty_pages_are_read_over_several_result_pages() {
    let app = spawn_app().await;
    app.setup().await;
    app.sandbox
        .load_scenario(&Scenario::with_generated_pages(150))
        .await
        .unwrap();
    let ids: Vec<String> = (1..=150).map(|n| (500_000 + n).to_string()).collect();
    let pages: Vec<&str> = ids.iter().map(String::as_str).collect();
    let response = connect(&app, Consent::all("10000000000000099", &pages)).await;
    let (_, page) = outcome(&app, response).await;
    assert_eq!(flash(&page).as_deref(), Some("Connected 150 accounts"));
    assert_eq!(stored(&app).await, (1, 150));
    let listing_calls = app
        .sandbox
        .calls(&meta_sandbox::calls::CallFilter::path("*/me/accounts"))
        .await
        .unwrap()
        .len();
    assert_eq!(listing_calls, 2, "100 + 50, one call per result page");
}

#[tokio::test]
async fn a_business_portfolio_page_is_discovered_and_a_page_in_both_lists_counts_once() {
    let app = spawn_app().await;
    app.setup().await;
    let response = connect(&app, Consent::all(BEA, &["4444"])).await;
    let (_, page) = outcome(&app, response).await;
    assert_eq!(flash(&page).as_deref(), Some("Connected 1 account"));
    assert!(page.contains("Portfolio Page"));

    app.sandbox
        .load_scenario(
            &serde_json::from_value::<Scenario>(json!({
                "users": [{ "id": "777", "name": "Both Ways", "roles": [{ "page_id": "1", "tasks": ["MANAGE"] }], "businesses": ["9"] }],
                "pages": [{ "id": "1", "name": "Shared Page" }],
                "businesses": [{ "id": "9", "name": "Biz", "owned_pages": ["1"] }]
            }))
            .unwrap(),
        )
        .await
        .unwrap();
    let response = connect(&app, Consent::all("777", &["1"])).await;
    let (_, page) = outcome(&app, response).await;
    assert_eq!(flash(&page).as_deref(), Some("Connected 1 account"));
    assert_eq!(
        stored(&app).await.1,
        2,
        "Portfolio Page and Shared Page, once each"
    );
}

#[tokio::test]
async fn only_roles_that_may_connect_get_to_the_dialog() {
    let app = spawn_app().await;
    app.setup().await;
    for (email, role) in [
        ("ada@example.com", "admin"),
        ("max@example.com", "manager"),
        ("mo@example.com", "member"),
    ] {
        app.add_member(email, "Someone", role, OWNER_PASSWORD).await;
        let browser = app.signed_in(email, OWNER_PASSWORD).await;
        if role == "member" {
            let response = press_connect(&app, &browser).await;
            assert_eq!(
                form_error_with(&app, &browser, response).await,
                role_message("connecting Meta accounts")
            );
        } else {
            start(&app, &browser).await;
        }
    }
    assert_eq!(
        app.count("oauth_states").await,
        2,
        "no state for the Member"
    );
}

#[tokio::test]
async fn every_user_token_call_carries_its_appsecret_proof() {
    let app = spawn_app().await;
    app.setup().await;
    // "Require App Secret" on: any user-token call without a right proof would fail.
    app.sandbox.set_require_appsecret_proof(true).await.unwrap();
    let response = connect(&app, Consent::all(ALEX, &["1111", "2222"])).await;
    let (_, page) = outcome(&app, response).await;
    assert_eq!(flash(&page).as_deref(), Some("Connected 3 accounts"));
}

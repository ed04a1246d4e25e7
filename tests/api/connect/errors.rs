//! Every way a connection can fail, each with its message, nothing stored, and — for
//! callbacks refused before the exchange — not a single call to Meta's token endpoint.

use super::{
    alert, arrive, connect, consent, exchanges_of, outcome, start, stored, token_calls, Consent,
    ALEX, ALL_PERMISSIONS, EDDIE, NORA,
};
use crate::helpers::{location, new_client, spawn_app, TestApp, OWNER_PASSWORD};
use meta_sandbox::failures::Failure;
use serde_json::{json, Value};

/// Asserts the integrations page shows `code` with `message`, and nothing was stored.
async fn refused(app: &TestApp, response: reqwest::Response, code: &str, message: &str) {
    let (location, page) = outcome(app, response).await;
    assert_eq!(location, format!("/settings/integrations?error={code}"));
    assert_eq!(
        alert(&page),
        Some((code.to_owned(), message.to_owned())),
        "{page}"
    );
    assert_eq!(stored(app).await, (0, 0), "nothing stored");
}

/// A consent as Alex, up to the callback URL (not yet visited).
async fn callback_for_alex(app: &TestApp) -> String {
    let dialog = start(app, &app.client).await;
    consent(app, &dialog, &Consent::all(ALEX, &["1111", "2222"])).await
}

#[tokio::test]
async fn a_tampered_state_is_refused_without_calling_meta() {
    let app = spawn_app().await;
    app.setup().await;
    let callback = callback_for_alex(&app).await;
    let tampered = callback.replace("state=", "state=x");
    refused(
        &app,
        arrive(&app.client, &tampered).await,
        "state_invalid",
        "Security check failed. Please try connecting again.",
    )
    .await;
    let missing = callback.split("&state=").next().unwrap().to_owned();
    refused(
        &app,
        arrive(&app.client, &missing).await,
        "state_invalid",
        "Security check failed. Please try connecting again.",
    )
    .await;
    assert_eq!(token_calls(&app).await, 0);
}

#[tokio::test]
async fn a_replayed_callback_is_refused_and_its_code_is_exchanged_once() {
    let app = spawn_app().await;
    app.setup().await;
    let callback = callback_for_alex(&app).await;
    outcome(&app, arrive(&app.client, &callback).await).await;
    assert_eq!(stored(&app).await, (1, 3));
    let (location, page) = outcome(&app, arrive(&app.client, &callback).await).await;
    assert_eq!(location, "/settings/integrations?error=state_invalid");
    assert_eq!(alert(&page).unwrap().0, "state_invalid");
    assert_eq!(exchanges_of(&app, &callback).await, 1);
    assert_eq!(stored(&app).await, (1, 3), "nothing more");
}

#[tokio::test]
async fn a_state_older_than_ten_minutes_has_expired() {
    let app = spawn_app().await;
    app.setup().await;
    let callback = callback_for_alex(&app).await;
    app.sandbox
        .advance_clock(chrono::Duration::minutes(11))
        .await
        .unwrap();
    refused(
        &app,
        arrive(&app.client, &callback).await,
        "state_expired",
        "The connection link expired.",
    )
    .await;
    assert_eq!(token_calls(&app).await, 0);
}

#[tokio::test]
async fn another_members_state_or_no_session_is_a_changed_session() {
    let app = spawn_app().await;
    app.setup().await;
    app.add_member("max@example.com", "Max Manager", "manager", OWNER_PASSWORD)
        .await;
    let max = app.signed_in("max@example.com", OWNER_PASSWORD).await;
    let callback = callback_for_alex(&app).await;
    let response = arrive(&max, &callback).await;
    let (location, page) = app.follow_with(&max, response).await;
    assert_eq!(location, "/settings/integrations?error=session_changed");
    assert_eq!(
        alert(&page).unwrap().1,
        "Your session changed during the connection."
    );
}

/// A link preview, a mail scanner or a browser whose session ended while at Meta: no session
/// at all. Such a visit is sent to sign in and spends nothing, so it can't spoil the person's
/// own attempt, which still finishes within the state's ten minutes.
#[tokio::test]
async fn a_visit_without_a_session_spends_nothing_and_the_persons_own_browser_still_finishes() {
    let app = spawn_app().await;
    app.setup().await;
    let callback = callback_for_alex(&app).await;
    for _ in 0..3 {
        let preview = arrive(&new_client(), &callback).await;
        assert_eq!(preview.status(), 303);
        assert_eq!(preview.headers()["referrer-policy"], "no-referrer");
        assert_eq!(preview.headers()["cache-control"], "no-store");
        assert_eq!(
            location_of(&preview),
            "/login?next=%2Fsettings%2Fintegrations%3Ferror%3Dsession_changed"
        );
    }
    assert_eq!(token_calls(&app).await, 0);
    assert_eq!(stored(&app).await, (0, 0));
    assert_eq!(
        app.count("oauth_states").await,
        1,
        "the state is still live"
    );

    let (location, _) = outcome(&app, arrive(&app.client, &callback).await).await;
    assert_eq!(location, "/settings/integrations");
    assert_eq!(stored(&app).await, (1, 3));
    assert_eq!(exchanges_of(&app, &callback).await, 1);
}

fn location_of(response: &reqwest::Response) -> String {
    location(response)
}

#[tokio::test]
async fn a_state_issued_in_another_workspace_is_a_changed_session() {
    let app = spawn_app().await;
    app.setup().await;
    let callback = callback_for_alex(&app).await;
    let created = app.create_workspace("Second").await;
    assert!(created.status().is_redirection());
    let (location, _) = outcome(&app, arrive(&app.client, &callback).await).await;
    assert_eq!(location, "/settings/integrations?error=session_changed");
    assert_eq!(token_calls(&app).await, 0);
}

#[tokio::test]
async fn cancel_on_the_dialog_is_permissions_declined() {
    let app = spawn_app().await;
    app.setup().await;
    let response = connect(
        &app,
        Consent {
            user: ALEX,
            pages: &[],
            permissions: &[],
            proceed: false,
        },
    )
    .await;
    refused(
        &app,
        response,
        "permissions_declined",
        "You declined the permissions Facebook requested.",
    )
    .await;
    assert_eq!(token_calls(&app).await, 0);
}

#[tokio::test]
async fn a_declined_required_permission_stores_nothing() {
    let app = spawn_app().await;
    app.setup().await;
    let without: Vec<&str> = ALL_PERMISSIONS
        .iter()
        .copied()
        .filter(|p| *p != "pages_manage_posts")
        .collect();
    let response = connect(
        &app,
        Consent {
            user: ALEX,
            pages: &["1111"],
            permissions: &without,
            proceed: true,
        },
    )
    .await;
    refused(
        &app,
        response,
        "permissions_declined",
        "You declined the permissions Facebook requested.",
    )
    .await;
}

/// Meta's answer can't tell "manages no Page" from "shared none", so both get one message
/// that covers either (docs/meta-api.md → "When no Page comes back").
#[tokio::test]
async fn someone_without_pages_and_someone_who_shared_none_get_the_same_no_pages_answer() {
    let app = spawn_app().await;
    app.setup().await;
    for (user, pages) in [(NORA, &[][..]), (ALEX, &[][..])] {
        refused(
            &app,
            connect(&app, Consent::all(user, pages)).await,
            "no_pages",
            "Your Facebook account doesn't manage any Pages yet. If it does, connect again and select the Pages you want to use.",
        )
        .await;
    }
}

#[tokio::test]
async fn an_analyze_only_page_alone_is_refused_by_name() {
    let app = spawn_app().await;
    app.setup().await;
    refused(
        &app,
        connect(&app, Consent::all(EDDIE, &["3333"])).await,
        "page_role_insufficient",
        "Numbers Nook can't be connected: your role on this Page doesn't allow publishing. Ask a Page admin for full or partial control.",
    )
    .await;
}

/// Plans `failure` on the token endpoint and connects: the code is exchanged exactly once.
async fn exchange_fails(failure: Value, code: &str, message: &str) {
    let app = spawn_app().await;
    app.setup().await;
    let failure: Failure = serde_json::from_value(failure).unwrap();
    app.sandbox
        .fail_next("*/oauth/access_token", 1, &failure)
        .await
        .unwrap();
    let callback = callback_for_alex(&app).await;
    refused(&app, arrive(&app.client, &callback).await, code, message).await;
    assert_eq!(exchanges_of(&app, &callback).await, 1, "never retried");
    // The failed exchange spent the state too: the same callback again is refused unsent.
    refused(
        &app,
        arrive(&app.client, &callback).await,
        "state_invalid",
        "Security check failed. Please try connecting again.",
    )
    .await;
    assert_eq!(exchanges_of(&app, &callback).await, 1, "not sent again");
}

#[tokio::test]
async fn meta_answering_500_on_the_exchange_is_unavailable() {
    exchange_fails(
        json!({ "kind": "http_500" }),
        "provider_unavailable",
        "Facebook is temporarily unavailable.",
    )
    .await;
}

#[tokio::test]
async fn graph_codes_1_and_2_are_unavailable_too() {
    exchange_fails(
        json!({ "kind": "graph_error", "code": 2 }),
        "provider_unavailable",
        "Facebook is temporarily unavailable.",
    )
    .await;
}

#[tokio::test]
async fn a_timeout_on_the_exchange_is_a_network_error() {
    exchange_fails(
        json!({ "kind": "timeout", "seconds": 4 }),
        "network_error",
        "Network error reaching Facebook.",
    )
    .await;
}

#[tokio::test]
async fn an_html_answer_is_unusable() {
    exchange_fails(
        json!({ "kind": "html" }),
        "provider_error",
        "Facebook returned an answer we couldn't use. Please try connecting again.",
    )
    .await;
}

#[tokio::test]
async fn truncated_json_is_unusable() {
    exchange_fails(
        json!({ "kind": "malformed_json" }),
        "provider_error",
        "Facebook returned an answer we couldn't use. Please try connecting again.",
    )
    .await;
}

#[tokio::test]
async fn an_oversized_answer_is_unusable() {
    exchange_fails(
        json!({ "kind": "oversized", "bytes": 3_000_000 }),
        "provider_error",
        "Facebook returned an answer we couldn't use. Please try connecting again.",
    )
    .await;
}

#[tokio::test]
async fn a_rate_limit_is_reported_and_not_retried() {
    exchange_fails(
        json!({ "kind": "graph_error", "code": 4 }),
        "rate_limited",
        "Facebook is limiting requests right now. Try again in a few minutes.",
    )
    .await;
}

/// The answer that carried the header counts (Meta did exchange the code); the next connect
/// waits for the backoff (docs/meta-api.md §9; more in `connect::backoff`).
#[tokio::test]
async fn usage_at_the_threshold_on_the_exchange_connects_and_backs_off_the_next_connect() {
    let app = spawn_app().await;
    app.setup().await;
    let failure: Failure =
        serde_json::from_value(json!({ "kind": "usage", "percent": 95 })).unwrap();
    app.sandbox
        .fail_next("*/oauth/access_token", 1, &failure)
        .await
        .unwrap();
    let callback = callback_for_alex(&app).await;
    let (location, _) = outcome(&app, arrive(&app.client, &callback).await).await;
    assert_eq!(location, "/settings/integrations");
    assert_eq!(stored(&app).await, (1, 3));
    assert_eq!(exchanges_of(&app, &callback).await, 1, "never retried");
    let refused = super::press_connect(&app, &app.client).await;
    assert_eq!(
        crate::helpers::form_error(&app, refused).await,
        "Facebook is limiting requests right now. Try again in a few minutes."
    );
}

#[tokio::test]
async fn a_failure_while_listing_pages_stores_nothing() {
    let app = spawn_app().await;
    app.setup().await;
    app.sandbox
        .fail_next(
            "*/me/accounts",
            1,
            &Failure::GraphError {
                code: 190,
                subcode: Some(460),
                minutes: None,
            },
        )
        .await
        .unwrap();
    refused(
        &app,
        connect(&app, Consent::all(ALEX, &["1111", "2222"])).await,
        "provider_error",
        "Facebook returned an answer we couldn't use. Please try connecting again.",
    )
    .await;
}

#[tokio::test]
async fn an_unknown_error_code_in_the_url_shows_nothing() {
    let app = spawn_app().await;
    app.setup().await;
    let page = app
        .page("/settings/integrations?error=%3Cscript%3Ealert(1)%3C/script%3E")
        .await;
    assert!(alert(&page).is_none());
    assert!(!page.contains("<script>alert(1)"));
}

/// Max, a Manager, signed in and at Meta's consent screen: his browser, the callback Meta
/// would send him back with, and his user id.
async fn max_at_meta(app: &TestApp) -> (reqwest::Client, String, String) {
    app.setup().await;
    app.add_member("max@example.com", "Max Manager", "manager", OWNER_PASSWORD)
        .await;
    let max = app.signed_in("max@example.com", OWNER_PASSWORD).await;
    let dialog = start(app, &max).await;
    let callback = consent(app, &dialog, &Consent::all(ALEX, &["1111"])).await;
    let id = app.user_id("max@example.com").await.to_string();
    (max, callback, id)
}

/// Removed from the workspace (not merely demoted) while at Meta: the callback connects
/// nothing, exchanges nothing, and the state can't be used by anyone afterwards.
#[tokio::test]
async fn a_member_removed_while_at_meta_connects_nothing_and_leaves_no_usable_state() {
    let app = spawn_app().await;
    let (max, callback, id) = max_at_meta(&app).await;
    let removed = app.remove_member(&id).await;
    assert!(removed.status().is_redirection());
    let response = arrive(&max, &callback).await;
    assert_eq!(
        response.status(),
        303,
        "a clear redirect, never an error page"
    );
    // The removal ended his sessions: his browser comes back without one, which spends
    // nothing (it could be a link preview) and asks him to sign in.
    assert_eq!(
        location(&response),
        "/login?next=%2Fsettings%2Fintegrations%3Ferror%3Dsession_changed"
    );
    // The Owner bringing the same callback is another member with Max's state: refused.
    refused(
        &app,
        arrive(&app.client, &callback).await,
        "session_changed",
        "Your session changed during the connection.",
    )
    .await;
    assert_eq!(exchanges_of(&app, &callback).await, 0, "0 token calls");
    assert_eq!(stored(&app).await, (0, 0), "0 rows written");
}

#[tokio::test]
async fn a_role_lost_while_at_meta_is_checked_again_at_the_callback() {
    let app = spawn_app().await;
    let (max, callback, id) = max_at_meta(&app).await;
    let demoted = app.change_role(&id, "member").await;
    assert!(demoted.status().is_redirection());
    let (location, page) = app.follow_with(&max, arrive(&max, &callback).await).await;
    assert_eq!(location, "/settings/integrations?error=role_forbidden");
    assert_eq!(
        alert(&page).unwrap().1,
        crate::helpers::role_message("connecting Meta accounts")
    );
    assert_eq!(token_calls(&app).await, 0);
    assert_eq!(stored(&app).await, (0, 0));
}

#[tokio::test]
async fn a_state_issued_for_another_provider_is_refused_as_a_mix_up() {
    use sea_orm::EntityTrait;
    use switchboard::server::entities::oauth_state;
    let app = spawn_app().await;
    app.setup().await;
    let callback = callback_for_alex(&app).await;
    // The same person's state, but issued for the Instagram flow.
    let state = crate::sandbox::query_value(&callback, "state").unwrap();
    let digest = switchboard::server::crypto::sha256_hex(&state);
    let row = oauth_state::Entity::find_by_id(digest.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut moved: oauth_state::ActiveModel = row.into();
    moved.provider = sea_orm::Set("instagram".to_owned());
    sea_orm::ActiveModelTrait::update(moved, &app.db)
        .await
        .unwrap();
    refused(
        &app,
        arrive(&app.client, &callback).await,
        "state_invalid",
        "Security check failed. Please try connecting again.",
    )
    .await;
    assert_eq!(token_calls(&app).await, 0);
}

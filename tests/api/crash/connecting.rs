//! Crashes while connecting, disconnecting and relaying the revocation.

use super::binary::serve;
use super::invariants::assert_invariants;
use super::{owner_signed_in, stopped};
use crate::connect::{connect, consent_at, outcome, start_at, stored, Consent, ALEX};
use crate::connections::{
    account_named, confirmed_deletes, connect_alex, owner_app, press_disconnect, revocation_of,
    wait_for_revocation,
};
use crate::helpers::{post_form_to, spawn_app_on, TestApp};
use reqwest::header::ACCEPT;
use switchboard::server::jobs::revocation_relay::{run_once, LEASE_SECONDS};

const PAGES: [&str; 2] = ["1111", "2222"];

/// Connects Alex's Pages through a server armed at `step`, which dies at the callback; answers
/// the restarted app (its Owner signed in) and the callback URL the browser had.
async fn connect_crashing_at(step: &str) -> (TestApp, String) {
    let (url, dir, client) = owner_signed_in().await;
    let server = serve(&url, dir.path(), step).await;
    let dialog = start_at(server.address(), &client).await;
    let callback = consent_at(server.address(), &dialog, &Consent::all(ALEX, &PAGES)).await;
    let answer = client
        .get(&callback)
        .header(ACCEPT, "text/html")
        .send()
        .await;
    assert!(answer.is_err(), "the server died before answering");
    let path = callback.replacen(server.address(), "", 1);
    server.aborted().await;
    let mut app = spawn_app_on(&url, dir).await;
    app.client = client;
    (app, path)
}

/// Connecting again after the crash, as the person would: every account once.
async fn connect_again(app: &TestApp) -> i64 {
    let response = connect(app, Consent::all(ALEX, &PAGES)).await;
    outcome(app, response).await;
    assert_invariants(app).await;
    stored(app).await.1
}

#[tokio::test]
async fn killed_before_a_connection_commits_nothing_is_stored_and_connecting_again_stores_it_once()
{
    let (app, callback) = connect_crashing_at("connect.before_commit").await;
    assert_eq!(
        stored(&app).await,
        (0, 0),
        "no grant, no account, no ciphertext"
    );
    assert_invariants(&app).await;

    let replay = app.get(&callback).await;
    assert_eq!(replay.status(), 303, "the browser's retry is answered");
    assert_eq!(
        stored(&app).await,
        (0, 0),
        "and stores nothing: the code was spent"
    );
    assert!(connect_again(&app).await > 0);
}

#[tokio::test]
async fn killed_after_a_connection_commits_everything_is_stored_once_and_connecting_again_duplicates_nothing(
) {
    let (app, callback) = connect_crashing_at("connect.after_commit").await;
    let (grants, accounts) = stored(&app).await;
    assert!(
        grants == 1 && accounts > 0,
        "all of it: {grants} grant, {accounts} accounts"
    );
    assert_invariants(&app).await;

    let replay = app.get(&callback).await;
    assert_eq!(replay.status(), 303);
    assert_eq!(
        stored(&app).await,
        (grants, accounts),
        "a reload writes nothing"
    );
    assert_eq!(
        connect_again(&app).await,
        accounts,
        "renewed, not duplicated"
    );
}

/// Connects Alex's Side Project, then presses Disconnect on a server armed at `step`; answers
/// the restarted app and the account's id.
async fn disconnect_crashing_at(step: &str) -> (TestApp, i64) {
    let app = owner_app().await;
    connect_alex(&app, &["2222"]).await;
    let id = account_named(&app, "Side Project").await.id;
    let (url, dir, client) = stopped(app).await;
    let server = serve(&url, dir.path(), step).await;
    let action = "/api/disconnect_account";
    let from = format!("/accounts/{id}/disconnect");
    let id_text = id.to_string();
    let form = [
        ("account_id", id_text.as_str()),
        ("return_to", "/settings/integrations"),
    ];
    // The answer may or may not reach the browser before the crash; what is stored matters.
    let _ = post_form_to(server.address(), &client, action, &from, &form).await;
    server.aborted().await;
    let mut app = spawn_app_on(&url, dir).await;
    app.client = client;
    (app, id)
}

#[tokio::test]
async fn killed_before_a_disconnect_commits_the_account_keeps_its_token_and_disconnecting_again_works(
) {
    let (app, id) = disconnect_crashing_at("disconnect.before_commit").await;
    let row = account_named(&app, "Side Project").await;
    assert_eq!(row.status, "active");
    assert!(row.token_ciphertext.is_some(), "nothing half-done");
    let revocation = revocation_of(&app, ALEX).await.map(|r| r.status);
    assert_ne!(
        revocation.as_deref(),
        Some("pending"),
        "no revocation recorded"
    );
    assert_invariants(&app).await;

    press_disconnect(&app, &app.client, id).await;
    wait_for_revocation(&app, ALEX, |r| r.status == "done").await;
    assert_invariants(&app).await;
}

#[tokio::test]
async fn killed_after_a_disconnect_commits_the_tokens_are_gone_and_the_restarted_relay_revokes_once(
) {
    let (app, _) = disconnect_crashing_at("disconnect.after_commit").await;
    let row = account_named(&app, "Side Project").await;
    assert_eq!(
        (row.status.as_str(), row.token_ciphertext),
        ("disconnected", None)
    );
    assert_invariants(&app).await;

    run_once(&app.state).await.unwrap();
    wait_for_revocation(&app, ALEX, |r| r.status == "done").await;
    assert_eq!(confirmed_deletes(&app, ALEX).await, 1);
    assert_invariants(&app).await;
}

#[tokio::test]
async fn killed_after_meta_confirms_a_revocation_the_relay_sends_it_again_once_its_lease_ends() {
    let (app, _) = disconnect_crashing_at("relay.after_send").await;
    let row = revocation_of(&app, ALEX).await.unwrap();
    assert_eq!(
        row.status, "pending",
        "not recorded as sent: the crash came first"
    );
    assert_eq!(confirmed_deletes(&app, ALEX).await, 1, "Meta did revoke it");
    assert_invariants(&app).await;

    assert_eq!(
        run_once(&app.state).await.unwrap().sent,
        0,
        "the dead relay's lease holds"
    );
    app.clock
        .advance(chrono::Duration::seconds(LEASE_SECONDS + 1));
    run_once(&app.state).await.unwrap();
    wait_for_revocation(&app, ALEX, |r| r.status == "done").await;
    assert_invariants(&app).await;
}

//! The session id changes whenever what the session may do changes, and the old id is dead
//! from then on: after sign-in, a workspace switch (or a new workspace), a change of your own
//! password, and a change of your role by someone else (at your next request).

use crate::helpers::{location, new_client, set_cookie, spawn_app, TestApp, WORKSPACE};
use reqwest::header::{ACCEPT, COOKIE};
use reqwest::Response;

const SESSION: &str = "switchboard_session";

async fn is_dead(app: &TestApp, cookie: &str) -> bool {
    app.replay_cookie(cookie).await == "/login?next=%2Faccounts"
}

fn rotated(response: &Response, old: &str) -> String {
    let new = set_cookie(response, SESSION).expect("a new session cookie");
    assert_ne!(new, old, "a new id");
    new
}

#[tokio::test]
async fn signing_in_again_kills_the_previous_session_id() {
    let app = spawn_app().await;
    app.setup().await;
    let first = app.session_cookie().await;
    let second = app.session_cookie().await;
    assert_ne!(first, second);
    assert!(is_dead(&app, &first).await, "the old id is dead");
    assert!(!is_dead(&app, &second).await, "the new id works");
}

#[tokio::test]
async fn switching_workspace_kills_the_previous_session_id() {
    let app = spawn_app().await;
    app.setup().await;
    let before = app.session_cookie().await;
    let created = app.create_workspace("Side Hustle").await;
    let in_new = rotated(&created, &before);
    assert!(
        is_dead(&app, &before).await,
        "creating a workspace rotates the id"
    );

    let first = app.workspace_id(WORKSPACE).await.to_string();
    let switched = app.switch_workspace(&first).await;
    assert_eq!(location(&switched), "/accounts");
    let after = rotated(&switched, &in_new);
    assert!(is_dead(&app, &in_new).await, "switching rotates the id");
    assert!(!is_dead(&app, &after).await);
}

#[tokio::test]
async fn changing_your_own_password_kills_the_previous_session_id() {
    let app = spawn_app().await;
    app.setup().await;
    let before = app.session_cookie().await;
    let changed = app
        .change_password(crate::helpers::OWNER_PASSWORD, "a brand new passphrase")
        .await;
    let after = rotated(&changed, &before);
    assert!(is_dead(&app, &before).await, "the old id is dead");
    assert!(!is_dead(&app, &after).await, "this browser stays signed in");
}

#[tokio::test]
async fn a_role_changed_by_an_owner_gets_a_new_session_id_at_the_members_next_request() {
    let app = spawn_app().await;
    app.setup().await;
    app.add_member("sam@example.com", "Sam", "member", "member-password-1")
        .await;
    let signed_in = app
        .login_with(&new_client(), "sam@example.com", "member-password-1")
        .await;
    let before = set_cookie(&signed_in, SESSION).unwrap();
    // A first page as a Member: the same id, nothing has changed.
    let unchanged = visit(&app, &before).await;
    let kept = set_cookie(&unchanged, SESSION);
    assert!(
        kept.is_none_or(|c| c == before),
        "no new id without a change"
    );

    let sam = app.user_id("sam@example.com").await.to_string();
    assert!(app
        .change_role(&sam, "manager")
        .await
        .status()
        .is_redirection());
    let next = visit(&app, &before).await;
    assert_eq!(next.status(), 200, "Sam stays signed in");
    let after = rotated(&next, &before);
    assert!(
        is_dead(&app, &before).await,
        "the id that was a Member's is dead"
    );
    assert!(!is_dead(&app, &after).await, "the Manager's id works");
}

/// `/accounts` as the browser holding only `cookie`.
async fn visit(app: &TestApp, cookie: &str) -> Response {
    new_client()
        .get(app.url("/accounts"))
        .header(COOKIE, cookie)
        .header(ACCEPT, "text/html")
        .send()
        .await
        .unwrap()
}

//! The session id changes whenever what the session may do changes, and the old id is dead
//! from then on: after sign-in, a workspace switch (or a new workspace) and a change of your
//! own password.

use crate::helpers::{location, set_cookie, spawn_app, TestApp, WORKSPACE};
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

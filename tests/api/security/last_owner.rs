//! A workspace always keeps an Owner, even when two Owners act on each other at once.

use crate::helpers::{call_api, spawn_app, TestApp, OWNER_EMAIL, WORKSPACE};
use reqwest::Client;
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};

const OSCAR: &str = "oscar@example.com";
const OSCAR_PASSWORD: &str = "oscar-password-1";

/// Olive (signed in on `app.client`) and Oscar, both Owners; answers Oscar's browser.
async fn two_owners(app: &TestApp) -> Client {
    app.setup().await;
    app.add_member(OSCAR, "Oscar Owner", "owner", OSCAR_PASSWORD)
        .await;
    app.signed_in(OSCAR, OSCAR_PASSWORD).await
}

async fn owners(app: &TestApp) -> usize {
    let mut owners = 0;
    for email in [OWNER_EMAIL, OSCAR] {
        if app.role_of(email, WORKSPACE).await.as_deref() == Some("owner") {
            owners += 1;
        }
    }
    owners
}

/// Olive and Oscar each send `action` against the other ten times, all at the same moment.
/// The test holds the workspace's row meanwhile (as a slow membership change would), so every
/// request has found both still Owners before any of them can change anything; answers every
/// (status, code).
async fn race(
    app: &TestApp,
    oscar: &Client,
    endpoint: &str,
    extra: &[(&str, &str)],
) -> Vec<(u16, String)> {
    let olive_id = app.user_id(OWNER_EMAIL).await.to_string();
    let oscar_id = app.user_id(OSCAR).await.to_string();
    let olive_form: Vec<(&str, &str)> = [("user_id", oscar_id.as_str())]
        .into_iter()
        .chain(extra.iter().copied())
        .collect();
    let oscar_form: Vec<(&str, &str)> = [("user_id", olive_id.as_str())]
        .into_iter()
        .chain(extra.iter().copied())
        .collect();
    let calls = (0..10).flat_map(|_| {
        [
            call_api(app, &app.client, endpoint, &olive_form),
            call_api(app, oscar, endpoint, &oscar_form),
        ]
    });
    let workspace = app.workspace_id(WORKSPACE).await;
    let hold = app.db.begin().await.unwrap();
    hold.execute_raw(Statement::from_string(
        app.db.get_database_backend(),
        format!("UPDATE workspaces SET name = name WHERE id = {workspace}"),
    ))
    .await
    .unwrap();
    let (outcomes, ()) = tokio::join!(futures_util::future::join_all(calls), async {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        hold.commit().await.unwrap();
    });
    outcomes
        .into_iter()
        .map(|(status, body)| (status, body["code"].as_str().unwrap_or_default().to_owned()))
        .collect()
}

/// Exactly one Owner is left; the requests that found the other one gone heard the last-owner
/// message (or, arriving after the change, that they are no longer allowed or signed in);
/// none failed.
async fn exactly_one_owner_is_left(app: &TestApp, outcomes: &[(u16, String)]) {
    assert_eq!(owners(app).await, 1, "{outcomes:?}");
    assert!(
        outcomes
            .iter()
            .any(|(status, code)| *status == 403 && code == "last_owner"),
        "some requests raced and were told about the last Owner: {outcomes:?}"
    );
    for (status, code) in outcomes {
        assert!(
            matches!(
                (*status, code.as_str()),
                (200, _) | (403, "last_owner" | "role_forbidden") | (401, _) | (404, "not_found")
            ),
            "{outcomes:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_owners_demoting_each_other_at_once_leave_exactly_one_owner() {
    let app = spawn_app().await;
    let oscar = two_owners(&app).await;
    let outcomes = race(&app, &oscar, "/api/change_role", &[("role", "admin")]).await;
    exactly_one_owner_is_left(&app, &outcomes).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_owners_removing_each_other_at_once_leave_exactly_one_owner() {
    let app = spawn_app().await;
    let oscar = two_owners(&app).await;
    let outcomes = race(&app, &oscar, "/api/remove_member", &[]).await;
    exactly_one_owner_is_left(&app, &outcomes).await;
}

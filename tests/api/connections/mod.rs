//! Reconnecting and disconnecting end to end (docs/product.md → Reconnect, Disconnecting):
//! the app's buttons and confirmation pages, the sandbox's consent screens, what is stored, and
//! the revocation relay's calls to the sandbox — counted in its call log.

mod delete;
mod disconnect;
mod reconnect;
mod relay;

use crate::connect::{outcome, Consent, ALEX};
use crate::helpers::{location, spawn_app, TestApp};
use meta_sandbox::calls::CallFilter;
use reqwest::header::{ACCEPT, ORIGIN, REFERER};
use reqwest::{Client, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use switchboard::server::entities::{account, revocation};

/// A fresh app with its Owner signed in.
pub async fn owner_app() -> TestApp {
    let app = spawn_app().await;
    app.setup().await;
    app
}

/// Connects Alex's `pages` through **Connect Meta**, as the signed-in Owner.
pub async fn connect_alex(app: &TestApp, pages: &[&str]) {
    let response = crate::connect::connect(app, Consent::all(ALEX, pages)).await;
    outcome(app, response).await;
}

/// The account called `name` (the first, in any workspace).
pub async fn account_named(app: &TestApp, name: &str) -> account::Model {
    account::Entity::find()
        .filter(account::Column::Name.eq(name))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no account named {name}"))
}

/// The account called `name` in the workspace `workspace_id`.
pub async fn account_in(app: &TestApp, workspace_id: i64, name: &str) -> account::Model {
    account::Entity::find()
        .filter(account::Column::Name.eq(name))
        .filter(account::Column::WorkspaceId.eq(workspace_id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no account named {name} in {workspace_id}"))
}

/// Presses **Reconnect** on account `id` as `client`, from `from` (the page it returns to);
/// answers the dialog URL the app redirected to.
pub async fn press_reconnect(app: &TestApp, client: &Client, id: i64, from: &str) -> String {
    let response = client
        .post(app.url("/api/reconnect_account"))
        .header(ORIGIN, &app.address)
        .header(REFERER, app.url(from))
        .header(ACCEPT, "text/html")
        .form(&[("account_id", id.to_string().as_str()), ("return_to", from)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302, "reconnect redirects to the dialog");
    location(&response)
}

/// Presses **Yes, disconnect** on account `id`'s confirmation page as `client`.
pub async fn press_disconnect(app: &TestApp, client: &Client, id: i64) -> Response {
    app.post_form_with(
        client,
        "/api/disconnect_account",
        &format!("/accounts/{id}/disconnect"),
        &[
            ("account_id", id.to_string().as_str()),
            ("return_to", "/settings/integrations"),
        ],
    )
    .await
}

/// The Meta user's revocation row, if any.
pub async fn revocation_of(app: &TestApp, user: &str) -> Option<revocation::Model> {
    revocation::Entity::find()
        .filter(revocation::Column::ExternalUserId.eq(user))
        .one(&app.db)
        .await
        .unwrap()
}

/// Revocations Meta confirmed: successful `DELETE /{user}/permissions` calls in the call log.
pub async fn confirmed_deletes(app: &TestApp, user: &str) -> usize {
    app.sandbox
        .calls(&CallFilter::path(&format!("*/{user}/permissions")).method("DELETE"))
        .await
        .unwrap()
        .iter()
        .filter(|call| call.status == 200)
        .count()
}

/// Every `DELETE …/permissions` call, whatever it was answered.
pub async fn delete_calls(app: &TestApp) -> usize {
    app.sandbox
        .calls(&CallFilter::path("*/permissions").method("DELETE"))
        .await
        .unwrap()
        .len()
}

/// Waits (up to ten seconds) until `check` holds for the user's revocation row; the background
/// relay is woken by the disconnect and works on its own.
pub async fn wait_for_revocation(
    app: &TestApp,
    user: &str,
    check: impl Fn(&revocation::Model) -> bool,
) -> revocation::Model {
    for _ in 0..100 {
        if let Some(row) = revocation_of(app, user).await.filter(|row| check(row)) {
            return row;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "the revocation never got there: {:?}",
        revocation_of(app, user).await
    );
}

/// `count` revocations waiting to be sent, for Meta users of the sandbox's app (a backlog, as
/// after an outage); answers the users.
pub async fn pending_revocations(app: &TestApp, count: usize) -> Vec<String> {
    let now = app.state.clock.unix();
    let users: Vec<String> = (0..count)
        .map(|n| (30_000_000_000_000_000u64 + n as u64).to_string())
        .collect();
    let rows: Vec<revocation::ActiveModel> = users
        .iter()
        .map(|user| revocation::ActiveModel {
            provider: Set("facebook".into()),
            external_user_id: Set(user.clone()),
            status: Set("pending".into()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            lease_until: Set(0),
            last_error: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(200) {
        revocation::Entity::insert_many(chunk.to_vec())
            .exec(&app.db)
            .await
            .unwrap();
    }
    users
}

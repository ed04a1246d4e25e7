//! Publishing end to end (docs/product.md → Publishing, Limits): the compose form posted as a
//! browser without JavaScript posts it, the calls the sandbox received (its call log) and what
//! it published, the posts list, the limits, the queue and re-queueing.

mod limits;
mod list;
mod platforms;
mod queue;
mod requeue;
mod validation;

use crate::connect::direct::INSTAGRAM;
use crate::connections::{account_named, connect_alex, owner_app};
use crate::helpers::{location, TestApp};
use meta_sandbox::calls::CallFilter;
use reqwest::{Client, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use switchboard::server::clock::Clock;
use switchboard::server::entities::{account, post};
use switchboard::server::jobs::publisher;

/// Acme Bakery's Page id and its linked Instagram account's professional id in the sandbox.
pub const ACME_PAGE: &str = "1111";
pub const SIDE_PAGE: &str = "2222";
pub const ACMEBAKERY_IG: &str = "17841400000000001";
pub const IMAGE: &str = "https://images.example.com/cake.jpg";

/// An Owner with Alex's two Pages (and Acme Bakery's linked Instagram account) connected.
pub async fn app_with_pages() -> TestApp {
    let app = owner_app().await;
    connect_alex(&app, &[ACME_PAGE, SIDE_PAGE]).await;
    app
}

/// A fresh submission key, as the compose form renders one.
pub fn key() -> String {
    let bytes: [u8; 16] = rand::random();
    hex::encode(bytes)
}

/// Presses **Publish** as `client` with `accounts` ticked (named `accounts[]`, as the form
/// names them, so a form with none ticked has no such field at all).
pub async fn publish_as(
    app: &TestApp,
    client: &Client,
    accounts: &[i64],
    message: &str,
    image_url: &str,
    submission: &str,
) -> Response {
    let mut form: Vec<(String, String)> = vec![
        ("message".into(), message.into()),
        ("image_url".into(), image_url.into()),
        ("submission".into(), submission.into()),
    ];
    for id in accounts {
        form.push(("accounts[]".into(), id.to_string()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.post_form_with(client, "/api/publish_post", "/compose", &pairs)
        .await
}

/// [`publish_as`] the signed-in Owner, with a fresh key.
pub async fn publish(app: &TestApp, accounts: &[i64], message: &str, image_url: &str) -> Response {
    publish_as(app, &app.client, accounts, message, image_url, &key()).await
}

/// Publishes and follows to the posts list: (location, flash).
pub async fn published(
    app: &TestApp,
    accounts: &[i64],
    message: &str,
    image_url: &str,
) -> (String, String) {
    let response = publish(app, accounts, message, image_url).await;
    assert_eq!(response.status(), 302, "Publish redirects");
    let (location, page) = app.follow(response).await;
    let flash = crate::connect::flash(&page).unwrap_or_default();
    (location, flash)
}

/// The id of the account called `name`.
pub async fn id_of(app: &TestApp, name: &str) -> i64 {
    account_named(app, name).await.id
}

/// Every post, oldest first.
pub async fn posts(app: &TestApp) -> Vec<post::Model> {
    post::Entity::find()
        .order_by_asc(post::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// The posts of the account called `name`, oldest first.
pub async fn posts_of(app: &TestApp, name: &str) -> Vec<post::Model> {
    let id = id_of(app, name).await;
    post::Entity::find()
        .filter(post::Column::AccountId.eq(id))
        .order_by_asc(post::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// Calls to the sandbox whose path matches `pattern` and that it answered with `status`.
pub async fn answered(app: &TestApp, pattern: &str, status: u16) -> usize {
    app.sandbox
        .calls(&CallFilter::path(pattern))
        .await
        .unwrap()
        .iter()
        .filter(|c| c.status == status)
        .count()
}

/// Every call to the sandbox's publishing endpoints (and quota reads), whatever the answer.
pub async fn publishing_calls(app: &TestApp) -> usize {
    let mut n = 0;
    for pattern in [
        "*/feed",
        "*/photos",
        "*/media",
        "*/media_publish",
        "*/threads",
        "*/threads_publish",
        "*_publishing_limit",
    ] {
        n += app
            .sandbox
            .calls(&CallFilter::path(pattern))
            .await
            .unwrap()
            .len();
    }
    n
}

/// What the sandbox shows published on `owner` (a Page, an Instagram account, a profile).
pub async fn on_meta(app: &TestApp, owner: &str) -> usize {
    app.sandbox.published(owner).await.unwrap().len()
}

/// One pass of the publishing scheduler.
pub async fn scheduler(app: &TestApp) -> publisher::Report {
    publisher::run_once(&app.state).await.unwrap()
}

/// Connects acme.direct through Instagram Login as the signed-in Owner.
pub async fn connect_acme_direct(app: &TestApp) {
    INSTAGRAM
        .connect(app, crate::connect::direct::ACME_DIRECT, &INSTAGRAM.scopes)
        .await;
}

/// The status of the account called `name`.
pub async fn status_of(app: &TestApp, name: &str) -> (String, Option<String>) {
    let row: account::Model = account_named(app, name).await;
    (row.status, row.status_reason)
}

/// The location a form post redirected to.
pub fn redirected_to(response: &Response) -> String {
    location(response)
}

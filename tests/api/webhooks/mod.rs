//! Meta's side of a connection: the deauthorize and data-deletion callbacks, delivered by the
//! sandbox as Meta would deliver them (signed with each product's own secret) to the app's
//! `/webhooks/…`, and what they change — or, refused, don't.

mod data_deletion;
mod deauthorize;
mod refusals;

use crate::connect::direct::{ACME_DIRECT, ACME_THREADS, INSTAGRAM, THREADS};
use crate::connect::{connect, outcome, Consent, ALEX};
use crate::helpers::{location, spawn_app, TestApp, WORKSPACE};
use crate::sandbox::control;
use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};
use switchboard::server::entities::{account, audit_event, grant};

pub const IG_SCOPES: [&str; 2] = [
    "instagram_business_basic",
    "instagram_business_content_publish",
];
pub const THREADS_SCOPES: [&str; 2] = ["threads_basic", "threads_content_publish"];

/// A set-up app whose Owner connected Alex Admin's two Pages (3 accounts with acmebakery).
pub async fn app_with_alex() -> TestApp {
    let app = spawn_app().await;
    app.setup().await;
    connect_alex(&app).await;
    app
}

/// Connects Alex Admin's Pages into the signed-in Owner's current workspace.
pub async fn connect_alex(app: &TestApp) {
    let response = connect(app, Consent::all(ALEX, &["1111", "2222"])).await;
    let (landed, _) = outcome(app, response).await;
    assert_eq!(landed, "/settings/integrations");
}

/// Connects acme.direct through Instagram Login.
pub async fn connect_acme_direct(app: &TestApp) {
    let (landed, _) = INSTAGRAM.connect(app, ACME_DIRECT, &IG_SCOPES).await;
    assert_eq!(landed, "/settings/integrations");
}

/// Connects acme.threads through Threads.
pub async fn connect_acme_threads(app: &TestApp) {
    let (landed, _) = THREADS.connect(app, ACME_THREADS, &THREADS_SCOPES).await;
    assert_eq!(landed, "/settings/integrations");
}

/// A second workspace for the Owner, now the current one.
pub async fn second_workspace(app: &TestApp) -> i64 {
    let response = app.create_workspace("Side Hustle").await;
    assert_eq!(response.status(), 302, "the workspace is created");
    app.workspace_id("Side Hustle").await
}

/// Back to the first workspace.
pub async fn first_workspace(app: &TestApp) {
    let id = app.workspace_id(WORKSPACE).await;
    let response = app.switch_workspace(&id.to_string()).await;
    assert!(!location(&response).contains("__err="), "switched back");
}

/// The sandbox signs `callback` for `user_id` as `product` and delivers it to the app's
/// webhook; answers the app's status and JSON body.
pub async fn deliver(
    app: &TestApp,
    product: &str,
    callback: &str,
    user_id: &str,
    forged: bool,
) -> (u16, Value) {
    let (status, body) = control(
        app,
        Method::POST,
        "/signed_requests",
        Some(json!({
            "product": product, "callback": callback, "user_id": user_id,
            "forged": forged, "deliver": true,
        })),
    )
    .await;
    assert_eq!(status, 200, "the sandbox delivered: {body}");
    let delivered = &body["delivered"];
    let answer = delivered["body"].as_str().unwrap_or_default();
    (
        delivered["status"].as_u64().unwrap() as u16,
        serde_json::from_str(answer).unwrap_or(Value::Null),
    )
}

/// A signed request the sandbox made for `product` (not delivered).
pub async fn signed(app: &TestApp, product: &str, callback: &str, user_id: &str) -> String {
    let (status, body) = control(
        app,
        Method::POST,
        "/signed_requests",
        Some(json!({ "product": product, "callback": callback, "user_id": user_id })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["signed_request"].as_str().unwrap().to_owned()
}

/// POSTs `body` to `path` as a form, from nowhere in particular (no Origin, no cookie); answers
/// the status, the JSON body and whether a cookie was set.
pub async fn post_body(app: &TestApp, path: &str, body: impl Into<reqwest::Body>) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(
        response.headers().get("set-cookie").is_none(),
        "a webhook sets no cookie"
    );
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// `signed_request=<value>`, encoded.
pub fn form(value: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("signed_request", value)
        .finish()
}

/// Everything the callbacks may change, to compare before and after.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    accounts: Vec<account::Model>,
    grants: Vec<grant::Model>,
    events: usize,
    deletion_requests: i64,
}

pub async fn snapshot(app: &TestApp) -> Snapshot {
    Snapshot {
        accounts: account::Entity::find()
            .order_by_asc(account::Column::Id)
            .all(&app.db)
            .await
            .unwrap(),
        grants: grant::Entity::find()
            .order_by_asc(grant::Column::Id)
            .all(&app.db)
            .await
            .unwrap(),
        events: audit_event::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        deletion_requests: app.count("data_deletion_requests").await,
    }
}

/// `(status, status_reason)` of every account of `user_id`'s grants through `provider`.
pub async fn statuses_of(
    app: &TestApp,
    provider: &str,
    user_id: &str,
) -> Vec<(String, Option<String>)> {
    let grants: Vec<i64> = grants_of(app, provider, user_id)
        .await
        .iter()
        .map(|g| g.id)
        .collect();
    account::Entity::find()
        .filter(account::Column::GrantId.is_in(grants))
        .order_by_asc(account::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.status, a.status_reason))
        .collect()
}

pub async fn grants_of(app: &TestApp, provider: &str, user_id: &str) -> Vec<grant::Model> {
    grant::Entity::find()
        .filter(grant::Column::Provider.eq(provider))
        .filter(grant::Column::ExternalUserId.eq(user_id))
        .all(&app.db)
        .await
        .unwrap()
}

/// Audit events of `kind`, oldest first.
pub async fn events(app: &TestApp, kind: &str) -> Vec<audit_event::Model> {
    audit_event::Entity::find()
        .filter(audit_event::Column::Kind.eq(kind))
        .order_by_asc(audit_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

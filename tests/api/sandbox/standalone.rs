use meta_sandbox::{AppUrl, Sandbox, SystemClock};
use std::sync::Arc;
use switchboard::server::config::DatabaseUrl;

#[tokio::test]
async fn the_sandbox_runs_on_its_own_listener_over_a_fresh_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::helpers::fresh_database_url(&dir).await;
    let db = switchboard::server::db::connect(&DatabaseUrl::parse(&url).unwrap())
        .await
        .unwrap();
    meta_sandbox::migrate(&db).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let sandbox = Sandbox::new(
        db,
        Arc::new(SystemClock),
        AppUrl::parse("http://127.0.0.1:9").unwrap(),
    );
    let apps = sandbox.apps().await.unwrap();
    tokio::spawn(sandbox.serve(listener));

    let response = reqwest::Client::new()
        .get(format!("{address}/sandbox/graph/v25.0/oauth/access_token"))
        .query(&[
            ("grant_type", "client_credentials"),
            ("client_id", &apps.facebook.app_id),
            ("client_secret", &apps.facebook.app_secret),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["access_token"]
        .as_str()
        .unwrap()
        .starts_with(&apps.facebook.app_id));
}

#[tokio::test]
async fn the_sandbox_index_links_to_its_dialog_for_this_apps_callback() {
    let app = crate::helpers::spawn_app().await;
    let page = reqwest::get(app.url("/sandbox")).await.unwrap();
    assert_eq!(page.status(), 200);
    let body = page.text().await.unwrap();
    assert!(body.contains("Open the Facebook Login dialog"));
    assert!(body.contains("not Facebook"));
    let apps = app.sandbox.apps().await.unwrap();
    assert!(body.contains(&apps.facebook.app_id));
    assert!(
        !body.contains(&apps.facebook.app_secret),
        "secrets stay off the page"
    );
}

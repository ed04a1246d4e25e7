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

#[tokio::test]
async fn the_sandbox_index_links_to_the_instagram_and_threads_dialogs_which_open() {
    let app = crate::helpers::spawn_app().await;
    let body = reqwest::get(app.url("/sandbox"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let apps = app.sandbox.apps().await.unwrap();
    for (text, path, app_id, heading) in [
        (
            "Open the Instagram Login dialog",
            "/sandbox/instagram/oauth/authorize?",
            &apps.instagram.app_id,
            "Continue as acme.direct",
        ),
        (
            "Open the Threads dialog",
            "/sandbox/threads/oauth/authorize?",
            &apps.threads.app_id,
            "Continue as acme.threads",
        ),
    ] {
        let href = super::link_href(&body, text).expect(text);
        assert!(
            href.starts_with(path) && href.contains(app_id.as_str()),
            "{href}"
        );
        assert!(
            !body.contains(&apps.instagram.app_secret) && !body.contains(&apps.threads.app_secret)
        );
        let dialog = reqwest::get(app.url(&href)).await.unwrap();
        assert_eq!(dialog.status(), 200, "{href}");
        assert!(dialog.text().await.unwrap().contains(heading));
    }
}

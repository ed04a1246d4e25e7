use meta_sandbox::calls::CallFilter;
use meta_sandbox::failures::Failure;
use meta_sandbox::{AppUrl, Sandbox, SystemClock};
use std::sync::Arc;
use switchboard::server::config::DatabaseUrl;

/// A sandbox serving alone on its own listener, over a fresh database.
struct Alone {
    sandbox: Sandbox,
    address: String,
    apps: meta_sandbox::SandboxApps,
    _dir: tempfile::TempDir,
}

async fn serve_alone() -> Alone {
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
    tokio::spawn(sandbox.clone().serve(listener));
    Alone {
        sandbox,
        address,
        apps,
        _dir: dir,
    }
}

/// A request for the Facebook app's token.
fn app_token(client: &reqwest::Client, alone: &Alone) -> reqwest::RequestBuilder {
    client
        .get(format!(
            "{}/sandbox/graph/v25.0/oauth/access_token",
            alone.address
        ))
        .query(&[
            ("grant_type", "client_credentials"),
            ("client_id", &alone.apps.facebook.app_id),
            ("client_secret", &alone.apps.facebook.app_secret),
        ])
}

/// `n` app-token requests sent at once; their statuses.
async fn app_tokens_at_once(alone: &Alone, n: usize) -> Vec<u16> {
    let client = reqwest::Client::new();
    let requests = (0..n).map(|_| app_token(&client, alone).send());
    futures_util::future::join_all(requests)
        .await
        .into_iter()
        .map(|response| response.unwrap().status().as_u16())
        .collect()
}

#[tokio::test]
async fn the_sandbox_runs_on_its_own_listener_over_a_fresh_database() {
    let alone = serve_alone().await;
    let response = app_token(&reqwest::Client::new(), &alone)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["access_token"]
        .as_str()
        .unwrap()
        .starts_with(&alone.apps.facebook.app_id));
}

#[tokio::test]
async fn calls_answered_at_once_are_each_logged_exactly_once_before_their_answers_arrive() {
    let alone = serve_alone().await;
    let statuses = app_tokens_at_once(&alone, 40).await;
    assert!(statuses.iter().all(|status| *status == 200), "{statuses:?}");
    // No waiting: every answer arrived after its call was logged.
    let logged = alone
        .sandbox
        .calls(&CallFilter::path("*/oauth/access_token"))
        .await
        .unwrap();
    assert_eq!(logged.len(), 40);
    assert!(logged.iter().all(|call| call.status == 200));
}

#[tokio::test]
async fn a_failure_planned_three_times_fails_exactly_three_of_many_calls_made_at_once() {
    let alone = serve_alone().await;
    alone
        .sandbox
        .fail_next("*/oauth/access_token", 3, &Failure::Http500)
        .await
        .unwrap();
    let statuses = app_tokens_at_once(&alone, 20).await;
    let failed = statuses.iter().filter(|status| **status == 500).count();
    let answered = statuses.iter().filter(|status| **status == 200).count();
    assert_eq!((failed, answered), (3, 17), "{statuses:?}");
    assert!(alone.sandbox.failures().await.unwrap().is_empty());
    let logged = alone
        .sandbox
        .calls(&CallFilter::path("*/oauth/access_token"))
        .await
        .unwrap();
    assert_eq!(logged.iter().filter(|call| call.status == 500).count(), 3);
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

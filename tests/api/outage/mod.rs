//! The database going away under a running app: clear answers while it is gone, `/healthz`
//! 503, nothing half-written, and recovery without a restart. Against a PostgreSQL server the
//! test starts and stops itself ([`own_postgres`]).

mod own_postgres;

use crate::helpers::{call_api, spawn_app_on, WORKSPACE};
use own_postgres::OwnPostgres;
use reqwest::header::ACCEPT;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Polls `/healthz` until it answers `want` (at most `within`); answers how long it took.
async fn health_becomes(app: &crate::helpers::TestApp, want: u16, within: Duration) -> Duration {
    let start = Instant::now();
    loop {
        let status = app.get("/healthz").await.status().as_u16();
        if status == want {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < within,
            "/healthz still {status} after {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn while_the_database_is_gone_pages_and_actions_say_so_and_it_recovers_without_a_restart() {
    let postgres = OwnPostgres::start();
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let app = spawn_app_on(&postgres.url(), dir).await;
    app.setup().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/accounts").await.status(), 200);

    postgres.down();
    health_becomes(&app, 503, Duration::from_secs(15)).await;
    let page = app
        .client
        .get(app.url("/accounts"))
        .header(ACCEPT, "text/html")
        .send()
        .await
        .unwrap();
    let status = page.status();
    let body = page.text().await.unwrap();
    assert_eq!(status, 503, "a page while the database is gone: {body}");
    assert!(
        body.contains("can't reach its database"),
        "the page says why: {body}"
    );
    let (status, error) = call_api(
        &app,
        &app.client,
        "/api/rename_workspace",
        &[("name", "Lost")],
    )
    .await;
    assert_eq!(status, 503, "an action while the database is gone: {error}");
    assert_eq!(error["code"], "database_unavailable");

    postgres.up();
    let took = health_becomes(&app, 200, Duration::from_secs(15)).await;
    println!("healthy again {took:?} after the database came back");
    // The same browser is still signed in, and nothing of the refused rename was kept.
    let accounts = app.page("/accounts").await;
    assert!(accounts.contains(WORKSPACE));
    let renamed = app.rename_workspace("Back Again").await;
    assert!(renamed.status().is_redirection());
    assert!(app.page("/settings/workspace").await.contains("Back Again"));
    drop(app);
    let _ = postgres.path();
}

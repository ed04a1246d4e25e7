use crate::helpers::{
    location, new_client, spawn_app, spawn_app_on, OWNER_EMAIL, OWNER_PASSWORD, WORKSPACE,
};
use reqwest::header::COOKIE;

/// The session cookie the client holds, as a `Cookie` header value.
async fn session_cookie(app: &crate::helpers::TestApp) -> String {
    let response = app.login(OWNER_EMAIL, OWNER_PASSWORD).await;
    crate::helpers::set_cookie(&response, "switchboard_session").unwrap()
}

#[tokio::test]
async fn signing_out_deletes_the_session_so_a_replayed_cookie_is_signed_out() {
    let app = spawn_app().await;
    app.setup().await;
    app.logout().await;
    let cookie = session_cookie(&app).await;
    assert_eq!(app.get("/accounts").await.status(), 200);

    let response = app.logout().await;
    assert_eq!(location(&response), "/login?signed_out=1");
    let (_, page) = app.follow(response).await;
    assert!(page.contains("You&#x27;re signed out.") || page.contains("You're signed out."));

    let replay = new_client()
        .get(app.url("/accounts"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&replay), "/login?next=%2Faccounts");
}

#[tokio::test]
async fn sessions_survive_a_restart() {
    let app = spawn_app().await;
    app.setup().await;
    app.logout().await;
    let cookie = session_cookie(&app).await;
    let (database_url, dir) = app.stop().await;

    let restarted = spawn_app_on(&database_url, dir).await;
    let response = new_client()
        .get(restarted.url("/accounts"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains(WORKSPACE));
}

#[tokio::test]
async fn an_idle_session_expires_after_three_days() {
    let app = spawn_app().await;
    app.setup().await;
    app.clock.advance(chrono::Duration::days(2));
    assert_eq!(
        app.get("/accounts").await.status(),
        200,
        "two idle days are fine"
    );
    app.clock.advance(chrono::Duration::days(2));
    assert_eq!(
        app.get("/accounts").await.status(),
        200,
        "the last visit pushed expiry back"
    );
    app.clock.advance(chrono::Duration::days(4));
    assert_eq!(
        location(&app.get("/accounts").await),
        "/login?next=%2Faccounts"
    );
}

#[tokio::test]
async fn an_active_session_still_ends_thirty_days_after_sign_in() {
    let app = spawn_app().await;
    app.setup().await;
    // Active every other day for 29 days: still signed in…
    for _ in 0..14 {
        app.clock.advance(chrono::Duration::days(2));
        assert_eq!(app.get("/accounts").await.status(), 200);
    }
    app.clock.advance(chrono::Duration::days(1));
    assert_eq!(app.get("/accounts").await.status(), 200);
    // …but not on day 31.
    app.clock.advance(chrono::Duration::days(2));
    assert_eq!(
        location(&app.get("/accounts").await),
        "/login?next=%2Faccounts"
    );
}

#[tokio::test]
async fn the_session_store_can_end_every_session_of_a_user() {
    let app = spawn_app().await;
    app.setup().await;
    let laptop = new_client();
    app.login_with(&laptop, OWNER_EMAIL, OWNER_PASSWORD).await;
    assert_eq!(app.get_with(&laptop, "/accounts").await.status(), 200);

    let store = switchboard::server::auth::session_store::DbSessionStore::new(
        app.db.clone(),
        app.clock.clone(),
    );
    let user_id = 1;
    assert!(store.delete_for_user(user_id).await.unwrap() >= 2);
    assert_eq!(app.get("/accounts").await.status(), 303);
    assert_eq!(app.get_with(&laptop, "/accounts").await.status(), 303);
}

#[tokio::test]
async fn session_ids_are_stored_only_as_digests() {
    let app = spawn_app().await;
    app.setup().await;
    app.logout().await;
    let cookie = session_cookie(&app).await;
    let id = cookie.split('=').nth(1).unwrap();
    use sea_orm::EntityTrait;
    let rows = switchboard::server::entities::session::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|row| row.id != id && row.id.len() == 64));
}

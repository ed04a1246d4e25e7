//! A session that has ended stays ended, even for requests that loaded it before it ended and
//! write to it when they finish.

use crate::connect::{consent, start, Consent, ALEX};
use crate::helpers::{location, new_client, spawn_app, TestApp, OWNER_EMAIL, OWNER_PASSWORD};
use meta_sandbox::failures::Failure;
use reqwest::header::{ACCEPT, COOKIE};

/// Three callbacks on `cookie`'s session, each held up about a second by a slow token
/// endpoint; they all write the outcome into the session when they finish.
async fn slow_callbacks_in_flight(
    app: &TestApp,
    cookie: &str,
) -> Vec<tokio::task::JoinHandle<reqwest::StatusCode>> {
    let mut callbacks = Vec::new();
    for _ in 0..3 {
        let dialog = start(app, &app.client).await;
        callbacks.push(consent(app, &dialog, &Consent::all(ALEX, &["1111"])).await);
    }
    app.sandbox
        .fail_next(
            "*/oauth/access_token",
            3,
            &Failure::Timeout { seconds: Some(1) },
        )
        .await
        .unwrap();
    let mut in_flight = Vec::new();
    for callback in callbacks {
        let cookie = cookie.to_owned();
        in_flight.push(tokio::spawn(async move {
            new_client()
                .get(callback)
                .header(COOKIE, cookie)
                .header(ACCEPT, "text/html")
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    // Let every callback load the session before it ends.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    in_flight
}

#[tokio::test]
async fn requests_in_flight_during_sign_out_do_not_bring_the_session_back() {
    let app = spawn_app().await;
    app.setup().await;
    let cookie = app.session_cookie().await;
    let in_flight = slow_callbacks_in_flight(&app, &cookie).await;

    let signed_out = app.logout().await;
    assert_eq!(location(&signed_out), "/login?signed_out=1");
    for request in in_flight {
        assert_eq!(request.await.unwrap(), 303, "each callback finished");
    }

    assert_eq!(app.replay_cookie(&cookie).await, "/login?next=%2Faccounts");
    let owner = app.user_id(OWNER_EMAIL).await;
    assert_eq!(app.session_rows(owner).await, 0, "no session row remains");
}

#[tokio::test]
async fn requests_in_flight_during_a_password_change_elsewhere_do_not_bring_the_session_back() {
    let app = spawn_app().await;
    app.setup().await;
    let cookie = app.session_cookie().await;
    let in_flight = slow_callbacks_in_flight(&app, &cookie).await;

    let elsewhere = app.signed_in(OWNER_EMAIL, OWNER_PASSWORD).await;
    let changed = app
        .change_password_with(&elsewhere, OWNER_PASSWORD, "a brand new passphrase")
        .await;
    assert_eq!(changed.status(), 302, "the password changes");
    for request in in_flight {
        assert_eq!(request.await.unwrap(), 303, "each callback finished");
    }

    assert_eq!(app.replay_cookie(&cookie).await, "/login?next=%2Faccounts");
    let owner = app.user_id(OWNER_EMAIL).await;
    assert_eq!(
        app.session_rows(owner).await,
        1,
        "only the browser that changed the password stays signed in"
    );
}

//! Sign-in throttling that holds under a burst, can't be dodged or turned into a lock-out, and
//! sees through a trusted reverse proxy (and only a trusted one).

use crate::helpers::{
    location, new_client, spawn_app, spawn_app_with, TestApp, OWNER_EMAIL, OWNER_PASSWORD,
};
use reqwest::Client;
use std::net::{IpAddr, Ipv4Addr};

const MIA: &str = "mia@example.com";
const MIA_PASSWORD: &str = "mia-password-1";

/// A browser whose connections come from `127.0.0.{last}` (all of 127/8 is loopback).
fn browser_at(last: u8) -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last)))
        .build()
        .unwrap()
}

/// One sign-in as a script would post it; answers the status (200 signed in, 401 wrong, 429
/// throttled), optionally through a proxy that forwards `forwarded_for`.
async fn attempt(
    app: &TestApp,
    client: &Client,
    email: &str,
    password: &str,
    forwarded_for: Option<&str>,
) -> u16 {
    let mut request = client
        .post(app.url("/api/login"))
        .header("origin", &app.address)
        .form(&[("email", email), ("password", password), ("next", "")]);
    if let Some(hop) = forwarded_for {
        request = request.header("x-forwarded-for", hop);
    }
    let status = request.send().await.unwrap().status().as_u16();
    // A successful script sign-in answers with the redirect leptos_axum sets.
    if status == 302 {
        200
    } else {
        status
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_parallel_wrong_passwords_reach_the_hasher_at_most_five_times() {
    let app = spawn_app().await;
    app.setup().await;
    app.add_member(MIA, "Mia", "member", MIA_PASSWORD).await;
    app.logout().await;
    let before = app.passwords.verifications();
    let client = new_client();
    let burst = (0..100).map(|i| {
        let password = format!("wrong password {i}");
        let client = client.clone();
        let app = &app;
        async move { attempt(app, &client, OWNER_EMAIL, &password, None).await }
    });
    let (outcomes, mia) = tokio::join!(
        futures_util::future::join_all(burst),
        // Someone else, elsewhere, signs in during the flood.
        async { attempt(&app, &browser_at(50), MIA, MIA_PASSWORD, None).await }
    );
    let hashed = app.passwords.verifications() - before;
    let throttled = outcomes.iter().filter(|s| **s == 429).count();
    let refused = outcomes.iter().filter(|s| **s == 401).count();
    assert!(hashed <= 6, "{hashed} hashes (5 for the burst, 1 for Mia)");
    assert_eq!(
        refused, 5,
        "exactly five were checked and refused: {outcomes:?}"
    );
    assert_eq!(
        throttled, 95,
        "the rest never reached the hasher: {outcomes:?}"
    );
    assert_eq!(mia, 200, "another account's sign-in went through");
}

#[tokio::test]
async fn a_distributed_attack_on_the_owner_does_not_keep_the_owner_s_own_browser_out() {
    let app = spawn_app().await;
    app.setup().await;
    // The Owner's browser has signed in before: it holds a device cookie.
    let owners_browser = app.signed_in(OWNER_EMAIL, OWNER_PASSWORD).await;
    app.post_form_with(&owners_browser, "/api/logout", "/accounts", &[])
        .await;

    // 100 wrong passwords from 25 addresses: 4 each, under every per-address limit.
    for last in 2..27u8 {
        let attacker = browser_at(last);
        for i in 0..4 {
            let status = attempt(&app, &attacker, OWNER_EMAIL, &format!("guess {i}"), None).await;
            assert_eq!(status, 401);
        }
    }
    // The account is now paused for anyone without a device cookie…
    assert_eq!(
        attempt(&app, &browser_at(40), OWNER_EMAIL, OWNER_PASSWORD, None).await,
        429,
        "a new browser waits out the window"
    );
    // …but not for the Owner's own browser.
    let response = app
        .login_with(&owners_browser, OWNER_EMAIL, OWNER_PASSWORD)
        .await;
    assert_eq!(
        location(&response),
        "/accounts",
        "the known browser signs in"
    );
}

#[tokio::test]
async fn a_stolen_device_is_paused_after_its_own_five_failures() {
    let app = spawn_app().await;
    app.setup().await;
    let browser = app.signed_in(OWNER_EMAIL, OWNER_PASSWORD).await;
    app.post_form_with(&browser, "/api/logout", "/accounts", &[])
        .await;
    for i in 0..5 {
        assert_eq!(
            attempt(&app, &browser, OWNER_EMAIL, &format!("guess {i}"), None).await,
            401
        );
    }
    assert_eq!(
        attempt(&app, &browser, OWNER_EMAIL, OWNER_PASSWORD, None).await,
        429
    );
    // The device's failures are its own: another browser from the same address still gets in.
    assert_eq!(
        attempt(&app, &new_client(), OWNER_EMAIL, OWNER_PASSWORD, None).await,
        200
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_is_throttled_on_its_own() {
    let app = spawn_app_with(&[("SWITCHBOARD_TRUSTED_PROXIES", "127.0.0.1")]).await;
    app.setup().await;
    app.add_member(MIA, "Mia", "member", MIA_PASSWORD).await;
    let owners_browser = app.signed_in(OWNER_EMAIL, OWNER_PASSWORD).await;
    app.post_form_with(&owners_browser, "/api/logout", "/accounts", &[])
        .await;
    let proxy = new_client();

    // 100 wrong passwords for the Owner through the proxy, from 25 forwarded clients; each
    // also claims a made-up address on the left, which must be ignored.
    for i in 0..100u32 {
        let hop = format!("6.6.6.6, 203.0.113.{}", i % 25 + 1);
        let status = attempt(&app, &proxy, OWNER_EMAIL, &format!("guess {i}"), Some(&hop)).await;
        assert_eq!(status, 401, "attempt {i}");
    }
    // 30 wrong passwords from one forwarded client pause that client only.
    for i in 0..30 {
        let email = format!("nobody{i}@example.com");
        assert_eq!(
            attempt(&app, &proxy, &email, "guess", Some("198.51.100.66")).await,
            401
        );
    }
    assert_eq!(
        attempt(&app, &proxy, MIA, MIA_PASSWORD, Some("198.51.100.66")).await,
        429
    );
    assert_eq!(
        attempt(&app, &proxy, MIA, MIA_PASSWORD, Some("198.51.100.67")).await,
        200,
        "another client behind the same proxy is not paused"
    );
    // The Owner's account is paused for new browsers, not for the Owner's own.
    assert_eq!(
        attempt(
            &app,
            &proxy,
            OWNER_EMAIL,
            OWNER_PASSWORD,
            Some("198.51.100.2")
        )
        .await,
        429
    );
    let response = owners_browser
        .post(app.url("/api/login"))
        .header("origin", &app.address)
        .header("x-forwarded-for", "198.51.100.1")
        .form(&[
            ("email", OWNER_EMAIL),
            ("password", OWNER_PASSWORD),
            ("next", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&response),
        "/accounts",
        "the known browser signs in"
    );
}

#[tokio::test]
async fn forwarded_headers_from_a_peer_that_is_not_a_trusted_proxy_are_ignored() {
    let app = spawn_app().await;
    app.setup().await;
    let client = new_client();
    // Each attempt claims a different address; they all count against the real one.
    for i in 0..30u32 {
        let email = format!("nobody{i}@example.com");
        let hop = format!("203.0.113.{}", i + 1);
        assert_eq!(
            attempt(&app, &client, &email, "guess", Some(&hop)).await,
            401
        );
    }
    assert_eq!(
        attempt(
            &app,
            &client,
            "nobody99@example.com",
            "guess",
            Some("198.51.100.99")
        )
        .await,
        429
    );
}

/// An unknown email costs the same hash as a known one with a wrong password, so the answer's
/// timing doesn't tell which addresses have accounts (requirement 14).
#[tokio::test]
async fn an_unknown_email_goes_through_the_hasher_just_as_a_known_one_does() {
    let app = spawn_app().await;
    app.setup().await;
    app.logout().await;
    for (email, who) in [
        ("nobody@example.com", "an unknown email"),
        (OWNER_EMAIL, "a known email, wrong password"),
    ] {
        let before = app.passwords.verifications();
        let status = attempt(&app, &new_client(), email, "not the password", None).await;
        assert_eq!(status, 401, "{who}");
        assert_eq!(app.passwords.verifications() - before, 1, "{who}: one hash");
    }
}

/// A password stored with weaker argon2 parameters (an older release's) is rehashed with
/// today's at the next correct sign-in, and still signs in afterwards.
#[tokio::test]
async fn a_hash_with_weaker_parameters_is_replaced_at_the_next_sign_in() {
    use argon2::password_hash::{PasswordHasher, SaltString};
    use argon2::{Algorithm, Argon2, Params, Version};
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
    use switchboard::server::entities::user;
    let app = spawn_app().await;
    app.setup().await;
    app.logout().await;
    let weak = Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(8192, 1, 1, None).unwrap(),
    )
    .hash_password(
        OWNER_PASSWORD.as_bytes(),
        &SaltString::generate(&mut rand::rngs::OsRng),
    )
    .unwrap()
    .to_string();
    let owner = || {
        user::Entity::find()
            .filter(user::Column::Email.eq(OWNER_EMAIL))
            .one(&app.db)
    };
    let mut weakened: user::ActiveModel = owner().await.unwrap().unwrap().into();
    weakened.password_hash = Set(weak.clone());
    weakened.update(&app.db).await.unwrap();
    assert_eq!(
        attempt(&app, &new_client(), OWNER_EMAIL, OWNER_PASSWORD, None).await,
        200
    );
    let now = owner().await.unwrap().unwrap().password_hash;
    assert_ne!(now, weak, "rehashed");
    assert!(!now.contains("m=8192,t=1,p=1"), "{now}");
    assert!(now.starts_with("$argon2id$"), "{now}");
    assert_eq!(
        attempt(&app, &new_client(), OWNER_EMAIL, OWNER_PASSWORD, None).await,
        200
    );
}

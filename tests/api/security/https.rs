//! Served as `https://…` (behind a TLS-terminating proxy): the session cookie takes the
//! `__Host-` name with `Secure`, `HttpOnly` and `SameSite=Lax` and no `Domain`, and every
//! answer carries `Strict-Transport-Security` (requirements 13 and 16).

use crate::helpers::{spawn_app_with, OWNER_SETUP};
use reqwest::header::{ACCEPT, HOST, ORIGIN, REFERER, SET_COOKIE, STRICT_TRANSPORT_SECURITY};

const PUBLIC: &str = "https://switchboard.example";

#[tokio::test]
async fn over_https_the_session_cookie_is_host_prefixed_and_secure_and_hsts_is_sent() {
    let app = spawn_app_with(&[("PUBLIC_URL", PUBLIC)]).await;
    let setup = app
        .client
        .post(app.url("/api/setup"))
        .header(HOST, "switchboard.example")
        .header(ORIGIN, PUBLIC)
        .header(REFERER, format!("{PUBLIC}/setup"))
        .header(ACCEPT, "text/html")
        .form(&OWNER_SETUP)
        .send()
        .await
        .unwrap();
    assert!(setup.status().is_redirection(), "{}", setup.status());
    let session = setup
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("__Host-switchboard="))
        .expect("the session cookie has the __Host- name")
        .to_owned();
    for attribute in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(session.contains(attribute), "{attribute} in {session}");
    }
    assert!(!session.contains("Domain"), "{session}");

    for answer in [
        setup,
        app.client
            .get(app.url("/login"))
            .header(HOST, "switchboard.example")
            .send()
            .await
            .unwrap(),
    ] {
        let hsts = answer.headers()[STRICT_TRANSPORT_SECURITY]
            .to_str()
            .unwrap();
        assert!(hsts.contains("max-age="), "{hsts}");
    }
}

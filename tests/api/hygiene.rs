use crate::helpers::{location, spawn_app, OWNER_EMAIL, OWNER_PASSWORD, WORKSPACE};
use reqwest::header::{ACCEPT, HOST, ORIGIN, REFERER};

#[tokio::test]
async fn a_post_from_another_origin_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/setup"))
        .header(ORIGIN, "https://evil.example")
        .header(ACCEPT, "text/html")
        .form(&[
            ("workspace_name", WORKSPACE),
            ("name", "Mallory"),
            ("email", OWNER_EMAIL),
            ("password", OWNER_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(app.count("users").await, 0);
    assert_eq!(app.count("workspaces").await, 0);
}

#[tokio::test]
async fn a_post_with_neither_origin_nor_referer_or_a_null_origin_is_refused() {
    let app = spawn_app().await;
    app.setup().await;
    let bare = app
        .client
        .post(app.url("/api/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), 403);
    let null = app
        .client
        .post(app.url("/api/logout"))
        .header(ORIGIN, "null")
        .send()
        .await
        .unwrap();
    assert_eq!(null.status(), 403);
    // Still signed in: nothing happened.
    assert_eq!(app.get("/accounts").await.status(), 200);
    let with_referer = app
        .client
        .post(app.url("/api/logout"))
        .header(REFERER, app.url("/accounts"))
        .header(ACCEPT, "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(location(&with_referer), "/login?signed_out=1");
}

#[tokio::test]
async fn a_get_on_another_host_is_redirected_to_the_public_url() {
    let app = spawn_app().await;
    let port = app.address.rsplit(':').next().unwrap().to_owned();
    let response = app
        .client
        .get(app.url("/login?next=%2Faccounts"))
        .header(HOST, format!("localhost:{port}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 307);
    assert_eq!(
        location(&response),
        format!("{}/login?next=%2Faccounts", app.address)
    );
}

#[tokio::test]
async fn a_post_on_another_host_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let port = app.address.rsplit(':').next().unwrap().to_owned();
    let response = app
        .client
        .post(app.url("/api/setup"))
        .header(HOST, format!("localhost:{port}"))
        .header(ORIGIN, format!("http://localhost:{port}"))
        .form(&[
            ("workspace_name", WORKSPACE),
            ("name", "Olive"),
            ("email", OWNER_EMAIL),
            ("password", OWNER_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 421);
    assert_eq!(app.count("users").await, 0);
}

/// The headers every answer carries over http: the CSP's three directives, `nosniff`, the
/// referrer policy, and no HSTS.
fn assert_security_headers(what: &str, headers: &reqwest::header::HeaderMap) {
    let csp = headers
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"))
        .to_str()
        .unwrap();
    for directive in [
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
    ] {
        assert!(csp.contains(directive), "{what}: {directive}");
    }
    assert_eq!(
        headers.get("x-content-type-options").unwrap(),
        "nosniff",
        "{what}"
    );
    assert_eq!(
        headers.get("referrer-policy").unwrap(),
        "same-origin",
        "{what}"
    );
    assert!(
        headers.get("strict-transport-security").is_none(),
        "no HSTS over http"
    );
}

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in [
        "/setup",
        "/login",
        "/healthz",
        "/style/main.css",
        "/no-such-page",
    ] {
        let response = app.get(path).await;
        assert_security_headers(path, response.headers());
    }
}

#[tokio::test]
async fn signed_in_pages_and_json_error_answers_carry_the_security_headers_too() {
    let app = spawn_app().await;
    app.setup().await;
    for path in [
        "/accounts",
        "/settings/members",
        "/settings/activity",
        "/compose",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_security_headers(path, response.headers());
    }
    let refused = app
        .client
        .post(app.url("/api/rename_workspace"))
        .header(ORIGIN, &app.address)
        .form(&[("name", "")])
        .send()
        .await
        .unwrap();
    assert!(refused.status().is_client_error(), "{}", refused.status());
    assert_security_headers("a JSON error answer", refused.headers());
}

#[tokio::test]
async fn an_unknown_page_gets_a_friendly_404() {
    let app = spawn_app().await;
    app.setup().await;
    let response = app.get("/no-such-page").await;
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("Page not found"));
    let post = app.post_form("/no-such-action", "/accounts", &[]).await;
    assert_eq!(post.status(), 404);
}

#[tokio::test]
async fn pages_that_need_a_user_send_visitors_to_sign_in() {
    let app = spawn_app().await;
    app.setup().await;
    app.logout().await;
    for path in ["/accounts", "/settings/integrations", "/settings/members"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 303, "{path}");
        assert!(location(&response).starts_with("/login?next="), "{path}");
    }
}

#[tokio::test]
async fn the_stylesheet_and_favicon_are_served_by_the_binary() {
    let app = spawn_app().await;
    let css = app.get("/style/main.css").await;
    assert_eq!(
        css.headers().get("content-type").unwrap(),
        "text/css; charset=utf-8"
    );
    assert!(css.text().await.unwrap().contains(".topbar"));
    let icon = app.get("/favicon.svg").await;
    assert_eq!(icon.headers().get("content-type").unwrap(), "image/svg+xml");
}

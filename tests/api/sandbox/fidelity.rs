//! The three Graph hosts driven the way Meta's own client libraries drive them: trailing
//! slashes, parameters in the query, a form body or both, `POST` with a `method=GET` or
//! `method=DELETE` override; and Graph's answers for unknown paths, unknown objects and
//! unsupported methods — always JSON.

use super::{error_code, Login, Meta, ACME_DIRECT, ACME_THREADS, ALEX};
use crate::helpers::spawn_app;
use reqwest::{Method, Response};
use serde_json::Value;

/// The body of a Graph-host answer, after checking it is JSON.
async fn json(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert!(
        content_type.starts_with("application/json"),
        "{status}: {content_type:?}"
    );
    let text = response.text().await.unwrap();
    assert!(!text.is_empty(), "never an empty body ({status})");
    (status, serde_json::from_str(&text).unwrap())
}

/// One host under test: its versioned base URL and a valid long-lived token of its app.
struct Host {
    base: String,
    token: String,
}

async fn hosts(meta: &Meta<'_>) -> Vec<Host> {
    let facebook = meta.long_token(ALEX, &["1111"]).await;
    let instagram = meta.login_long_token(Login::Instagram, ACME_DIRECT).await;
    let threads = meta.login_long_token(Login::Threads, ACME_THREADS).await;
    vec![
        Host {
            base: meta.app.url("/sandbox/graph/v25.0"),
            token: facebook,
        },
        Host {
            base: meta.app.url("/sandbox/instagram-graph/v25.0"),
            token: instagram,
        },
        Host {
            base: meta.app.url("/sandbox/threads-graph/v1.0"),
            token: threads,
        },
    ]
}

#[tokio::test]
async fn a_trailing_slash_is_accepted_on_every_graph_host() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    for host in hosts(&meta).await {
        let plain = meta
            .http
            .get(format!("{}/me", host.base))
            .query(&[("access_token", &host.token)])
            .send()
            .await
            .unwrap();
        let (status, without) = json(plain).await;
        assert_eq!(status, 200, "{}: {without}", host.base);
        let slashed = meta
            .http
            .get(format!("{}/me/", host.base))
            .query(&[("access_token", &host.token)])
            .send()
            .await
            .unwrap();
        let (status, with) = json(slashed).await;
        assert_eq!(
            (status, &with["id"]),
            (200, &without["id"]),
            "{}",
            host.base
        );
    }
    let secret = meta.apps.instagram.app_secret.clone();
    let short = meta.login_token(Login::Instagram, ACME_DIRECT).await;
    let response = meta
        .http
        .get(app.url("/sandbox/instagram-graph/access_token/"))
        .query(&[
            ("grant_type", "ig_exchange_token"),
            ("client_secret", &secret),
            ("access_token", &short),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(json(response).await.0, 200);
}

#[tokio::test]
async fn parameters_are_read_from_the_query_the_form_body_or_both_and_the_query_wins() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    for host in hosts(&meta).await {
        let url = format!("{}/me", host.base);
        let in_body = meta
            .http
            .post(&url)
            .form(&[("method", "GET"), ("access_token", host.token.as_str())])
            .send()
            .await
            .unwrap();
        let (status, body) = json(in_body).await;
        assert_eq!(status, 200, "{url}: {body}");
        let both = meta
            .http
            .post(&url)
            .query(&[("method", "GET"), ("access_token", host.token.as_str())])
            .form(&[("fields", "id,name"), ("access_token", "not-this-one")])
            .send()
            .await
            .unwrap();
        let (status, body) = json(both).await;
        assert_eq!(status, 200, "{url}: the query's token wins: {body}");
        assert!(
            body["name"].is_string(),
            "the body's fields are read: {body}"
        );
    }
}

#[tokio::test]
async fn post_with_method_get_is_a_get_on_every_graph_host() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    for host in hosts(&meta).await {
        let response = meta
            .http
            .post(format!("{}/me/?method=get", host.base))
            .form(&[("access_token", host.token.as_str()), ("fields", "id")])
            .send()
            .await
            .unwrap();
        let (status, body) = json(response).await;
        assert_eq!(status, 200, "{}: {body}", host.base);
        assert!(body["id"].is_string());
    }
    let creds = meta.apps.threads.clone();
    let short = meta.login_token(Login::Threads, ACME_THREADS).await;
    let response = meta
        .http
        .post(app.url("/sandbox/threads-graph/v1.0/debug_token"))
        .form(&[
            ("method", "GET"),
            ("input_token", short.as_str()),
            (
                "access_token",
                &format!("{}|{}", creds.app_id, creds.app_secret),
            ),
        ])
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_eq!(
        (status, &body["data"]["is_valid"]),
        (200, &Value::Bool(true))
    );
}

#[tokio::test]
async fn post_with_method_delete_is_a_delete_and_facebook_takes_a_posted_token_exchange() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let token = meta.user_token(ALEX, &["1111"]).await;
    let response = meta
        .http
        .post(app.url("/sandbox/graph/v25.0/me/permissions/pages_manage_posts"))
        .form(&[("method", "delete"), ("access_token", token.as_str())])
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_eq!((status, &body["success"]), (200, &Value::Bool(true)));
    let grant = app
        .sandbox
        .grant(&meta.apps.facebook.app_id, ALEX)
        .await
        .unwrap()
        .unwrap();
    assert!(meta_sandbox::issued::list(&grant.declined).contains(&"pages_manage_posts".into()));

    let code = meta.code(ALEX, &["1111"]).await;
    let response = meta
        .http
        .post(app.url("/sandbox/graph/v25.0/oauth/access_token"))
        .form(&[
            ("client_id", meta.apps.facebook.app_id.as_str()),
            ("client_secret", meta.apps.facebook.app_secret.as_str()),
            ("redirect_uri", meta.callback().as_str()),
            ("code", code.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(json(response).await.0, 200);
}

#[tokio::test]
async fn unknown_paths_and_objects_answer_graphs_error_as_json_on_every_host() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    for host in hosts(&meta).await {
        let get = |path: &str| {
            meta.http
                .get(format!("{}{path}", host.base))
                .query(&[("access_token", &host.token)])
                .send()
        };
        let (status, body) = json(get("/foo").await.unwrap()).await;
        assert_eq!(
            (status, error_code(&body)),
            (400, (2500, None)),
            "{}",
            host.base
        );
        assert_eq!(body["error"]["message"], "Unknown path components: /foo");
        assert_eq!(body["error"]["type"], "OAuthException");
        assert!(body["error"]["fbtrace_id"].is_string());

        let (status, body) = json(get("/me/foo").await.unwrap()).await;
        assert_eq!((status, error_code(&body)), (400, (2500, None)));
        assert_eq!(body["error"]["message"], "Unknown path components: /foo");

        let (status, body) = json(get("/123456789").await.unwrap()).await;
        assert_eq!((status, error_code(&body)), (400, (100, None)));
        assert_eq!(body["error"]["type"], "GraphMethodException");
        assert_eq!(
            body["error"]["message"],
            "Unsupported get request. Object with ID '123456789' does not exist, cannot be loaded due to missing permissions, or does not support this operation"
        );
    }
}

#[tokio::test]
async fn a_method_a_path_does_not_take_answers_a_graph_error_not_an_empty_405() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    for url in [
        "/sandbox/graph/v25.0/me",
        "/sandbox/graph/v25.0/me/accounts",
        "/sandbox/instagram-graph/v25.0/me",
        "/sandbox/threads-graph/v1.0/me",
        "/sandbox/threads-graph/oauth/access_token",
    ] {
        let method = if url.ends_with("access_token") {
            Method::GET
        } else {
            Method::PUT
        };
        let response = meta
            .http
            .request(method.clone(), app.url(url))
            .send()
            .await
            .unwrap();
        let (status, body) = json(response).await;
        assert_eq!((status, error_code(&body)), (400, (100, None)), "{url}");
        assert_eq!(body["error"]["type"], "GraphMethodException");
        assert_eq!(
            body["error"]["message"],
            format!("Unsupported {} request.", method.as_str().to_lowercase())
        );
    }
}

#[tokio::test]
async fn every_graph_host_answer_is_json_errors_included() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let urls = [
        "/sandbox/graph/v25.0/me",
        "/sandbox/graph/v25.0/debug_token",
        "/sandbox/graph/v25.0/oauth/access_token",
        "/sandbox/instagram-graph/v25.0/me",
        "/sandbox/instagram-graph/refresh_access_token",
        "/sandbox/threads-graph/v1.0/me",
        "/sandbox/threads-graph/v1.0/debug_token",
        "/sandbox/threads-graph/access_token",
    ];
    for url in urls {
        let response = meta.http.get(app.url(url)).send().await.unwrap();
        let (status, body) = json(response).await;
        assert_eq!(status, 400, "{url}: {body}");
        assert!(body["error"]["code"].is_i64(), "{url}: {body}");
    }
    let response = meta
        .http
        .post(app.url("/sandbox/instagram-api/oauth/access_token"))
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_eq!(
        (status, &body["error_type"]),
        (400, &Value::from("OAuthException"))
    );
}

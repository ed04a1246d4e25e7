use super::{control, error_code, Meta, ALEX};
use crate::helpers::{location, spawn_app, OWNER_EMAIL, OWNER_PASSWORD};
use serde_json::json;

#[tokio::test]
async fn the_control_api_gives_the_three_app_credential_pairs() {
    let app = spawn_app().await;
    let (status, body) = control(&app, reqwest::Method::GET, "/apps", None).await;
    assert_eq!(status, 200);
    let apps = app.sandbox.apps().await.unwrap();
    assert_eq!(body["facebook"]["app_id"], apps.facebook.app_id);
    assert_eq!(body["instagram"]["app_secret"], apps.instagram.app_secret);
    assert!(body["threads"]["app_id"].is_string());
    let docs = reqwest::get(app.url("/sandbox/_control"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(docs.contains("/sandbox/_control/scenario/reset"));
}

#[tokio::test]
async fn a_scenario_loaded_over_http_is_what_the_graph_serves_until_reset() {
    let app = spawn_app().await;
    let scenario = json!({
        "users": [{ "id": "777", "name": "Tess Tester", "roles": [{ "page_id": "42", "tasks": ["MANAGE"] }] }],
        "pages": [{ "id": "42", "name": "Test Kitchen" }]
    });
    assert_eq!(
        control(&app, reqwest::Method::PUT, "/scenario", Some(scenario))
            .await
            .0,
        204
    );
    let meta = Meta::new(&app).await;
    let token = meta.user_token("777", &["42"]).await;
    let (_, body) = meta
        .graph(
            "/me/accounts",
            &[("fields", "name"), ("access_token", &token)],
        )
        .await;
    assert_eq!(body["data"][0]["name"], "Test Kitchen");

    let broken = json!({ "users": [{ "id": "1", "name": "X", "roles": [{ "page_id": "nope", "tasks": [] }] }], "pages": [] });
    assert_eq!(
        control(&app, reqwest::Method::PUT, "/scenario", Some(broken))
            .await
            .0,
        422
    );
    assert_eq!(
        control(
            &app,
            reqwest::Method::PUT,
            "/scenario",
            Some(json!({ "users": 3 }))
        )
        .await
        .0,
        400
    );

    assert_eq!(
        control(&app, reqwest::Method::POST, "/scenario/reset", None)
            .await
            .0,
        204
    );
    let (_, body) = control(&app, reqwest::Method::GET, "/scenario", None).await;
    assert_eq!(body["users"][0]["name"], "Alex Admin");
}

#[tokio::test]
async fn moving_the_sandbox_clock_moves_the_apps_clock_too() {
    let app = spawn_app().await;
    app.setup().await;
    assert_eq!(app.get("/accounts").await.status(), 200);
    let (status, body) = control(
        &app,
        reqwest::Method::POST,
        "/clock",
        Some(json!({ "seconds": 4 * 86_400 })),
    )
    .await;
    assert_eq!(
        (status, body["offset_seconds"].as_i64()),
        (200, Some(4 * 86_400))
    );
    // Sessions idle for three days end: the app saw four days pass.
    assert_eq!(
        location(&app.get("/accounts").await),
        "/login?next=%2Faccounts"
    );
    let (status, _) = control(
        &app,
        reqwest::Method::POST,
        "/clock",
        Some(json!({ "seconds": -5 })),
    )
    .await;
    assert_eq!(status, 400);
    let (_, clock) = control(&app, reqwest::Method::GET, "/clock", None).await;
    assert_eq!(clock["offset_seconds"], 4 * 86_400);
    let _ = (OWNER_EMAIL, OWNER_PASSWORD);
}

#[tokio::test]
async fn invalidation_over_http_kills_the_users_tokens_with_the_subcode() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let token = meta.long_token(ALEX, &["1111"]).await;
    let (status, _) = control(
        &app,
        reqwest::Method::POST,
        &format!("/users/{ALEX}/invalidate"),
        Some(json!({ "subcode": 467 })),
    )
    .await;
    assert_eq!(status, 204);
    let (_, body) = meta.graph("/me", &[("access_token", &token)]).await;
    assert_eq!(error_code(&body), (190, Some(467)));
    let (status, _) = control(
        &app,
        reqwest::Method::POST,
        &format!("/users/{ALEX}/invalidate"),
        Some(json!({ "subcode": 12 })),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = control(
        &app,
        reqwest::Method::POST,
        "/users/999/invalidate",
        Some(json!({ "subcode": 460 })),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn pages_and_tasks_change_over_http() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let new_page = json!({ "page": { "id": "5555", "name": "Fresh Page" }, "tasks": ["MANAGE", "CREATE_CONTENT"] });
    assert_eq!(
        control(
            &app,
            reqwest::Method::POST,
            &format!("/users/{ALEX}/pages"),
            Some(new_page)
        )
        .await
        .0,
        204
    );
    let token = meta.long_token(ALEX, &["1111", "5555"]).await;
    let (_, body) = meta
        .graph(
            "/me/accounts",
            &[("fields", "id,access_token"), ("access_token", &token)],
        )
        .await;
    let pages = body["data"].as_array().unwrap();
    assert!(pages.iter().any(|p| p["id"] == "5555"));
    let page_token = pages.iter().find(|p| p["id"] == "1111").unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let path = format!("/users/{ALEX}/pages/1111/tasks");
    assert_eq!(
        control(
            &app,
            reqwest::Method::PUT,
            &path,
            Some(json!({ "tasks": [] }))
        )
        .await
        .0,
        204
    );
    let (_, debug) = meta
        .graph(
            "/debug_token",
            &[
                ("input_token", &page_token),
                ("access_token", &meta.app_token()),
            ],
        )
        .await;
    assert_eq!(
        debug["data"]["error"]["subcode"], 492,
        "the Page role is gone"
    );
}

#[tokio::test]
async fn a_client_off_loopback_is_refused() {
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use tower::ServiceExt;
    let app = crate::helpers::spawn_app().await;
    let router = axum::Router::new()
        .route("/probe", axum::routing::get(|| async { "ok" }))
        .layer(axum::middleware::from_fn_with_state(
            app.sandbox.clone(),
            meta_sandbox::control_guard::local_scripts_only,
        ));
    let request = |ip: &str| {
        let mut request = axum::http::Request::get("/probe")
            .header("host", "localhost:3000")
            .body(Body::empty())
            .unwrap();
        let addr: std::net::SocketAddr = format!("{ip}:40000").parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(addr));
        request
    };
    let status = |request: axum::http::Request<Body>| {
        let router = router.clone();
        async move { router.oneshot(request).await.unwrap().status() }
    };
    assert_eq!(status(request("203.0.113.7")).await, 403);
    assert_eq!(status(request("127.0.0.1")).await, 200);
    assert_eq!(status(request("[::1]")).await, 200);
    let no_address = axum::http::Request::get("/probe")
        .header("host", "localhost:3000")
        .body(Body::empty())
        .unwrap();
    assert_eq!(status(no_address).await, 403);
}

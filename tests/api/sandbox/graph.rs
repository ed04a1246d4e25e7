use super::{error_code, Meta, ALEX, BEA, EDDIE, NORA};
use crate::helpers::spawn_app;
use meta_sandbox::scenario::Scenario;

const FIELDS: &str = "id,name,access_token,tasks,instagram_business_account{id,username,name}";

#[tokio::test]
async fn me_accounts_lists_only_the_shared_pages_with_tasks_tokens_and_instagram() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let token = meta.long_token(ALEX, &["1111", "2222"]).await;
    let (status, body) = meta
        .graph(
            "/me/accounts",
            &[("fields", FIELDS), ("access_token", &token)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let pages = body["data"].as_array().unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0]["name"], "Acme Bakery");
    assert_eq!(
        pages[0]["instagram_business_account"]["username"],
        "acmebakery"
    );
    assert!(pages[0]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "MANAGE"));
    assert!(
        pages[1].get("instagram_business_account").is_none(),
        "omitted when none is linked"
    );
    assert!(pages[1]["access_token"]
        .as_str()
        .unwrap()
        .starts_with("EAAG"));
    assert!(body["paging"].get("next").is_none(), "no next page");

    // Only one Page shared → only that Page listed, and debug_token says so.
    let token = meta.long_token(ALEX, &["2222"]).await;
    let (_, body) = meta
        .graph(
            "/me/accounts",
            &[("fields", "id,name"), ("access_token", &token)],
        )
        .await;
    assert_eq!(body["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        body["data"][0],
        serde_json::json!({ "id": "2222", "name": "Side Project" })
    );
    let (_, debug) = meta
        .graph(
            "/debug_token",
            &[("input_token", &token), ("access_token", &meta.app_token())],
        )
        .await;
    let granular = debug["data"]["granular_scopes"].as_array().unwrap();
    let pages_scope = granular
        .iter()
        .find(|g| g["scope"] == "pages_show_list")
        .unwrap();
    assert_eq!(pages_scope["target_ids"], serde_json::json!(["2222"]));
    assert!(
        debug["data"]["data_access_expires_at"].as_i64().unwrap()
            > debug["data"]["expires_at"].as_i64().unwrap()
    );
}

#[tokio::test]
async fn the_other_default_users_are_who_the_scenario_says() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let nora = meta.user_token(NORA, &[]).await;
    let (_, body) = meta.graph("/me/accounts", &[("access_token", &nora)]).await;
    assert_eq!(body["data"], serde_json::json!([]));

    let eddie = meta.user_token(EDDIE, &["3333"]).await;
    let (_, body) = meta
        .graph(
            "/me/accounts",
            &[("fields", "name,tasks"), ("access_token", &eddie)],
        )
        .await;
    assert_eq!(body["data"][0]["name"], "Numbers Nook");
    assert_eq!(body["data"][0]["tasks"], serde_json::json!(["ANALYZE"]));
}

#[tokio::test]
async fn one_hundred_fifty_pages_come_in_pages_linked_by_absolute_next_urls() {
    let app = spawn_app().await;
    app.sandbox
        .load_scenario(&Scenario::with_generated_pages(150))
        .await
        .unwrap();
    let meta = Meta::new(&app).await;
    let ids: Vec<String> = (1..=150).map(|n| (500_000 + n).to_string()).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let token = meta.long_token("10000000000000099", &refs).await;
    let (_, mut body) = meta
        .graph(
            "/me/accounts",
            &[("fields", "id"), ("limit", "100"), ("access_token", &token)],
        )
        .await;
    let mut seen = Vec::new();
    let mut requests = 1;
    loop {
        seen.extend(
            body["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["id"].as_str().unwrap().to_owned()),
        );
        let Some(next) = body["paging"]["next"].as_str() else {
            break;
        };
        assert!(
            next.starts_with(&app.url("/sandbox/graph/v25.0/me/accounts?")),
            "{next}"
        );
        body = meta
            .http
            .get(next)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        requests += 1;
    }
    assert_eq!(requests, 2);
    assert_eq!(seen, ids);
}

#[tokio::test]
async fn portfolio_pages_are_reached_through_business_management() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let scope_with_business = [("scope", "pages_show_list,business_management")];
    let location = meta
        .consent(
            BEA,
            &["4444"],
            &["pages_show_list", "business_management"],
            &scope_with_business,
        )
        .await;
    let code = super::query_value(&location, "code").unwrap();
    let token = meta.exchange(&code).await.1["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, direct) = meta
        .graph("/me/accounts", &[("access_token", &token)])
        .await;
    assert_eq!(direct["data"], serde_json::json!([]), "not a direct Page");
    let (_, businesses) = meta
        .graph("/me/businesses", &[("access_token", &token)])
        .await;
    assert_eq!(businesses["data"][0]["id"], "9000");
    let (status, owned) = meta
        .graph(
            "/9000/owned_pages",
            &[("fields", "id,name,tasks"), ("access_token", &token)],
        )
        .await;
    assert_eq!(status, 200, "{owned}");
    assert_eq!(owned["data"][0]["name"], "Portfolio Page");

    // Without business_management the portfolio stays closed.
    let location = meta
        .consent(BEA, &["4444"], &["pages_show_list"], &scope_with_business)
        .await;
    let code = super::query_value(&location, "code").unwrap();
    let token = meta.exchange(&code).await.1["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = meta
        .graph("/me/businesses", &[("access_token", &token)])
        .await;
    assert_eq!((status, error_code(&body).0), (400, 200));
}

#[tokio::test]
async fn page_tokens_from_a_long_lived_token_never_expire_but_die_with_their_user() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let token = meta.long_token(ALEX, &["1111"]).await;
    let (_, body) = meta
        .graph("/me/accounts", &[("access_token", &token)])
        .await;
    let page_token = body["data"][0]["access_token"].as_str().unwrap().to_owned();
    let (_, debug) = meta
        .graph(
            "/debug_token",
            &[
                ("input_token", &page_token),
                ("access_token", &meta.app_token()),
            ],
        )
        .await;
    assert_eq!(debug["data"]["type"], "PAGE");
    assert_eq!(debug["data"]["expires_at"], 0);
    assert_eq!(debug["data"]["profile_id"], "1111");

    app.sandbox
        .advance_clock(chrono::Duration::days(400))
        .await
        .unwrap();
    let (_, debug) = meta
        .graph(
            "/debug_token",
            &[
                ("input_token", &page_token),
                ("access_token", &meta.app_token()),
            ],
        )
        .await;
    assert_eq!(debug["data"]["is_valid"], true, "still valid a year on");

    app.sandbox.invalidate_user(ALEX, 460).await.unwrap();
    let (status, debug) = meta
        .graph(
            "/debug_token",
            &[
                ("input_token", &page_token),
                ("access_token", &meta.app_token()),
            ],
        )
        .await;
    assert_eq!(status, 200, "an invalid token is still HTTP 200");
    assert_eq!(debug["data"]["is_valid"], false);
    assert_eq!(debug["data"]["error"]["code"], 190);
    assert_eq!(debug["data"]["error"]["subcode"], 460);
}

#[tokio::test]
async fn debug_token_describes_garbage_and_needs_an_access_token() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let (status, body) = meta
        .graph(
            "/debug_token",
            &[
                ("input_token", "garbage"),
                ("access_token", &meta.app_token()),
            ],
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["is_valid"], false);
    assert_eq!(body["data"]["error"]["code"], 190);
    let (status, body) = meta
        .graph("/debug_token", &[("input_token", "garbage")])
        .await;
    assert_eq!((status, error_code(&body).0), (400, 100));
}

#[tokio::test]
async fn permissions_are_listed_revoked_one_by_one_and_removed_whole() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let location = meta
        .consent(
            ALEX,
            &["1111"],
            &["pages_show_list", "pages_manage_posts"],
            &[],
        )
        .await;
    let code = super::query_value(&location, "code").unwrap();
    let token = meta.exchange(&code).await.1["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, body) = meta
        .graph("/me/permissions", &[("access_token", &token)])
        .await;
    let status_of = |body: &serde_json::Value, p: &str| {
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["permission"] == p)
            .map(|e| e["status"].as_str().unwrap().to_owned())
    };
    assert_eq!(
        status_of(&body, "pages_manage_posts").as_deref(),
        Some("granted")
    );
    assert_eq!(
        status_of(&body, "instagram_basic").as_deref(),
        Some("declined")
    );

    let (status, body) = meta
        .graph_delete(
            "/me/permissions/pages_manage_posts",
            &[("access_token", &token)],
        )
        .await;
    assert_eq!((status, body["success"].as_bool()), (200, Some(true)));
    let (_, body) = meta
        .graph("/me/permissions", &[("access_token", &token)])
        .await;
    assert_eq!(
        status_of(&body, "pages_manage_posts").as_deref(),
        Some("declined")
    );

    let (_, body) = meta
        .graph_delete("/me/permissions", &[("access_token", &token)])
        .await;
    assert_eq!(body["success"], true);
    let (_, body) = meta.graph("/me", &[("access_token", &token)]).await;
    assert_eq!(
        error_code(&body).0,
        190,
        "every token died with the app removal"
    );
}

#[tokio::test]
async fn the_app_token_removes_a_users_grant_after_their_token_is_gone() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let token = meta.long_token(ALEX, &["1111"]).await;
    let (status, body) = meta
        .graph_delete(
            &format!("/{ALEX}/permissions"),
            &[("access_token", &meta.app_token())],
        )
        .await;
    assert_eq!((status, body["success"].as_bool()), (200, Some(true)));
    let (_, body) = meta.graph("/me", &[("access_token", &token)]).await;
    assert_eq!(error_code(&body), (190, Some(458)));
    // Already removed: still success.
    let (status, _) = meta
        .graph_delete(
            &format!("/{ALEX}/permissions"),
            &[("access_token", &meta.app_token())],
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn appsecret_proof_is_verified_when_sent() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let token = meta.long_token(ALEX, &["1111"]).await;
    let proof = meta_sandbox::graph::auth::appsecret_proof(&meta.apps.facebook.app_secret, &token);
    let (status, _) = meta
        .graph(
            "/me",
            &[("access_token", &token), ("appsecret_proof", &proof)],
        )
        .await;
    assert_eq!(status, 200);
    let (status, body) = meta
        .graph(
            "/me",
            &[("access_token", &token), ("appsecret_proof", "00ff")],
        )
        .await;
    assert_eq!((status, error_code(&body).0), (400, 100));
    assert_eq!(body["error"]["type"], "GraphMethodException");
}

#[tokio::test]
async fn a_bad_field_selection_or_cursor_is_a_graph_error_not_a_500() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let token = meta.long_token(ALEX, &["1111"]).await;
    let (status, body) = meta
        .graph(
            "/me/accounts",
            &[("fields", "id,{name"), ("access_token", &token)],
        )
        .await;
    assert_eq!((status, error_code(&body).0), (400, 100));
    let (status, body) = meta
        .graph(
            "/me/accounts",
            &[("after", "%%%"), ("access_token", &token)],
        )
        .await;
    assert_eq!((status, error_code(&body).0), (400, 100));
    let (status, body) = meta.graph("/me", &[]).await;
    assert_eq!(status, 400);
    assert!(body["error"]["code"].is_number());
}

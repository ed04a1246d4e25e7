//! What Instagram Login and Threads share in the sandbox, tested for both: the dialogs
//! (first account's consent screen, "Not you?", Continue with `#_`, Cancel, refusals), the
//! grant they record, the long-lived exchange and the refresh rules on the sandbox clock,
//! invalidation, failure injection and the call log.

use super::{
    control, error_code, link_href, query_value, Login, Meta, ACME_DIRECT, ACME_THREADS,
    CREATOR_CAT, PERSONAL_PAT,
};
use crate::helpers::spawn_app;
use meta_sandbox::calls::{fingerprint, CallFilter};
use reqwest::Method;
use serde_json::json;

const BOTH: [Login; 2] = [Login::Instagram, Login::Threads];

fn first_account(login: Login) -> (&'static str, &'static str) {
    match login {
        Login::Instagram => (ACME_DIRECT, "acme.direct"),
        Login::Threads => (ACME_THREADS, "acme.threads"),
    }
}

#[tokio::test]
async fn each_dialog_opens_on_its_first_test_accounts_consent_screen_with_every_permission_ticked()
{
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    for login in BOTH {
        let (id, username) = first_account(login);
        let (status, page) = meta
            .login_page(login, &meta.login_params(login, login.scope()))
            .await;
        assert_eq!(status, 200, "{login:?}");
        assert!(page.contains("This is the Switchboard sandbox"));
        assert!(
            page.contains(&format!("<h1>Continue as {username}</h1>")),
            "{page}"
        );
        assert!(page.contains(&format!("name=\"sandbox_user\" value=\"{id}\"")));
        for permission in login.scope().split(',') {
            assert!(page.contains(&format!(
                "name=\"permission\" value=\"{permission}\" checked"
            )));
        }
        assert!(page.contains(">Continue<") && page.contains(">Cancel<"));
        assert_eq!(page.matches("<form").count(), 1);
        assert!(!page.contains("name=\"page\""), "no Pages on {login:?}");
    }
}

#[tokio::test]
async fn not_you_on_instagram_lists_every_account_and_opens_the_chosen_ones_screen() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let login = Login::Instagram;
    let (_, first) = meta
        .login_page(login, &meta.login_params(login, login.scope()))
        .await;
    let not_you = link_href(&first, "Not you?").unwrap();
    let chooser = meta
        .http
        .get(format!("{}{not_you}", meta.login_dialog_url(login)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for username in ["acme.direct", "creator.cat", "personal.pat", "acmebakery"] {
        assert!(chooser.contains(username), "{username}");
    }
    let cat = link_href(&chooser, "creator.cat (Cat Creator)").unwrap();
    assert!(cat.contains(&format!("sandbox_user={CREATOR_CAT}")));
    let consent = meta
        .http
        .get(format!("{}{cat}", meta.login_dialog_url(login)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(consent.contains("<h1>Continue as creator.cat</h1>"));
}

#[tokio::test]
async fn continue_redirects_with_code_state_and_metas_fragment_and_records_the_grant() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    for login in BOTH {
        let (id, _) = first_account(login);
        let granted = login.scope().split(',').next().unwrap();
        let location = meta.login_consent(login, id, &[granted]).await;
        assert!(
            location.starts_with(&format!("{}?code=", meta.login_callback(login))),
            "{location}"
        );
        assert!(location.ends_with("#_"), "{location}");
        let location = location.trim_end_matches("#_");
        assert_eq!(query_value(location, "state").as_deref(), Some("state-456"));
        let grant = app
            .sandbox
            .grant(&meta.login_app(login).app_id, id)
            .await
            .unwrap()
            .expect("a grant");
        let declined: Vec<&str> = login.scope().split(',').skip(1).collect();
        assert_eq!(
            meta_sandbox::issued::list(&grant.granted),
            [granted],
            "{login:?}"
        );
        assert_eq!(meta_sandbox::issued::list(&grant.declined), declined);
        assert_eq!(
            meta_sandbox::issued::list(&grant.page_ids),
            Vec::<String>::new()
        );
    }
}

#[tokio::test]
async fn a_personal_instagram_account_can_be_chosen_and_authorized() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let location = meta
        .instagram_consent(PERSONAL_PAT, &["instagram_business_basic"])
        .await;
    assert!(query_value(location.trim_end_matches("#_"), "code").is_some());
}

#[tokio::test]
async fn cancel_sends_instagrams_denial_parameters_on_both_dialogs() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    for login in BOTH {
        let (id, _) = first_account(login);
        let response = meta.login_submit(login, id, &[], "cancel").await;
        assert_eq!(response.status(), 303);
        let location = crate::helpers::location(&response);
        assert_eq!(
            location,
            format!(
                "{}?error=access_denied&error_reason=user_denied&error_description=The+user+denied+your+request&state=state-456",
                meta.login_callback(login)
            )
        );
    }
}

#[tokio::test]
async fn foreign_scopes_other_apps_other_callbacks_and_unknown_accounts_are_refused_in_the_dialog()
{
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    for (login, foreign) in [
        (Login::Instagram, "threads_basic"),
        (Login::Instagram, "pages_show_list"),
        (Login::Threads, "instagram_business_basic"),
    ] {
        let scope = format!("{},{foreign}", login.scope());
        let (status, page) = meta
            .login_page(login, &meta.login_params(login, &scope))
            .await;
        assert_eq!(status, 400, "{foreign}");
        assert!(
            page.contains(&format!("Invalid Scopes: {foreign}.")),
            "{page}"
        );
    }
    for login in BOTH {
        let mut params = meta.login_params(login, login.scope());
        params[0].1 = meta.apps.facebook.app_id.clone();
        let (status, page) = meta.login_page(login, &params).await;
        assert_eq!(status, 400);
        assert!(page.contains("Invalid App ID"));
        let mut params = meta.login_params(login, login.scope());
        params[1].1 = meta.callback();
        let (status, page) = meta.login_page(login, &params).await;
        assert_eq!(status, 400);
        assert!(page.contains("URL blocked"));
        let response = meta.login_submit(login, "999", &[], "continue").await;
        assert_eq!(response.status(), 400);
        assert!(response.headers().get("location").is_none());
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("Unknown test account"));
    }
}

#[tokio::test]
async fn a_short_token_becomes_a_60_day_token_and_a_wrong_secret_grant_type_or_token_is_refused() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    for login in BOTH {
        let (id, _) = first_account(login);
        let short = meta.login_token(login, id).await;
        let (status, body) = meta.login_long_lived(login, &short).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["token_type"], "bearer");
        assert_eq!(body["expires_in"], 5_184_000);
        let long = body["access_token"].as_str().unwrap();
        let stored = app.sandbox.find_token(long).await.unwrap().unwrap();
        assert!(stored.long_lived);

        let (status, body) = meta
            .login_graph(
                login,
                "/access_token",
                &[
                    ("grant_type", login.exchange_grant()),
                    ("client_secret", "wrong"),
                    ("access_token", &short),
                ],
            )
            .await;
        assert_eq!((status, error_code(&body)), (400, (1, None)));
        let secret = meta.login_app(login).app_secret.clone();
        let (status, body) = meta
            .login_graph(
                login,
                "/access_token",
                &[
                    ("grant_type", "fb_exchange_token"),
                    ("client_secret", &secret),
                    ("access_token", &short),
                ],
            )
            .await;
        assert_eq!((status, error_code(&body)), (400, (100, None)));
        let facebook = meta.user_token(super::ALEX, &["1111"]).await;
        let (status, body) = meta.login_long_lived(login, &facebook).await;
        assert_eq!((status, error_code(&body)), (400, (190, None)));
        assert_eq!(
            body["error"]["message"],
            "Invalid OAuth access token - Cannot parse access token"
        );
    }
}

#[tokio::test]
async fn a_refresh_younger_than_a_day_is_refused_and_after_a_day_gives_60_days_from_now() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    for login in BOTH {
        let (id, _) = first_account(login);
        let long = meta.login_long_token(login, id).await;
        let (status, body) = meta.login_refresh(login, &long).await;
        assert_eq!((status, error_code(&body)), (400, (100, None)), "{body}");
        assert!(body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("at least 24 hours old"));
        let short = meta.login_token(login, id).await;
        let (_, body) = meta.login_refresh(login, &short).await;
        assert_eq!(
            error_code(&body),
            (100, None),
            "a short token is not refreshed"
        );

        app.sandbox
            .advance_clock(chrono::Duration::hours(24))
            .await
            .unwrap();
        let before = app.sandbox.now().await.unwrap();
        let (status, body) = meta.login_refresh(login, &long).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["expires_in"], 5_184_000);
        let fresh = body["access_token"].as_str().unwrap();
        let after = app.sandbox.now().await.unwrap();
        let stored = app.sandbox.find_token(fresh).await.unwrap().unwrap();
        let sixty_days = 60 * 86_400;
        assert!((before + sixty_days..=after + sixty_days).contains(&stored.expires_at));
        assert!(stored.long_lived);
    }
}

#[tokio::test]
async fn a_token_past_day_60_can_never_be_refreshed() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    for login in BOTH {
        let (id, _) = first_account(login);
        let long = meta.login_long_token(login, id).await;
        app.sandbox
            .advance_clock(chrono::Duration::days(61))
            .await
            .unwrap();
        let (status, body) = meta.login_refresh(login, &long).await;
        assert_eq!((status, error_code(&body)), (400, (190, Some(463))));
        let (_, body) = meta.login_me(login, &long, "id").await;
        assert_eq!(error_code(&body), (190, Some(463)));
    }
}

#[tokio::test]
async fn a_refresh_needs_the_basic_permission() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    for login in BOTH {
        let (id, _) = first_account(login);
        let publish = login.scope().split(',').nth(1).unwrap();
        let code = meta.login_code(login, id, &[publish]).await;
        let (_, body) = meta.login_exchange(login, &code).await;
        let short = body["access_token"]
            .as_str()
            .or(body["data"][0]["access_token"].as_str())
            .unwrap()
            .to_owned();
        let (_, body) = meta.login_long_lived(login, &short).await;
        let long = body["access_token"].as_str().unwrap().to_owned();
        app.sandbox
            .advance_clock(chrono::Duration::days(2))
            .await
            .unwrap();
        let (status, body) = meta.login_refresh(login, &long).await;
        assert_eq!((status, error_code(&body)), (400, (10, None)), "{login:?}");
    }
}

#[tokio::test]
async fn invalidating_an_account_kills_its_instagram_and_threads_tokens_through_both_apis() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let instagram = meta.login_long_token(Login::Instagram, ACME_DIRECT).await;
    let threads = meta.login_long_token(Login::Threads, ACME_THREADS).await;
    let (status, _) = control(
        &app,
        Method::POST,
        &format!("/users/{ACME_DIRECT}/invalidate"),
        Some(json!({ "subcode": 460 })),
    )
    .await;
    assert_eq!(status, 204);
    let (_, body) = meta.login_me(Login::Instagram, &instagram, "id").await;
    assert_eq!(error_code(&body), (190, Some(460)));
    let (status, _) = meta.login_me(Login::Threads, &threads, "id").await;
    assert_eq!(status, 200, "another account's token lives on");

    app.sandbox
        .invalidate_user(ACME_THREADS, 467)
        .await
        .unwrap();
    let (_, body) = meta.login_me(Login::Threads, &threads, "id").await;
    assert_eq!(error_code(&body), (190, Some(467)));
    let (_, body) = meta.login_refresh(Login::Threads, &threads).await;
    assert_eq!(error_code(&body), (190, Some(467)));
}

#[tokio::test]
async fn failures_can_be_injected_on_the_new_endpoints_and_the_call_log_records_them() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let code = meta
        .instagram_code(ACME_DIRECT, &["instagram_business_basic"])
        .await;
    let (status, _) = control(
        &app,
        Method::POST,
        "/failures",
        Some(json!({ "path": "*/instagram-api/oauth/access_token", "failure": { "kind": "http_500" } })),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = meta.login_exchange(Login::Instagram, &code).await;
    assert_eq!(status, 500);
    let (status, body) = meta.login_exchange(Login::Instagram, &code).await;
    assert_eq!(
        status, 200,
        "the code survived the injected failure: {body}"
    );

    let token = meta.login_long_token(Login::Threads, ACME_THREADS).await;
    control(
        &app,
        Method::POST,
        "/failures",
        Some(json!({ "path": "/threads-graph/*/me", "failure": { "kind": "graph_error", "code": 4 } })),
    )
    .await;
    let (status, body) = meta.login_me(Login::Threads, &token, "id").await;
    assert_eq!((status, error_code(&body)), (400, (4, None)));

    let calls = app
        .sandbox
        .calls(&CallFilter::path("/instagram-api/oauth/access_token"))
        .await
        .unwrap();
    assert_eq!(
        calls.iter().map(|c| c.status).collect::<Vec<_>>(),
        [500, 200]
    );
    assert!(calls.iter().all(|c| c.product == "instagram-api"
        && c.method == "POST"
        && c.code_fingerprint.as_deref() == Some(fingerprint(&code).as_str())));
    let me = app
        .sandbox
        .calls(&CallFilter::path("/threads-graph/*/me"))
        .await
        .unwrap();
    assert_eq!(me.len(), 1);
    assert_eq!(me[0].product, "threads-graph");
    assert_eq!(me[0].token_fingerprint, Some(fingerprint(&token)));
    let dialogs = app
        .sandbox
        .calls(&CallFilter::path("/instagram/oauth/authorize"))
        .await
        .unwrap();
    assert!(dialogs.iter().all(|c| c.product == "instagram") && !dialogs.is_empty());
}

#[tokio::test]
async fn instagram_and_threads_tokens_are_unknown_on_graph_facebook() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    for login in BOTH {
        let (id, _) = first_account(login);
        let token = meta.login_long_token(login, id).await;
        let (status, body) = meta.graph("/me", &[("access_token", &token)]).await;
        assert_eq!((status, error_code(&body)), (400, (190, None)), "{login:?}");
        let (_, body) = meta
            .graph(
                "/debug_token",
                &[("input_token", &token), ("access_token", &meta.app_token())],
            )
            .await;
        assert_eq!(body["data"]["is_valid"], false);
        assert_eq!(
            body["data"]["error"]["message"],
            "Invalid OAuth access token - Cannot parse access token"
        );
    }
}

#[tokio::test]
async fn a_scenario_whose_login_accounts_are_malformed_is_refused_over_http() {
    let app = spawn_app().await;
    let (_, world) = control(&app, Method::GET, "/scenario", None).await;
    assert_eq!(world["instagram_accounts"][0]["username"], "acme.direct");
    assert_eq!(world["threads_profiles"][0]["username"], "acme.threads");
    let mut bad_type = world.clone();
    bad_type["instagram_accounts"][0]["account_type"] = json!("CONSUMER");
    let mut shared_id = world.clone();
    shared_id["threads_profiles"][0]["id"] = json!(ACME_DIRECT);
    let mut letters = world.clone();
    letters["instagram_accounts"][1]["user_id"] = json!("17841400abc");
    for (what, scenario) in [
        ("account type", bad_type),
        ("shared id", shared_id),
        ("letters", letters),
    ] {
        let (status, body) = control(&app, Method::PUT, "/scenario", Some(scenario)).await;
        assert_eq!(status, 422, "{what}: {body}");
    }
    let mut casing = world.clone();
    casing["instagram_accounts"][0]["account_type"] = json!("Business");
    casing["threads_profiles"] = json!([]);
    let (status, _) = control(&app, Method::PUT, "/scenario", Some(casing)).await;
    assert_eq!(
        status, 204,
        "another casing is allowed, and no Threads profile at all"
    );
    let meta = Meta::new(&app).await;
    let token = meta.login_token(Login::Instagram, ACME_DIRECT).await;
    let (_, body) = meta
        .login_me(Login::Instagram, &token, "account_type")
        .await;
    assert_eq!(body["account_type"], "Business");
    let (status, page) = meta
        .login_page(
            Login::Threads,
            &meta.login_params(Login::Threads, "threads_basic"),
        )
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("no test accounts"), "{page}");
}

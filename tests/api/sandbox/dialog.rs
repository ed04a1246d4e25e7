use super::{link_href, query_value, Meta, ALEX, EDDIE, SCOPE};
use crate::helpers::spawn_app;

#[tokio::test]
async fn the_dialog_says_it_is_the_sandbox_and_opens_on_the_first_test_users_consent_screen() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let page = meta
        .http
        .get(meta.dialog_url())
        .query(&meta.dialog_params(SCOPE))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let body = page.text().await.unwrap();
    assert!(body.contains("This is the Switchboard sandbox") && body.contains("not Facebook"));
    assert!(body.contains("<h1>Continue as Alex Admin</h1>"), "{body}");
    assert!(body.contains("Acme Bakery") && body.contains("Side Project"));
    assert!(body.contains(">Continue<") && body.contains(">Cancel<"));
    assert_eq!(body.matches("<form").count(), 1, "one plain form: {body}");
    assert!(body.contains(&format!("name=\"sandbox_user\" value=\"{ALEX}\"")));
    for permission in SCOPE.split(',') {
        assert!(body.contains(&format!(
            "name=\"permission\" value=\"{permission}\" checked"
        )));
    }
}

#[tokio::test]
async fn not_you_leads_to_a_chooser_of_every_test_user_whose_links_open_their_consent_screens() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let get = |url: String| {
        let http = meta.http.clone();
        async move { http.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let first = meta
        .http
        .get(meta.dialog_url())
        .query(&meta.dialog_params(SCOPE))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let not_you = link_href(&first, "Not you?").expect("a Not you? link");
    assert!(not_you.contains("sandbox_choose=1"), "{not_you}");
    let chooser = get(format!("{}{not_you}", meta.dialog_url())).await;
    for name in ["Alex Admin", "Nora NoPages", "Eddie Editor", "Bea Business"] {
        assert!(chooser.contains(name), "{name}");
    }
    let eddie = link_href(&chooser, "Eddie Editor").expect("a link per user");
    assert!(eddie.contains(&format!("sandbox_user={EDDIE}")), "{eddie}");
    assert!(
        eddie.contains("state=state-123"),
        "the request is carried: {eddie}"
    );
    let consent = get(format!("{}{eddie}", meta.dialog_url())).await;
    assert!(consent.contains("<h1>Continue as Eddie Editor</h1>"));
    assert!(consent.contains("Numbers Nook") && !consent.contains("Acme Bakery"));
}

#[tokio::test]
async fn an_unknown_test_user_is_refused_in_the_dialog() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let mut form = meta.dialog_params(SCOPE);
    form.push(("sandbox_user".into(), "999".into()));
    form.push(("decision".into(), "continue".into()));
    let response = meta
        .http
        .post(meta.dialog_url())
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert!(response.headers().get("location").is_none());
    assert!(response.text().await.unwrap().contains("Unknown test user"));
}

#[tokio::test]
async fn continue_sends_the_browser_to_the_apps_callback_with_code_and_state() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let location = meta
        .consent(ALEX, &["1111"], &["pages_show_list"], &[])
        .await;
    assert!(
        location.starts_with(&format!("{}?", meta.callback())),
        "{location}"
    );
    assert_eq!(
        query_value(&location, "state").as_deref(),
        Some("state-123")
    );
    assert!(query_value(&location, "code").is_some_and(|c| c.len() > 20));
}

#[tokio::test]
async fn cancel_sends_the_documented_denial_parameters() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let mut form = meta.dialog_params(SCOPE);
    form.push(("decision".into(), "cancel".into()));
    let response = meta
        .http
        .post(meta.dialog_url())
        .form(&form)
        .send()
        .await
        .unwrap();
    let location = crate::helpers::location(&response);
    assert!(location.starts_with(&meta.callback()));
    assert_eq!(
        query_value(&location, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(
        query_value(&location, "error_reason").as_deref(),
        Some("user_denied")
    );
    assert_eq!(
        query_value(&location, "error_description").as_deref(),
        Some("Permissions error")
    );
    assert_eq!(
        query_value(&location, "state").as_deref(),
        Some("state-123")
    );
    assert_eq!(query_value(&location, "code"), None);
}

#[tokio::test]
async fn a_dialog_asked_to_redirect_elsewhere_refuses_without_redirecting() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    for redirect in [
        "https://evil.example/callback",
        &format!("{}/", meta.callback()),
        &format!("{}?x=1", meta.callback()),
    ] {
        let mut form = meta.dialog_params(SCOPE);
        form.retain(|(k, _)| k != "redirect_uri");
        form.push(("redirect_uri".into(), redirect.to_owned()));
        form.push(("sandbox_user".into(), ALEX.into()));
        form.push(("decision".into(), "continue".into()));
        let response = meta
            .http
            .post(meta.dialog_url())
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{redirect}");
        assert!(response.headers().get("location").is_none());
        assert!(response.text().await.unwrap().contains("URL blocked"));
    }
}

#[tokio::test]
async fn instagram_and_threads_scopes_and_unknown_apps_are_refused_on_the_facebook_dialog() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    let page = meta
        .http
        .get(meta.dialog_url())
        .query(&meta.dialog_params("pages_show_list,instagram_business_basic"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 400);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("Invalid Scopes: instagram_business_basic."));

    let mut params = meta.dialog_params(SCOPE);
    params[0].1 = "123".into();
    let page = meta
        .http
        .get(meta.dialog_url())
        .query(&params)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 400);
    assert!(page.text().await.unwrap().contains("Invalid App ID"));
}

#[tokio::test]
async fn rerequest_offers_declined_permissions_again() {
    let app = spawn_app().await;
    let meta = Meta::new(&app).await;
    meta.consent(ALEX, &["1111"], &["pages_show_list"], &[])
        .await;
    let mut params = meta.dialog_params(SCOPE);
    params.push(("sandbox_user".into(), ALEX.into()));
    let plain = meta
        .http
        .get(meta.dialog_url())
        .query(&params)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !plain.contains("value=\"pages_manage_posts\""),
        "declined permissions are not offered again"
    );
    params.push(("auth_type".into(), "rerequest".into()));
    let again = meta
        .http
        .get(meta.dialog_url())
        .query(&params)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(again.contains("value=\"pages_manage_posts\""));
}

use crate::helpers::{
    form_error, location, new_client, spawn_app, OWNER_EMAIL, OWNER_PASSWORD, WORKSPACE,
};

#[tokio::test]
async fn signing_in_with_the_right_password_opens_the_accounts_page() {
    let app = spawn_app().await;
    app.setup().await;
    app.logout().await;
    let response = app.login(OWNER_EMAIL, OWNER_PASSWORD).await;
    assert_eq!(location(&response), "/accounts");
    assert!(app.page("/accounts").await.contains(WORKSPACE));
}

#[tokio::test]
async fn email_case_and_spaces_do_not_matter_when_signing_in() {
    let app = spawn_app().await;
    app.setup().await;
    app.logout().await;
    let response = app.login("  OLIVE@Example.com ", OWNER_PASSWORD).await;
    assert_eq!(location(&response), "/accounts");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_message() {
    let app = spawn_app().await;
    app.setup().await;
    app.logout().await;
    let wrong = app.login(OWNER_EMAIL, "wrong password").await;
    assert_eq!(
        form_error(&app, wrong).await,
        "Incorrect email or password."
    );
    let unknown = app.login("nobody@example.com", OWNER_PASSWORD).await;
    assert_eq!(
        form_error(&app, unknown).await,
        "Incorrect email or password."
    );
    assert_eq!(
        location(&app.get("/accounts").await),
        "/login?next=%2Faccounts"
    );
}

#[tokio::test]
async fn empty_invalid_and_oversized_sign_in_fields_get_their_messages() {
    let app = spawn_app().await;
    app.setup().await;
    app.logout().await;
    let long_email = format!("{}@example.com", "e".repeat(250));
    let long_password = "p".repeat(129);
    let cases = [
        ("", OWNER_PASSWORD, "Email is required."),
        (
            "olive",
            OWNER_PASSWORD,
            "Enter a valid email address, like name@example.com.",
        ),
        (
            long_email.as_str(),
            OWNER_PASSWORD,
            "Email must be at most 254 characters.",
        ),
        (OWNER_EMAIL, "", "Password is required."),
        (
            OWNER_EMAIL,
            long_password.as_str(),
            "Password must be at most 128 characters.",
        ),
    ];
    for (email, password, expected) in cases {
        let response = app.login(email, password).await;
        assert_eq!(form_error(&app, response).await, expected, "{email:?}");
    }
}

#[tokio::test]
async fn repeated_failures_are_throttled_until_the_window_ends() {
    let app = spawn_app().await;
    app.setup().await;
    app.logout().await;
    for _ in 0..5 {
        let response = app.login(OWNER_EMAIL, "wrong password").await;
        assert_eq!(
            form_error(&app, response).await,
            "Incorrect email or password."
        );
    }
    // Locked: even the right password is refused, with the time left.
    let locked = app.login(OWNER_EMAIL, OWNER_PASSWORD).await;
    assert_eq!(
        form_error(&app, locked).await,
        "Too many sign-in attempts. Try again in 15 minutes."
    );
    app.clock.advance(chrono::Duration::minutes(10));
    let still = app.login(OWNER_EMAIL, OWNER_PASSWORD).await;
    assert_eq!(
        form_error(&app, still).await,
        "Too many sign-in attempts. Try again in 5 minutes."
    );

    // The lock ends with its window.
    app.clock.advance(chrono::Duration::minutes(6));
    let response = app.login(OWNER_EMAIL, OWNER_PASSWORD).await;
    assert_eq!(location(&response), "/accounts");
}

#[tokio::test]
async fn next_is_honoured_only_for_the_apps_own_pages() {
    let app = spawn_app().await;
    app.setup().await;
    app.logout().await;
    let redirect = app.get("/settings/members").await;
    assert_eq!(location(&redirect), "/login?next=%2Fsettings%2Fmembers");
    let response = app
        .login_then(
            &app.client,
            OWNER_EMAIL,
            OWNER_PASSWORD,
            "/settings/members",
        )
        .await;
    assert_eq!(location(&response), "/settings/members");

    let other = new_client();
    let response = app
        .login_then(
            &other,
            OWNER_EMAIL,
            OWNER_PASSWORD,
            "https://evil.example/phish",
        )
        .await;
    assert_eq!(location(&response), "/accounts");
}

#[tokio::test]
async fn signing_in_issues_a_new_session_id() {
    let app = spawn_app().await;
    app.setup().await;
    app.logout().await;
    // An anonymous session exists before sign-in (the sign-in page's own).
    let before = app.client.get(app.url("/login")).send().await.unwrap();
    let before_cookie = before
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned());
    let response = app.login(OWNER_EMAIL, OWNER_PASSWORD).await;
    // Sign-in also gives a device cookie; this test is about the session's.
    let after_cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("switchboard_session="))
        .unwrap();
    assert_ne!(Some(after_cookie.clone()), before_cookie);
    assert!(after_cookie.contains("HttpOnly"));
    assert!(after_cookie.contains("SameSite=Lax"));
    assert!(!after_cookie.contains("Secure"), "plain http PUBLIC_URL");
}

#[tokio::test]
async fn passwords_never_reach_the_database_or_pages_in_clear() {
    let app = spawn_app().await;
    app.setup().await;
    let hash: String = {
        use sea_orm::EntityTrait;
        let user = switchboard::server::entities::user::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        user.password_hash.clone()
    };
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    assert!(!hash.contains(OWNER_PASSWORD));
    for page in ["/accounts", "/settings/members", "/settings/integrations"] {
        assert!(!app.page(page).await.contains(OWNER_PASSWORD));
    }
}

use crate::helpers::{form_error, location, spawn_app, OWNER_EMAIL, OWNER_PASSWORD, WORKSPACE};

#[tokio::test]
async fn an_empty_database_sends_visitors_to_the_first_run_page() {
    let app = spawn_app().await;
    let root = app.get("/").await;
    assert_eq!(location(&root), "/login");
    let login = app.get("/login").await;
    assert_eq!(location(&login), "/setup");
    let page = app.page("/setup").await;
    for label in [
        "Workspace name",
        "Your name",
        "Email",
        "Password",
        "Create workspace",
    ] {
        assert!(page.contains(label), "first-run page shows {label}");
    }
}

#[tokio::test]
async fn first_run_creates_the_workspace_and_its_owner_and_signs_them_in() {
    let app = spawn_app().await;
    let response = app
        .setup_with(WORKSPACE, "Olive Owner", OWNER_EMAIL, OWNER_PASSWORD)
        .await;
    assert_eq!(response.status(), 302);
    assert_eq!(location(&response), "/accounts");

    let page = app.page("/accounts").await;
    assert!(page.contains(WORKSPACE), "header shows the workspace name");
    assert!(page.contains("Sign out"));
    assert!(page.contains("Welcome to Switchboard"), "welcome panel");
    assert!(page.contains("Your workspace is ready."), "flash message");
    // The flash is shown once.
    assert!(!app
        .page("/accounts")
        .await
        .contains("Your workspace is ready."));

    assert_eq!(app.count("workspaces").await, 1);
    assert_eq!(app.count("users").await, 1);
    assert_eq!(app.count("memberships").await, 1);
    let members = app.page("/settings/members").await;
    assert!(members.contains("Olive Owner") && members.contains("Owner"));
}

#[tokio::test]
async fn setup_answers_404_once_done_and_cannot_be_reused() {
    let app = spawn_app().await;
    app.setup().await;
    assert_eq!(app.get("/setup").await.status(), 404);
    let stranger = crate::helpers::new_client();
    assert_eq!(app.get_with(&stranger, "/setup").await.status(), 404);

    let again = app
        .post_form_with(
            &stranger,
            "/api/setup",
            "/setup",
            &[
                ("workspace_name", "Takeover"),
                ("name", "Mallory"),
                ("email", "mallory@example.com"),
                ("password", "mallory-password"),
            ],
        )
        .await;
    assert_eq!(again.status(), 302);
    assert_eq!(app.count("users").await, 1);
    assert_eq!(app.count("workspaces").await, 1);
}

#[tokio::test]
async fn setup_refuses_each_bad_field_with_its_message_and_writes_nothing() {
    let app = spawn_app().await;
    let long_name = "n".repeat(101);
    let long_email = format!("{}@example.com", "e".repeat(250));
    let long_password = "p".repeat(129);
    let cases: Vec<([&str; 4], &str)> = vec![
        (
            ["", "Olive", OWNER_EMAIL, OWNER_PASSWORD],
            "Workspace name is required.",
        ),
        (
            [WORKSPACE, "  ", OWNER_EMAIL, OWNER_PASSWORD],
            "Your name is required.",
        ),
        (
            [WORKSPACE, &long_name, OWNER_EMAIL, OWNER_PASSWORD],
            "Your name must be at most 100 characters.",
        ),
        (
            [WORKSPACE, "Olive", "", OWNER_PASSWORD],
            "Email is required.",
        ),
        (
            [WORKSPACE, "Olive", "not-an-email", OWNER_PASSWORD],
            "Enter a valid email address, like name@example.com.",
        ),
        (
            [WORKSPACE, "Olive", &long_email, OWNER_PASSWORD],
            "Email must be at most 254 characters.",
        ),
        (
            [WORKSPACE, "Olive", OWNER_EMAIL, "short"],
            "Password must be at least 8 characters.",
        ),
        (
            [WORKSPACE, "Olive", OWNER_EMAIL, &long_password],
            "Password must be at most 128 characters.",
        ),
    ];
    for ([workspace, name, email, password], expected) in cases {
        let response = app.setup_with(workspace, name, email, password).await;
        assert_eq!(form_error(&app, response).await, expected);
    }
    assert_eq!(app.count("users").await, 0);
    assert_eq!(app.count("workspaces").await, 0);
    assert_eq!(app.count("installation").await, 0);
}

#[tokio::test]
async fn a_setup_form_missing_a_field_gets_a_clear_error_not_a_500() {
    let app = spawn_app().await;
    let response = app
        .post_form("/api/setup", "/setup", &[("workspace_name", "Acme")])
        .await;
    assert_eq!(
        form_error(&app, response).await,
        "The form couldn't be read. Reload the page and try again."
    );
    // A non-browser client gets the status, not a 500.
    let response = app
        .client
        .post(app.url("/api/setup"))
        .header("Origin", &app.address)
        .form(&[("workspace_name", "Acme")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn two_simultaneous_first_runs_create_one_workspace() {
    let app = spawn_app().await;
    let other = crate::helpers::new_client();
    let first = app.setup_with(WORKSPACE, "Olive Owner", OWNER_EMAIL, OWNER_PASSWORD);
    let second = app.post_form_with(
        &other,
        "/api/setup",
        "/setup",
        &[
            ("workspace_name", "Second"),
            ("name", "Sam"),
            ("email", "sam@example.com"),
            ("password", "sam-password-1"),
        ],
    );
    let (a, b) = tokio::join!(first, second);
    let successes = [&a, &b]
        .iter()
        .filter(|r| location(r) == "/accounts")
        .count();
    assert_eq!(successes, 1);
    assert_eq!(app.count("workspaces").await, 1);
    assert_eq!(app.count("users").await, 1);
}

use crate::helpers::{form_error, location, new_client, spawn_app, OWNER_EMAIL, OWNER_PASSWORD};

#[tokio::test]
async fn changing_your_password_needs_the_current_one_and_ends_your_other_sessions() {
    let app = spawn_app().await;
    app.setup().await;
    let laptop = app.signed_in(OWNER_EMAIL, OWNER_PASSWORD).await;

    let response = app.change_password("not it", "new-password-1").await;
    assert_eq!(
        form_error(&app, response).await,
        "Your current password is incorrect."
    );
    let response = app.change_password(OWNER_PASSWORD, "short").await;
    assert_eq!(
        form_error(&app, response).await,
        "Password must be at least 8 characters."
    );
    assert_eq!(
        app.get_with(&laptop, "/accounts").await.status(),
        200,
        "failed attempts change nothing"
    );

    let response = app.change_password(OWNER_PASSWORD, "new-password-1").await;
    assert_eq!(location(&response), "/settings/account");
    assert!(app
        .page("/settings/account")
        .await
        .contains("Password changed. Your other sessions have ended."));
    assert_eq!(
        app.get_with(&laptop, "/accounts").await.status(),
        303,
        "the other session ended"
    );
    let old = app
        .login_with(&new_client(), OWNER_EMAIL, OWNER_PASSWORD)
        .await;
    assert_ne!(location(&old), "/accounts");
    app.signed_in(OWNER_EMAIL, "new-password-1").await;
}

#[tokio::test]
async fn your_time_zone_defaults_to_utc_and_can_be_changed() {
    let app = spawn_app().await;
    app.setup().await;
    assert!(app
        .page("/settings/account")
        .await
        .contains(r#"<option value="UTC" selected"#));
    let response = app.set_time_zone("Mars/Olympus").await;
    assert_eq!(
        form_error(&app, response).await,
        "Choose a time zone from the list."
    );
    let response = app.set_time_zone("Europe/Berlin").await;
    assert_eq!(location(&response), "/settings/account");
    let page = app.page("/settings/account").await;
    assert!(page.contains(r#"<option value="Europe/Berlin" selected"#));
    // Activity times now show in that zone.
    assert!(
        app.page("/settings/activity").await.contains(" CET<")
            || app.page("/settings/activity").await.contains(" CEST<")
    );
}

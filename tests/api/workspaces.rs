use crate::helpers::{call_api, form_error, location, spawn_app, WORKSPACE};

#[tokio::test]
async fn a_new_workspace_makes_its_creator_owner_and_opens_it() {
    let app = spawn_app().await;
    app.setup().await;
    assert!(
        !app.page("/accounts").await.contains("workspace-switcher"),
        "no switcher with one workspace"
    );
    let response = app.create_workspace("Side Hustle").await;
    assert_eq!(location(&response), "/accounts");
    let page = app.page("/accounts").await;
    assert!(page.contains("Created the workspace Side Hustle."));
    assert!(
        page.contains("workspace-switcher"),
        "a switcher once there are several"
    );
    assert_eq!(
        app.role_of(crate::helpers::OWNER_EMAIL, "Side Hustle")
            .await
            .as_deref(),
        Some("owner")
    );
    let members = app.page("/settings/members").await;
    assert!(members.contains("Olive Owner"));
}

#[tokio::test]
async fn switching_workspaces_changes_what_every_page_shows() {
    let app = spawn_app().await;
    app.setup().await;
    app.add_member("mia@example.com", "Mia", "member", "mia-password-1")
        .await;
    app.create_workspace("Side Hustle").await;
    assert!(!app
        .page("/settings/members")
        .await
        .contains("mia@example.com"));

    let first = app.workspace_id(WORKSPACE).await;
    let response = app.switch_workspace(&first.to_string()).await;
    assert_eq!(location(&response), "/accounts");
    assert!(app
        .page("/settings/members")
        .await
        .contains("mia@example.com"));
}

#[tokio::test]
async fn switching_to_a_workspace_you_do_not_belong_to_answers_404() {
    let app = spawn_app().await;
    app.setup().await;
    app.add_member("mia@example.com", "Mia", "member", "mia-password-1")
        .await;
    let mia = app.signed_in("mia@example.com", "mia-password-1").await;
    app.create_workspace_with(&mia, "Mia's").await;
    let theirs = app.workspace_id("Mia's").await;
    let (status, body) = call_api(
        &app,
        &app.client,
        "/api/switch_workspace",
        &[("workspace_id", &theirs.to_string())],
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    assert!(app.page("/accounts").await.contains(WORKSPACE));
}

#[tokio::test]
async fn an_owner_renames_the_workspace_and_bad_names_are_refused() {
    let app = spawn_app().await;
    app.setup().await;
    let page = app.page("/settings/workspace").await;
    assert!(page.contains("Rename workspace"));
    let response = app.rename_workspace("  ").await;
    assert_eq!(
        form_error(&app, response).await,
        "Workspace name is required."
    );
    let response = app.rename_workspace("Acme Studio").await;
    assert_eq!(location(&response), "/settings/workspace");
    assert!(app.page("/accounts").await.contains("Acme Studio"));
}

#[tokio::test]
async fn the_workspace_settings_page_tells_other_roles_they_may_not_rename() {
    let app = spawn_app().await;
    app.setup().await;
    app.add_member("ada@example.com", "Ada", "admin", "ada-password-1")
        .await;
    let ada = app.signed_in("ada@example.com", "ada-password-1").await;
    let response = app.get_with(&ada, "/settings/workspace").await;
    assert_eq!(response.status(), 403);
    let body = crate::helpers::html_unescape(&response.text().await.unwrap());
    assert!(body.contains(&crate::helpers::role_message("renaming the workspace")));
    assert!(!body.contains("Rename workspace"));
}

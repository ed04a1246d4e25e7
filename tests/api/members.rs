use crate::helpers::{
    call_api, form_error, location, new_client, spawn_app, OWNER_EMAIL, OWNER_PASSWORD, WORKSPACE,
};

#[tokio::test]
async fn an_owner_adds_a_new_member_who_can_then_sign_in() {
    let app = spawn_app().await;
    app.setup().await;
    let response = app
        .add_member(
            "mia@example.com",
            "Mia Manager",
            "manager",
            "mia-password-1",
        )
        .await;
    assert_eq!(location(&response), "/settings/members");
    let page = app.page("/settings/members").await;
    assert!(page.contains("Added mia@example.com."));
    assert!(page.contains("Mia Manager"));
    assert_eq!(
        app.role_of("mia@example.com", WORKSPACE).await.as_deref(),
        Some("manager")
    );
    app.signed_in("mia@example.com", "mia-password-1").await;
}

#[tokio::test]
async fn adding_an_existing_email_adds_that_person_with_their_password_unchanged() {
    let app = spawn_app().await;
    app.setup().await;
    // Sam has an account of his own, in his own workspace.
    let sam = app.signed_in(OWNER_EMAIL, OWNER_PASSWORD).await;
    app.create_workspace_with(&sam, "Elsewhere").await;
    app.post_form_with(
        &sam,
        "/api/add_member",
        "/settings/members",
        &[
            ("email", "sam@example.com"),
            ("name", "Sam"),
            ("role", "owner"),
            ("password", "sams-own-password"),
        ],
    )
    .await;

    let response = app
        .add_member(
            "SAM@example.com",
            "Someone Else",
            "member",
            "attacker-chosen-pw",
        )
        .await;
    assert_eq!(location(&response), "/settings/members");
    assert!(app
        .page("/settings/members")
        .await
        .contains("their password is unchanged"));
    assert_eq!(
        app.role_of("sam@example.com", WORKSPACE).await.as_deref(),
        Some("member")
    );
    app.signed_in("sam@example.com", "sams-own-password").await;
    let refused = app
        .login_with(&new_client(), "sam@example.com", "attacker-chosen-pw")
        .await;
    assert_ne!(location(&refused), "/accounts");
}

#[tokio::test]
async fn adding_someone_who_is_already_a_member_is_refused() {
    let app = spawn_app().await;
    app.setup().await;
    let response = app
        .add_member(OWNER_EMAIL, "Olive", "member", "whatever-password")
        .await;
    assert_eq!(
        form_error(&app, response).await,
        "That person is already a member of this workspace."
    );
    assert_eq!(app.count("memberships").await, 1);
}

#[tokio::test]
async fn bad_add_member_input_gets_its_message_and_writes_nothing() {
    let app = spawn_app().await;
    app.setup().await;
    for (form, expected) in [
        (
            [
                ("email", "nope"),
                ("name", "N"),
                ("role", "member"),
                ("password", "password-1"),
            ],
            "Enter a valid email address, like name@example.com.",
        ),
        (
            [
                ("email", "n@example.com"),
                ("name", ""),
                ("role", "member"),
                ("password", "password-1"),
            ],
            "Your name is required.",
        ),
        (
            [
                ("email", "n@example.com"),
                ("name", "N"),
                ("role", "superuser"),
                ("password", "password-1"),
            ],
            "Choose a role: Owner, Admin, Manager or Member.",
        ),
        (
            [
                ("email", "n@example.com"),
                ("name", "N"),
                ("role", "member"),
                ("password", ""),
            ],
            "Password is required.",
        ),
        (
            [
                ("email", "n@example.com"),
                ("name", "N"),
                ("role", "member"),
                ("password", "short"),
            ],
            "Password must be at least 8 characters.",
        ),
    ] {
        let response = app
            .post_form("/api/add_member", "/settings/members", &form)
            .await;
        assert_eq!(form_error(&app, response).await, expected);
    }
    assert_eq!(app.count("users").await, 1);
    assert_eq!(app.count("memberships").await, 1);
}

#[tokio::test]
async fn a_forged_role_value_gets_a_clear_error_and_changes_nothing() {
    let app = spawn_app().await;
    app.setup().await;
    app.add_member("mia@example.com", "Mia", "member", "mia-password-1")
        .await;
    let id = app.user_id("mia@example.com").await.to_string();
    let response = app.change_role(&id, "god").await;
    assert_eq!(
        form_error(&app, response).await,
        "Choose a role: Owner, Admin, Manager or Member."
    );
    assert_eq!(
        app.role_of("mia@example.com", WORKSPACE).await.as_deref(),
        Some("member")
    );
}

#[tokio::test]
async fn nobody_changes_their_own_role() {
    let app = spawn_app().await;
    app.setup().await;
    let own = app.user_id(OWNER_EMAIL).await.to_string();
    let response = app.change_role(&own, "member").await;
    assert_eq!(
        form_error(&app, response).await,
        "You can't change your own role."
    );
    assert_eq!(
        app.role_of(OWNER_EMAIL, WORKSPACE).await.as_deref(),
        Some("owner")
    );
}

#[tokio::test]
async fn only_owners_make_or_unmake_owners() {
    let app = spawn_app().await;
    app.setup().await;
    app.add_member("ada@example.com", "Ada Admin", "admin", "ada-password-1")
        .await;
    app.add_member("mia@example.com", "Mia", "member", "mia-password-1")
        .await;
    let ada = app.signed_in("ada@example.com", "ada-password-1").await;
    let mia = app.user_id("mia@example.com").await.to_string();
    let owner = app.user_id(OWNER_EMAIL).await.to_string();

    let (status, body) = call_api(
        &app,
        &ada,
        "/api/change_role",
        &[("user_id", &mia), ("role", "owner")],
    )
    .await;
    assert_eq!(
        (status, body["action"].as_str()),
        (403, Some("managing_owners"))
    );
    let (status, _) = call_api(
        &app,
        &ada,
        "/api/change_role",
        &[("user_id", &owner), ("role", "member")],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = call_api(&app, &ada, "/api/remove_member", &[("user_id", &owner)]).await;
    assert_eq!(status, 403);
    let (status, _) = call_api(
        &app,
        &ada,
        "/api/add_member",
        &[
            ("email", "x@example.com"),
            ("name", "X"),
            ("role", "owner"),
            ("password", "x-password-1"),
        ],
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        app.role_of(OWNER_EMAIL, WORKSPACE).await.as_deref(),
        Some("owner")
    );
    assert_eq!(
        app.role_of("mia@example.com", WORKSPACE).await.as_deref(),
        Some("member")
    );
    assert_eq!(app.count("users").await, 3);

    // An Owner may.
    let response = app.change_role(&mia, "owner").await;
    assert_eq!(location(&response), "/settings/members");
    assert_eq!(
        app.role_of("mia@example.com", WORKSPACE).await.as_deref(),
        Some("owner")
    );
}

#[tokio::test]
async fn the_last_owner_can_be_neither_removed_nor_leave() {
    let app = spawn_app().await;
    app.setup().await;
    let own = app.user_id(OWNER_EMAIL).await.to_string();
    let response = app.remove_member(&own).await;
    assert_eq!(
        form_error(&app, response).await,
        "A workspace always keeps at least one Owner, so the last Owner can't leave, be removed or lose the role."
    );
    assert_eq!(app.count("memberships").await, 1);

    // With a second Owner, the first may leave; their session ends.
    app.add_member("otto@example.com", "Otto", "owner", "otto-password-1")
        .await;
    let response = app.remove_member(&own).await;
    assert_eq!(location(&response), "/settings/members");
    assert_eq!(app.role_of(OWNER_EMAIL, WORKSPACE).await, None);
    assert_eq!(app.get("/accounts").await.status(), 303);
}

/// The other direction: an Admin demoted to Member while signed in is refused the very next
/// member action, and it changes nothing.
#[tokio::test]
async fn an_admin_demoted_to_member_is_refused_the_next_member_action() {
    let app = spawn_app().await;
    app.setup().await;
    app.add_member("ada@example.com", "Ada", "admin", "ada-password-1")
        .await;
    app.add_member("tina@example.com", "Tina", "member", "tina-password-1")
        .await;
    let ada = app.signed_in("ada@example.com", "ada-password-1").await;
    let tina = app.user_id("tina@example.com").await.to_string();
    let ada_id = app.user_id("ada@example.com").await.to_string();
    app.change_role(&ada_id, "member").await;
    let form = [("user_id", tina.as_str()), ("role", "manager")];
    let (status, body) = call_api(&app, &ada, "/api/change_role", &form).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "role_forbidden");
    assert_eq!(body["action"], "managing_members");
    assert_eq!(
        app.role_of("tina@example.com", WORKSPACE).await.as_deref(),
        Some("member")
    );
}

#[tokio::test]
async fn a_role_change_applies_from_the_members_next_request() {
    let app = spawn_app().await;
    app.setup().await;
    app.add_member("mia@example.com", "Mia", "member", "mia-password-1")
        .await;
    let mia = app.signed_in("mia@example.com", "mia-password-1").await;
    assert_eq!(app.get_with(&mia, "/settings/activity").await.status(), 403);
    let id = app.user_id("mia@example.com").await.to_string();
    app.change_role(&id, "admin").await;
    assert_eq!(app.get_with(&mia, "/settings/activity").await.status(), 200);
}

#[tokio::test]
async fn a_reset_sets_the_password_and_ends_the_members_sessions() {
    let app = spawn_app().await;
    app.setup().await;
    app.add_member("mia@example.com", "Mia", "member", "mia-password-1")
        .await;
    let mia = app.signed_in("mia@example.com", "mia-password-1").await;
    let id = app.user_id("mia@example.com").await.to_string();
    let response = app.reset_password(&id, "fresh-password-2").await;
    assert_eq!(location(&response), "/settings/members");
    assert_eq!(
        app.get_with(&mia, "/accounts").await.status(),
        303,
        "session ended"
    );
    app.signed_in("mia@example.com", "fresh-password-2").await;
}

#[tokio::test]
async fn a_reset_is_refused_for_a_member_of_other_workspaces_and_upward() {
    let app = spawn_app().await;
    app.setup().await;
    // Mia also belongs to a workspace of her own.
    app.add_member("mia@example.com", "Mia", "member", "mia-password-1")
        .await;
    let mia = app.signed_in("mia@example.com", "mia-password-1").await;
    app.create_workspace_with(&mia, "Mia's").await;
    let mia_id = app.user_id("mia@example.com").await.to_string();
    let response = app.reset_password(&mia_id, "taken-over-1").await;
    assert_eq!(
        form_error(&app, response).await,
        "This person also belongs to other workspaces; they can change their password themselves."
    );
    app.signed_in("mia@example.com", "mia-password-1").await;

    // An Admin can't reset an Owner's password.
    app.add_member("ada@example.com", "Ada", "admin", "ada-password-1")
        .await;
    let ada = app.signed_in("ada@example.com", "ada-password-1").await;
    let owner = app.user_id(OWNER_EMAIL).await.to_string();
    let response = app.reset_password_with(&ada, &owner, "taken-over-1").await;
    assert_eq!(
        crate::helpers::form_error_with(&app, &ada, response).await,
        "You can't reset the password of someone whose role is above yours."
    );
    app.signed_in(OWNER_EMAIL, OWNER_PASSWORD).await;
}

#[tokio::test]
async fn removing_a_member_ends_their_sessions_at_once() {
    let app = spawn_app().await;
    app.setup().await;
    app.add_member("mia@example.com", "Mia", "manager", "mia-password-1")
        .await;
    let mia = app.signed_in("mia@example.com", "mia-password-1").await;
    assert_eq!(app.get_with(&mia, "/accounts").await.status(), 200);
    let id = app.user_id("mia@example.com").await.to_string();
    let response = app.remove_member(&id).await;
    assert_eq!(location(&response), "/settings/members");
    assert_eq!(app.get_with(&mia, "/accounts").await.status(), 303);
    assert!(!app
        .page("/settings/members")
        .await
        .contains("mia@example.com"));
}

#[tokio::test]
async fn another_workspaces_member_ids_answer_404_and_nothing_changes() {
    let app = spawn_app().await;
    app.setup().await;
    app.add_member("mia@example.com", "Mia", "member", "mia-password-1")
        .await;
    let mia = app.user_id("mia@example.com").await.to_string();
    // Olive opens a second workspace of her own and acts from there.
    app.create_workspace("Second").await;
    for (action, form) in [
        (
            "/api/change_role",
            vec![("user_id", mia.as_str()), ("role", "admin")],
        ),
        (
            "/api/reset_password",
            vec![("user_id", mia.as_str()), ("password", "taken-over-1")],
        ),
        ("/api/remove_member", vec![("user_id", mia.as_str())]),
        ("/api/remove_member", vec![("user_id", "not-a-number")]),
    ] {
        let (status, body) = call_api(&app, &app.client, action, &form).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (404, Some("not_found")),
            "{action}"
        );
    }
    assert_eq!(
        app.role_of("mia@example.com", WORKSPACE).await.as_deref(),
        Some("member")
    );
    app.signed_in("mia@example.com", "mia-password-1").await;
}

use crate::helpers::{spawn_app, OWNER_EMAIL};
use switchboard::server::services::audit::{self, AuditEntry, AuditKind};

#[tokio::test]
async fn the_activity_log_lists_changes_newest_first_with_who_and_what() {
    let app = spawn_app().await;
    app.setup().await;
    app.add_member("mia@example.com", "Mia Member", "member", "mia-password-1")
        .await;
    let id = app.user_id("mia@example.com").await.to_string();
    app.change_role(&id, "manager").await;

    let page = app.page("/settings/activity").await;
    let role_changed = page.find("<td>Role changed</td>").unwrap();
    let member_added = page.find("<td>Member added</td>").unwrap();
    let created = page.find("<td>Workspace created</td>").unwrap();
    assert!(
        role_changed < member_added && member_added < created,
        "newest first"
    );
    assert!(page.contains("Olive Owner"));
    assert!(page.contains("mia@example.com"));
}

#[tokio::test]
async fn the_activity_log_filters_by_person_and_kind() {
    let app = spawn_app().await;
    app.setup().await;
    app.add_member("ada@example.com", "Ada Admin", "admin", "ada-password-1")
        .await;
    let ada = app.signed_in("ada@example.com", "ada-password-1").await;
    app.post_form_with(
        &ada,
        "/api/add_member",
        "/settings/members",
        &[
            ("email", "mia@example.com"),
            ("name", "Mia"),
            ("role", "member"),
            ("password", "mia-password-1"),
        ],
    )
    .await;
    let ada_id = app.user_id("ada@example.com").await;

    let by_ada = app
        .page(&format!(
            "/settings/activity?person={ada_id}&kind=member.added"
        ))
        .await;
    assert!(by_ada.contains("mia@example.com"));
    assert!(
        !by_ada.contains(">ada@example.com<"),
        "Olive's addition of Ada is filtered out"
    );

    let kinds = app.page("/settings/activity?kind=workspace.created").await;
    assert!(kinds.contains("Workspace created") && !kinds.contains("<td>Member added</td>"));

    // Unreadable filters fall back to everything, never a 500.
    let anything = app
        .get("/settings/activity?person=abc&kind=%00&page=-1")
        .await;
    assert_eq!(anything.status(), 200);
}

#[tokio::test]
async fn the_activity_log_pages_fifty_at_a_time() {
    let app = spawn_app().await;
    app.setup().await;
    let owner = app.user_id(OWNER_EMAIL).await;
    for n in 0..60 {
        audit::record(
            &app.db,
            1_700_000_000 + n,
            AuditEntry {
                workspace_id: Some(1),
                actor_user_id: Some(owner),
                kind: AuditKind::RoleChanged,
                subject: format!("person{n}@example.com"),
                detail: serde_json::json!({}),
            },
        )
        .await
        .unwrap();
    }
    let first = app
        .page("/settings/activity?kind=member.role_changed")
        .await;
    assert!(first.contains("person59@example.com") && !first.contains("person9@example.com<"));
    assert!(first.contains("Older"));
    let second = app
        .page("/settings/activity?kind=member.role_changed&page=2")
        .await;
    assert!(
        second.contains("person9@example.com<")
            && second.contains("Newer")
            && !second.contains("Older")
    );
}

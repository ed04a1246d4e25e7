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
                accounts: Vec::new(),
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

mod about_accounts {
    //! The log's account and platform filters, and each account's link to its own history.

    use crate::connect::direct::{ACME_THREADS, THREADS};
    use crate::connections::{account_named, connect_alex, owner_app, press_disconnect};

    /// The "What" cells of a log page, in order.
    fn kinds(page: &str) -> Vec<String> {
        let body = page.split("<tbody>").nth(1).unwrap_or_default();
        body.split("<tr>")
            .skip(1)
            .filter_map(|row| row.split("<td>").nth(3)?.split("</td>").next())
            .map(str::to_owned)
            .collect()
    }

    #[tokio::test]
    async fn an_accounts_history_shows_what_happened_to_it_and_nothing_else() {
        let app = owner_app().await;
        connect_alex(&app, &["1111", "2222"]).await;
        let side = account_named(&app, "Side Project").await.id;
        let acme = account_named(&app, "Acme Bakery").await.id;
        press_disconnect(&app, &app.client, side).await;

        let own = app
            .page(&format!("/settings/activity?account={side}"))
            .await;
        assert!(own.contains("Showing the history of <strong>Side Project</strong>"));
        assert_eq!(kinds(&own), ["Account disconnected", "Accounts connected"]);
        let other = app
            .page(&format!("/settings/activity?account={acme}"))
            .await;
        assert_eq!(
            kinds(&other),
            ["Accounts connected"],
            "not Side Project's disconnect"
        );
        // The filters keep the account when changed.
        assert!(own.contains(&format!("name=\"account\" value=\"{side}\"")));

        let detail = app.page(&format!("/accounts/{side}")).await;
        assert!(detail.contains(&format!("href=\"/settings/activity?account={side}\"")));
    }

    #[tokio::test]
    async fn the_platform_filter_keeps_entries_about_that_platforms_accounts() {
        let app = owner_app().await;
        connect_alex(&app, &["1111"]).await;
        THREADS.connect(&app, ACME_THREADS, &THREADS.scopes).await;
        let threads = app.page("/settings/activity?platform=threads").await;
        assert_eq!(kinds(&threads), ["Accounts connected"]);
        assert!(threads.contains("acme.threads") || threads.contains("Acme Threads"));
        let facebook = app.page("/settings/activity?platform=facebook").await;
        assert_eq!(kinds(&facebook), ["Accounts connected"]);
        assert!(facebook.contains("Alex"), "the Facebook connection");
        let all = app.page("/settings/activity").await;
        assert!(kinds(&all).len() > 2, "sign-in, setup and both connections");
    }

    #[tokio::test]
    async fn another_workspaces_account_shows_no_history_and_members_get_no_link() {
        let app = owner_app().await;
        connect_alex(&app, &["1111"]).await;
        let acme = account_named(&app, "Acme Bakery").await.id;
        app.create_workspace("Second Shop").await;
        // Now in Second Shop: Acme Bakery is the other workspace's.
        let page = app
            .page(&format!("/settings/activity?account={acme}"))
            .await;
        assert!(page.contains("an account not in this workspace"));
        assert!(kinds(&page).is_empty());

        let app = owner_app().await;
        connect_alex(&app, &["1111"]).await;
        let acme = account_named(&app, "Acme Bakery").await.id;
        app.add_member("mia@example.com", "Mia Member", "member", "mia-password-1")
            .await;
        let mia = app.signed_in("mia@example.com", "mia-password-1").await;
        let detail = app
            .get_with(&mia, &format!("/accounts/{acme}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(detail.contains("Acme Bakery"));
        assert!(
            !detail.contains("/settings/activity?account="),
            "Members can't read the log"
        );
    }
}

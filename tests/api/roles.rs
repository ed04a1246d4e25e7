//! The integration matrix: every action that exists, tried by every role → allowed, or refused
//! with the role message and no side effect. Later issues add their actions here.

use crate::helpers::{call_api, spawn_app, TestApp, OWNER_PASSWORD, WORKSPACE};

const ACTOR_PASSWORD: &str = "actor-password-1";
const TARGET: &str = "tina@example.com";

/// A workspace with the standard Owner, an actor with `role` and a target Member.
async fn workspace_with(role: &str) -> (TestApp, reqwest::Client) {
    let app = spawn_app().await;
    app.setup().await;
    let actor_email = format!("{role}@example.com");
    if role != "owner" {
        app.add_member(&actor_email, "Actor", role, ACTOR_PASSWORD)
            .await;
    }
    app.add_member(TARGET, "Tina Target", "member", "target-password-1")
        .await;
    let actor = if role == "owner" {
        app.signed_in(crate::helpers::OWNER_EMAIL, OWNER_PASSWORD)
            .await
    } else {
        app.signed_in(&actor_email, ACTOR_PASSWORD).await
    };
    (app, actor)
}

/// Asserts an API answer: 2xx/3xx when allowed, else 403 `role_forbidden` for `action`.
fn assert_outcome(
    allowed: bool,
    (status, body): (u16, serde_json::Value),
    role: &str,
    what: &str,
    action: &str,
) {
    if allowed {
        assert!(status < 400, "{role} may {what}: got {status} {body}");
    } else {
        assert_eq!(status, 403, "{role} may not {what}: {body}");
        assert_eq!(body["code"], "role_forbidden", "{role} {what}");
        assert_eq!(body["action"], action, "{role} {what}");
    }
}

#[tokio::test]
async fn every_role_is_allowed_or_refused_each_action_exactly_as_the_matrix_says() {
    // (role, may manage members, may rename, may view activity, may connect accounts)
    for (role, manage, rename, activity, connect) in [
        ("owner", true, true, true, true),
        ("admin", true, false, true, true),
        ("manager", false, false, false, true),
        ("member", false, false, false, false),
    ] {
        let (app, actor) = workspace_with(role).await;
        let target = app.user_id(TARGET).await.to_string();
        let members_before = app.count("memberships").await;
        let events_before = app.count("audit_events").await;

        let added = call_api(
            &app,
            &actor,
            "/api/add_member",
            &[
                ("email", "new@example.com"),
                ("name", "New"),
                ("role", "member"),
                ("password", "new-password-1"),
            ],
        )
        .await;
        assert_outcome(manage, added, role, "add members", "managing_members");

        let changed = call_api(
            &app,
            &actor,
            "/api/change_role",
            &[("user_id", &target), ("role", "manager")],
        )
        .await;
        assert_outcome(manage, changed, role, "change roles", "managing_members");

        let reset = call_api(
            &app,
            &actor,
            "/api/reset_password",
            &[("user_id", &target), ("password", "reset-password-1")],
        )
        .await;
        assert_outcome(manage, reset, role, "reset passwords", "managing_members");

        let renamed = call_api(
            &app,
            &actor,
            "/api/rename_workspace",
            &[("name", "Renamed")],
        )
        .await;
        assert_outcome(
            rename,
            renamed,
            role,
            "rename the workspace",
            "renaming_workspace",
        );

        let removed = call_api(&app, &actor, "/api/remove_member", &[("user_id", &target)]).await;
        assert_outcome(manage, removed, role, "remove members", "managing_members");

        let log = app.get_with(&actor, "/settings/activity").await;
        assert_eq!(
            log.status() == 200,
            activity,
            "{role} views the activity log"
        );
        let body = log.text().await.unwrap();
        if !activity {
            assert!(crate::helpers::html_unescape(&body)
                .contains(&crate::helpers::role_message("viewing the activity log")));
        }
        assert_eq!(
            app.get_with(&actor, "/settings/members").await.status(),
            200,
            "{role} views members"
        );
        assert_eq!(
            app.get_with(&actor, "/accounts").await.status(),
            200,
            "{role} views accounts"
        );

        if !manage {
            assert_eq!(
                app.count("memberships").await,
                members_before,
                "{role}: nothing changed"
            );
            assert_eq!(
                app.count("audit_events").await,
                events_before,
                "{role}: nothing recorded"
            );
            assert_eq!(
                app.role_of(TARGET, WORKSPACE).await.as_deref(),
                Some("member")
            );
        }
        let expected_name = if rename { "Renamed" } else { WORKSPACE };
        assert!(
            app.page("/accounts").await.contains(expected_name),
            "{role}: workspace name"
        );

        for endpoint in [
            "/api/connect_meta",
            "/api/connect_instagram",
            "/api/connect_threads",
        ] {
            let states_before = app.count("oauth_states").await;
            let connected = call_api(&app, &actor, endpoint, &[]).await;
            assert_outcome(
                connect,
                connected,
                role,
                "connect Meta accounts",
                "connecting_meta_accounts",
            );
            assert_eq!(
                app.count("oauth_states").await - states_before,
                i64::from(connect),
                "{role} {endpoint}: a state only when allowed"
            );
        }
    }
}

#[tokio::test]
async fn members_see_no_member_controls_and_a_direct_post_changes_nothing() {
    let (app, member) = workspace_with("member").await;
    let page = app
        .get_with(&member, "/settings/members")
        .await
        .text()
        .await
        .unwrap();
    for control in ["Add member", "Reset password", ">Remove<", ">Save<"] {
        assert!(!page.contains(control), "member sees {control}");
    }
    assert!(
        page.contains("Tina Target"),
        "members are listed for everyone"
    );

    let target = app.user_id(TARGET).await.to_string();
    let response = app.change_role_with(&member, &target, "admin").await;
    assert_eq!(
        crate::helpers::form_error_with(&app, &member, response).await,
        crate::helpers::role_message("managing members")
    );
    assert_eq!(
        app.role_of(TARGET, WORKSPACE).await.as_deref(),
        Some("member")
    );
}

/// Reconnect, Disconnect and Delete on a workspace whose Owner connected Alex's two Pages.
#[tokio::test]
async fn every_role_sees_reconnect_and_disconnect_and_may_use_them_as_the_matrix_says() {
    use crate::connect::{outcome, Consent, ALEX};
    use crate::connections::account_named;
    // (role, may reconnect and disconnect, may delete for good)
    for (role, connect, delete) in [
        ("owner", true, true),
        ("admin", true, true),
        ("manager", true, false),
        ("member", false, false),
    ] {
        let (app, actor) = workspace_with(role).await;
        let response = crate::connect::connect(&app, Consent::all(ALEX, &["1111", "2222"])).await;
        outcome(&app, response).await;
        let (acme, side) = (
            account_named(&app, "Acme Bakery").await.id.to_string(),
            account_named(&app, "Side Project").await.id.to_string(),
        );
        let detail = app
            .get_with(&actor, &format!("/accounts/{acme}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            detail.contains(">Reconnect<") && detail.contains(">Disconnect<"),
            "{role} sees Reconnect and Disconnect"
        );

        let states_before = app.count("oauth_states").await;
        let reconnected = call_api(
            &app,
            &actor,
            "/api/reconnect_account",
            &[("account_id", &acme), ("return_to", "/accounts")],
        )
        .await;
        assert_outcome(
            connect,
            reconnected,
            role,
            "reconnect",
            "connecting_meta_accounts",
        );
        assert_eq!(
            app.count("oauth_states").await - states_before,
            i64::from(connect),
            "{role}: a state only when allowed"
        );

        let disconnected = call_api(
            &app,
            &actor,
            "/api/disconnect_account",
            &[("account_id", &side), ("return_to", "/accounts")],
        )
        .await;
        assert_outcome(
            connect,
            disconnected,
            role,
            "disconnect",
            "disconnecting_accounts",
        );
        let status = account_named(&app, "Side Project").await.status;
        assert_eq!(
            status == "disconnected",
            connect,
            "{role}: disconnected only when allowed"
        );
        if !connect {
            let confirm = app
                .get_with(&actor, &format!("/accounts/{side}/disconnect"))
                .await
                .text()
                .await
                .unwrap();
            assert!(
                crate::helpers::html_unescape(&confirm)
                    .contains(&crate::helpers::role_message("disconnecting accounts")),
                "{role}: the confirmation says why not"
            );
            // The Owner disconnects it, so Delete can be tried.
            crate::connections::press_disconnect(&app, &app.client, side.parse().unwrap()).await;
        }
        let integrations = app
            .get_with(&actor, "/settings/integrations")
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(
            integrations.contains(">Delete<"),
            delete,
            "{role}: Delete shown only to roles that may use it"
        );
        let deleted = call_api(
            &app,
            &actor,
            "/api/delete_account",
            &[("account_id", &side)],
        )
        .await;
        assert_outcome(
            delete,
            deleted,
            role,
            "delete for good",
            "deleting_accounts",
        );
        assert_eq!(
            app.count("accounts").await,
            if delete { 2 } else { 3 },
            "{role}: deleted only when allowed"
        );
    }
}

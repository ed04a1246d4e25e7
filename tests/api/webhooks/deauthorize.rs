//! Deauthorize: the person removed the app at Meta, so their accounts need reauthorization.

use super::*;
use crate::helpers::spawn_app;

const NEEDS_REAUTH: &str = "needs_reauth";

fn all_marked(rows: &[(String, Option<String>)], reason: &str) -> bool {
    !rows.is_empty()
        && rows
            .iter()
            .all(|(status, why)| status == NEEDS_REAUTH && why.as_deref() == Some(reason))
}

#[tokio::test]
async fn a_facebook_deauthorize_marks_every_account_of_the_grant_needs_reauthorization_with_app_removed_on_facebook(
) {
    let app = app_with_alex().await;
    let user = grants_of(&app, "facebook", ALEX).await[0]
        .external_user_id
        .clone();
    let (status, body) = deliver(&app, "facebook", "deauthorize", &user, false).await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({ "success": true }));
    let rows = statuses_of(&app, "facebook", ALEX).await;
    assert_eq!(rows.len(), 3);
    assert!(all_marked(&rows, "app_removed_facebook"), "{rows:?}");

    let list = app.page("/accounts?status=needs_reauth").await;
    for name in ["Acme Bakery", "Side Project", "acmebakery"] {
        assert!(
            list.contains(name),
            "{name} is listed as needing reauthorization"
        );
    }
    assert!(list.contains("Needs Reauthorization"));
    assert!(list.contains("App removed on Facebook"));
    let id = account::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let detail = app.page(&format!("/accounts/{id}")).await;
    assert!(detail.contains("App removed on Facebook"));
    assert!(
        !app.page("/accounts").await.contains("Side Project"),
        "no longer in the Active view"
    );
}

#[tokio::test]
async fn the_same_facebook_user_connected_in_two_workspaces_is_marked_in_both_with_one_activity_entry_each(
) {
    let app = app_with_alex().await;
    let second = second_workspace(&app).await;
    connect_alex(&app).await;
    assert_eq!(grants_of(&app, "facebook", ALEX).await.len(), 2);

    let (status, _) = deliver(&app, "facebook", "deauthorize", ALEX, false).await;
    assert_eq!(status, 200);
    let rows = statuses_of(&app, "facebook", ALEX).await;
    assert_eq!(rows.len(), 6, "three accounts in each workspace");
    assert!(all_marked(&rows, "app_removed_facebook"), "{rows:?}");
    assert!(app
        .page("/accounts?status=needs_reauth")
        .await
        .contains("App removed on Facebook"));
    first_workspace(&app).await;
    assert!(app
        .page("/accounts?status=needs_reauth")
        .await
        .contains("App removed on Facebook"));

    let logged = events(&app, "meta.deauthorized").await;
    assert_eq!(logged.len(), 2, "one entry per workspace");
    assert!(logged.iter().any(|e| e.workspace_id == Some(second)));
    assert!(logged.iter().all(|e| e.actor_user_id.is_none()));
    let detail: Value = serde_json::from_str(&logged[0].detail).unwrap();
    assert_eq!(detail, json!({ "provider": "facebook", "accounts": 3 }));
    let activity = app.page("/settings/activity").await;
    assert!(activity.contains("App removed at Meta"));
    assert!(activity.contains("<td>Meta</td>"), "Meta is who did it");
    assert!(activity.contains("accounts: 3 · provider: facebook"));
}

#[tokio::test]
async fn a_repeat_delivery_changes_nothing_and_records_nothing() {
    let app = app_with_alex().await;
    assert_eq!(
        deliver(&app, "facebook", "deauthorize", ALEX, false)
            .await
            .0,
        200
    );
    let before = snapshot(&app).await;
    assert_eq!(
        deliver(&app, "facebook", "deauthorize", ALEX, false)
            .await
            .0,
        200
    );
    assert_eq!(snapshot(&app).await, before);
    assert_eq!(events(&app, "meta.deauthorized").await.len(), 1);
}

#[tokio::test]
async fn an_instagram_login_deauthorize_says_app_removed_on_instagram_and_leaves_facebook_alone() {
    let app = app_with_alex().await;
    connect_acme_direct(&app).await;
    let (status, _) = deliver(&app, "instagram", "deauthorize", ACME_DIRECT, false).await;
    assert_eq!(status, 200);
    let rows = statuses_of(&app, "instagram", ACME_DIRECT).await;
    assert_eq!(rows.len(), 1);
    assert!(all_marked(&rows, "app_removed_instagram"), "{rows:?}");
    assert!(
        statuses_of(&app, "facebook", ALEX)
            .await
            .iter()
            .all(|(status, _)| status == "active"),
        "another app's grant is untouched"
    );
    let list = app.page("/accounts?status=needs_reauth").await;
    assert!(list.contains("acme.direct") && list.contains("App removed on Instagram"));
}

#[tokio::test]
async fn a_threads_deauthorize_says_app_removed_on_threads() {
    let app = spawn_app().await;
    app.setup().await;
    connect_acme_threads(&app).await;
    let (status, _) = deliver(&app, "threads", "deauthorize", ACME_THREADS, false).await;
    assert_eq!(status, 200);
    let rows = statuses_of(&app, "threads", ACME_THREADS).await;
    assert_eq!(rows.len(), 1);
    assert!(all_marked(&rows, "app_removed_threads"), "{rows:?}");
    let list = app.page("/accounts?status=needs_reauth").await;
    assert!(list.contains("acme.threads") && list.contains("App removed on Threads"));
}

#[tokio::test]
async fn a_disconnected_account_stays_disconnected_after_a_deauthorize() {
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    let app = app_with_alex().await;
    let side = account::Entity::find()
        .filter(account::Column::Name.eq("Side Project"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut row = side.clone().into_active_model();
    row.status = Set("disconnected".to_owned());
    row.update(&app.db).await.unwrap();

    assert_eq!(
        deliver(&app, "facebook", "deauthorize", ALEX, false)
            .await
            .0,
        200
    );
    let after = account::Entity::find_by_id(side.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.status, "disconnected");
    assert_eq!(after.status_reason, None);
    let others = statuses_of(&app, "facebook", ALEX).await;
    assert_eq!(
        others.iter().filter(|(s, _)| s == NEEDS_REAUTH).count(),
        2,
        "the other two are marked"
    );
    let detail: Value =
        serde_json::from_str(&events(&app, "meta.deauthorized").await[0].detail).unwrap();
    assert_eq!(detail["accounts"], 2);
}

#[tokio::test]
async fn a_deauthorize_for_an_unknown_user_answers_200_and_changes_nothing() {
    let app = app_with_alex().await;
    let before = snapshot(&app).await;
    let (status, _) = deliver(&app, "facebook", "deauthorize", "999999999", false).await;
    assert_eq!(status, 200);
    // Alex's Instagram-app and Threads-app ids are other users; so is his id to another app.
    let (status, _) = deliver(&app, "threads", "deauthorize", ALEX, false).await;
    assert_eq!(status, 200);
    assert_eq!(snapshot(&app).await, before);
}

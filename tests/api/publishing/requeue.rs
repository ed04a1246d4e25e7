//! The cycle the re-authorization article describes: a publish rejected for the token marks the
//! account Needs Reauthorization and keeps the post Failed; once it is reconnected, Re-queue (or
//! Re-queue all) publishes it once, however often it is pressed.

use super::*;
use crate::connect::{arrive, consent, outcome, Consent, ALEX};
use crate::connections::press_reconnect;
use crate::helpers::form_error;

async fn reconnect_alex(app: &TestApp, id: i64) {
    let dialog = press_reconnect(app, &app.client, id, "/posts").await;
    let callback = consent(app, &dialog, &Consent::all(ALEX, &[ACME_PAGE, SIDE_PAGE])).await;
    outcome(app, arrive(&app.client, &callback).await).await;
}

async fn press_requeue(app: &TestApp, post_id: i64) -> Response {
    app.post_form(
        "/api/requeue_post",
        "/posts",
        &[("post_id", &post_id.to_string())],
    )
    .await
}

#[tokio::test]
async fn a_rejected_token_fails_the_post_then_reconnect_and_requeue_publish_it_exactly_once() {
    let app = app_with_pages().await;
    let acme = id_of(&app, "Acme Bakery").await;
    app.sandbox.invalidate_user(ALEX, 460).await.unwrap();
    let (_, flash) = published(&app, &[acme], "Before the password change", "").await;
    assert_eq!(
        flash,
        "Failed for Acme Bakery: Password changed on Facebook."
    );
    assert_eq!(
        status_of(&app, "Acme Bakery").await,
        (
            "needs_reauth".to_owned(),
            Some("password_changed".to_owned())
        )
    );
    let post = posts_of(&app, "Acme Bakery").await.remove(0);
    assert_eq!(post.status, "failed");
    assert_eq!((post.meta_code, post.meta_subcode), (Some(190), Some(460)));
    let list = app.page("/posts").await;
    assert!(list.contains("Password changed on Facebook (Meta error 190/460)"));
    assert!(
        !list.contains(">Re-queue<"),
        "not while the account needs reauthorization"
    );
    let refused = press_requeue(&app, post.id).await;
    assert_eq!(
        form_error(&app, refused).await,
        "Only a failed post whose account is Active again can be re-queued."
    );

    reconnect_alex(&app, acme).await;
    assert_eq!(status_of(&app, "Acme Bakery").await.0, "active");
    let list = app.page("/posts").await;
    assert!(list.contains(">Re-queue<") && list.contains("Re-queue all"));

    let (first, second) = tokio::join!(press_requeue(&app, post.id), press_requeue(&app, post.id));
    assert!(first.status() == 302 && second.status() == 302);
    assert_eq!(
        answered(&app, "*/1111/feed", 200).await,
        1,
        "published once"
    );
    assert_eq!(on_meta(&app, ACME_PAGE).await, 1);
    let again = press_requeue(&app, post.id).await;
    assert_eq!(
        form_error(&app, again).await,
        "Only a failed post whose account is Active again can be re-queued."
    );
    assert_eq!(posts_of(&app, "Acme Bakery").await[0].status, "published");
}

#[tokio::test]
async fn requeue_all_publishes_every_failed_post_of_the_account_once() {
    use meta_sandbox::failures::Failure;
    let app = app_with_pages().await;
    let (acme, side) = (
        id_of(&app, "Acme Bakery").await,
        id_of(&app, "Side Project").await,
    );
    let refusal = Failure::GraphError {
        code: 506,
        subcode: None,
        minutes: None,
    };
    app.sandbox
        .fail_next("*/1111/feed", 3, &refusal)
        .await
        .unwrap();
    for text in ["one", "two", "three"] {
        published(&app, &[acme, side], text, "").await;
    }
    let failed = posts_of(&app, "Acme Bakery").await;
    assert!(failed
        .iter()
        .all(|p| p.status == "failed" && p.failure.as_deref() == Some("content_rejected")));
    assert_eq!(on_meta(&app, SIDE_PAGE).await, 3);
    let response = app
        .post_form(
            "/api/requeue_account",
            "/posts",
            &[("account_id", &acme.to_string())],
        )
        .await;
    let (_, page) = app.follow(response).await;
    assert_eq!(
        crate::connect::flash(&page).as_deref(),
        Some("Published to Acme Bakery. Published to Acme Bakery. Published to Acme Bakery.")
    );
    assert_eq!(on_meta(&app, ACME_PAGE).await, 3);
    assert_eq!(on_meta(&app, SIDE_PAGE).await, 3, "only that account's");
    let again = app
        .post_form(
            "/api/requeue_account",
            "/posts",
            &[("account_id", &acme.to_string())],
        )
        .await;
    let (_, page) = app.follow(again).await;
    assert_eq!(
        crate::connect::flash(&page).as_deref(),
        Some("No failed posts to re-queue.")
    );
    assert_eq!(on_meta(&app, ACME_PAGE).await, 3);
}

#[tokio::test]
async fn another_workspaces_post_cannot_be_requeued() {
    let app = app_with_pages().await;
    let acme = id_of(&app, "Acme Bakery").await;
    app.sandbox.invalidate_user(ALEX, 460).await.unwrap();
    published(&app, &[acme], "x", "").await;
    let post = posts(&app).await.remove(0);
    let response = app
        .post_form(
            "/api/create_workspace",
            "/workspaces/new",
            &[("name", "Other Co")],
        )
        .await;
    assert_eq!(response.status(), 302);
    let refused = press_requeue(&app, post.id).await;
    assert_eq!(
        form_error(&app, refused).await,
        "We couldn't find that page."
    );
}

#[tokio::test]
async fn the_requeue_all_list_names_each_active_account_with_failed_posts_and_how_many() {
    use meta_sandbox::failures::Failure;
    let app = app_with_pages().await;
    let (acme, side) = (
        id_of(&app, "Acme Bakery").await,
        id_of(&app, "Side Project").await,
    );
    let refusal = Failure::GraphError {
        code: 506,
        subcode: None,
        minutes: None,
    };
    app.sandbox
        .fail_next("*/1111/feed", 3, &refusal)
        .await
        .unwrap();
    app.sandbox
        .fail_next("*/2222/feed", 1, &refusal)
        .await
        .unwrap();
    for text in ["one", "two", "three"] {
        published(&app, &[acme, side], text, "").await;
    }
    let list = app.page("/posts").await;
    let option = |id: i64, label: &str| {
        let at = list
            .find(&format!("value=\"{id}\""))
            .expect("an option for the account");
        let end = list[at..].find("</option>").expect("the option's end") + at;
        assert!(list[at..end].contains(label), "{}", &list[at..end]);
        at
    };
    let (acme_at, side_at) = (
        option(acme, "Acme Bakery: 3 failed posts"),
        option(side, "Side Project: 1 failed post"),
    );
    assert!(acme_at < side_at, "by name");
    assert_eq!(list.matches("<option").count(), 2);
}

//! Everything is checked before anything is sent: each refusal has its message, makes no call
//! to Meta, stores nothing, and brings the form back as it was typed.

use super::*;
use crate::connect::direct::{ACME_THREADS, THREADS};
use crate::helpers::{form_error, role_message};

/// Publishes, expects the form back with its error: (message, the compose page after).
async fn refused(app: &TestApp, accounts: &[i64], message: &str, image: &str) -> (String, String) {
    let response = publish(app, accounts, message, image).await;
    let error = form_error(app, response).await;
    (error, String::new())
}

#[tokio::test]
async fn each_platform_rule_is_checked_first_with_its_message_and_no_call() {
    let app = app_with_pages().await;
    THREADS.connect(&app, ACME_THREADS, &THREADS.scopes).await;
    let (acme, ig) = (
        id_of(&app, "Acme Bakery").await,
        id_of(&app, "acmebakery").await,
    );
    let threads = account_named(&app, "acme.threads").await.id;
    app.sandbox.clear_calls().await.unwrap();

    let cases: Vec<(Vec<i64>, String, &str, &str)> = vec![
        (
            vec![acme, ig],
            "Cake".into(),
            "",
            "Instagram posts need an image. Add an Image URL, or untick the Instagram accounts.",
        ),
        (
            vec![acme, threads],
            "x".repeat(501),
            "",
            "Threads posts can be at most 500 characters. Shorten the message, or untick the Threads profiles.",
        ),
        (
            vec![acme],
            "Cake".into(),
            "javascript:alert(1)",
            "Enter an Image URL that starts with http:// or https://, like https://example.com/photo.jpg.",
        ),
        (vec![acme], "   ".into(), "", "Write a message or add an Image URL."),
    ];
    for (accounts, message, image, expected) in cases {
        let (error, _) = refused(&app, &accounts, &message, image).await;
        assert_eq!(error, expected);
    }
    assert_eq!(publishing_calls(&app).await, 0, "nothing was sent");
    assert!(posts(&app).await.is_empty(), "nothing was stored");
}

#[tokio::test]
async fn a_form_with_nothing_ticked_is_refused_without_javascript_and_keeps_what_was_typed() {
    let app = app_with_pages().await;
    let response = publish(&app, &[], "Keep these words", IMAGE).await;
    assert_eq!(response.status(), 302);
    let (location, page) = app.follow(response).await;
    assert!(location.contains("/compose?"), "{location}");
    assert!(
        page.contains("Tick at least one account to publish to."),
        "{page}"
    );
    assert!(
        page.contains(">Keep these words</textarea>"),
        "the message is kept: {page}"
    );
    assert!(page.contains(IMAGE), "the image URL is kept");
    // Shown once: a reload is a fresh form.
    let again = app.page("/compose").await;
    assert!(!again.contains("Keep these words"));
    assert!(posts(&app).await.is_empty());
}

#[tokio::test]
async fn another_workspaces_account_or_one_not_active_is_refused_and_nothing_is_sent() {
    let app = app_with_pages().await;
    let acme = id_of(&app, "Acme Bakery").await;
    let (error, _) = refused(&app, &[acme, 999_999], "Hi", "").await;
    assert_eq!(error, "We couldn't find that page.");
    app.sandbox
        .invalidate_user(crate::connect::ALEX, 460)
        .await
        .unwrap();
    crate::maintenance::sweep(&app).await;
    let (error, _) = refused(&app, &[acme], "Hi", "").await;
    assert!(error.starts_with("One of the accounts you ticked can't be published to right now"));
    assert_eq!(answered(&app, "*/feed", 200).await, 0);
    assert!(posts(&app).await.is_empty());
}

#[tokio::test]
async fn a_member_may_not_publish_and_compose_says_so() {
    let app = app_with_pages().await;
    app.add_member(
        "mia@example.com",
        "Mia Member",
        "member",
        "member password 1",
    )
    .await;
    let mia = app.signed_in("mia@example.com", "member password 1").await;
    let acme = id_of(&app, "Acme Bakery").await;
    let response = publish_as(&app, &mia, &[acme], "Hi", "", &key()).await;
    let error = crate::helpers::form_error_with(&app, &mia, response).await;
    assert_eq!(error, role_message("publishing"));
    let page = mia.get(app.url("/compose")).send().await.unwrap();
    assert_eq!(page.status(), 403);
    let body = page.text().await.unwrap();
    assert!(
        !body.contains("name=\"accounts[]\""),
        "no form for a Member"
    );
    assert!(posts(&app).await.is_empty());
    assert_eq!(publishing_calls(&app).await, 0);

    // A Manager may.
    app.add_member(
        "max@example.com",
        "Max Manager",
        "manager",
        "manager password 1",
    )
    .await;
    let max = app.signed_in("max@example.com", "manager password 1").await;
    let response = publish_as(&app, &max, &[acme], "Hi", "", &key()).await;
    assert_eq!(redirected_to(&response), "/posts");
    assert_eq!(on_meta(&app, ACME_PAGE).await, 1);
}

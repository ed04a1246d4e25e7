//! Each platform publishes with its own calls and token, and Posts Today and Last Used follow.

use super::*;
use crate::connect::direct::{ACME_THREADS, THREADS};

#[tokio::test]
async fn a_page_post_and_a_photo_post_are_published_with_the_pages_token_and_counted() {
    let app = app_with_pages().await;
    let acme = id_of(&app, "Acme Bakery").await;
    let (location, flash) = published(&app, &[acme], "Fresh bread today", "").await;
    assert_eq!(location, "/posts");
    assert_eq!(flash, "Published to Acme Bakery.");
    let (_, flash) = published(&app, &[acme], "Look at this", IMAGE).await;
    assert_eq!(flash, "Published to Acme Bakery.");
    assert_eq!(answered(&app, "*/1111/feed", 200).await, 1);
    assert_eq!(answered(&app, "*/1111/photos", 200).await, 1);
    assert_eq!(on_meta(&app, ACME_PAGE).await, 2);

    let rows = posts_of(&app, "Acme Bakery").await;
    assert!(rows.iter().all(|p| p.status == "published"));
    assert!(rows.iter().all(|p| p
        .meta_post_id
        .as_deref()
        .is_some_and(|id| id.starts_with("1111_"))));
    let list = app.page("/posts").await;
    assert!(list.contains("Fresh bread today") && list.contains("Published"));
    let accounts = app.page("/accounts").await;
    let row = accounts
        .split("<tr")
        .find(|r| r.contains("Acme Bakery") && r.contains("Facebook Page"))
        .unwrap();
    assert!(row.contains("<td>2</td>"), "Posts Today counts both: {row}");
    assert!(row.contains("just now"), "Last Used moved: {row}");
}

#[tokio::test]
async fn an_instagram_account_linked_to_a_page_publishes_a_container_on_the_graph_host() {
    let app = app_with_pages().await;
    let ig = id_of(&app, "acmebakery").await;
    let (_, flash) = published(&app, &[ig], "Cake!", IMAGE).await;
    assert_eq!(flash, "Published to acmebakery.");
    assert_eq!(
        answered(&app, &format!("/graph/*/{ACMEBAKERY_IG}/media"), 200).await,
        1
    );
    assert_eq!(
        answered(
            &app,
            &format!("/graph/*/{ACMEBAKERY_IG}/media_publish"),
            200
        )
        .await,
        1
    );
    assert_eq!(on_meta(&app, ACMEBAKERY_IG).await, 1);
    let accounts = app.page("/accounts?q=acmebakery").await;
    assert!(accounts.contains("1 / 25"), "used / limit for Instagram");
}

#[tokio::test]
async fn a_direct_instagram_account_and_a_threads_profile_publish_on_their_own_hosts() {
    let app = owner_app().await;
    connect_acme_direct(&app).await;
    THREADS.connect(&app, ACME_THREADS, &THREADS.scopes).await;
    let direct = id_of(&app, "acme.direct").await;
    let threads = account_named(&app, "acme.threads").await.id;

    let (_, flash) = published(&app, &[direct, threads], "Hello both", IMAGE).await;
    assert_eq!(
        flash,
        "Published to acme.direct. Published to acme.threads."
    );
    assert_eq!(
        answered(&app, "/instagram-graph/*/media_publish", 200).await,
        1
    );
    assert_eq!(
        answered(&app, "/threads-graph/*/threads_publish", 200).await,
        1
    );
    assert_eq!(answered(&app, "/graph/*", 200).await, 0, "no Facebook call");
    assert_eq!(on_meta(&app, "17841400000000011").await, 1);
    assert_eq!(on_meta(&app, ACME_THREADS).await, 1);
    let rows = posts(&app).await;
    assert_eq!(rows.len(), 2);
    assert!(rows
        .iter()
        .all(|p| p.status == "published" && p.published_at.is_some()));
}

#[tokio::test]
async fn two_ticked_accounts_without_javascript_each_get_the_post_and_a_second_submit_posts_nothing(
) {
    let app = app_with_pages().await;
    let (acme, side) = (
        id_of(&app, "Acme Bakery").await,
        id_of(&app, "Side Project").await,
    );
    let submission = key();
    let first = publish_as(&app, &app.client, &[acme, side], "Both", "", &submission).await;
    assert_eq!(redirected_to(&first), "/posts");
    let again = publish_as(&app, &app.client, &[acme, side], "Both", "", &submission).await;
    let (_, page) = app.follow(again).await;
    assert_eq!(
        crate::connect::flash(&page).as_deref(),
        Some("Already submitted to Acme Bakery: nothing was posted again. Already submitted to Side Project: nothing was posted again.")
    );
    assert_eq!(posts(&app).await.len(), 2);
    assert_eq!(answered(&app, "*/feed", 200).await, 2, "one post per Page");
    assert_eq!(
        on_meta(&app, ACME_PAGE).await + on_meta(&app, SIDE_PAGE).await,
        2
    );
}

#[tokio::test]
async fn the_same_submission_sent_at_once_in_parallel_posts_once() {
    let app = app_with_pages().await;
    let acme = id_of(&app, "Acme Bakery").await;
    let submission = key();
    let ids = [acme];
    let sends = (0..8).map(|_| publish_as(&app, &app.client, &ids, "Once", "", &submission));
    let responses = futures_util::future::join_all(sends).await;
    assert!(responses.iter().all(|r| r.status() == 302));
    assert_eq!(posts(&app).await.len(), 1);
    assert_eq!(on_meta(&app, ACME_PAGE).await, 1);
}

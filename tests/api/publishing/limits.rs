//! The 24-hour limits: counted from Switchboard's own publishes, refused before Meta is asked
//! anything, Meta's quota taking over once read, and exactly one post through at the edge
//! however many arrive at once.

use super::*;
use crate::connect::direct::{ACME_THREADS, THREADS};
use meta_sandbox::scenario::Scenario;
use sea_orm::{ActiveModelTrait, Set};

/// `n` posts to the account `id` published `ago` seconds ago, as if Switchboard had sent them.
async fn already_published(app: &TestApp, id: i64, n: usize, ago: i64) {
    let row = account::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let now = app.clock.unix();
    for _ in 0..n {
        post::ActiveModel {
            workspace_id: Set(row.workspace_id),
            account_id: Set(id),
            status: Set("published".into()),
            published_at: Set(Some(now - ago)),
            created_at: Set(now - ago),
            message: Set("earlier".into()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn the_26th_instagram_post_in_24_hours_is_refused_with_no_call_and_allowed_once_the_window_moves(
) {
    let app = app_with_pages().await;
    let ig = id_of(&app, "acmebakery").await;
    already_published(&app, ig, 25, 3600).await;
    app.sandbox.clear_calls().await.unwrap();

    let response = publish(&app, &[ig], "One more", IMAGE).await;
    assert_eq!(
        redirected_to(&response),
        "/compose?kept=1",
        "back to the form"
    );
    let (_, page) = app.follow(response).await;
    let flash = crate::connect::flash(&page).unwrap();
    assert!(
        flash.starts_with(
            "acmebakery has reached Instagram's limit of 25 posts in 24 hours. Next slot at "
        ),
        "{flash}"
    );
    assert!(flash.ends_with("(UTC)."), "{flash}");
    assert!(page.contains(">One more</textarea>"), "the draft is kept");
    assert_eq!(
        app.sandbox
            .calls(&CallFilter::default())
            .await
            .unwrap()
            .len(),
        0
    );
    assert_eq!(posts_of(&app, "acmebakery").await.len(), 25);

    // 23 hours on, the first posts leave the window.
    app.clock
        .advance(chrono::Duration::hours(23) + chrono::Duration::minutes(1));
    let (_, flash) = published(&app, &[ig], "One more", IMAGE).await;
    assert_eq!(flash, "Published to acmebakery.");
    assert_eq!(on_meta(&app, ACMEBAKERY_IG).await, 1);
}

#[tokio::test]
async fn metas_quota_replaces_the_default_once_read_and_is_read_at_most_hourly() {
    let app = app_with_pages().await;
    let mut world = Scenario::default_world();
    world.switches.instagram_quota_total = Some(2);
    app.sandbox.load_scenario(&world).await.unwrap();
    let ig = id_of(&app, "acmebakery").await;
    for text in ["one", "two"] {
        let (_, flash) = published(&app, &[ig], text, IMAGE).await;
        assert_eq!(flash, "Published to acmebakery.");
    }
    assert_eq!(
        app.sandbox
            .calls(&CallFilter::path("*/content_publishing_limit"))
            .await
            .unwrap()
            .len(),
        1,
        "read once in the hour"
    );
    let row = account_named(&app, "acmebakery").await;
    assert_eq!(row.publish_quota_total, Some(2));
    let (_, flash) = published(&app, &[ig], "three", IMAGE).await;
    assert!(
        flash.starts_with("acmebakery has reached Instagram's limit of 2 posts in 24 hours."),
        "{flash}"
    );
    assert_eq!(on_meta(&app, ACMEBAKERY_IG).await, 2);
    let accounts = app.page("/accounts?q=acmebakery").await;
    assert!(accounts.contains("2 / 2"), "the list shows Meta's figure");
}

#[tokio::test]
async fn twenty_five_parallel_publishes_at_24_of_25_send_exactly_one() {
    let app = app_with_pages().await;
    let ig = id_of(&app, "acmebakery").await;
    already_published(&app, ig, 24, 600).await;
    let sends = (0..25).map(|i| {
        let client = app.client.clone();
        let app = &app;
        async move { publish_as(app, &client, &[ig], &format!("post {i}"), IMAGE, &key()).await }
    });
    let responses = futures_util::future::join_all(sends).await;
    assert!(responses.iter().all(|r| r.status() == 302), "no errors");
    assert_eq!(
        answered(&app, "*/media_publish", 200).await,
        1,
        "exactly one sent"
    );
    assert_eq!(on_meta(&app, ACMEBAKERY_IG).await, 1);
    let stored = posts_of(&app, "acmebakery").await;
    assert_eq!(stored.len(), 25, "24 earlier and the one that went");
}

#[tokio::test]
async fn threads_has_its_own_limit_and_message_the_configured_one_until_metas_is_read() {
    let app = crate::helpers::spawn_app_with(&[("SWITCHBOARD_THREADS_DAILY_LIMIT", "2")]).await;
    app.setup().await;
    THREADS.connect(&app, ACME_THREADS, &THREADS.scopes).await;
    let threads = account_named(&app, "acme.threads").await.id;
    already_published(&app, threads, 2, 60).await;
    app.sandbox.clear_calls().await.unwrap();
    let response = publish(&app, &[threads], "third", "").await;
    let (_, page) = app.follow(response).await;
    let flash = crate::connect::flash(&page).unwrap();
    assert!(
        flash.starts_with(
            "acme.threads has reached Threads' limit of 2 posts in 24 hours. Next slot at "
        ),
        "{flash}"
    );
    assert_eq!(
        app.sandbox
            .calls(&CallFilter::default())
            .await
            .unwrap()
            .len(),
        0
    );

    // A day on, Meta (which allows three) is asked once and its figure counts from then on.
    let mut world = Scenario::default_world();
    world.switches.threads_quota_total = Some(3);
    app.sandbox.load_scenario(&world).await.unwrap();
    app.clock.advance(chrono::Duration::hours(25));
    for text in ["a", "b", "c"] {
        let (_, flash) = published(&app, &[threads], text, "").await;
        assert_eq!(flash, "Published to acme.threads.");
    }
    let response = publish(&app, &[threads], "d", "").await;
    let (_, page) = app.follow(response).await;
    assert!(crate::connect::flash(&page)
        .unwrap()
        .starts_with("acme.threads has reached Threads' limit of 3 posts in 24 hours."));
    assert_eq!(on_meta(&app, ACME_THREADS).await, 3);
    assert_eq!(
        app.sandbox
            .calls(&CallFilter::path("*/threads_publishing_limit"))
            .await
            .unwrap()
            .len(),
        1
    );
}

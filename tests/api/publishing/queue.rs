//! What Meta makes wait is queued, never held in the request: its usage backoff and a media
//! container still processing; the scheduler finishes them. A publish whose answer never came is
//! failed "Outcome unknown" and never sent again by itself.

use super::*;
use meta_sandbox::failures::Failure;
use meta_sandbox::scenario::Scenario;

#[tokio::test]
async fn usage_at_95_percent_queues_the_next_post_until_the_backoff_ends_then_the_scheduler_publishes_it(
) {
    let app = app_with_pages().await;
    let (acme, side) = (
        id_of(&app, "Acme Bakery").await,
        id_of(&app, "Side Project").await,
    );
    app.sandbox
        .fail_next("*/1111/feed", 1, &Failure::Usage { percent: 95 })
        .await
        .unwrap();
    let (_, flash) = published(&app, &[acme], "first", "").await;
    assert_eq!(
        flash, "Published to Acme Bakery.",
        "the answer at 95 % still counts"
    );

    let (_, flash) = published(&app, &[side], "second", "").await;
    assert!(
        flash.starts_with("Queued for Side Project: Meta rate limit reached — retrying after "),
        "{flash}"
    );
    assert_eq!(
        answered(&app, "*/2222/feed", 200).await,
        0,
        "nothing was sent"
    );
    assert_eq!(
        scheduler(&app).await.published,
        0,
        "not before the backoff ends"
    );
    let list = app.page("/posts").await;
    assert!(list.contains("Queued"));

    // (The app's own scheduler runs too; either may take it, once.)
    app.clock.advance(chrono::Duration::minutes(6));
    scheduler(&app).await;
    assert_eq!(on_meta(&app, SIDE_PAGE).await, 1);
    assert_eq!(scheduler(&app).await.published, 0, "published once");
    let row = &posts_of(&app, "Side Project").await[0];
    assert_eq!(row.status, "published");
}

#[tokio::test]
async fn a_container_still_processing_is_queued_and_published_by_the_scheduler_once_finished() {
    let app = app_with_pages().await;
    let mut world = Scenario::default_world();
    world.switches.container_seconds = 90;
    app.sandbox.load_scenario(&world).await.unwrap();
    let ig = id_of(&app, "acmebakery").await;
    let (_, flash) = published(&app, &[ig], "Slow cake", IMAGE).await;
    assert_eq!(
        flash,
        "Queued for acmebakery: Meta is still processing the image."
    );
    assert_eq!(answered(&app, "*/media_publish", 200).await, 0);
    let row = &posts_of(&app, "acmebakery").await[0];
    assert!(row.container_id.is_some(), "the container is remembered");

    app.clock.advance(chrono::Duration::seconds(61));
    scheduler(&app).await;
    assert_eq!(
        posts_of(&app, "acmebakery").await[0].status,
        "queued",
        "still processing"
    );
    assert_eq!(answered(&app, "*/media_publish", 200).await, 0);
    app.clock.advance(chrono::Duration::seconds(61));
    scheduler(&app).await;
    assert_eq!(posts_of(&app, "acmebakery").await[0].status, "published");
    assert_eq!(answered(&app, "*/media", 200).await, 1, "one container");
    assert_eq!(on_meta(&app, ACMEBAKERY_IG).await, 1);
}

#[tokio::test]
async fn a_publish_whose_answer_never_came_fails_as_outcome_unknown_and_is_never_retried() {
    let app = app_with_pages().await;
    let acme = id_of(&app, "Acme Bakery").await;
    // Meta publishes, but answers only after the app's 2 s timeout.
    app.sandbox
        .fail_next("*/1111/feed", 1, &Failure::Late { seconds: Some(4) })
        .await
        .unwrap();
    let (location, flash) = published(&app, &[acme], "Did it go?", "").await;
    assert_eq!(location, "/posts");
    assert_eq!(
        flash,
        "Failed for Acme Bakery: Outcome unknown — check the account before re-queueing."
    );
    assert_eq!(
        app.sandbox
            .calls(&CallFilter::path("*/1111/feed"))
            .await
            .unwrap()
            .len(),
        1,
        "one publish call"
    );
    assert_eq!(on_meta(&app, ACME_PAGE).await, 1, "Meta did publish it");
    app.clock.advance(chrono::Duration::hours(1));
    assert_eq!(scheduler(&app).await, publisher::Report::default());
    assert_eq!(
        app.sandbox
            .calls(&CallFilter::path("*/1111/feed"))
            .await
            .unwrap()
            .len(),
        1
    );
    let list = app.page("/posts").await;
    assert!(list.contains("Outcome unknown — check the account before re-queueing"));
}

#[tokio::test]
async fn a_post_left_being_sent_by_a_stopped_publisher_becomes_outcome_unknown() {
    use sea_orm::{ActiveModelTrait, Set};
    let app = app_with_pages().await;
    let acme = account_named(&app, "Acme Bakery").await;
    let now = app.clock.unix();
    post::ActiveModel {
        workspace_id: Set(acme.workspace_id),
        account_id: Set(acme.id),
        status: Set("publishing".into()),
        created_at: Set(now),
        message: Set("in flight".into()),
        sent_at: Set(Some(now)),
        lease_until: Set(now + 300),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    assert_eq!(
        scheduler(&app).await.abandoned,
        0,
        "its publisher may still be at it"
    );
    app.clock.advance(chrono::Duration::seconds(301));
    assert_eq!(scheduler(&app).await.abandoned, 1);
    let row = &posts_of(&app, "Acme Bakery").await[0];
    assert_eq!(
        (row.status.as_str(), row.failure.as_deref()),
        ("failed", Some("outcome_unknown"))
    );
    assert_eq!(answered(&app, "*/feed", 200).await, 0, "never sent again");
}

#[tokio::test]
async fn two_schedulers_at_once_publish_each_queued_post_once() {
    let app = app_with_pages().await;
    let (acme, side) = (
        id_of(&app, "Acme Bakery").await,
        id_of(&app, "Side Project").await,
    );
    app.sandbox
        .fail_next("*/1111/feed", 1, &Failure::Usage { percent: 99 })
        .await
        .unwrap();
    published(&app, &[acme], "first", "").await;
    for i in 0..4 {
        published(&app, &[acme, side], &format!("queued {i}"), "").await;
    }
    assert_eq!(
        posts(&app)
            .await
            .iter()
            .filter(|p| p.status == "queued")
            .count(),
        8
    );
    app.clock.advance(chrono::Duration::minutes(6));
    let (a, b) = tokio::join!(scheduler(&app), scheduler(&app));
    assert!(a.published + b.published <= 8);
    assert!(posts(&app).await.iter().all(|p| p.status == "published"));
    assert_eq!(
        on_meta(&app, ACME_PAGE).await + on_meta(&app, SIDE_PAGE).await,
        9,
        "each once"
    );
}

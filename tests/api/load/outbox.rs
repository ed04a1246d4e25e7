//! The outboxes under three instances: revocations and queued posts, each sent exactly once.

use super::{advance_all, three_instances, INSTANCES};
use crate::connections::{owner_app, pending_revocations};
use crate::publishing::{app_with_pages, id_of, posts, published, scheduler, ACME_PAGE, SIDE_PAGE};
use futures_util::future::join_all;
use meta_sandbox::calls::CallFilter;
use meta_sandbox::failures::Failure;
use sea_orm::EntityTrait;
use std::collections::HashMap;
use std::time::Instant;
use switchboard::server::entities::revocation;
use switchboard::server::jobs::revocation_relay;

const REVOCATIONS: usize = 1_000;
const POSTS: usize = 300;

#[tokio::test]
#[ignore = "load: scripts/load runs it"]
async fn three_instances_relay_each_of_a_thousand_revocations_exactly_once() {
    let app = owner_app().await;
    pending_revocations(&app, REVOCATIONS).await;
    let apps = three_instances(app).await;
    advance_all(&apps, chrono::Duration::seconds(1));

    let started = Instant::now();
    let passes = join_all(apps.iter().map(|a| revocation_relay::run_once(&a.state))).await;
    let sent: Vec<usize> = passes.into_iter().map(|p| p.unwrap().sent).collect();
    let elapsed = started.elapsed();

    let rows = revocation::Entity::find().all(&apps[0].db).await.unwrap();
    assert!(
        rows.iter().all(|r| r.status == "done"),
        "every revocation confirmed"
    );
    let calls = apps[0]
        .sandbox
        .calls(&CallFilter::path("*/permissions").method("DELETE"))
        .await
        .unwrap();
    let mut per_user: HashMap<String, usize> = HashMap::new();
    for call in &calls {
        *per_user.entry(call.path.clone()).or_default() += 1;
    }
    assert_eq!(
        per_user.len(),
        REVOCATIONS,
        "every user's revocation was sent"
    );
    assert!(per_user.values().all(|n| *n == 1), "none sent twice");
    println!(
        "load: {INSTANCES} instances relayed {REVOCATIONS} revocations in {:.1} s ({sent:?} each): {} DELETE calls, each user once",
        elapsed.as_secs_f64(),
        calls.len()
    );
}

#[tokio::test]
#[ignore = "load: scripts/load runs it"]
async fn three_instances_publish_each_of_three_hundred_queued_posts_exactly_once() {
    let app = app_with_pages().await;
    let (acme, side) = (
        id_of(&app, "Acme Bakery").await,
        id_of(&app, "Side Project").await,
    );
    // Meta's usage at 99 %: every post is queued behind the backoff instead of sent.
    app.sandbox
        .fail_next("*/feed", POSTS as i32, &Failure::Usage { percent: 99 })
        .await
        .unwrap();
    for n in 0..POSTS / 2 {
        published(&app, &[acme, side], &format!("load post {n}"), "").await;
    }
    let queued = posts(&app)
        .await
        .iter()
        .filter(|p| p.status == "queued")
        .count();
    assert!(queued >= POSTS - 2, "queued behind the backoff: {queued}");
    app.sandbox.clear_failures().await.unwrap();
    let apps = three_instances(app).await;
    advance_all(&apps, chrono::Duration::minutes(61));

    let started = Instant::now();
    let mut rounds = 0;
    while posts(&apps[0]).await.iter().any(|p| p.status == "queued") {
        rounds += 1;
        assert!(rounds <= 20, "the queue drains");
        join_all(apps.iter().map(scheduler)).await;
    }
    let elapsed = started.elapsed();

    let stored = posts(&apps[0]).await;
    assert!(
        stored.iter().all(|p| p.status == "published"),
        "every post published"
    );
    let mut on_meta: HashMap<String, usize> = HashMap::new();
    for page in [ACME_PAGE, SIDE_PAGE] {
        for media in apps[0].sandbox.published(page).await.unwrap() {
            let text = media.text.unwrap_or_default();
            *on_meta.entry(format!("{page}:{text}")).or_default() += 1;
        }
    }
    assert_eq!(on_meta.len(), POSTS, "every post reached Meta");
    assert!(on_meta.values().all(|n| *n == 1), "none twice");
    println!(
        "load: {INSTANCES} instances published {queued} queued posts in {:.1} s ({rounds} rounds): each on Meta once",
        elapsed.as_secs_f64()
    );
}

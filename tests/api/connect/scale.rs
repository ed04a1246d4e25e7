//! A connect at scale, by what it does rather than how long it takes (timings are the
//! benchmark's, README → Performance): a fixed number of Graph calls whatever the Page count
//! — never one per Page — and the accounts written in batches, not a few statements per row.

use super::{connect, flash, outcome, stored, Consent};
use crate::helpers::spawn_app;
use meta_sandbox::calls::CallFilter;
use meta_sandbox::scenario::{InstagramAccount, Scenario};
use std::sync::atomic::Ordering;

const USER: &str = "10000000000000099";

/// The generated user's `count` Pages, every other one with a linked Instagram account.
fn world(count: usize) -> Scenario {
    let mut world = Scenario::with_generated_pages(count);
    for (n, page) in world.pages.iter_mut().enumerate() {
        if n % 2 == 0 {
            page.instagram = Some(InstagramAccount {
                id: format!("178{}", page.id),
                username: format!("generated.{n}"),
                name: format!("Generated {n}"),
            });
        }
    }
    world
}

#[tokio::test]
async fn connecting_three_hundred_pages_takes_one_listing_call_per_hundred_and_writes_in_batches() {
    let app = spawn_app().await;
    app.setup().await;
    app.sandbox.load_scenario(&world(300)).await.unwrap();
    let ids: Vec<String> = (1..=300).map(|n| (500_000 + n).to_string()).collect();
    let pages: Vec<&str> = ids.iter().map(String::as_str).collect();
    let before = app.statements.load(Ordering::Relaxed);
    let response = connect(&app, Consent::all(USER, &pages)).await;
    let statements = app.statements.load(Ordering::Relaxed) - before;
    let (_, page) = outcome(&app, response).await;
    assert_eq!(flash(&page).as_deref(), Some("Connected 450 accounts"));
    assert_eq!(stored(&app).await, (1, 450));

    let graph: Vec<String> = app
        .sandbox
        .calls(&CallFilter::path("/graph/*"))
        .await
        .unwrap()
        .into_iter()
        .map(|call| call.path)
        .collect();
    let listing = graph.iter().filter(|p| p.ends_with("/me/accounts")).count();
    assert_eq!(listing, 3, "one call per 100 Pages: {graph:#?}");
    // Two exchanges, me, me/permissions, debug_token, three result pages, me/businesses.
    assert_eq!(graph.len(), 9, "{graph:#?}");
    // Row by row it took several statements per account (over 1,300 here); in batches it is a
    // few per batch, plus the request's own (session, state, audit, the backoff checks).
    assert!(statements < 150, "{statements} statements for 450 accounts");
}

#[tokio::test]
async fn connecting_the_same_pages_again_renews_every_row_in_batches_without_duplicates() {
    let app = spawn_app().await;
    app.setup().await;
    app.sandbox.load_scenario(&world(250)).await.unwrap();
    let ids: Vec<String> = (1..=250).map(|n| (500_000 + n).to_string()).collect();
    let pages: Vec<&str> = ids.iter().map(String::as_str).collect();
    let response = connect(&app, Consent::all(USER, &pages)).await;
    outcome(&app, response).await;
    let first = app.count("accounts").await;
    let before = app.statements.load(Ordering::Relaxed);
    let response = connect(&app, Consent::all(USER, &pages[..200])).await;
    let statements = app.statements.load(Ordering::Relaxed) - before;
    let (_, page) = outcome(&app, response).await;
    assert_eq!(app.count("accounts").await, first, "no duplicates");
    assert_eq!(
        flash(&page).as_deref(),
        Some("Connected 300 accounts · 75 not included")
    );
    assert!(
        statements < 150,
        "{statements} statements to renew 300 accounts"
    );
}

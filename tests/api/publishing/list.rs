//! The posts list: newest first, fifty to a page, each with its status and time.

use super::*;
use sea_orm::{ActiveModelTrait, Set};

#[tokio::test]
async fn the_posts_list_shows_fifty_at_a_time_newest_first() {
    let app = app_with_pages().await;
    let acme = account_named(&app, "Acme Bakery").await;
    let now = app.clock.unix();
    for i in 0..120 {
        post::ActiveModel {
            workspace_id: Set(acme.workspace_id),
            account_id: Set(acme.id),
            status: Set("published".into()),
            published_at: Set(Some(now - 10_000 + i)),
            created_at: Set(now - 10_000 + i),
            message: Set(format!("post number {i:03}")),
            meta_post_id: Set(Some(format!("1111_{i}"))),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    let first = app.page("/posts").await;
    assert_eq!(first.matches("data-post=").count(), 50);
    assert!(first.contains("post number 119") && !first.contains("post number 069"));
    assert!(first.contains("Page 1 of 3"));
    let third = app.page("/posts?page=3").await;
    assert_eq!(third.matches("data-post=").count(), 20);
    assert!(third.contains("post number 000"));
    for odd in ["?page=0", "?page=-1", "?page=lots", "?page=99999999999"] {
        let response = app.get(&format!("/posts{odd}")).await;
        assert_eq!(response.status(), 200, "{odd}");
    }
}

#[tokio::test]
async fn markup_in_a_message_is_shown_as_text() {
    let app = app_with_pages().await;
    let acme = id_of(&app, "Acme Bakery").await;
    published(&app, &[acme], "<script>alert(1)</script>", "").await;
    let list = app.page("/posts").await;
    assert!(!list.contains("<script>alert(1)</script>"));
    assert!(list.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

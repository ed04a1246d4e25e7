//! The backoff is kept in the database: a second instance on the same database waits for a
//! backoff the first one recorded without calling Meta, and records made at once, in any
//! order, only ever extend it.

use super::backoff::{all_calls, connect_at_95_percent, until, RATE_LIMITED};
use super::press_connect;
use crate::helpers::{
    form_error_with, fresh_database_url, spawn_app_on, OWNER_EMAIL, OWNER_PASSWORD,
};
use secrecy::SecretString;
use std::sync::Arc;
use switchboard::server::meta::backoff::Reason;
use switchboard::server::meta::MetaError;
use switchboard::server::services::meta_backoff;

#[tokio::test]
async fn a_backoff_one_instance_records_holds_another_instance_on_the_same_database() {
    let dir = Arc::new(tempfile::tempdir().unwrap());
    let url = fresh_database_url(&dir).await;
    let first = spawn_app_on(&url, dir.clone()).await;
    first.setup().await;
    connect_at_95_percent(&first).await;
    let recorded = until(&first, "app:facebook").await.unwrap();

    let second = spawn_app_on(&url, dir.clone()).await;
    let browser = second.signed_in(OWNER_EMAIL, OWNER_PASSWORD).await;
    let calls = all_calls(&second).await;
    let refused = press_connect(&second, &browser).await;
    assert_eq!(
        form_error_with(&second, &browser, refused).await,
        RATE_LIMITED
    );
    let facebook = second.state.facebook.as_ref().unwrap();
    let answer = facebook.me(&SecretString::from("any token")).await;
    assert_eq!(
        answer.err(),
        Some(MetaError::RateLimited {
            until: Some(recorded)
        }),
        "the client refuses before sending, with when access returns"
    );
    assert_eq!(all_calls(&second).await, calls, "no call to Meta");
    assert_eq!(until(&second, "app:facebook").await, Some(recorded));
}

#[tokio::test]
async fn records_made_at_once_only_ever_extend_a_backoff() {
    let app = crate::helpers::spawn_app().await;
    let now = app.state.clock.unix();
    let mut ends: Vec<i64> = (1..=24).map(|i| now + 60 * ((i * 7) % 24 + 1)).collect();
    ends.rotate_left(5);
    let longest = *ends.iter().max().unwrap();
    let writers: Vec<_> = ends
        .into_iter()
        .map(|end| {
            let db = app.db.clone();
            tokio::spawn(async move {
                for scope in ["app:threads", "object:1111"] {
                    meta_backoff::record(&db, scope, end, Reason::Usage, now)
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    assert_eq!(until(&app, "app:threads").await, Some(longest));
    assert_eq!(until(&app, "object:1111").await, Some(longest));

    meta_backoff::record(&app.db, "app:threads", now + 30, Reason::RateLimitCode, now)
        .await
        .unwrap();
    assert_eq!(
        until(&app, "app:threads").await,
        Some(longest),
        "a shorter one changes nothing"
    );
    assert_eq!(
        meta_backoff::in_force(&app.db, now)
            .await
            .unwrap()
            .map(|(_, u)| u),
        Some(longest)
    );
    assert_eq!(until(&app, "app:facebook").await, None);
}

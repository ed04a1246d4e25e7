//! Instagram Login and Threads tokens: renewed inside the window once a day old, checked daily
//! otherwise; several sweepers; a disconnect racing a refresh.

use super::{a_day_later, calls_to, status_of, sweep};
use crate::connect::direct::{ACME_DIRECT, ACME_THREADS, INSTAGRAM, THREADS};
use crate::connections::{account_named, press_disconnect};
use crate::helpers::{spawn_app_with, TestApp};
use meta_sandbox::failures::Failure;
use sea_orm::{ActiveModelTrait, Set};
use switchboard::server::jobs::maintenance::run_once;
use switchboard::server::meta::backoff::Reason;
use switchboard::server::services::meta_backoff;

async fn app_with_window(window: &str) -> TestApp {
    let app = spawn_app_with(&[("SWITCHBOARD_REFRESH_WINDOW", window)]).await;
    app.setup().await;
    app
}

#[tokio::test]
async fn instagram_and_threads_tokens_are_renewed_in_the_window_but_never_before_a_day_old() {
    // A 60-day window: every token is inside it from the start.
    let app = app_with_window("60d").await;
    INSTAGRAM
        .connect(&app, ACME_DIRECT, &INSTAGRAM.scopes)
        .await;
    THREADS.connect(&app, ACME_THREADS, &THREADS.scopes).await;
    let report = sweep(&app).await;
    assert_eq!(
        (report.refreshed, report.probed),
        (0, 2),
        "too young: checked only"
    );
    assert_eq!(calls_to(&app, "*refresh_access_token*").await, 0);

    let before = account_named(&app, "acme.direct").await;
    a_day_later(&app).await;
    let report = sweep(&app).await;
    assert_eq!(report.refreshed, 2, "{report:?}");
    assert_eq!(calls_to(&app, "*refresh_access_token*").await, 2);
    let after = account_named(&app, "acme.direct").await;
    assert_ne!(after.token_ciphertext, before.token_ciphertext);
    let now = app.state.clock.unix();
    let expiry = after.token_expires_at.unwrap();
    assert!((expiry - now - 60 * 86_400).abs() < 300, "60 days from now");
    assert_eq!(status_of(&app, "acme.threads").await.0, "active");
}

#[tokio::test]
async fn an_expired_direct_token_needs_reauthorization_without_a_call() {
    let app = app_with_window("7d").await;
    INSTAGRAM
        .connect(&app, ACME_DIRECT, &INSTAGRAM.scopes)
        .await;
    let row = account_named(&app, "acme.direct").await;
    let mut expired: switchboard::server::entities::account::ActiveModel = row.into();
    expired.token_expires_at = Set(Some(app.state.clock.unix() - 1));
    expired.update(&app.db).await.unwrap();
    assert_eq!(sweep(&app).await.needs_reauth, 1);
    assert_eq!(calls_to(&app, "*refresh_access_token*").await, 0);
    assert_eq!(
        status_of(&app, "acme.direct").await.1.as_deref(),
        Some("token_expired")
    );
}

#[tokio::test]
async fn a_revoked_instagram_token_outside_the_window_is_found_by_the_daily_check() {
    let app = app_with_window("7d").await;
    INSTAGRAM
        .connect(&app, ACME_DIRECT, &INSTAGRAM.scopes)
        .await;
    app.sandbox.invalidate_user(ACME_DIRECT, 458).await.unwrap();
    let report = sweep(&app).await;
    assert_eq!((report.probed, report.needs_reauth), (1, 1));
    assert_eq!(
        status_of(&app, "acme.direct").await.1.as_deref(),
        Some("app_removed_instagram")
    );
}

#[tokio::test]
async fn sweepers_running_at_once_refresh_each_token_exactly_once() {
    let app = app_with_window("60d").await;
    for n in 0..8 {
        if n > 0 {
            app.create_workspace(&format!("Shop {n}")).await;
        }
        INSTAGRAM
            .connect(&app, ACME_DIRECT, &INSTAGRAM.scopes)
            .await;
    }
    a_day_later(&app).await;
    let (a, b, c) = tokio::join!(
        run_once(&app.state),
        run_once(&app.state),
        run_once(&app.state)
    );
    let refreshed: u64 = [a, b, c].into_iter().map(|r| r.unwrap().refreshed).sum();
    assert_eq!(refreshed, 8);
    assert_eq!(
        calls_to(&app, "*refresh_access_token*").await,
        8,
        "once each"
    );
}

#[tokio::test]
async fn a_killed_sweepers_lease_is_taken_over_once_it_expires() {
    let app = app_with_window("7d").await;
    INSTAGRAM
        .connect(&app, ACME_DIRECT, &INSTAGRAM.scopes)
        .await;
    let row = account_named(&app, "acme.direct").await;
    let mut held: switchboard::server::entities::account::ActiveModel = row.into();
    held.lease_until = Set(app.state.clock.unix() + 300);
    held.update(&app.db).await.unwrap();
    assert_eq!(sweep(&app).await.probed, 0, "held by another sweeper");
    app.clock.advance(chrono::Duration::minutes(6));
    assert_eq!(sweep(&app).await.probed, 1, "taken over after the lease");
}

#[tokio::test]
async fn a_disconnect_racing_a_refresh_wins() {
    let app = app_with_window("60d").await;
    INSTAGRAM
        .connect(&app, ACME_DIRECT, &INSTAGRAM.scopes)
        .await;
    a_day_later(&app).await;
    // The first refresh is held a second (then fails); the retry succeeds after the disconnect.
    app.sandbox
        .fail_next(
            "*refresh_access_token*",
            1,
            &Failure::Timeout { seconds: Some(1) },
        )
        .await
        .unwrap();
    let id = account_named(&app, "acme.direct").await.id;
    let (report, _) = tokio::join!(run_once(&app.state), async {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        press_disconnect(&app, &app.client, id).await
    });
    assert_eq!(
        report.unwrap().refreshed,
        0,
        "the renewed token was not written"
    );
    assert_eq!(
        calls_to(&app, "*refresh_access_token*").await,
        2,
        "held, then retried and renewed at Meta"
    );
    let row = account_named(&app, "acme.direct").await;
    assert_eq!(
        (row.status.as_str(), row.token_ciphertext),
        ("disconnected", None)
    );
}

#[tokio::test]
async fn a_190_on_an_instagram_renewal_needs_reauthorization_once_and_is_never_retried() {
    let app = app_with_window("60d").await;
    INSTAGRAM
        .connect(&app, ACME_DIRECT, &INSTAGRAM.scopes)
        .await;
    a_day_later(&app).await;
    let invalid = Failure::GraphError {
        code: 190,
        subcode: Some(460),
        minutes: None,
    };
    app.sandbox
        .fail_next("*refresh_access_token*", 1, &invalid)
        .await
        .unwrap();
    let report = sweep(&app).await;
    assert_eq!(
        (report.needs_reauth, report.refreshed),
        (1, 0),
        "{report:?}"
    );
    assert_eq!(status_of(&app, "acme.direct").await.0, "needs_reauth");
    let calls = calls_to(&app, "*refresh_access_token*").await;

    a_day_later(&app).await;
    let again = sweep(&app).await;
    assert_eq!(again.needs_reauth, 0, "marked once: {again:?}");
    assert_eq!(
        calls_to(&app, "*refresh_access_token*").await,
        calls,
        "a terminal answer is not retried"
    );
    assert_eq!(super::announcements(&app).await, 1, "one activity entry");
}

#[tokio::test]
async fn under_an_instagram_backoff_the_direct_sweep_sends_no_instagram_call_and_resumes_after_it()
{
    let app = app_with_window("60d").await;
    INSTAGRAM
        .connect(&app, ACME_DIRECT, &INSTAGRAM.scopes)
        .await;
    a_day_later(&app).await;
    let before = account_named(&app, "acme.direct").await;
    let now = app.state.clock.unix();
    meta_backoff::record(&app.db, "app:instagram", now + 300, Reason::Usage, now)
        .await
        .unwrap();
    // The batch is refused with one read of the backoff: the token stays due, unrenewed.
    let held = sweep(&app).await;
    assert_eq!((held.refreshed, held.deferred), (0, 1), "{held:?}");
    assert_eq!(calls_to(&app, "*refresh_access_token*").await, 0);
    let after = account_named(&app, "acme.direct").await;
    assert_eq!(after.token_ciphertext, before.token_ciphertext);
    assert_eq!(status_of(&app, "acme.direct").await.0, "active");
    // Six minutes on, the backoff has ended and the next sweep renews it.
    app.clock.advance(chrono::Duration::minutes(6));
    let resumed = sweep(&app).await;
    assert_eq!((resumed.refreshed, resumed.deferred), (1, 0), "{resumed:?}");
    assert_eq!(calls_to(&app, "*refresh_access_token*").await, 1);
}

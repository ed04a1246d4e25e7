//! The revocation relay: Meta down at the disconnect, retries with backoff, a restart in
//! between, a reconnect that must cancel it, and several relays at once.

use super::{
    account_named, confirmed_deletes, connect_alex, delete_calls, owner_app, pending_revocations,
    press_disconnect, press_reconnect, revocation_of, wait_for_revocation,
};
use crate::connect::{arrive, consent, flash, outcome, Consent, ALEX};
use crate::helpers::{spawn_app_on, TestApp};
use meta_sandbox::failures::Failure;
use switchboard::server::jobs::revocation_relay::{run_once, FIRST_BACKOFF_SECONDS};

async fn disconnected_while_meta_is_down() -> TestApp {
    let app = owner_app().await;
    connect_alex(&app, &["2222"]).await;
    app.sandbox
        .fail_next("*/permissions", 1, &Failure::Http500)
        .await
        .unwrap();
    let side = account_named(&app, "Side Project").await;
    press_disconnect(&app, &app.client, side.id).await;
    let row = account_named(&app, "Side Project").await;
    assert_eq!(
        (row.status.as_str(), row.token_ciphertext),
        ("disconnected", None),
        "the tokens are gone at once, whatever Meta does"
    );
    let failed = wait_for_revocation(&app, ALEX, |r| r.attempts == 1).await;
    assert_eq!(failed.status, "pending", "retried later");
    assert_eq!(failed.last_error.as_deref(), Some("unavailable"));
    assert!(failed.next_attempt_at >= app.state.clock.unix() + FIRST_BACKOFF_SECONDS - 2);
    app
}

#[tokio::test]
async fn a_revocation_meta_fails_is_retried_after_a_restart_and_then_confirmed() {
    let app = disconnected_while_meta_is_down().await;
    let not_yet = run_once(&app.state).await.unwrap();
    assert_eq!(not_yet.sent, 0, "not before its backoff has passed");

    let (url, dir) = app.stop().await;
    let app = spawn_app_on(&url, dir).await;
    app.clock.advance(chrono::Duration::hours(1));
    run_once(&app.state).await.unwrap();
    let row = revocation_of(&app, ALEX).await.unwrap();
    assert_eq!((row.status.as_str(), row.attempts), ("done", 2));
    assert_eq!(confirmed_deletes(&app, ALEX).await, 1);
    assert_eq!(delete_calls(&app).await, 2, "one failed, one confirmed");
}

#[tokio::test]
async fn a_reconnect_before_the_relay_succeeds_is_never_revoked() {
    let app = disconnected_while_meta_is_down().await;
    let side = account_named(&app, "Side Project").await;
    let dialog = press_reconnect(&app, &app.client, side.id, "/settings/integrations").await;
    let callback = consent(&app, &dialog, &Consent::all(ALEX, &["2222"])).await;
    let (_, page) = outcome(&app, arrive(&app.client, &callback).await).await;
    assert_eq!(flash(&page).as_deref(), Some("Reconnected 1 account"));
    assert_eq!(revocation_of(&app, ALEX).await.unwrap().status, "cancelled");

    app.clock.advance(chrono::Duration::hours(1));
    assert_eq!(run_once(&app.state).await.unwrap().sent, 0);
    assert_eq!(
        confirmed_deletes(&app, ALEX).await,
        0,
        "the new grant stands"
    );
    assert_eq!(account_named(&app, "Side Project").await.status, "active");
}

#[tokio::test]
async fn relays_running_at_once_send_one_delete() {
    let app = disconnected_while_meta_is_down().await;
    app.clock.advance(chrono::Duration::hours(1));
    let passes = tokio::join!(
        run_once(&app.state),
        run_once(&app.state),
        run_once(&app.state),
        run_once(&app.state),
    );
    let sent: usize = [passes.0, passes.1, passes.2, passes.3]
        .into_iter()
        .map(|pass| pass.unwrap().sent)
        .sum();
    assert!(
        sent <= 1,
        "one relay claims it (the background one may have)"
    );
    wait_for_revocation(&app, ALEX, |r| r.status == "done").await;
    assert_eq!(confirmed_deletes(&app, ALEX).await, 1);
}

#[tokio::test]
async fn an_app_already_removed_at_meta_counts_as_revoked() {
    let app = owner_app().await;
    connect_alex(&app, &["2222"]).await;
    app.sandbox
        .fail_next(
            "*/permissions",
            1,
            &Failure::GraphError {
                code: 190,
                subcode: Some(458),
                minutes: None,
            },
        )
        .await
        .unwrap();
    let side = account_named(&app, "Side Project").await;
    press_disconnect(&app, &app.client, side.id).await;
    let row = wait_for_revocation(&app, ALEX, |r| r.status != "pending" && r.attempts > 0).await;
    assert_eq!((row.status.as_str(), row.attempts), ("done", 1));
}

#[tokio::test]
async fn a_backlog_longer_than_one_batch_is_all_sent_in_one_pass() {
    let app = owner_app().await;
    let users = pending_revocations(&app, 120).await;
    app.clock.advance(chrono::Duration::seconds(1));
    let pass = run_once(&app.state).await.unwrap();
    assert_eq!((pass.sent, pass.done), (120, 120), "{pass:?}");
    for user in [&users[0], &users[119]] {
        assert_eq!(revocation_of(&app, user).await.unwrap().status, "done");
    }
    assert_eq!(delete_calls(&app).await, 120, "each once");
}

#[tokio::test]
async fn a_revocation_meta_refuses_for_good_is_failed_and_never_sent_again() {
    let app = owner_app().await;
    connect_alex(&app, &["2222"]).await;
    let blocked = Failure::GraphError {
        code: 368,
        subcode: None,
        minutes: None,
    };
    app.sandbox
        .fail_next("*/permissions", 1, &blocked)
        .await
        .unwrap();
    let side = account_named(&app, "Side Project").await;
    press_disconnect(&app, &app.client, side.id).await;
    let row = wait_for_revocation(&app, ALEX, |r| r.status == "failed").await;
    assert_eq!(row.last_error.as_deref(), Some("policy_blocked"));

    app.clock.advance(chrono::Duration::days(2));
    assert_eq!(run_once(&app.state).await.unwrap().sent, 0);
    assert_eq!(delete_calls(&app).await, 1, "sent once, never again");
}

/// Meta rate-limits the first try (for 10 minutes), leaves the second unanswered, and answers
/// the third with something unreadable: each time the revocation stays pending with its reason,
/// it is never sent inside Meta's backoff, and the fourth try confirms it.
#[tokio::test]
async fn a_rate_limit_a_timeout_and_an_unreadable_answer_each_leave_it_pending_until_meta_confirms()
{
    let app = owner_app().await;
    connect_alex(&app, &["2222"]).await;
    let limited = Failure::GraphError {
        code: 4,
        subcode: None,
        minutes: Some(10),
    };
    app.sandbox
        .fail_next("*/permissions", 1, &limited)
        .await
        .unwrap();
    let side = account_named(&app, "Side Project").await;
    press_disconnect(&app, &app.client, side.id).await;
    let row = wait_for_revocation(&app, ALEX, |r| r.attempts == 1).await;
    assert_eq!(
        (row.status.as_str(), row.last_error.as_deref()),
        ("pending", Some("rate_limited"))
    );
    assert!(
        row.next_attempt_at >= app.state.clock.unix() + 10 * 60 - 2,
        "not before Meta's own estimate"
    );
    app.clock.advance(chrono::Duration::minutes(5));
    assert_eq!(
        run_once(&app.state).await.unwrap().sent,
        0,
        "inside the backoff"
    );
    assert_eq!(delete_calls(&app).await, 1);

    let later = [
        (
            Failure::Timeout { seconds: Some(1) },
            ["unanswered", "unavailable"],
        ),
        (Failure::MalformedJson, ["malformed", "malformed"]),
    ];
    for (attempt, (failure, reasons)) in later.into_iter().enumerate() {
        app.clock.advance(chrono::Duration::hours(2));
        app.sandbox
            .fail_next("*/permissions", 1, &failure)
            .await
            .unwrap();
        // The relay also runs on its own timer; the row, not this pass's count, is the truth.
        run_once(&app.state).await.unwrap();
        let row = revocation_of(&app, ALEX).await.unwrap();
        assert_eq!(row.attempts as usize, attempt + 2, "{failure:?}");
        assert_eq!(row.status, "pending", "{failure:?}");
        let reason = row.last_error.unwrap_or_default();
        assert!(reasons.contains(&reason.as_str()), "{failure:?}: {reason}");
    }

    app.clock.advance(chrono::Duration::hours(2));
    run_once(&app.state).await.unwrap();
    let row = revocation_of(&app, ALEX).await.unwrap();
    assert_eq!((row.status.as_str(), row.attempts), ("done", 4));
    assert_eq!(
        delete_calls(&app).await,
        4,
        "one call per try, none inside a backoff"
    );
}

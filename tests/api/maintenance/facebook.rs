//! Facebook grants and Page tokens, checked with `debug_token`.

use super::{announcements, calls_to, status_of, sweep};
use crate::connect::ALEX;
use crate::connections::{connect_alex, owner_app};
use meta_sandbox::failures::Failure;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use switchboard::server::entities::grant;

#[tokio::test]
async fn a_user_meta_invalidated_makes_every_account_of_the_grant_need_reauthorization_once() {
    let app = owner_app().await;
    connect_alex(&app, &["1111", "2222"]).await;
    app.sandbox.invalidate_user(ALEX, 460).await.unwrap();
    let report = sweep(&app).await;
    assert_eq!(
        (report.probed, report.needs_reauth, report.deferred),
        (1, 3, 0)
    );
    for name in ["Acme Bakery", "Side Project", "acmebakery"] {
        assert_eq!(
            status_of(&app, name).await,
            (
                "needs_reauth".to_owned(),
                Some("password_changed".to_owned())
            ),
            "{name}"
        );
    }
    let list = app.page("/accounts?status=needs_reauth").await;
    assert!(list.contains("Password changed on Facebook"));
    // Found dead again an hour later: not announced again.
    app.clock.advance(chrono::Duration::hours(2));
    assert_eq!(sweep(&app).await.needs_reauth, 0);
    assert_eq!(
        announcements(&app).await,
        1,
        "one activity entry per real change"
    );
}

#[tokio::test]
async fn each_rejection_from_meta_gives_its_own_reason() {
    for (subcode, reason) in [
        (458, "app_removed_facebook"),
        (459, "account_needs_attention"),
        (463, "token_expired"),
        (464, "account_needs_attention"),
        (467, "signed_out"),
    ] {
        let app = owner_app().await;
        connect_alex(&app, &["2222"]).await;
        app.sandbox.invalidate_user(ALEX, subcode).await.unwrap();
        sweep(&app).await;
        assert_eq!(
            status_of(&app, "Side Project").await,
            ("needs_reauth".to_owned(), Some(reason.to_owned())),
            "subcode {subcode}"
        );
    }
}

#[tokio::test]
async fn an_expired_user_token_needs_reauthorization_without_a_call_to_meta() {
    let app = owner_app().await;
    connect_alex(&app, &["2222"]).await;
    let row = grant::Entity::find().one(&app.db).await.unwrap().unwrap();
    let mut expired: grant::ActiveModel = row.into();
    expired.token_expires_at = Set(Some(app.state.clock.unix() - 60));
    expired.update(&app.db).await.unwrap();
    let before = calls_to(&app, "*/debug_token").await;
    assert_eq!(sweep(&app).await.needs_reauth, 1);
    assert_eq!(calls_to(&app, "*/debug_token").await, before, "no call");
    assert_eq!(
        status_of(&app, "Side Project").await.1.as_deref(),
        Some("token_expired")
    );
}

#[tokio::test]
async fn a_ciphertext_that_no_longer_opens_says_decryption_failed_and_pages_still_render() {
    let app = owner_app().await;
    connect_alex(&app, &["2222"]).await;
    let row = grant::Entity::find().one(&app.db).await.unwrap().unwrap();
    let mut tampered: grant::ActiveModel = row.clone().into();
    tampered.token_ciphertext = Set(crate::helpers::spoiled(&row.token_ciphertext));
    tampered.update(&app.db).await.unwrap();
    sweep(&app).await;
    assert_eq!(
        status_of(&app, "Side Project").await.1.as_deref(),
        Some("decryption_failed")
    );
    assert!(app
        .page("/accounts?status=needs_reauth")
        .await
        .contains("Decryption failed — reconnect"));
}

#[tokio::test]
async fn an_outage_marks_nothing_dead_and_the_next_sweep_catches_up() {
    let app = owner_app().await;
    connect_alex(&app, &["1111", "2222"]).await;
    app.sandbox
        .fail_next("*/debug_token", 100, &Failure::Http500)
        .await
        .unwrap();
    let report = sweep(&app).await;
    assert_eq!(
        (report.probed, report.needs_reauth, report.deferred),
        (0, 0, 1)
    );
    assert_eq!(status_of(&app, "Acme Bakery").await.0, "active");
    app.sandbox.clear_failures().await.unwrap();
    let report = sweep(&app).await;
    assert_eq!((report.deferred, report.needs_reauth), (0, 0));
    assert!(report.probed >= 1, "{report:?}");
}

#[tokio::test]
async fn during_an_outage_the_circuit_breaker_stops_calling_meta() {
    let app = owner_app().await;
    for n in 0..7 {
        if n > 0 {
            app.create_workspace(&format!("Shop {n}")).await;
        }
        connect_alex(&app, &["2222"]).await;
    }
    app.sandbox
        .fail_next("*/debug_token", 1000, &Failure::Http500)
        .await
        .unwrap();
    let before = calls_to(&app, "*/debug_token").await;
    let report = sweep(&app).await;
    assert_eq!(report.deferred, 7);
    assert_eq!(
        calls_to(&app, "*/debug_token").await - before,
        15,
        "five grants tried three times each, then no more calls"
    );
}

#[tokio::test]
async fn the_account_page_explains_what_the_last_check_found() {
    let app = owner_app().await;
    connect_alex(&app, &["1111", "2222"]).await;
    let acme = crate::connections::account_named(&app, "Acme Bakery").await;
    let page = app.page(&format!("/accounts/{}", acme.id)).await;
    assert!(page.contains("Permissions at Meta") && page.contains("Not checked with Meta yet"));
    sweep(&app).await;
    let page = crate::helpers::html_unescape(&app.page(&format!("/accounts/{}", acme.id)).await);
    assert!(page.contains("Last checked with Meta:"));
    assert!(page.contains("Every required permission is granted."));
    assert!(page.contains("This Page is among those shared with Switchboard."));
    assert!(page.contains("Alex Admin's tasks on this Page: ANALYZE, ADVERTISE, MESSAGING, MODERATE, CREATE_CONTENT, MANAGE."));
    let side = crate::connections::account_named(&app, "Side Project").await;
    let editor = crate::helpers::html_unescape(&app.page(&format!("/accounts/{}", side.id)).await);
    assert!(
        editor.contains("Re-authorizing it needs a Page admin (MANAGE)"),
        "an editor is told whom to ask"
    );

    // Alex authorizes again with Side Project only: Acme Bakery is no longer shared.
    connect_alex(&app, &["2222"]).await;
    app.clock.advance(chrono::Duration::hours(2));
    sweep(&app).await;
    let page = crate::helpers::html_unescape(&app.page(&format!("/accounts/{}", acme.id)).await);
    assert!(
        page.contains("This Page was not shared in the latest authorization."),
        "the fix is named"
    );
}

#[tokio::test]
async fn under_metas_usage_backoff_the_sweep_defers_without_calling_and_resumes_after_it() {
    let app = owner_app().await;
    connect_alex(&app, &["2222"]).await;
    app.sandbox
        .fail_next("*/debug_token", 1, &Failure::Usage { percent: 95 })
        .await
        .unwrap();
    let before = calls_to(&app, "*/debug_token").await;
    // The user token's answer carried 95 %: it still counts, and the shared backoff holds the
    // Page token's check, which is never sent.
    let first = sweep(&app).await;
    assert_eq!((first.probed, first.deferred), (1, 1), "{first:?}");
    assert_eq!(calls_to(&app, "*/debug_token").await - before, 1);
    assert_eq!(status_of(&app, "Side Project").await.0, "active");
    // Five minutes on, the next sweep comes back to the grant and checks the Page token too.
    app.clock.advance(chrono::Duration::minutes(6));
    let resumed = sweep(&app).await;
    assert_eq!((resumed.probed, resumed.deferred), (2, 0), "{resumed:?}");
}

//! Meta's rate limits and the shared backoff (docs/meta-api.md §9), end to end: an answer that
//! carried usage at the threshold still counts, and later calls wait — five minutes, or Meta's
//! time to regain access when longer — without a single call to the sandbox; a policy block
//! (368) is its own failure; connects, callbacks and the notice on Accounts and Integrations
//! follow the backoff kept in the database, which every instance shares.

use super::{
    alert, arrive, connect, consent, flash, outcome, press_connect, start, stored, token_calls,
    Consent, ALEX,
};
use crate::helpers::{form_error, form_error_with, TestApp};
use meta_sandbox::calls::CallFilter;
use meta_sandbox::failures::Failure;
use switchboard::server::meta::backoff::Reason;
use switchboard::server::services::meta_backoff;

pub const RATE_LIMITED: &str =
    "Facebook is limiting requests right now. Try again in a few minutes.";

/// Every call the sandbox has logged.
pub async fn all_calls(app: &TestApp) -> usize {
    app.sandbox
        .calls(&CallFilter::default())
        .await
        .unwrap()
        .len()
}

/// When the backoff kept for `scope` ends, if one is in force now (on the app's clock).
pub async fn until(app: &TestApp, scope: &str) -> Option<i64> {
    meta_backoff::until_for(&app.db, scope, app.state.clock.unix())
        .await
        .unwrap()
}

/// "14:05" of `unix`, in UTC.
fn hh_mm(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .unwrap()
        .format("%H:%M")
        .to_string()
}

/// Connects Alex's two Pages while `/me` answers with usage at 95 %: the connect succeeds.
pub async fn connect_at_95_percent(app: &TestApp) {
    app.sandbox
        .fail_next("*/me", 1, &Failure::Usage { percent: 95 })
        .await
        .unwrap();
    let response = connect(app, Consent::all(ALEX, &["1111", "2222"])).await;
    let (_, page) = outcome(app, response).await;
    assert_eq!(flash(&page).as_deref(), Some("Connected 3 accounts"));
}

#[tokio::test]
async fn an_answer_at_95_percent_usage_still_connects_and_the_next_connect_waits_five_minutes() {
    let app = crate::helpers::spawn_app().await;
    app.setup().await;
    connect_at_95_percent(&app).await;
    let now = app.state.clock.unix();
    let until = until(&app, "app:facebook")
        .await
        .expect("a backoff is recorded");
    assert!(
        (until - now - 300).abs() <= 3,
        "five minutes: {}",
        until - now
    );

    let (calls, states) = (all_calls(&app).await, app.count("oauth_states").await);
    let refused = press_connect(&app, &app.client).await;
    assert_eq!(form_error(&app, refused).await, RATE_LIMITED);
    assert_eq!(all_calls(&app).await, calls, "no call to Meta");
    assert_eq!(app.count("oauth_states").await, states, "no state stored");

    app.clock.advance(chrono::Duration::minutes(6));
    start(&app, &app.client).await;
}

#[tokio::test]
async fn a_rate_limit_code_with_seven_minutes_to_regain_backs_off_seven_minutes() {
    let app = crate::helpers::spawn_app().await;
    app.setup().await;
    app.sandbox
        .fail_next(
            "*/me",
            1,
            &Failure::GraphError {
                code: 4,
                subcode: None,
                minutes: Some(7),
            },
        )
        .await
        .unwrap();
    let response = connect(&app, Consent::all(ALEX, &["1111"])).await;
    let (location, page) = outcome(&app, response).await;
    assert_eq!(location, "/settings/integrations?error=rate_limited");
    assert_eq!(alert(&page).unwrap().1, RATE_LIMITED);
    assert_eq!(stored(&app).await, (0, 0));
    let now = app.state.clock.unix();
    let until = until(&app, "app:facebook")
        .await
        .expect("a backoff is recorded");
    assert!(
        (until - now - 420).abs() <= 3,
        "seven minutes: {}",
        until - now
    );

    app.clock.advance(chrono::Duration::minutes(6));
    let refused = press_connect(&app, &app.client).await;
    assert_eq!(form_error(&app, refused).await, RATE_LIMITED, "not after 5");
    app.clock.advance(chrono::Duration::minutes(2));
    start(&app, &app.client).await;
}

#[tokio::test]
async fn a_policy_block_fails_the_connect_with_its_own_message_and_backs_nothing_off() {
    let app = crate::helpers::spawn_app().await;
    app.setup().await;
    app.sandbox
        .fail_next(
            "*/me",
            1,
            &Failure::GraphError {
                code: 368,
                subcode: Some(1_390_008),
                minutes: None,
            },
        )
        .await
        .unwrap();
    let response = connect(&app, Consent::all(ALEX, &["1111"])).await;
    let (location, page) = outcome(&app, response).await;
    assert_eq!(location, "/settings/integrations?error=policy_blocked");
    let (code, message) = alert(&page).unwrap();
    assert_eq!(
        (code.as_str(), message.as_str()),
        (
            "policy_blocked",
            "Meta has temporarily blocked this action for policy reasons."
        )
    );
    assert_eq!(app.count("meta_backoffs").await, 0, "no backoff");
    let exchanges = token_calls(&app).await;
    let response = connect(&app, Consent::all(ALEX, &["1111"])).await;
    let (_, page) = outcome(&app, response).await;
    assert_eq!(flash(&page).as_deref(), Some("Connected 2 accounts"));
    assert!(
        token_calls(&app).await > exchanges,
        "the next connect calls Meta"
    );
}

#[tokio::test]
async fn the_notice_shows_when_calls_retry_on_accounts_and_integrations_while_the_backoff_lasts() {
    let app = crate::helpers::spawn_app().await;
    app.setup().await;
    connect_at_95_percent(&app).await;
    let until = until(&app, "app:facebook").await.unwrap();
    let notice = format!(
        "Meta rate limit reached — retrying after {} (UTC)",
        hh_mm(until)
    );
    for path in ["/accounts", "/settings/integrations"] {
        let page = app.page(path).await;
        assert!(page.contains(&notice), "{path} says {notice}: {page}");
    }
    app.set_time_zone("Asia/Kolkata").await;
    let kolkata = hh_mm(until + 5 * 3600 + 1800);
    let page = app.page("/accounts").await;
    assert!(
        page.contains(&format!("retrying after {kolkata} (IST)")),
        "in the viewer's zone: {page}"
    );

    app.clock.advance(chrono::Duration::minutes(6));
    for path in ["/accounts", "/settings/integrations"] {
        let page = app.page(path).await;
        assert!(!page.contains("Meta rate limit reached"), "{path}: gone");
    }
}

#[tokio::test]
async fn a_callback_arriving_during_a_backoff_fails_without_spending_the_code() {
    let app = crate::helpers::spawn_app().await;
    app.setup().await;
    let dialog = start(&app, &app.client).await;
    let callback = consent(&app, &dialog, &Consent::all(ALEX, &["1111"])).await;
    let now = app.state.clock.unix();
    meta_backoff::record(&app.db, "app:facebook", now + 300, Reason::Usage, now)
        .await
        .unwrap();
    let (location, page) = outcome(&app, arrive(&app.client, &callback).await).await;
    assert_eq!(location, "/settings/integrations?error=rate_limited");
    assert_eq!(alert(&page).unwrap().1, RATE_LIMITED);
    assert_eq!(token_calls(&app).await, 0, "the code is not spent at Meta");
    let (location, _) = outcome(&app, arrive(&app.client, &callback).await).await;
    assert_eq!(
        location, "/settings/integrations?error=state_invalid",
        "the state was consumed as always"
    );
}

#[tokio::test]
async fn each_product_waits_for_its_own_apps_backoff() {
    use super::direct::{INSTAGRAM, THREADS};
    let app = crate::helpers::spawn_app().await;
    app.setup().await;
    let now = app.state.clock.unix();
    meta_backoff::record(
        &app.db,
        "app:instagram",
        now + 600,
        Reason::RateLimitCode,
        now,
    )
    .await
    .unwrap();
    let press = |endpoint: &'static str| app.post_form(endpoint, "/settings/integrations", &[]);
    let refused = press(INSTAGRAM.endpoint).await;
    assert_eq!(
        form_error_with(&app, &app.client, refused).await,
        "Instagram is limiting requests right now. Try again in a few minutes."
    );
    THREADS.start(&app).await;
    start(&app, &app.client).await;
}

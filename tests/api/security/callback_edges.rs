//! Callback requests no browser coming back from Meta would send: a `HEAD`, a repeated or
//! oversized `state`, `code` or `error`, a replay after the person cancelled, the same
//! callback twice at once.
//! None reaches Meta's token endpoint more than once, and none leaves a state usable.

use crate::connect::direct::{ACME_THREADS, THREADS};
use crate::connect::{
    alert, arrive, consent, exchanges_of, outcome, start, stored, token_calls, Consent, ALEX,
};
use crate::helpers::{spawn_app, TestApp};
use crate::logs::Capture;
use crate::sandbox::query_value;
use tracing_subscriber::filter::LevelFilter;

const STATE_INVALID: &str = "Security check failed. Please try connecting again.";

async fn callback_for_alex(app: &TestApp, proceed: bool) -> String {
    let dialog = start(app, &app.client).await;
    let mut consent_as = Consent::all(ALEX, &["1111", "2222"]);
    consent_as.proceed = proceed;
    consent(app, &dialog, &consent_as).await
}

async fn state_invalid(app: &TestApp, url: &str) {
    let (location, page) = outcome(app, arrive(&app.client, url).await).await;
    assert_eq!(
        location, "/settings/integrations?error=state_invalid",
        "{url}"
    );
    assert_eq!(
        alert(&page),
        Some(("state_invalid".to_owned(), STATE_INVALID.to_owned()))
    );
}

#[tokio::test]
async fn a_head_request_exchanges_nothing_and_leaves_the_state_for_the_browser() {
    let app = spawn_app().await;
    app.setup().await;
    let callback = callback_for_alex(&app, true).await;
    let head = app.client.head(&callback).send().await.unwrap();
    assert_eq!(head.status(), 405);
    assert_eq!(token_calls(&app).await, 0, "0 token calls");
    assert_eq!(
        app.count("oauth_states").await,
        1,
        "the state is still there"
    );

    let (location, _) = outcome(&app, arrive(&app.client, &callback).await).await;
    assert_eq!(
        location, "/settings/integrations",
        "the real visit connects"
    );
    assert_eq!(stored(&app).await, (1, 3));
}

#[tokio::test]
async fn a_repeated_state_spends_every_live_one_and_is_refused_without_calling_meta() {
    let app = spawn_app().await;
    app.setup().await;
    let callback = callback_for_alex(&app, true).await;
    let state = query_value(&callback, "state").unwrap();
    for doubled in [
        format!("{callback}&state=somebody-elses"),
        format!("{callback}&state={state}"),
    ] {
        let fresh = callback_for_alex(&app, true).await;
        let fresh_state = query_value(&fresh, "state").unwrap();
        let doubled = doubled.replace(&state, &fresh_state);
        state_invalid(&app, &doubled).await;
        assert_eq!(token_calls(&app).await, 0, "0 token calls");
        state_invalid(&app, &fresh).await;
    }
    assert_eq!(stored(&app).await, (0, 0));
}

#[tokio::test]
async fn an_oversized_state_is_refused_and_a_live_state_beside_it_is_spent() {
    let app = spawn_app().await;
    app.setup().await;
    let huge = "s".repeat(10 * 1024);
    let callback = callback_for_alex(&app, true).await;
    let alone = format!(
        "{}?code=abc&state={huge}",
        callback.split('?').next().unwrap()
    );
    state_invalid(&app, &alone).await;
    state_invalid(&app, &format!("{callback}&state={huge}")).await;
    assert_eq!(token_calls(&app).await, 0, "0 token calls");
    state_invalid(&app, &callback).await;
    assert_eq!(app.count("oauth_states").await, 0);
}

#[tokio::test]
async fn an_oversized_code_or_error_is_refused_spends_the_state_and_calls_meta_for_nothing() {
    let logs = Capture::start(LevelFilter::TRACE).await;
    let app = spawn_app().await;
    app.setup().await;
    for parameter in ["code", "error", "error_reason"] {
        let callback = callback_for_alex(&app, true).await;
        let (base, query) = callback.split_once('?').unwrap();
        let huge = format!("OVERSIZED{}", "x".repeat(4 * 1024));
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.starts_with(&format!("{parameter}=")))
            .collect();
        let url = format!("{base}?{}&{parameter}={huge}", kept.join("&"));
        state_invalid(&app, &url).await;
        // The state beside it was spent: Meta's own callback is refused afterwards.
        state_invalid(&app, &callback).await;
    }
    assert_eq!(token_calls(&app).await, 0, "0 token calls");
    assert_eq!(stored(&app).await, (0, 0), "0 rows written");
    assert_eq!(app.count("oauth_states").await, 0, "no state left usable");
    assert!(
        !logs.text().contains("OVERSIZED"),
        "the oversized value was logged"
    );
}

#[tokio::test]
async fn a_doubled_code_is_refused_and_spends_the_state() {
    let app = spawn_app().await;
    app.setup().await;
    let callback = callback_for_alex(&app, true).await;
    state_invalid(&app, &format!("{callback}&code=another")).await;
    assert_eq!(token_calls(&app).await, 0, "0 token calls");
    state_invalid(&app, &callback).await;
}

#[tokio::test]
async fn replaying_a_cancelled_callback_is_a_failed_security_check() {
    let app = spawn_app().await;
    app.setup().await;
    let cancelled = callback_for_alex(&app, false).await;
    assert_eq!(
        query_value(&cancelled, "error").as_deref(),
        Some("access_denied")
    );
    let (location, _) = outcome(&app, arrive(&app.client, &cancelled).await).await;
    assert_eq!(
        location,
        "/settings/integrations?error=permissions_declined"
    );
    state_invalid(&app, &cancelled).await;
    assert_eq!(token_calls(&app).await, 0, "0 token calls");
}

#[tokio::test]
async fn the_same_callback_arriving_twice_at_once_goes_on_once() {
    let app = spawn_app().await;
    app.setup().await;
    let callback = callback_for_alex(&app, true).await;
    let (first, second) = tokio::join!(
        arrive(&app.client, &callback),
        arrive(&app.client, &callback)
    );
    let mut landed = vec![outcome(&app, first).await.0, outcome(&app, second).await.0];
    landed.sort();
    assert_eq!(
        landed,
        [
            "/settings/integrations",
            "/settings/integrations?error=state_invalid"
        ],
        "one connects, the other is a failed security check"
    );
    assert_eq!(
        exchanges_of(&app, &callback).await,
        1,
        "the code exchanged once"
    );
    assert_eq!(stored(&app).await, (1, 3), "no duplicate");
}

#[tokio::test]
async fn each_attempt_has_its_own_pkce_challenge_and_state() {
    let app = spawn_app().await;
    app.setup().await;
    let first = start(&app, &app.client).await;
    let second = start(&app, &app.client).await;
    for key in ["code_challenge", "state"] {
        let (a, b) = (query_value(&first, key), query_value(&second, key));
        assert!(a.is_some(), "{key} is sent");
        assert_ne!(a, b, "a fresh {key} per attempt");
    }
    assert_eq!(
        query_value(&first, "code_challenge_method").as_deref(),
        Some("S256")
    );
}

/// A Threads dialog's answer brought to the Facebook or the Instagram callback (a mix-up: the
/// wrong provider's path): refused as a failed security check, the state spent so the genuine
/// callback is refused too, and the code exchanged nowhere.
#[tokio::test]
async fn a_threads_state_on_the_facebook_or_instagram_callback_is_refused_spent_and_exchanged_nowhere(
) {
    let app = spawn_app().await;
    app.setup().await;
    for wrong in ["meta", "instagram"] {
        let dialog = THREADS.start(&app).await;
        let callback = THREADS
            .consent(&app, &dialog, ACME_THREADS, &THREADS.scopes, true)
            .await;
        assert!(callback.contains("/oauth/threads/callback?"), "{callback}");
        let misdirected = callback.replace(
            "/oauth/threads/callback",
            &format!("/oauth/{wrong}/callback"),
        );
        for (url, provider) in [(&misdirected, wrong), (&callback, "threads")] {
            let (location, page) = outcome(&app, arrive(&app.client, url).await).await;
            let named = match provider {
                "meta" => String::new(),
                _ => format!("&provider={provider}"),
            };
            let expected = format!("/settings/integrations?error=state_invalid{named}");
            assert_eq!(location, expected, "{url}");
            assert_eq!(alert(&page).map(|a| a.0).as_deref(), Some("state_invalid"));
        }
        assert_eq!(
            exchanges_of(&app, &callback).await,
            0,
            "{wrong}: the code is never exchanged"
        );
    }
    assert_eq!(stored(&app).await, (0, 0), "0 rows written");
    assert_eq!(app.count("oauth_states").await, 0, "no state left usable");
}

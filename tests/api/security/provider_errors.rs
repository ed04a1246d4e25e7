//! A provider's error on the callback (RFC 6749 §4.1.2.1), whatever its code and whichever of
//! the three dialogs sent it: the state is spent, nothing is stored, no token endpoint is ever
//! called, and the message names the provider and matches the error — declined, unavailable for
//! a while, or an answer we can't use.

use crate::connect::direct::{INSTAGRAM, THREADS};
use crate::connect::{alert, arrive, outcome, start, stored, token_calls};
use crate::helpers::{spawn_app, TestApp};
use crate::sandbox::query_value;

/// Each provider: its label in messages and its callback's path segment.
const PROVIDERS: [(&str, &str); 3] = [
    ("Facebook", "meta"),
    ("Instagram", "instagram"),
    ("Threads", "threads"),
];

/// The dialog URL a fresh attempt with `slug`'s provider redirects to.
async fn dialog_of(app: &TestApp, slug: &str) -> String {
    match slug {
        "instagram" => INSTAGRAM.start(app).await,
        "threads" => THREADS.start(app).await,
        _ => start(app, &app.client).await,
    }
}

/// The provider sending the browser back with `error` for a fresh attempt; answers where it
/// landed, the alert, and where the same callback lands a second time.
async fn provider_answers(
    app: &TestApp,
    slug: &str,
    error: &str,
) -> (String, Option<(String, String)>, String) {
    let dialog = dialog_of(app, slug).await;
    let state = query_value(&dialog, "state").unwrap();
    let callback = app.url(&format!(
        "/oauth/{slug}/callback?error={error}&error_reason=some_reason&error_description=Some+text&state={state}"
    ));
    let (location, page) = outcome(app, arrive(&app.client, &callback).await).await;
    let (again, _) = outcome(app, arrive(&app.client, &callback).await).await;
    (location, alert(&page), again)
}

#[tokio::test]
async fn each_provider_error_spends_the_state_stores_nothing_and_says_what_happened() {
    let app = spawn_app().await;
    app.setup().await;
    let mut tried = 0;
    for (label, slug) in PROVIDERS {
        let declined = format!("You declined the permissions {label} requested.");
        let unavailable = format!("{label} is temporarily unavailable.");
        let unusable =
            format!("{label} returned an answer we couldn't use. Please try connecting again.");
        // The direct providers' answers name the provider, so the page can offer its button.
        let named = match slug {
            "meta" => String::new(),
            _ => format!("&provider={slug}"),
        };
        for (error, code, message) in [
            ("access_denied", "permissions_declined", &declined),
            ("server_error", "provider_unavailable", &unavailable),
            (
                "temporarily_unavailable",
                "provider_unavailable",
                &unavailable,
            ),
            ("invalid_scope", "provider_error", &unusable),
            ("something_new", "provider_error", &unusable),
        ] {
            let (location, shown, again) = provider_answers(&app, slug, error).await;
            let case = format!("{label}: {error}");
            assert_eq!(
                location,
                format!("/settings/integrations?error={code}{named}"),
                "{case}"
            );
            assert_eq!(shown, Some((code.to_owned(), message.to_owned())), "{case}");
            assert_eq!(
                again,
                format!("/settings/integrations?error=state_invalid{named}"),
                "{case}: spent"
            );
            tried += 1;
        }
    }
    assert_eq!(tried, 15);
    assert_eq!(stored(&app).await, (0, 0), "nothing stored");
    assert_eq!(token_calls(&app).await, 0, "0 calls to any token endpoint");
    assert_eq!(app.count("oauth_states").await, 0, "no state left usable");
}

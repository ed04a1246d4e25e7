//! A provider's error on the callback (RFC 6749 §4.1.2.1), whatever its code: the state is
//! spent, nothing is stored, Meta's token endpoint is never called, and the message matches
//! the error — declined, unavailable for a while, or an answer we can't use.

use crate::connect::{alert, arrive, outcome, start, stored, token_calls};
use crate::helpers::{spawn_app, TestApp};
use crate::sandbox::query_value;

const UNUSABLE: &str = "Facebook returned an answer we couldn't use. Please try connecting again.";
const UNAVAILABLE: &str = "Facebook is temporarily unavailable.";

/// Meta sending the browser back with `error` for a fresh attempt; answers where it landed,
/// the alert, and where the same callback lands a second time.
async fn provider_answers(
    app: &TestApp,
    error: &str,
) -> (String, Option<(String, String)>, String) {
    let dialog = start(app, &app.client).await;
    let state = query_value(&dialog, "state").unwrap();
    let callback = app.url(&format!(
        "/oauth/meta/callback?error={error}&error_reason=some_reason&error_description=Some+text&state={state}"
    ));
    let (location, page) = outcome(app, arrive(&app.client, &callback).await).await;
    let (again, _) = outcome(app, arrive(&app.client, &callback).await).await;
    (location, alert(&page), again)
}

#[tokio::test]
async fn each_provider_error_spends_the_state_stores_nothing_and_says_what_happened() {
    let app = spawn_app().await;
    app.setup().await;
    for (error, code, message) in [
        (
            "access_denied",
            "permissions_declined",
            "You declined the permissions Facebook requested.",
        ),
        ("server_error", "provider_unavailable", UNAVAILABLE),
        (
            "temporarily_unavailable",
            "provider_unavailable",
            UNAVAILABLE,
        ),
        ("invalid_scope", "provider_error", UNUSABLE),
        ("something_new", "provider_error", UNUSABLE),
    ] {
        let (location, shown, again) = provider_answers(&app, error).await;
        assert_eq!(
            location,
            format!("/settings/integrations?error={code}"),
            "{error}"
        );
        assert_eq!(
            shown,
            Some((code.to_owned(), message.to_owned())),
            "{error}"
        );
        assert_eq!(
            again, "/settings/integrations?error=state_invalid",
            "{error}: spent"
        );
    }
    assert_eq!(stored(&app).await, (0, 0), "nothing stored");
    assert_eq!(token_calls(&app).await, 0, "0 calls to the token endpoint");
    assert_eq!(app.count("oauth_states").await, 0, "no state left usable");
}

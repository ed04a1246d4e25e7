//! `next` after sign-in never leads outside the app's pages.

use crate::helpers::{location, spawn_app, OWNER_EMAIL, OWNER_PASSWORD};

#[tokio::test]
async fn signing_in_with_a_dot_segment_next_lands_on_the_accounts_page_not_the_control_api() {
    let app = spawn_app().await;
    app.setup().await;
    app.logout().await;
    for next in [
        "/accounts/../sandbox/_control/apps",
        "/accounts/%2e%2e/sandbox/_control/apps",
        "/settings/%2F..%2F..%2Fsandbox/_control/apps",
        "/oauth/meta/callback?state=x",
    ] {
        let response = app
            .login_then(&app.client, OWNER_EMAIL, OWNER_PASSWORD, next)
            .await;
        assert_eq!(location(&response), "/accounts", "{next}");
        app.logout().await;
    }
}

//! Connect Instagram (Instagram Login) and Connect Threads end to end: the app's form, the
//! sandbox's consent screen, the callback and what is stored — one account holding its own
//! token — and the rule that one Instagram account is one account, whichever way it came.

use super::{alert, arrive, flash, outcome, stored, token_calls, ALEX};
use crate::helpers::{location, spawn_app, TestApp};
use reqwest::header::{ACCEPT, ORIGIN, REFERER};

/// One of the two direct providers, as the tests drive it.
pub struct Direct {
    pub endpoint: &'static str,
    pub dialog: &'static str,
    pub slug: &'static str,
    pub scopes: [&'static str; 2],
}

pub const INSTAGRAM: Direct = Direct {
    endpoint: "/api/connect_instagram",
    dialog: "/sandbox/instagram/oauth/authorize",
    slug: "instagram",
    scopes: [
        "instagram_business_basic",
        "instagram_business_content_publish",
    ],
};

pub const THREADS: Direct = Direct {
    endpoint: "/api/connect_threads",
    dialog: "/sandbox/threads/oauth/authorize",
    slug: "threads",
    scopes: ["threads_basic", "threads_content_publish"],
};

/// The sandbox's Instagram Login test accounts (app-scoped ids) and their professional ids.
pub const ACME_DIRECT: &str = "2468013579001";
pub const CREATOR_CAT: &str = "2468013579002";
pub const PERSONAL_PAT: &str = "2468013579003";
pub const ACMEBAKERY_DIRECT: &str = "2468013579004";
/// The Threads test profile.
pub const ACME_THREADS: &str = "7000000000000001";

impl Direct {
    /// Presses the provider's connect button; answers the dialog URL.
    pub async fn start(&self, app: &TestApp) -> String {
        let response = app
            .client
            .post(app.url(self.endpoint))
            .header(ORIGIN, &app.address)
            .header(REFERER, app.url("/settings/integrations"))
            .header(ACCEPT, "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302, "connect redirects to the dialog");
        let dialog = location(&response);
        assert!(
            dialog.starts_with(&app.url(&format!("{}?", self.dialog))),
            "{dialog}"
        );
        dialog
    }

    /// Submits the consent screen as `who`, leaving `permissions` ticked; answers the callback.
    pub async fn consent(
        &self,
        app: &TestApp,
        dialog: &str,
        who: &str,
        permissions: &[&str],
        proceed: bool,
    ) -> String {
        let fields = permissions
            .iter()
            .map(|p| ("permission".to_owned(), (*p).to_owned()))
            .collect();
        super::submit_consent(app, dialog, who, proceed, fields, self.slug).await
    }

    /// The whole flow as the signed-in Owner: (location, page) after the callback.
    pub async fn connect(
        &self,
        app: &TestApp,
        who: &str,
        permissions: &[&str],
    ) -> (String, String) {
        let dialog = self.start(app).await;
        let callback = self.consent(app, &dialog, who, permissions, true).await;
        outcome(app, arrive(&app.client, &callback).await).await
    }
}

async fn owner_app() -> TestApp {
    let app = spawn_app().await;
    app.setup().await;
    app
}

/// `(platform, external_id, username, parent, has own token, token expiry)` of every account.
async fn accounts(app: &TestApp) -> Vec<(String, String, Option<String>, bool, bool, Option<i64>)> {
    use sea_orm::{EntityTrait, QueryOrder};
    use switchboard::server::entities::account;
    account::Entity::find()
        .order_by_asc(account::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| {
            (
                a.platform,
                a.external_id,
                a.username,
                a.parent_account_id.is_some(),
                a.token_ciphertext.is_some(),
                a.token_expires_at,
            )
        })
        .collect()
}

#[tokio::test]
async fn connecting_an_instagram_business_account_stores_one_account_with_its_own_token() {
    let app = owner_app().await;
    let (location, page) = INSTAGRAM
        .connect(&app, ACME_DIRECT, &INSTAGRAM.scopes)
        .await;
    assert_eq!(location, "/settings/integrations");
    assert_eq!(flash(&page).as_deref(), Some("Connected 1 account"));
    let rows = accounts(&app).await;
    assert_eq!(rows.len(), 1);
    let (platform, external_id, username, parent, token, expires) = &rows[0];
    assert_eq!(platform, "instagram_business");
    assert_eq!(
        external_id, "17841400000000011",
        "the professional account id"
    );
    assert_eq!(username.as_deref(), Some("acme.direct"));
    assert!(!parent && *token);
    use switchboard::server::clock::Clock;
    let sixty_days = app.clock.unix() + 60 * 86_400;
    assert!(
        expires.is_some_and(|at| (at - sixty_days).abs() < 120),
        "{expires:?}"
    );
    assert!(page.contains("acme.direct") && page.contains("Instagram Business"));
    // The grant holds the app-scoped id (deauthorize callbacks name it) and the scopes.
    use sea_orm::EntityTrait;
    let grants = switchboard::server::entities::grant::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].provider, "instagram");
    assert_eq!(grants[0].external_user_id, ACME_DIRECT);
    assert!(grants[0]
        .scopes_granted
        .contains("instagram_business_content_publish"));
}

#[tokio::test]
async fn a_creator_account_connects_as_instagram_creator() {
    let app = owner_app().await;
    let (_, page) = INSTAGRAM
        .connect(&app, CREATOR_CAT, &INSTAGRAM.scopes)
        .await;
    assert_eq!(flash(&page).as_deref(), Some("Connected 1 account"));
    assert_eq!(accounts(&app).await[0].0, "instagram_creator");
    assert!(page.contains("Instagram Creator"));
}

#[tokio::test]
async fn a_personal_instagram_account_is_refused_and_nothing_is_stored() {
    let app = owner_app().await;
    let (location, page) = INSTAGRAM
        .connect(&app, PERSONAL_PAT, &INSTAGRAM.scopes)
        .await;
    assert_eq!(
        location,
        "/settings/integrations?error=instagram_no_business_account&provider=instagram"
    );
    let (code, text) = alert(&page).unwrap();
    assert_eq!(code, "instagram_no_business_account");
    assert_eq!(
        text,
        "Connecting Instagram requires a Business or Creator account."
    );
    assert_eq!(stored(&app).await, (0, 0));
}

#[tokio::test]
async fn an_unticked_instagram_permission_is_scope_rejected_and_stores_nothing() {
    let app = owner_app().await;
    let (location, page) = INSTAGRAM
        .connect(&app, ACME_DIRECT, &["instagram_business_basic"])
        .await;
    assert_eq!(
        location,
        "/settings/integrations?error=scope_rejected&provider=instagram"
    );
    assert_eq!(
        alert(&page).unwrap().1,
        "Facebook didn't grant the permissions we need to publish."
    );
    assert_eq!(stored(&app).await, (0, 0));
}

#[tokio::test]
async fn cancel_on_the_instagram_dialog_is_permissions_declined_naming_instagram() {
    let app = owner_app().await;
    let dialog = INSTAGRAM.start(&app).await;
    let callback = INSTAGRAM
        .consent(&app, &dialog, ACME_DIRECT, &INSTAGRAM.scopes, false)
        .await;
    let (location, page) = outcome(&app, arrive(&app.client, &callback).await).await;
    assert_eq!(
        location,
        "/settings/integrations?error=permissions_declined&provider=instagram"
    );
    assert_eq!(
        alert(&page).unwrap().1,
        "You declined the permissions Instagram requested."
    );
    assert_eq!(token_calls(&app).await, 0);
    assert_eq!(stored(&app).await, (0, 0));
}

#[tokio::test]
async fn an_instagram_state_delivered_to_another_providers_callback_is_refused_before_any_token_call(
) {
    let app = owner_app().await;
    for other in ["meta", "threads"] {
        let dialog = INSTAGRAM.start(&app).await;
        let callback = INSTAGRAM
            .consent(&app, &dialog, ACME_DIRECT, &INSTAGRAM.scopes, true)
            .await;
        let mixed = callback.replace(
            "/oauth/instagram/callback",
            &format!("/oauth/{other}/callback"),
        );
        let (location, _) = outcome(&app, arrive(&app.client, &mixed).await).await;
        assert!(
            location.starts_with("/settings/integrations?error=state_invalid"),
            "{other}: {location}"
        );
    }
    assert_eq!(token_calls(&app).await, 0);
    assert_eq!(stored(&app).await, (0, 0));
}

#[tokio::test]
async fn connecting_threads_stores_one_profile_with_its_own_token() {
    let app = owner_app().await;
    let (location, page) = THREADS.connect(&app, ACME_THREADS, &THREADS.scopes).await;
    assert_eq!(location, "/settings/integrations");
    assert_eq!(flash(&page).as_deref(), Some("Connected 1 account"));
    let rows = accounts(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "threads");
    assert_eq!(rows[0].1, ACME_THREADS);
    assert_eq!(rows[0].2.as_deref(), Some("acme.threads"));
    assert!(rows[0].4 && rows[0].5.is_some());
    assert!(page.contains("acme.threads"));
}

#[tokio::test]
async fn an_unticked_threads_permission_is_scope_rejected_naming_threads() {
    let app = owner_app().await;
    let (location, page) = THREADS
        .connect(&app, ACME_THREADS, &["threads_basic"])
        .await;
    assert_eq!(
        location,
        "/settings/integrations?error=scope_rejected&provider=threads"
    );
    assert_eq!(
        alert(&page).unwrap().1,
        "Threads didn't grant the permissions we need to publish."
    );
    assert_eq!(stored(&app).await, (0, 0));
}

#[tokio::test]
async fn cancel_on_the_threads_dialog_is_permissions_declined_naming_threads() {
    let app = owner_app().await;
    let dialog = THREADS.start(&app).await;
    let callback = THREADS
        .consent(&app, &dialog, ACME_THREADS, &THREADS.scopes, false)
        .await;
    let (_, page) = outcome(&app, arrive(&app.client, &callback).await).await;
    assert_eq!(
        alert(&page).unwrap().1,
        "You declined the permissions Threads requested."
    );
    assert_eq!(stored(&app).await, (0, 0));
}

#[tokio::test]
async fn connecting_directly_an_instagram_account_already_connected_through_its_page_stores_nothing_new(
) {
    let app = owner_app().await;
    let response = super::connect(&app, super::Consent::all(ALEX, &["1111", "2222"])).await;
    let (_, page) = outcome(&app, response).await;
    assert_eq!(flash(&page).as_deref(), Some("Connected 3 accounts"));
    let before = accounts(&app).await;

    let (location, page) = INSTAGRAM
        .connect(&app, ACMEBAKERY_DIRECT, &INSTAGRAM.scopes)
        .await;
    assert_eq!(
        location,
        "/settings/integrations?error=already_connected&provider=instagram"
    );
    assert_eq!(
        alert(&page).unwrap().1,
        "acmebakery is already connected through Acme Bakery"
    );
    assert_eq!(accounts(&app).await, before, "nothing changed");
    assert_eq!(app.count("grants").await, 1, "no Instagram grant either");
}

#[tokio::test]
async fn a_pages_discovery_leaves_a_directly_connected_instagram_account_as_it_is() {
    let app = owner_app().await;
    INSTAGRAM
        .connect(&app, ACMEBAKERY_DIRECT, &INSTAGRAM.scopes)
        .await;
    let direct = accounts(&app).await;
    assert_eq!(direct.len(), 1);

    let response = super::connect(&app, super::Consent::all(ALEX, &["1111", "2222"])).await;
    let (_, page) = outcome(&app, response).await;
    assert_eq!(
        flash(&page).as_deref(),
        Some("Connected 2 accounts · acmebakery is already connected directly")
    );
    let after = accounts(&app).await;
    assert_eq!(after.len(), 3, "two Pages beside the direct account");
    assert_eq!(
        after[0], direct[0],
        "the direct account keeps its token, no parent"
    );
}

#[tokio::test]
async fn with_only_a_facebook_app_configured_instagram_and_threads_are_disabled_as_not_configured()
{
    use crate::helpers::{new_client, post_form_to, test_config_with, OWNER_SETUP};
    let dir = tempfile::tempdir().unwrap();
    let url = crate::helpers::fresh_database_url(&dir).await;
    let config = test_config_with(
        &url,
        &dir,
        &[
            ("SWITCHBOARD_SANDBOX", "0"),
            ("META_APP_ID", "123456789"),
            ("META_APP_SECRET", "not-a-real-secret"),
        ],
    );
    let app = switchboard::server::startup::Application::build(
        config,
        std::sync::Arc::new(switchboard::server::clock::SystemClock),
    )
    .await
    .unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let client = new_client();
    let setup = post_form_to(&base, &client, "/api/setup", "/setup", &OWNER_SETUP)
        .await
        .unwrap();
    assert_eq!(location(&setup), "/accounts");
    let page = client
        .get(format!("{base}/settings/integrations"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Instagram and Threads: Not configured: see the README."));
    for label in ["Connect Instagram", "Connect Threads"] {
        let at = page.find(&format!(">{label}<")).unwrap();
        let button = &page[page[..at].rfind("<button").unwrap()..at];
        assert!(button.contains("disabled"), "{label}: {button}");
    }
    // And the endpoint itself says so, rather than sending anyone to Meta.
    let response = client
        .post(format!("{base}/api/connect_instagram"))
        .header(ORIGIN, &base)
        .header(REFERER, format!("{base}/settings/integrations"))
        .send()
        .await
        .unwrap();
    assert_ne!(response.status(), 302);
}

#[tokio::test]
async fn a_direct_and_a_page_connection_of_one_instagram_account_at_once_leave_one_account() {
    let app = owner_app().await;
    for _ in 0..3 {
        let ig_dialog = INSTAGRAM.start(&app).await;
        let ig_callback = INSTAGRAM
            .consent(&app, &ig_dialog, ACMEBAKERY_DIRECT, &INSTAGRAM.scopes, true)
            .await;
        let fb_dialog = super::start(&app, &app.client).await;
        let fb_callback = super::consent(
            &app,
            &fb_dialog,
            &super::Consent::all(ALEX, &["1111", "2222"]),
        )
        .await;
        let (ig, fb) = tokio::join!(
            arrive(&app.client, &ig_callback),
            arrive(&app.client, &fb_callback)
        );
        for response in [ig, fb] {
            let (location, _) = outcome(&app, response).await;
            assert!(
                location == "/settings/integrations"
                    || location.contains("error=already_connected"),
                "{location}"
            );
        }
        let instagram: Vec<_> = accounts(&app)
            .await
            .into_iter()
            .filter(|a| a.1 == "17841400000000001")
            .collect();
        assert_eq!(instagram.len(), 1, "one Instagram account: {instagram:?}");
    }
}

#[tokio::test]
async fn instagram_connects_with_either_exchange_answer_shape() {
    use meta_sandbox::scenario::{InstagramExchangeShape, Scenario};
    for shape in [InstagramExchangeShape::Data, InstagramExchangeShape::Flat] {
        let app = owner_app().await;
        let mut scenario = Scenario::default_world();
        scenario.switches.instagram_exchange_shape = shape;
        app.sandbox.load_scenario(&scenario).await.unwrap();
        let (location, page) = INSTAGRAM
            .connect(&app, ACME_DIRECT, &INSTAGRAM.scopes)
            .await;
        assert_eq!(location, "/settings/integrations", "{shape:?}");
        assert_eq!(flash(&page).as_deref(), Some("Connected 1 account"));
        assert_eq!(accounts(&app).await[0].1, "17841400000000011", "{shape:?}");
    }
}

//! Connecting Meta accounts end to end: the app's **Connect Meta** form, the sandbox's real
//! consent screen, the callback, and what ends up stored — against the sandbox over real HTTP,
//! with its control API setting the scene and its call log showing what the app asked.

mod backoff;
mod backoff_shared;
pub mod direct;
mod errors;
mod flow;
mod scale;
mod secrets;

use crate::helpers::{location, TestApp};
use crate::sandbox::query_value;
use meta_sandbox::calls::{fingerprint, CallFilter};
use reqwest::header::{ACCEPT, ORIGIN, REFERER};
use reqwest::{Client, Response};

pub use crate::sandbox::{ALEX, BEA, EDDIE, NORA};

/// Every permission the app asks for.
pub const ALL_PERMISSIONS: [&str; 7] = [
    "pages_show_list",
    "pages_manage_posts",
    "pages_read_engagement",
    "instagram_basic",
    "instagram_content_publish",
    "pages_manage_engagement",
    "business_management",
];

/// Presses **Connect Meta** as `client`; answers the dialog URL the app redirected to.
pub async fn start(app: &TestApp, client: &Client) -> String {
    start_at(&app.address, client).await
}

/// [`start`] on the server at `address` (a server in another process).
pub async fn start_at(address: &str, client: &Client) -> String {
    let response = press_connect_at(address, client).await;
    assert_eq!(response.status(), 302, "connect redirects to the dialog");
    let dialog = location(&response);
    let expected = format!("{address}/sandbox/facebook/v25.0/dialog/oauth?");
    assert!(dialog.starts_with(&expected), "{dialog}");
    dialog
}

pub async fn press_connect(app: &TestApp, client: &Client) -> Response {
    press_connect_at(&app.address, client).await
}

async fn press_connect_at(address: &str, client: &Client) -> Response {
    client
        .post(format!("{address}/api/connect_meta"))
        .header(ORIGIN, address)
        .header(REFERER, format!("{address}/settings/integrations"))
        .header(ACCEPT, "text/html")
        .send()
        .await
        .unwrap()
}

/// The person on the consent screen: who they are, which Pages they tick, which permissions
/// they leave ticked, and whether they press Continue.
pub struct Consent<'a> {
    pub user: &'a str,
    pub pages: &'a [&'a str],
    pub permissions: &'a [&'a str],
    pub proceed: bool,
}

impl<'a> Consent<'a> {
    pub fn all(user: &'a str, pages: &'a [&'a str]) -> Self {
        Self {
            user,
            pages,
            permissions: &ALL_PERMISSIONS,
            proceed: true,
        }
    }
}

/// Submits the sandbox's consent screen for `dialog`; answers the callback URL Meta sends the
/// browser back to.
pub async fn consent(app: &TestApp, dialog: &str, consent: &Consent<'_>) -> String {
    consent_at(&app.address, dialog, consent).await
}

/// [`consent`] on the server at `address` (a server in another process).
pub async fn consent_at(address: &str, dialog: &str, consent: &Consent<'_>) -> String {
    let mut fields: Vec<(String, String)> = consent
        .pages
        .iter()
        .map(|p| ("page".into(), (*p).into()))
        .collect();
    fields.extend(
        consent
            .permissions
            .iter()
            .map(|p| ("permission".into(), (*p).into())),
    );
    submit_consent_at(
        address,
        dialog,
        consent.user,
        consent.proceed,
        fields,
        "meta",
    )
    .await
}

/// Posts a dialog's consent form — its carried parameters, the test user, the decision and
/// `fields` — and answers the callback URL it redirects to (on `/oauth/{slug}/callback`).
pub async fn submit_consent(
    app: &TestApp,
    dialog: &str,
    who: &str,
    proceed: bool,
    fields: Vec<(String, String)>,
    slug: &str,
) -> String {
    submit_consent_at(&app.address, dialog, who, proceed, fields, slug).await
}

async fn submit_consent_at(
    address: &str,
    dialog: &str,
    who: &str,
    proceed: bool,
    fields: Vec<(String, String)>,
    slug: &str,
) -> String {
    let parsed = url::Url::parse(dialog).unwrap();
    let mut form: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
    form.push(("sandbox_user".into(), who.into()));
    let decision = if proceed { "continue" } else { "cancel" };
    form.push(("decision".into(), decision.into()));
    form.extend(fields);
    let response = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{address}{}", parsed.path()))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "the dialog redirects back");
    let callback = location(&response);
    let expected = format!("{address}/oauth/{slug}/callback?");
    assert!(callback.starts_with(&expected), "{callback}");
    callback
}

/// The browser arriving at the callback.
pub async fn arrive(client: &Client, callback: &str) -> Response {
    client
        .get(callback)
        .header(ACCEPT, "text/html")
        .send()
        .await
        .unwrap()
}

/// The whole flow as the signed-in Owner of `app.client`; answers the callback's response.
pub async fn connect(app: &TestApp, consent_as: Consent<'_>) -> Response {
    let dialog = start(app, &app.client).await;
    let callback = consent(app, &dialog, &consent_as).await;
    arrive(&app.client, &callback).await
}

/// The callback's redirect, followed: (location, page).
pub async fn outcome(app: &TestApp, response: Response) -> (String, String) {
    assert_eq!(response.status(), 303, "the callback answers 303");
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    assert_eq!(response.headers()["cache-control"], "no-store");
    app.follow(response).await
}

/// How many times the token endpoint was called.
pub async fn token_calls(app: &TestApp) -> usize {
    app.sandbox
        .calls(&CallFilter::path("*/oauth/access_token"))
        .await
        .unwrap()
        .len()
}

/// How many token-endpoint calls presented the code of `callback`.
pub async fn exchanges_of(app: &TestApp, callback: &str) -> usize {
    let code = query_value(callback, "code").unwrap();
    app.sandbox
        .calls(&CallFilter::path("*/oauth/access_token"))
        .await
        .unwrap()
        .iter()
        .filter(|c| c.code_fingerprint.as_deref() == Some(fingerprint(&code).as_str()))
        .count()
}

/// Rows written by connecting.
pub async fn stored(app: &TestApp) -> (i64, i64) {
    (app.count("grants").await, app.count("accounts").await)
}

/// The alert on a page: `(data-code, text)`.
pub fn alert(page: &str) -> Option<(String, String)> {
    let marker = page.find("class=\"connect-error\"")?;
    let start = page[..marker].rfind("<div")?;
    let block = &page[start..];
    let code_at = block.find("data-code=\"")? + "data-code=\"".len();
    let code = &block[code_at..code_at + block[code_at..].find('"')?];
    let p = block.find("<p class=\"form-error\">")? + "<p class=\"form-error\">".len();
    let text = &block[p..p + block[p..].find('<')?];
    Some((code.to_owned(), crate::helpers::html_unescape(text)))
}

/// The flash (role="status") on a page.
pub fn flash(page: &str) -> Option<String> {
    let start = page.find("class=\"flash\"")?;
    let block = &page[start..];
    let open = block.find('>')? + 1;
    let close = block[open..].find('<')? + open;
    Some(crate::helpers::html_unescape(&block[open..close]))
}

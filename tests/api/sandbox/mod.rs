//! Contract tests of the Meta sandbox against docs/meta-api.md: shapes, errors, lifetimes, paging,
//! single-use codes, granular selection, persistence.

mod control;
mod dialog;
mod faults;
mod graph;
mod standalone;
mod tokens;

use crate::helpers::TestApp;
use meta_sandbox::SandboxApps;
use reqwest::Client;
use serde_json::Value;

pub const ALEX: &str = "10000000000000001";
pub const NORA: &str = "10000000000000002";
pub const EDDIE: &str = "10000000000000003";
pub const BEA: &str = "10000000000000004";
pub const SCOPE: &str = "pages_show_list,pages_manage_posts,pages_read_engagement,instagram_basic,instagram_content_publish";

/// A client of the sandbox, like any Meta client library pointed at it.
pub struct Meta<'a> {
    pub app: &'a TestApp,
    pub apps: SandboxApps,
    pub http: Client,
}

impl<'a> Meta<'a> {
    pub async fn new(app: &'a TestApp) -> Self {
        let apps = app.sandbox.apps().await.unwrap();
        let http = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self { app, apps, http }
    }

    pub fn callback(&self) -> String {
        self.app.url("/oauth/meta/callback")
    }

    pub fn dialog_url(&self) -> String {
        self.app.url("/sandbox/facebook/v25.0/dialog/oauth")
    }

    /// The dialog's base parameters for this app.
    pub fn dialog_params(&self, scope: &str) -> Vec<(String, String)> {
        vec![
            ("client_id".into(), self.apps.facebook.app_id.clone()),
            ("redirect_uri".into(), self.callback()),
            ("state".into(), "state-123".into()),
            ("scope".into(), scope.into()),
        ]
    }

    /// Submits the consent screen as `user`, sharing `pages` and granting `permissions`;
    /// returns the redirect's `Location`.
    pub async fn consent(
        &self,
        user: &str,
        pages: &[&str],
        permissions: &[&str],
        extra: &[(&str, &str)],
    ) -> String {
        let mut form = self.dialog_params(SCOPE);
        for (key, value) in extra {
            form.retain(|(k, _)| k != key);
            form.push(((*key).into(), (*value).into()));
        }
        form.push(("sandbox_user".into(), user.into()));
        form.push(("decision".into(), "continue".into()));
        form.extend(pages.iter().map(|p| ("page".to_owned(), (*p).to_owned())));
        form.extend(
            permissions
                .iter()
                .map(|p| ("permission".to_owned(), (*p).to_owned())),
        );
        let response = self
            .http
            .post(self.dialog_url())
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "consent redirects");
        crate::helpers::location(&response)
    }

    /// A code for `user` who shared `pages` and granted every permission of [`SCOPE`].
    pub async fn code(&self, user: &str, pages: &[&str]) -> String {
        let location = self
            .consent(user, pages, &SCOPE.split(',').collect::<Vec<_>>(), &[])
            .await;
        query_value(&location, "code").expect("a code")
    }

    pub async fn graph(&self, path: &str, params: &[(&str, &str)]) -> (u16, Value) {
        self.call(reqwest::Method::GET, path, params).await
    }

    pub async fn graph_delete(&self, path: &str, params: &[(&str, &str)]) -> (u16, Value) {
        self.call(reqwest::Method::DELETE, path, params).await
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        params: &[(&str, &str)],
    ) -> (u16, Value) {
        let url = self.app.url(&format!("/sandbox/graph/v25.0{path}"));
        let response = self
            .http
            .request(method, url)
            .query(params)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Exchanges a code (answer as JSON).
    pub async fn exchange(&self, code: &str) -> (u16, Value) {
        let (id, secret, callback) = (
            self.apps.facebook.app_id.clone(),
            self.apps.facebook.app_secret.clone(),
            self.callback(),
        );
        self.graph(
            "/oauth/access_token",
            &[
                ("client_id", &id),
                ("client_secret", &secret),
                ("redirect_uri", &callback),
                ("code", code),
            ],
        )
        .await
    }

    /// A short-lived user token for `user` sharing `pages`.
    pub async fn user_token(&self, user: &str, pages: &[&str]) -> String {
        let code = self.code(user, pages).await;
        let (status, body) = self.exchange(&code).await;
        assert_eq!(status, 200, "{body}");
        body["access_token"].as_str().unwrap().to_owned()
    }

    /// A long-lived user token for `user` sharing `pages`.
    pub async fn long_token(&self, user: &str, pages: &[&str]) -> String {
        let short = self.user_token(user, pages).await;
        let (status, body) = self.long_lived(&short).await;
        assert_eq!(status, 200, "{body}");
        body["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn long_lived(&self, token: &str) -> (u16, Value) {
        let (id, secret) = (
            self.apps.facebook.app_id.clone(),
            self.apps.facebook.app_secret.clone(),
        );
        self.graph(
            "/oauth/access_token",
            &[
                ("grant_type", "fb_exchange_token"),
                ("client_id", &id),
                ("client_secret", &secret),
                ("fb_exchange_token", token),
            ],
        )
        .await
    }

    /// `{app-id}|{app-secret}`.
    pub fn app_token(&self) -> String {
        format!(
            "{}|{}",
            self.apps.facebook.app_id, self.apps.facebook.app_secret
        )
    }
}

/// A query parameter of an absolute or relative URL.
pub fn query_value(url: &str, key: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    parsed
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// The Graph error's (code, subcode).
pub fn error_code(body: &Value) -> (i64, Option<i64>) {
    (
        body["error"]["code"].as_i64().unwrap_or_default(),
        body["error"]["error_subcode"].as_i64(),
    )
}

/// Calls the sandbox's control API; answers (status, JSON body or `Null`).
pub async fn control(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request =
        reqwest::Client::new().request(method, app.url(&format!("/sandbox/_control{path}")));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

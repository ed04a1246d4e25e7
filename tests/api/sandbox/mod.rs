//! Contract tests of the Meta sandbox against docs/meta-api.md: shapes, errors, lifetimes, paging,
//! single-use codes, granular selection, persistence.

mod control;
mod dialog;
mod faults;
mod fidelity;
mod graph;
mod instagram;
mod logins;
mod standalone;
mod threads;
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

/// The default world's Instagram Login accounts (app-scoped ids) and their professional ids.
pub const ACME_DIRECT: &str = "2468013579001";
pub const ACME_DIRECT_IG: &str = "17841400000000011";
pub const CREATOR_CAT: &str = "2468013579002";
pub const PERSONAL_PAT: &str = "2468013579003";
pub const ACMEBAKERY: &str = "2468013579004";
/// The default world's Threads profile.
pub const ACME_THREADS: &str = "7000000000000001";
pub const IG_SCOPE: &str = "instagram_business_basic,instagram_business_content_publish";
pub const THREADS_SCOPE: &str = "threads_basic,threads_content_publish";

/// The two logins whose users are accounts, as the tests drive them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    Instagram,
    Threads,
}

impl Login {
    /// The callback provider segment, `/oauth/{provider}/callback`.
    pub fn provider(self) -> &'static str {
        match self {
            Login::Instagram => "instagram",
            Login::Threads => "threads",
        }
    }

    /// Every permission the tests request of this login.
    pub fn scope(self) -> &'static str {
        match self {
            Login::Instagram => IG_SCOPE,
            Login::Threads => THREADS_SCOPE,
        }
    }

    /// The Graph host's path under `/sandbox`.
    pub fn graph_host(self) -> &'static str {
        match self {
            Login::Instagram => "/sandbox/instagram-graph",
            Login::Threads => "/sandbox/threads-graph",
        }
    }

    /// The version its documentation uses.
    pub fn version(self) -> &'static str {
        match self {
            Login::Instagram => "v25.0",
            Login::Threads => "v1.0",
        }
    }

    pub fn exchange_grant(self) -> &'static str {
        match self {
            Login::Instagram => "ig_exchange_token",
            Login::Threads => "th_exchange_token",
        }
    }

    pub fn refresh_grant(self) -> &'static str {
        match self {
            Login::Instagram => "ig_refresh_token",
            Login::Threads => "th_refresh_token",
        }
    }
}

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

    /// The app credentials of `login`.
    pub fn login_app(&self, login: Login) -> &meta_sandbox::AppCredentials {
        match login {
            Login::Instagram => &self.apps.instagram,
            Login::Threads => &self.apps.threads,
        }
    }

    /// The app's callback for `login`.
    pub fn login_callback(&self, login: Login) -> String {
        self.app
            .url(&format!("/oauth/{}/callback", login.provider()))
    }

    /// The dialog of `login`.
    pub fn login_dialog_url(&self, login: Login) -> String {
        self.app
            .url(&format!("/sandbox/{}/oauth/authorize", login.provider()))
    }

    /// The dialog's base parameters for `login`'s app, asking for `scope`.
    pub fn login_params(&self, login: Login, scope: &str) -> Vec<(String, String)> {
        vec![
            ("client_id".into(), self.login_app(login).app_id.clone()),
            ("redirect_uri".into(), self.login_callback(login)),
            ("response_type".into(), "code".into()),
            ("state".into(), "state-456".into()),
            ("scope".into(), scope.into()),
        ]
    }

    /// Opens `login`'s dialog with `params`: (status, HTML).
    pub async fn login_page(&self, login: Login, params: &[(String, String)]) -> (u16, String) {
        let response = self
            .http
            .get(self.login_dialog_url(login))
            .query(params)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    /// Submits `login`'s consent screen as `account` (or presses Cancel when `decision` is
    /// `cancel`), granting `permissions` of the login's whole scope; answers the response.
    pub async fn login_submit(
        &self,
        login: Login,
        account: &str,
        permissions: &[&str],
        decision: &str,
    ) -> reqwest::Response {
        let mut form = self.login_params(login, login.scope());
        form.push(("sandbox_user".into(), account.into()));
        form.push(("decision".into(), decision.into()));
        form.extend(
            permissions
                .iter()
                .map(|p| ("permission".to_owned(), (*p).to_owned())),
        );
        self.http
            .post(self.login_dialog_url(login))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// Presses Continue on `login`'s consent screen as `account`; answers the redirect's
    /// `Location`.
    pub async fn login_consent(&self, login: Login, account: &str, permissions: &[&str]) -> String {
        let response = self
            .login_submit(login, account, permissions, "continue")
            .await;
        assert_eq!(response.status(), 303, "consent redirects");
        crate::helpers::location(&response)
    }

    /// Instagram Login's consent as `account`, granting `permissions`: the `Location`.
    pub async fn instagram_consent(&self, account: &str, permissions: &[&str]) -> String {
        self.login_consent(Login::Instagram, account, permissions)
            .await
    }

    /// A code of `login` for `account`, who granted `permissions`.
    pub async fn login_code(&self, login: Login, account: &str, permissions: &[&str]) -> String {
        let location = self.login_consent(login, account, permissions).await;
        let without_fragment = location.trim_end_matches("#_");
        query_value(without_fragment, "code").expect("a code")
    }

    /// An Instagram Login code for `account`, who granted `permissions`.
    pub async fn instagram_code(&self, account: &str, permissions: &[&str]) -> String {
        self.login_code(Login::Instagram, account, permissions)
            .await
    }

    /// A Threads code for `profile`, who granted `permissions`.
    pub async fn threads_code(&self, profile: &str, permissions: &[&str]) -> String {
        self.login_code(Login::Threads, profile, permissions).await
    }

    /// Posts `form` to `login`'s code-exchange endpoint (api.instagram.com's, or
    /// graph.threads.net's): (status, JSON).
    pub async fn login_token_call(&self, login: Login, form: &[(&str, &str)]) -> (u16, Value) {
        let path = match login {
            Login::Instagram => "/sandbox/instagram-api/oauth/access_token",
            Login::Threads => "/sandbox/threads-graph/oauth/access_token",
        };
        let response = self
            .http
            .post(self.app.url(path))
            .form(form)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Exchanges a code of `login` with the right client and callback: (status, JSON).
    pub async fn login_exchange(&self, login: Login, code: &str) -> (u16, Value) {
        let app = self.login_app(login).clone();
        let callback = self.login_callback(login);
        self.login_token_call(
            login,
            &[
                ("client_id", &app.app_id),
                ("client_secret", &app.app_secret),
                ("grant_type", "authorization_code"),
                ("redirect_uri", &callback),
                ("code", code),
            ],
        )
        .await
    }

    /// GET `path` (with any version in it) on `login`'s Graph host: (status, JSON).
    pub async fn login_graph(
        &self,
        login: Login,
        path: &str,
        params: &[(&str, &str)],
    ) -> (u16, Value) {
        let url = self.app.url(&format!("{}{path}", login.graph_host()));
        let response = self.http.get(url).query(params).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// A short-lived token of `login` for `account`, who granted every permission asked.
    pub async fn login_token(&self, login: Login, account: &str) -> String {
        let scope: Vec<&str> = login.scope().split(',').collect();
        let code = self.login_code(login, account, &scope).await;
        let (status, body) = self.login_exchange(login, &code).await;
        assert_eq!(status, 200, "{body}");
        let token = match (login, body["data"][0]["access_token"].as_str()) {
            (Login::Instagram, Some(token)) => token,
            _ => body["access_token"].as_str().unwrap(),
        };
        token.to_owned()
    }

    /// Short → long-lived on `login`'s Graph host: (status, JSON).
    pub async fn login_long_lived(&self, login: Login, short: &str) -> (u16, Value) {
        let secret = self.login_app(login).app_secret.clone();
        self.login_graph(
            login,
            "/access_token",
            &[
                ("grant_type", login.exchange_grant()),
                ("client_secret", &secret),
                ("access_token", short),
            ],
        )
        .await
    }

    /// A long-lived token of `login` for `account`.
    pub async fn login_long_token(&self, login: Login, account: &str) -> String {
        let short = self.login_token(login, account).await;
        let (status, body) = self.login_long_lived(login, &short).await;
        assert_eq!(status, 200, "{body}");
        body["access_token"].as_str().unwrap().to_owned()
    }

    /// Refreshes a long-lived token of `login`: (status, JSON).
    pub async fn login_refresh(&self, login: Login, long: &str) -> (u16, Value) {
        self.login_graph(
            login,
            "/refresh_access_token",
            &[
                ("grant_type", login.refresh_grant()),
                ("access_token", long),
            ],
        )
        .await
    }

    /// `me` on `login`'s Graph host with `token` and `fields`: (status, JSON).
    pub async fn login_me(&self, login: Login, token: &str, fields: &str) -> (u16, Value) {
        let path = format!("/{}/me", login.version());
        self.login_graph(login, &path, &[("access_token", token), ("fields", fields)])
            .await
    }
}

/// The `href` of the link whose text is `text` in `html`, unescaped (`&amp;` → `&`).
pub fn link_href(html: &str, text: &str) -> Option<String> {
    let end = html.find(&format!(">{text}</a>"))?;
    let start = html[..end].rfind("href=\"")? + "href=\"".len();
    let href = &html[start..end];
    let href = href.strip_suffix('"').unwrap_or(href);
    Some(href.replace("&amp;", "&"))
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

//! The test harness: `spawn_app()` starts the real application on 127.0.0.1:0 over a fresh
//! database and returns a [`TestApp`] with a cookie-keeping client and one helper per user
//! action.

use reqwest::header::{ACCEPT, ORIGIN, REFERER};
use reqwest::{redirect, Client, Response};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use std::sync::Arc;
use switchboard::server::clock::OffsetClock;
use switchboard::server::config::Config;
use switchboard::server::config::MasterKeySource;
use switchboard::server::startup::Application;
use tokio::sync::oneshot;

pub const OWNER_EMAIL: &str = "olive@example.com";
pub const OWNER_PASSWORD: &str = "correct horse battery staple";
pub const WORKSPACE: &str = "Acme Social";
/// The first-run setup form the standard Owner fills in.
pub const OWNER_SETUP: [(&str, &str); 4] = [
    ("workspace_name", WORKSPACE),
    ("name", "Olive Owner"),
    ("email", OWNER_EMAIL),
    ("password", OWNER_PASSWORD),
];
/// `SWITCHBOARD_HTTP_TIMEOUT` in tests.
pub const TEST_HTTP_TIMEOUT: &str = "2s";

pub struct TestApp {
    /// `http://127.0.0.1:{port}`, also the app's `PUBLIC_URL`.
    pub address: String,
    pub client: Client,
    pub clock: Arc<OffsetClock>,
    pub db: DatabaseConnection,
    /// The Meta sandbox mounted in this app (tests run in sandbox mode).
    pub sandbox: meta_sandbox::Sandbox,
    /// The app's master keys (tests open stored tokens with them to prove what was stored).
    pub keyring: switchboard::server::crypto::Keyring,
    /// The app's vault (tests open stored tokens in their slots).
    pub vault: switchboard::server::crypto::vault::Vault,
    /// The app's password hasher (its counter shows how many passwords were checked).
    pub passwords: switchboard::server::auth::password::Passwords,
    /// Statements the app's database has run (`db::count_statements`).
    pub statements: Arc<std::sync::atomic::AtomicU64>,
    pub database_url: String,
    /// The running app's state (tests run a background job's pass with it).
    pub state: switchboard::server::state::AppState,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    _dir: Arc<tempfile::TempDir>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A fresh database URL: a new PostgreSQL database when `TEST_DATABASE_URL` is set, else a
/// SQLite file in `dir`.
pub async fn fresh_database_url(dir: &tempfile::TempDir) -> String {
    match std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())
    {
        Some(admin_url) => {
            let name = format!("sbt_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&admin_url)
                .await
                .expect("TEST_DATABASE_URL answers");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
            url.set_path(&format!("/{name}"));
            url.to_string()
        }
        None => format!("sqlite://{}/switchboard.db?mode=rwc", dir.path().display()),
    }
}

/// Starts the app over a fresh database.
pub async fn spawn_app() -> TestApp {
    let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
    let database_url = fresh_database_url(&dir).await;
    spawn_app_on(&database_url, dir).await
}

/// The configuration every test app runs with: sandbox mode, port 0, a short Meta timeout and
/// the master key file beside the test's database.
pub fn test_config(database_url: &str, dir: &tempfile::TempDir) -> Config {
    test_config_with(database_url, dir, &[])
}

/// [`test_config`] with more variables set (they win over the test defaults).
pub fn test_config_with(
    database_url: &str,
    dir: &tempfile::TempDir,
    extra: &[(&str, &str)],
) -> Config {
    let database = database_url.to_owned();
    let extra: Vec<(String, String)> = extra
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let mut config = Config::from_lookup(|name| match name {
        _ if extra.iter().any(|(k, _)| k == name) => extra
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone()),
        "LEPTOS_SITE_ADDR" => Some("127.0.0.1:0".to_owned()),
        "DATABASE_URL" => Some(database.clone()),
        "SWITCHBOARD_SANDBOX" => Some("1".to_owned()),
        // Short, so failure-injection timeouts end tests quickly; ample for loopback calls.
        "SWITCHBOARD_HTTP_TIMEOUT" => Some(TEST_HTTP_TIMEOUT.to_owned()),
        _ => None,
    })
    .expect("test configuration");
    // The key file lives (and is generated on first start) beside the test's database.
    config.keys.master = MasterKeySource::File {
        path: dir.path().join("master.key"),
        create: true,
    };
    config
}

/// Starts the app over a fresh database with more configuration variables.
pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    let dir = Arc::new(tempfile::tempdir().expect("temp dir"));
    let database_url = fresh_database_url(&dir).await;
    let config = test_config_with(&database_url, &dir, extra);
    start(config, &database_url, dir).await
}

/// Starts the app over an existing database (a restart).
pub async fn spawn_app_on(database_url: &str, dir: Arc<tempfile::TempDir>) -> TestApp {
    let config = test_config(database_url, &dir);
    start(config, database_url, dir).await
}

/// Restarts the app over an existing database with the master key `current` and `previous`
/// keys given inline (a key rotation), in place of the key file.
pub async fn spawn_app_with_keys(
    database_url: &str,
    dir: Arc<tempfile::TempDir>,
    current: &switchboard::server::crypto::MasterKey,
    previous: &[&switchboard::server::crypto::MasterKey],
    extra: &[(&str, &str)],
) -> TestApp {
    let config = keyed_config(database_url, &dir, current, previous, extra);
    start(config, database_url, dir).await
}

/// [`test_config_with`] with the master keys given inline.
pub fn keyed_config(
    database_url: &str,
    dir: &tempfile::TempDir,
    current: &switchboard::server::crypto::MasterKey,
    previous: &[&switchboard::server::crypto::MasterKey],
    extra: &[(&str, &str)],
) -> Config {
    let mut config = test_config_with(database_url, dir, extra);
    config.keys.master = MasterKeySource::Inline(secrecy::SecretString::from(current.to_base64()));
    config.keys.previous = previous
        .iter()
        .map(|key| secrecy::SecretString::from(key.to_base64()))
        .collect();
    config
}

async fn start(config: Config, database_url: &str, dir: Arc<tempfile::TempDir>) -> TestApp {
    let clock = Arc::new(OffsetClock::default());
    let app = Application::build(config, clock.clone())
        .await
        .expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    let sandbox = app.sandbox().cloned().expect("sandbox mode");
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        app.run_until_stopped(async {
            let _ = rx.await;
        })
        .await
        .expect("server runs");
    });
    TestApp {
        address,
        client: new_client(),
        clock,
        db: state.db.clone(),
        sandbox,
        keyring: state.vault.keyring().clone(),
        vault: state.vault.clone(),
        passwords: state.passwords.clone(),
        statements: state.statements.clone(),
        database_url: database_url.to_owned(),
        state,
        shutdown: Some(tx),
        server: Some(server),
        _dir: dir,
    }
}

/// Posts a form to the server at `address` as a browser would from `from_page` there: same
/// Origin, Referer, Accept HTML. (Crash tests drive a server in another process this way, and
/// it may die before it answers.)
pub async fn post_form_to(
    address: &str,
    client: &Client,
    action: &str,
    from_page: &str,
    form: &[(&str, &str)],
) -> reqwest::Result<Response> {
    client
        .post(format!("{address}{action}"))
        .header(ORIGIN, address)
        .header(REFERER, format!("{address}{from_page}"))
        .header(ACCEPT, "text/html")
        .form(form)
        .send()
        .await
}

/// A browser-like client: keeps cookies, does not follow redirects (tests assert them).
pub fn new_client() -> Client {
    Client::builder()
        .redirect(redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// The folder holding the test's key file (and SQLite database).
    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// [`TestApp::dir`], shared: another instance over the same database starts in it.
    pub fn dir_arc(&self) -> Arc<tempfile::TempDir> {
        self._dir.clone()
    }

    /// Stops the server and waits for it, keeping the database (for restart tests).
    pub async fn stop(mut self) -> (String, Arc<tempfile::TempDir>) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        (self.database_url.clone(), self._dir.clone())
    }

    pub async fn get(&self, path: &str) -> Response {
        self.get_with(&self.client, path).await
    }

    pub async fn get_with(&self, client: &Client, path: &str) -> Response {
        client
            .get(self.url(path))
            .header(ACCEPT, "text/html")
            .send()
            .await
            .unwrap()
    }

    /// The body of a page (asserting 200).
    pub async fn page(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.text().await.unwrap()
    }

    /// Posts a form as a browser would from `from_page`: same Origin, Referer, Accept HTML.
    pub async fn post_form_with(
        &self,
        client: &Client,
        action: &str,
        from_page: &str,
        form: &[(&str, &str)],
    ) -> Response {
        post_form_to(&self.address, client, action, from_page, form)
            .await
            .unwrap()
    }

    pub async fn post_form(
        &self,
        action: &str,
        from_page: &str,
        form: &[(&str, &str)],
    ) -> Response {
        self.post_form_with(&self.client, action, from_page, form)
            .await
    }

    /// Follows one redirect and returns the page it leads to.
    pub async fn follow(&self, response: Response) -> (String, String) {
        self.follow_with(&self.client, response).await
    }

    /// [`TestApp::follow`] for another browser.
    pub async fn follow_with(&self, client: &Client, response: Response) -> (String, String) {
        assert!(
            response.status().is_redirection(),
            "expected a redirect, got {}",
            response.status()
        );
        let location = location(&response);
        let target = if location.starts_with("http") {
            location.clone()
        } else {
            self.url(&location)
        };
        let page = client
            .get(&target)
            .header(ACCEPT, "text/html")
            .send()
            .await
            .unwrap();
        (location, page.text().await.unwrap())
    }

    pub async fn setup_with(
        &self,
        workspace: &str,
        name: &str,
        email: &str,
        password: &str,
    ) -> Response {
        self.post_form(
            "/api/setup",
            "/setup",
            &[
                ("workspace_name", workspace),
                ("name", name),
                ("email", email),
                ("password", password),
            ],
        )
        .await
    }

    /// Runs first-run setup with the standard Owner, who stays signed in on `self.client`.
    pub async fn setup(&self) {
        let response = self
            .setup_with(WORKSPACE, "Olive Owner", OWNER_EMAIL, OWNER_PASSWORD)
            .await;
        assert_eq!(location(&response), "/accounts", "setup succeeds");
    }

    pub async fn login_with(&self, client: &Client, email: &str, password: &str) -> Response {
        self.login_then(client, email, password, "").await
    }

    /// Signs in from the sign-in page with `next` as the page to go to afterwards.
    pub async fn login_then(
        &self,
        client: &Client,
        email: &str,
        password: &str,
        next: &str,
    ) -> Response {
        self.post_form_with(
            client,
            "/api/login",
            "/login",
            &[("email", email), ("password", password), ("next", next)],
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.login_with(&self.client, email, password).await
    }

    pub async fn logout(&self) -> Response {
        self.post_form("/api/logout", "/accounts", &[]).await
    }

    /// The number of rows in `table`.
    pub async fn count(&self, table: &str) -> i64 {
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                self.db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    }
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The user-facing message a no-JavaScript form post came back with: the response redirects to
/// the form's page with the error, and that page shows it.
pub async fn form_error(app: &TestApp, response: Response) -> String {
    form_error_with(app, &app.client, response).await
}

/// [`form_error`] for another browser.
pub async fn form_error_with(app: &TestApp, client: &Client, response: Response) -> String {
    assert_eq!(
        response.status(),
        302,
        "a browser form error redirects back"
    );
    let (location, body) = app.follow_with(client, response).await;
    assert!(
        location.contains("__err="),
        "redirect carries the error: {location}"
    );
    let start = body
        .find("role=\"alert\"")
        .unwrap_or_else(|| panic!("no alert on the page: {body}"));
    let text = &body[start..];
    let open = text.find('>').unwrap() + 1;
    let close = text[open..].find('<').unwrap() + open;
    html_unescape(&text[open..close])
}

pub fn html_unescape(text: &str) -> String {
    text.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A server function called the way a script would (no `Accept: text/html`): the status and,
/// for errors, the JSON error (`{"code": …}`).
pub async fn call_api(
    app: &TestApp,
    client: &Client,
    action: &str,
    form: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    let response = client
        .post(app.url(action))
        .header(ORIGIN, &app.address)
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
    )
}

impl TestApp {
    /// Adds a member through the **Add member** form as the signed-in Owner of `self.client`.
    pub async fn add_member(
        &self,
        email: &str,
        name: &str,
        role: &str,
        password: &str,
    ) -> Response {
        self.post_form(
            "/api/add_member",
            "/settings/members",
            &[
                ("email", email),
                ("name", name),
                ("role", role),
                ("password", password),
            ],
        )
        .await
    }

    /// A fresh browser signed in as `email`.
    pub async fn signed_in(&self, email: &str, password: &str) -> Client {
        let client = new_client();
        let response = self.login_with(&client, email, password).await;
        assert_eq!(location(&response), "/accounts", "{email} signs in");
        client
    }

    /// The id of the user with `email`.
    pub async fn user_id(&self, email: &str) -> i64 {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use switchboard::server::entities::user;
        user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(&self.db)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no user {email}"))
            .id
    }

    /// The id of the workspace called `name`.
    pub async fn workspace_id(&self, name: &str) -> i64 {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use switchboard::server::entities::workspace;
        workspace::Entity::find()
            .filter(workspace::Column::Name.eq(name))
            .one(&self.db)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no workspace {name}"))
            .id
    }

    /// `email`'s role in the workspace called `workspace`, if a member.
    pub async fn role_of(&self, email: &str, workspace: &str) -> Option<String> {
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_sql_and_values(
                self.db.get_database_backend(),
                match self.db.get_database_backend() {
                    sea_orm::DbBackend::Postgres => "SELECT m.role AS role FROM memberships m JOIN users u ON u.id = m.user_id JOIN workspaces w ON w.id = m.workspace_id WHERE u.email = $1 AND w.name = $2",
                    _ => "SELECT m.role AS role FROM memberships m JOIN users u ON u.id = m.user_id JOIN workspaces w ON w.id = m.workspace_id WHERE u.email = ? AND w.name = ?",
                },
                [email.into(), workspace.into()],
            ))
            .await
            .unwrap()?;
        Some(row.try_get::<String>("", "role").unwrap())
    }
}

/// The role message for `action`.
pub fn role_message(action: &str) -> String {
    format!("Your role doesn't allow {action}. Ask a workspace owner or admin, or have your role updated.")
}

impl TestApp {
    /// Signs the Owner in again on `self.client` and answers the session cookie it was given,
    /// as a `Cookie` header value (for replaying it from another client).
    pub async fn session_cookie(&self) -> String {
        let response = self.login(OWNER_EMAIL, OWNER_PASSWORD).await;
        set_cookie(&response, "switchboard_session").expect("sign-in sets the session cookie")
    }

    /// Where `/accounts` sends a browser that presents only `cookie` (a `Cookie` header
    /// value): `""` when the session is alive, `/login?next=…` when it has ended.
    pub async fn replay_cookie(&self, cookie: &str) -> String {
        let response = new_client()
            .get(self.url("/accounts"))
            .header(reqwest::header::COOKIE, cookie)
            .header(ACCEPT, "text/html")
            .send()
            .await
            .unwrap();
        location(&response)
    }

    /// How many session rows the database holds for `user_id`.
    pub async fn session_rows(&self, user_id: i64) -> i64 {
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        use switchboard::server::entities::session;
        session::Entity::find()
            .filter(session::Column::UserId.eq(user_id))
            .count(&self.db)
            .await
            .unwrap() as i64
    }
}

/// The `name=value` part of the response's `Set-Cookie` for cookie `name`.
pub fn set_cookie(response: &Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        .find(|pair| pair.starts_with(&format!("{name}=")))
}

/// A stored ciphertext with one base64 character near its end changed: still well-formed, no
/// longer authentic, so it fails to open as a tampered token does.
pub fn spoiled(ciphertext: &str) -> String {
    let mut bytes = ciphertext.as_bytes().to_vec();
    let last = bytes.len() - 2;
    bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).unwrap()
}

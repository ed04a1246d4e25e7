//! The Meta sandbox: a faithful, persistent stand-in for Facebook Login, Instagram Login,
//! Threads and their Graph APIs (docs/meta-api.md), mounted by the app at `/sandbox` in
//! sandbox mode, outside the app's
//! session, origin-check and sign-in layers. What it knows lives in its own tables
//! (`meta_sandbox_*`, made by its own migrator, [`migrate`]); codes and tokens only as SHA-256
//! digests.
//!
//! It is a crate of its own so the compiler keeps the two sides apart (docs/architecture.md):
//! it depends on nothing of the app's — it is given a database connection, a clock and the
//! app's URL — and has its own protocol code ([`protocol`]), so it cannot agree with the app's
//! client by sharing its bugs. The app uses it only behind its `sandbox` feature.
//!
//! [`Sandbox`] is also the Rust API tests use to set the scene: load a scenario, move the
//! sandbox clock, invalidate a user's tokens, plan failures, read the call log, produce and
//! deliver signed requests.

pub mod account_graph;
pub mod account_login;
pub mod app_url;
pub mod arrival;
mod call_log;
pub mod calls;
pub mod clock;
pub mod control;
pub mod control_guard;
pub mod dialog;
pub mod entities;
pub mod failure_plans;
pub mod failures;
pub mod fields;
pub mod graph;
pub mod index;
pub mod instagram;
pub mod issued;
mod migrations;
pub mod protocol;
pub mod publishing;
pub mod scenario;
pub mod settings;
pub mod signed;
pub mod threads;

pub use app_url::AppUrl;
pub use clock::{Clock, SystemClock};
pub use migrations::migrate;
pub use settings::{AppCredentials, SandboxApps, CLOCK_RANGE_MESSAGE, MAX_CLOCK_OFFSET_SECONDS};

use axum::Router;
use sea_orm::{DatabaseConnection, DbErr};
use std::sync::atomic::AtomicI64;
use std::sync::Arc;

/// The Graph API version the sandbox answers to when none is configured.
pub const DEFAULT_GRAPH_VERSION: &str = "v25.0";

/// The sandbox's handle: its database, the base clock and the app it serves.
#[derive(Clone)]
pub struct Sandbox {
    pub(crate) db: DatabaseConnection,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) app_url: AppUrl,
    /// The last offset read from or written to the database ([`Sandbox::cached_clock_offset`]).
    offset: Arc<AtomicI64>,
    /// The credentials never change once stored, so every Graph call needn't read them.
    apps: Arc<tokio::sync::OnceCell<SandboxApps>>,
    /// The scenario last parsed, with the stored text it came from: a world of thousands of
    /// Pages is read on every Graph call but parsed only when it changed.
    parsed: Arc<std::sync::Mutex<Option<ParsedScenario>>>,
    /// Calls logging at the same moment share one insert.
    call_log: Arc<call_log::CallLog>,
}

/// A parsed scenario and the stored text it was parsed from.
type ParsedScenario = (String, Arc<scenario::Scenario>);

impl Sandbox {
    /// A handle over `db`, whose sandbox tables [`migrate`] has made.
    pub fn new(db: DatabaseConnection, clock: Arc<dyn Clock>, app_url: AppUrl) -> Self {
        Self {
            db,
            clock,
            app_url,
            offset: Arc::new(AtomicI64::new(0)),
            apps: Arc::new(tokio::sync::OnceCell::new()),
            parsed: Arc::default(),
            call_log: Arc::default(),
        }
    }

    /// The routes, to be nested at `/sandbox`.
    pub fn router(&self) -> Router {
        // Every Meta-facing route is observed: failures injected, calls logged — unknown
        // paths on the API hosts too (they answer Graph's error through the fallback).
        let meta = Router::new()
            .merge(dialog::routes())
            .merge(graph::routes())
            .merge(publishing::graph_routes())
            .merge(instagram::routes())
            .merge(threads::routes())
            .fallback(graph::fidelity::unknown_path)
            .layer(axum::middleware::from_fn_with_state(
                self.clone(),
                calls::observe,
            ));
        let routes = Router::new()
            .route("/", axum::routing::get(index::index))
            .nest("/_control", control::routes(self))
            .merge(meta)
            .with_state(self.clone());
        // Trailing slashes and the `method` override change which route answers, so they are
        // applied before routing: a layer on a router that only has a fallback runs before
        // the fallback — here the real router — routes.
        Router::new()
            .fallback_service(routes)
            .layer(axum::middleware::from_fn(graph::fidelity::before_routing))
    }

    /// Invalidates every token `user_id` gave any of the three apps, as Meta does after a
    /// password change (460), a logout (467), app removal (458), expiry (463) or a lost Page
    /// role (492). Facebook user ids, Instagram Login app-scoped ids and Threads ids are
    /// distinct, so "every app" reaches exactly that person's tokens.
    pub async fn invalidate_user(&self, user_id: &str, subcode: i32) -> Result<(), DbErr> {
        let apps = self.apps().await?;
        for app in [&apps.facebook, &apps.instagram, &apps.threads] {
            self.invalidate_tokens(&app.app_id, user_id, subcode)
                .await?;
        }
        Ok(())
    }

    /// Revokes one permission `user_id` granted the Facebook app (it becomes declined).
    pub async fn revoke_permission(&self, user_id: &str, permission: &str) -> Result<bool, DbErr> {
        let apps = self.apps().await?;
        self.revoke_app_permission(&apps.facebook.app_id, user_id, permission)
            .await
    }

    /// Serves the sandbox alone on `listener`, for tests of a Meta client that don't need the
    /// app (the dialogs still redirect only to the app URL's callbacks).
    pub async fn serve(self, listener: tokio::net::TcpListener) -> std::io::Result<()> {
        let router = Router::new().nest_service("/sandbox", self.router());
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    }

    /// The only redirect URIs the dialogs accept: this app's callbacks.
    pub fn callback_url(&self, provider: &str) -> String {
        self.app_url.join(&format!("/oauth/{provider}/callback"))
    }
}

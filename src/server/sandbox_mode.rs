//! Sandbox mode: the one place the app touches the Meta sandbox crate (`meta-sandbox`,
//! `sandbox/`), and only when built with the `sandbox` feature (docs/architecture.md). It
//! migrates the sandbox's tables, starts it over the app's database and base clock, points the
//! Meta clients at it, lets the app's clock follow the sandbox clock, and mounts it at
//! `/sandbox`. Nothing else in the product names the sandbox.

use crate::server::clock::Clock;
use crate::server::config::{MetaApp, MetaSettings, PublicUrl};
use anyhow::Context;
use axum::Router;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use secrecy::SecretString;
use std::sync::Arc;
use std::time::Duration;

pub use meta_sandbox::Sandbox;

/// How often the sandbox clock is re-read (another instance may have moved it).
const CLOCK_SYNC: Duration = Duration::from_secs(2);

/// Makes the sandbox's own tables; runs before the product's migrations (see
/// `meta_sandbox::migrate` for why the order matters once).
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    meta_sandbox::migrate(db)
        .await
        .map_err(|err| anyhow::anyhow!("the Meta sandbox's migration failed: {err}"))
}

/// The app's base clock, as the sandbox takes it.
struct BaseClock(Arc<dyn Clock>);

impl meta_sandbox::Clock for BaseClock {
    fn unix(&self) -> i64 {
        self.0.unix()
    }
}

/// Starts the sandbox over the app's database: its credentials are generated on first run and
/// kept, and its clock offset is read so the app's clock starts where the sandbox's is.
pub async fn start(
    db: DatabaseConnection,
    base: Arc<dyn Clock>,
    public_url: &PublicUrl,
) -> anyhow::Result<Sandbox> {
    let app_url = meta_sandbox::AppUrl::parse(public_url.base())
        .map_err(|err| anyhow::anyhow!("cannot start the Meta sandbox: {err}"))?;
    let sandbox = Sandbox::new(db, Arc::new(BaseClock(base)), app_url);
    sandbox
        .apps()
        .await
        .context("cannot prepare the Meta sandbox")?;
    sandbox
        .clock_offset()
        .await
        .context("cannot read the sandbox clock")?;
    tracing::info!(
        "Meta sandbox mode: the sandbox stands in for Meta at {}",
        public_url.join("/sandbox")
    );
    Ok(sandbox)
}

/// The app's clock in sandbox mode: its base clock plus the sandbox's offset, so moving the
/// sandbox clock moves the app's too (token lifetimes, state expiry, rolling limits).
struct FollowsSandbox {
    base: Arc<dyn Clock>,
    sandbox: Sandbox,
}

impl Clock for FollowsSandbox {
    fn now(&self) -> DateTime<Utc> {
        let base = self.base.now();
        // The sandbox bounds its offset; should it ever not be, the clock falls back to the
        // base time rather than panic.
        chrono::TimeDelta::try_seconds(self.sandbox.cached_clock_offset())
            .and_then(|offset| base.checked_add_signed(offset))
            .unwrap_or(base)
    }
}

pub fn app_clock(sandbox: &Sandbox, base: Arc<dyn Clock>) -> Arc<dyn Clock> {
    Arc::new(FollowsSandbox {
        base,
        sandbox: sandbox.clone(),
    })
}

/// Re-reads the sandbox clock every two seconds, for as long as the app runs.
pub async fn follow_clock(sandbox: Sandbox) {
    let mut sync = tokio::time::interval(CLOCK_SYNC);
    loop {
        sync.tick().await;
        if let Err(err) = sandbox.clock_offset().await {
            tracing::warn!(error = %err, "could not read the sandbox clock");
        }
    }
}

/// The Meta settings in sandbox mode: the sandbox's three apps, and every product's hosts at
/// its stand-in under `/sandbox` (docs/interfaces.md → Sandbox mode).
pub async fn meta_settings(
    sandbox: &Sandbox,
    meta: &MetaSettings,
    public_url: &PublicUrl,
) -> anyhow::Result<MetaSettings> {
    let apps = sandbox
        .apps()
        .await
        .context("cannot read the sandbox's apps")?;
    let app = |credentials: meta_sandbox::AppCredentials| MetaApp {
        app_id: credentials.app_id,
        app_secret: SecretString::from(credentials.app_secret),
    };
    Ok(MetaSettings {
        facebook: Some(app(apps.facebook)),
        instagram: Some(app(apps.instagram)),
        threads: Some(app(apps.threads)),
        dialog_url: public_url.join("/sandbox/facebook"),
        graph_url: public_url.join("/sandbox/graph"),
        instagram_auth_url: public_url.join("/sandbox/instagram"),
        instagram_api_url: public_url.join("/sandbox/instagram-api"),
        instagram_graph_url: public_url.join("/sandbox/instagram-graph"),
        threads_auth_url: public_url.join("/sandbox/threads"),
        threads_graph_url: public_url.join("/sandbox/threads-graph"),
        ..meta.clone()
    })
}

/// The sandbox's routes, for the app to nest at `/sandbox`.
pub fn routes(sandbox: &Sandbox) -> Router {
    sandbox.router()
}

//! The Meta sandbox: a faithful, persistent stand-in for Facebook Login and the Graph API
//! (docs/meta-api.md), mounted at `/sandbox` in sandbox mode, outside the app's session, origin-check
//! and sign-in layers. Everything it knows lives in the app's database; codes and tokens only as
//! SHA-256 digests.
//!
//! [`Sandbox`] is also the Rust API tests use to set the scene: load a scenario, move the
//! sandbox clock, invalidate a user's tokens, plan failures, read the call log, produce and
//! deliver signed requests.

pub mod calls;
pub mod control;
pub mod control_guard;
pub mod dialog;
pub mod failure_plans;
pub mod failures;
pub mod fields;
pub mod graph;
pub mod index;
pub mod issued;
pub mod scenario;
pub mod signed;

use crate::server::clock::Clock;
use crate::server::config::PublicUrl;
use crate::server::entities::sandbox::setting;
use axum::Router;
use rand::Rng;
use scenario::Scenario;
use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, Set};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// The Graph API version the sandbox answers to when none is configured.
pub const DEFAULT_GRAPH_VERSION: &str = "v25.0";

const APPS_KEY: &str = "apps";
const SCENARIO_KEY: &str = "scenario";
const CLOCK_KEY: &str = "clock_offset";
const REQUIRE_PROOF_KEY: &str = "require_appsecret_proof";

/// How far the sandbox clock may be moved, in total: ten years covers every lifetime Meta has
/// (60-day tokens, 90-day data access) many times over, and keeps every time computed from it
/// far inside what dates can hold.
pub const MAX_CLOCK_OFFSET_SECONDS: i64 = 10 * 366 * 86_400;

/// One product's app credentials. Sandbox secrets protect nothing real, but are still kept out
/// of `Debug` output so habits stay safe.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppCredentials {
    pub app_id: String,
    pub app_secret: String,
}

impl std::fmt::Debug for AppCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppCredentials")
            .field("app_id", &self.app_id)
            .field("app_secret", &"[REDACTED]")
            .finish()
    }
}

/// The sandbox's three credential pairs (Facebook Login, Instagram Login, Threads).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxApps {
    pub facebook: AppCredentials,
    pub instagram: AppCredentials,
    pub threads: AppCredentials,
}

fn generate_app() -> AppCredentials {
    let mut rng = rand::thread_rng();
    let id: u64 = rng.gen_range(100_000_000_000_000..999_999_999_999_999);
    let secret: [u8; 16] = rng.gen();
    AppCredentials {
        app_id: id.to_string(),
        app_secret: hex::encode(secret),
    }
}

/// Why a clock move was refused.
pub const CLOCK_RANGE_MESSAGE: &str =
    "the sandbox clock moves forward only, by at most 10 years (315,360,000 seconds) in total";

/// The sandbox's handle: its database, the app's clock and the public URL it redirects to.
#[derive(Clone)]
pub struct Sandbox {
    pub(crate) db: DatabaseConnection,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) public_url: PublicUrl,
    /// The last offset read from or written to the database, for the app's [`SandboxClock`].
    offset: Arc<AtomicI64>,
    /// The credentials never change once stored, so every Graph call needn't read them.
    apps: Arc<tokio::sync::OnceCell<SandboxApps>>,
}

/// The app's clock in sandbox mode: its base clock plus the sandbox's offset, so moving the
/// sandbox clock moves the app's too (token lifetimes, state expiry, rolling limits).
pub struct SandboxClock {
    base: Arc<dyn Clock>,
    offset: Arc<AtomicI64>,
}

impl Clock for SandboxClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        let base = self.base.now();
        // The offset is bounded where it is set and read; should it ever not be, the clock
        // falls back to the base time rather than panic.
        chrono::TimeDelta::try_seconds(self.offset.load(Ordering::SeqCst))
            .and_then(|offset| base.checked_add_signed(offset))
            .unwrap_or(base)
    }
}

impl Sandbox {
    pub fn new(db: DatabaseConnection, clock: Arc<dyn Clock>, public_url: PublicUrl) -> Self {
        Self {
            db,
            clock,
            public_url,
            offset: Arc::new(AtomicI64::new(0)),
            apps: Arc::new(tokio::sync::OnceCell::new()),
        }
    }

    /// The routes, to be nested at `/sandbox`.
    pub fn router(&self) -> Router {
        // Every Meta-facing route is observed: failures injected, calls logged.
        let meta = Router::new()
            .merge(dialog::routes())
            .merge(graph::routes())
            .layer(axum::middleware::from_fn_with_state(
                self.clone(),
                calls::observe,
            ));
        Router::new()
            .route("/", axum::routing::get(index::index))
            .nest("/_control", control::routes(self))
            .merge(meta)
            .with_state(self.clone())
    }

    async fn setting(&self, key: &str) -> Result<Option<String>, DbErr> {
        Ok(setting::Entity::find_by_id(key.to_owned())
            .one(&self.db)
            .await?
            .map(|row| row.value))
    }

    async fn put_setting(&self, key: &str, value: String, overwrite: bool) -> Result<(), DbErr> {
        let conflict = if overwrite {
            OnConflict::column(setting::Column::Key)
                .update_column(setting::Column::Value)
                .to_owned()
        } else {
            OnConflict::column(setting::Column::Key)
                .do_nothing()
                .to_owned()
        };
        setting::Entity::insert(setting::ActiveModel {
            key: Set(key.to_owned()),
            value: Set(value),
        })
        .on_conflict(conflict)
        .exec_without_returning(&self.db)
        .await?;
        Ok(())
    }

    /// The three credential pairs, generated on first use and kept in the database.
    pub async fn apps(&self) -> Result<SandboxApps, DbErr> {
        self.apps
            .get_or_try_init(|| self.load_or_create_apps())
            .await
            .cloned()
    }

    async fn load_or_create_apps(&self) -> Result<SandboxApps, DbErr> {
        if let Some(apps) = self
            .setting(APPS_KEY)
            .await?
            .and_then(|v| serde_json::from_str(&v).ok())
        {
            return Ok(apps);
        }
        let fresh = SandboxApps {
            facebook: generate_app(),
            instagram: generate_app(),
            threads: generate_app(),
        };
        let json = serde_json::to_string(&fresh).map_err(|e| DbErr::Custom(e.to_string()))?;
        // Another instance may have won the race: whatever is stored is the truth.
        self.put_setting(APPS_KEY, json, false).await?;
        self.setting(APPS_KEY)
            .await?
            .and_then(|v| serde_json::from_str(&v).ok())
            .ok_or_else(|| DbErr::Custom("sandbox apps missing after insert".into()))
    }

    /// The current scenario (the default one until a test loads another).
    pub async fn scenario(&self) -> Result<Scenario, DbErr> {
        Ok(self
            .setting(SCENARIO_KEY)
            .await?
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_else(Scenario::default_world))
    }

    /// Replaces the world (users, Pages, Instagram accounts, businesses).
    pub async fn load_scenario(&self, scenario: &Scenario) -> Result<(), DbErr> {
        let json = serde_json::to_string(scenario).map_err(|e| DbErr::Custom(e.to_string()))?;
        self.put_setting(SCENARIO_KEY, json, true).await
    }

    /// Back to the default scenario.
    pub async fn reset_scenario(&self) -> Result<(), DbErr> {
        self.load_scenario(&Scenario::default_world()).await
    }

    /// Seconds the sandbox clock is ahead of the base clock (read from the database, so every
    /// instance agrees; the app's [`SandboxClock`] follows the value read).
    ///
    /// A stored offset that is unreadable or out of range (an older build accepted any) is
    /// reset to 0 with a warning, so what the database holds can never stop the app.
    pub async fn clock_offset(&self) -> Result<i64, DbErr> {
        let stored = self.setting(CLOCK_KEY).await?;
        let offset = match stored.as_deref().map(str::parse::<i64>) {
            None => 0,
            Some(Ok(offset)) if (0..=MAX_CLOCK_OFFSET_SECONDS).contains(&offset) => offset,
            Some(_) => {
                tracing::warn!(
                    max_seconds = MAX_CLOCK_OFFSET_SECONDS,
                    "the stored sandbox clock offset is out of range; resetting it to 0"
                );
                self.put_setting(CLOCK_KEY, "0".to_owned(), true).await?;
                0
            }
        };
        self.offset.store(offset, Ordering::SeqCst);
        Ok(offset)
    }

    /// Moves the sandbox clock forward (token lifetimes, code expiry) — and the app's with it;
    /// at most [`MAX_CLOCK_OFFSET_SECONDS`] in total.
    pub async fn advance_clock(&self, by: chrono::Duration) -> Result<i64, DbErr> {
        let offset = self
            .clock_offset()
            .await?
            .checked_add(by.num_seconds())
            .filter(|offset| (0..=MAX_CLOCK_OFFSET_SECONDS).contains(offset))
            .ok_or_else(|| DbErr::Custom(CLOCK_RANGE_MESSAGE.to_owned()))?;
        self.put_setting(CLOCK_KEY, offset.to_string(), true)
            .await?;
        self.offset.store(offset, Ordering::SeqCst);
        Ok(offset)
    }

    /// The app's clock in sandbox mode.
    pub fn app_clock(&self) -> Arc<dyn Clock> {
        Arc::new(SandboxClock {
            base: self.clock.clone(),
            offset: self.offset.clone(),
        })
    }

    /// The sandbox's now, in unix seconds.
    pub async fn now(&self) -> Result<i64, DbErr> {
        Ok(self.clock.unix().saturating_add(self.clock_offset().await?))
    }

    /// Invalidates every token `user_id` gave the Facebook app, as Meta does after a password
    /// change (460), a logout (467), app removal (458), expiry (463) or a lost Page role (492).
    pub async fn invalidate_user(&self, user_id: &str, subcode: i32) -> Result<(), DbErr> {
        let apps = self.apps().await?;
        self.invalidate_tokens(&apps.facebook.app_id, user_id, subcode)
            .await
    }

    /// Whether the Facebook app has "Require App Secret" on: then every call made with a user or
    /// Page token must carry `appsecret_proof` (docs/meta-api.md §15). Off by default, as at Meta.
    pub async fn requires_appsecret_proof(&self) -> Result<bool, DbErr> {
        Ok(self.setting(REQUIRE_PROOF_KEY).await?.as_deref() == Some("true"))
    }

    pub async fn set_require_appsecret_proof(&self, on: bool) -> Result<(), DbErr> {
        self.put_setting(REQUIRE_PROOF_KEY, on.to_string(), true)
            .await
    }

    /// Revokes one permission `user_id` granted the Facebook app (it becomes declined).
    pub async fn revoke_permission(&self, user_id: &str, permission: &str) -> Result<bool, DbErr> {
        let apps = self.apps().await?;
        self.revoke_app_permission(&apps.facebook.app_id, user_id, permission)
            .await
    }

    /// Serves the sandbox alone on `listener`, for tests of a Meta client that don't need the
    /// app (the dialogs still redirect only to `public_url`'s callbacks).
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
        self.public_url.join(&format!("/oauth/{provider}/callback"))
    }
}

//! The state every handler and server function shares.

use crate::server::auth::device::DeviceCookies;
use crate::server::auth::password::Passwords;
use crate::server::clock::Clock;
use crate::server::config::PublicUrl;
use crate::server::config::{Limits, MetricsToken, SigningSecrets, TrustedProxies};
use crate::server::connect::pkce::PkceKey;
use crate::server::crypto::vault::Vault;
use crate::server::crypto::Keyring;
use crate::server::meta::facebook::FacebookClient;
use crate::server::meta::instagram::InstagramClient;
use crate::server::meta::threads::ThreadsClient;
use crate::server::metrics::Metrics;
use crate::server::services::context::Context;
use crate::server::services::meta_backoff::Backoffs;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
    pub public_url: PublicUrl,
    pub passwords: Passwords,
    pub leptos_options: LeptosOptions,
    /// Seals and opens stored tokens in their typed slots.
    pub vault: Vault,
    /// How many statements the database has run (`db::count_statements`).
    pub statements: Arc<std::sync::atomic::AtomicU64>,
    /// The Instagram daily limit and the refresh window the accounts list counts with.
    pub limits: Limits,
    /// Proxies whose forwarding headers name the client (`SWITCHBOARD_TRUSTED_PROXIES`).
    pub trusted_proxies: TrustedProxies,
    /// Signs and recognises the device cookies that exempt a known browser from the account
    /// and address throttles.
    pub devices: DeviceCookies,
    /// Derives each connection's PKCE verifier from its state.
    pub pkce: PkceKey,
    /// The Facebook Login client; `None` when no Facebook app is configured (and no sandbox).
    pub facebook: Option<FacebookClient>,
    /// The Instagram Login client; `None` without an Instagram app (and no sandbox).
    pub instagram: Option<InstagramClient>,
    /// The Threads client; `None` without a Threads app (and no sandbox).
    pub threads: Option<ThreadsClient>,
    /// Meta's backoffs, shared with every instance through the database; the Meta clients
    /// record them, pages show the notice from them.
    pub backoffs: Backoffs,
    /// Wakes the revocation relay (`jobs::revocation_relay`) when a disconnect recorded one.
    pub relay: Arc<tokio::sync::Notify>,
    /// The app secrets that sign Meta's deauthorize and data-deletion callbacks.
    pub signing_secrets: SigningSecrets,
    /// This instance's counters for `/metrics`; the Meta clients hold the same ones.
    pub metrics: Metrics,
    /// The bearer token `/metrics` requires (`SWITCHBOARD_METRICS_TOKEN`), when set.
    pub metrics_token: Option<MetricsToken>,
    /// Set once first-run setup is known to be done; it never goes back, so after that no
    /// request needs to ask the database.
    setup_done: Arc<AtomicBool>,
}

impl AppState {
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        public_url: PublicUrl,
        leptos_options: LeptosOptions,
        keyring: Keyring,
    ) -> Self {
        let https = public_url.is_https();
        let backoffs = Backoffs::new(db.clone());
        Self {
            db,
            clock,
            public_url,
            passwords: Passwords::new(),
            leptos_options,
            trusted_proxies: TrustedProxies::default(),
            limits: Limits::default(),
            statements: Arc::default(),
            devices: DeviceCookies::new(&keyring, https),
            pkce: PkceKey::new(&keyring),
            vault: Vault::new(keyring),
            facebook: None,
            instagram: None,
            threads: None,
            backoffs,
            relay: Arc::default(),
            signing_secrets: SigningSecrets::default(),
            metrics: Metrics::new(),
            metrics_token: None,
            setup_done: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The part of the state services may use.
    pub fn services(&self) -> Context<'_> {
        Context {
            db: &self.db,
            clock: self.clock.as_ref(),
            passwords: &self.passwords,
        }
    }

    /// Whether first-run setup has happened (someone may sign in).
    pub async fn setup_done(&self) -> Result<bool, sea_orm::DbErr> {
        if self.setup_done.load(Ordering::Relaxed) {
            return Ok(true);
        }
        let done = crate::server::services::setup::any_user_exists(&self.db).await?;
        if done {
            self.setup_done.store(true, Ordering::Relaxed);
        }
        Ok(done)
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

//! Building the application: database, migrations, state, router with its layers, listener.
//! `main` and the integration tests both start the app through [`Application`], so tests run
//! exactly what production runs.

use crate::app::{shell, App};
use crate::server::auth::session_keys::IDLE_TIMEOUT_DAYS;
use crate::server::auth::session_store::DbSessionStore;
use crate::server::clients;
use crate::server::clock::Clock;
use crate::server::config::{Config, PublicUrl, SigningSecrets};
use crate::server::crypto;
use crate::server::db;
use crate::server::http::identify::identify;
use crate::server::http::{
    assets, client_ip, guard, headers, health, host, metrics, oauth_callback, origin, outage,
    request_metrics, server_fn_status, webhooks,
};
use crate::server::jobs;
use crate::server::key_checks;
use crate::server::metrics::Metrics;
#[cfg(feature = "sandbox")]
use crate::server::sandbox_mode::{self, Sandbox};
use crate::server::state::AppState;
use anyhow::Context;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    /// The Meta sandbox, in sandbox mode. The application keeps it, not the state, so no
    /// handler or service can reach it.
    #[cfg(feature = "sandbox")]
    sandbox: Option<Sandbox>,
}

/// The state a command works with, without serving anything (`switchboard refresh --once`):
/// the same database, keys, clock and Meta clients as the server at `PUBLIC_URL`.
pub async fn command_state(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<AppState> {
    Ok(prepare(config, clock, config.site_addr).await?.state)
}

/// The state and, in sandbox mode, the sandbox.
struct Prepared {
    state: AppState,
    #[cfg(feature = "sandbox")]
    sandbox: Option<Sandbox>,
}

/// Connects and migrates the database, checks the keys and builds the state; `local` is the
/// address `PUBLIC_URL` defaults to.
async fn prepare(
    config: &Config,
    clock: Arc<dyn Clock>,
    local: SocketAddr,
) -> anyhow::Result<Prepared> {
    let mut database = db::connect(&config.database_url).await?;
    db::migrate(&database, config.sandbox).await?;
    let statements = db::count_statements(&mut database);
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| PublicUrl::for_addr(local));
    let leptos_options = LeptosOptions::builder()
        .output_name("switchboard")
        .site_addr(local)
        .build();
    #[cfg(feature = "sandbox")]
    let sandbox = match config.sandbox {
        true => Some(sandbox_mode::start(database.clone(), clock.clone(), &public_url).await?),
        false => None,
    };
    // In sandbox mode the app's clock follows the sandbox's.
    #[cfg(feature = "sandbox")]
    let clock = match &sandbox {
        Some(sandbox) => sandbox_mode::app_clock(sandbox, clock),
        None => clock,
    };
    // A wrong master key stops the start before anything is served.
    let keyring = crypto::setup::load_keys(&config.keys)?;
    key_checks::check_keys(&database, &keyring, clock.unix()).await?;
    // In sandbox mode every product's app and hosts are the sandbox's.
    #[cfg(feature = "sandbox")]
    let meta = match &sandbox {
        Some(sandbox) => sandbox_mode::meta_settings(sandbox, &config.meta, &public_url).await?,
        None => config.meta.clone(),
    };
    #[cfg(not(feature = "sandbox"))]
    let meta = config.meta.clone();
    let metrics = Metrics::new();
    let clients = clients::build(&meta, &public_url, &database, &clock, &metrics)?;
    let mut state = AppState::new(database, clock, public_url, leptos_options, keyring);
    state.metrics = metrics;
    state.metrics_token = config.metrics_token.clone();
    state.signing_secrets = SigningSecrets::of(&meta);
    state.facebook = clients.facebook;
    state.instagram = clients.instagram;
    state.threads = clients.threads;
    state.backoffs = clients.backoffs;
    state.trusted_proxies = config.trusted_proxies.clone();
    state.limits = config.limits;
    state.statements = statements;
    Ok(Prepared {
        state,
        #[cfg(feature = "sandbox")]
        sandbox,
    })
}

impl Application {
    /// Binds the listener (port 0 picks one), connects and migrates the database, and builds
    /// the router. `PUBLIC_URL` defaults to the address actually bound.
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(config.site_addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.site_addr))?;
        let local = listener
            .local_addr()
            .context("cannot read the bound address")?;
        let prepared = prepare(&config, clock, local).await?;
        #[cfg(feature = "sandbox")]
        let stand_in = prepared.sandbox.as_ref().map(sandbox_mode::routes);
        #[cfg(not(feature = "sandbox"))]
        let stand_in = None;
        let router = router(prepared.state.clone(), stand_in);
        Ok(Self {
            listener,
            router,
            state: prepared.state,
            #[cfg(feature = "sandbox")]
            sandbox: prepared.sandbox,
        })
    }

    /// The Meta sandbox this application mounted, in sandbox mode (tests set their scenes
    /// through it).
    #[cfg(feature = "sandbox")]
    pub fn sandbox(&self) -> Option<&Sandbox> {
        self.sandbox.as_ref()
    }

    pub fn port(&self) -> u16 {
        self.listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or_default()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let housekeeping = tokio::spawn(jobs::housekeeping::run(self.state.clone()));
        let relay = tokio::spawn(jobs::revocation_relay::run(self.state.clone()));
        let sweep = tokio::spawn(jobs::maintenance::run(self.state.clone()));
        let publisher = tokio::spawn(jobs::publisher::run(self.state.clone()));
        #[cfg(feature = "sandbox")]
        let clock_sync = self
            .sandbox
            .clone()
            .map(|sandbox| tokio::spawn(sandbox_mode::follow_clock(sandbox)));
        tracing::info!(url = %self.state.public_url.base(), "Switchboard is listening");
        let listener = self.listener.tap_io(|tcp| {
            // Without it, responses over one segment wait for delayed ACKs (README → Benchmarks).
            let _ = tcp.set_nodelay(true);
        });
        let served = axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        housekeeping.abort();
        relay.abort();
        sweep.abort();
        publisher.abort();
        #[cfg(feature = "sandbox")]
        if let Some(clock_sync) = clock_sync {
            clock_sync.abort();
        }
        served.context("the server stopped unexpectedly")
    }
}

/// The full router: the app (behind origin check, session, identification and sign-in guard),
/// the public probes and assets, Meta's signed-request webhooks (outside the session and origin
/// check: their HMAC protects them, docs/security.md #14), in sandbox mode the Meta sandbox's routes at `/sandbox`
/// (outside the app's session, origin check and sign-in guard: docs/security.md #14), then
/// Host rule, security headers and tracing around it all.
pub fn router(state: AppState, sandbox: Option<Router>) -> Router {
    let https = state.public_url.is_https();
    let sessions =
        SessionManagerLayer::new(DbSessionStore::new(state.db.clone(), state.clock.clone()))
            .with_name(if https {
                "__Host-switchboard"
            } else {
                "switchboard_session"
            })
            .with_secure(https)
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_path("/")
            .with_expiry(Expiry::OnInactivity(time::Duration::days(
                IDLE_TIMEOUT_DAYS,
            )));
    let options = state.leptos_options.clone();
    let app_routes = Router::new()
        .route("/", get(|| async { Redirect::to("/accounts") }))
        .route(
            "/oauth/{provider}/callback",
            get(oauth_callback::oauth_callback).head(oauth_callback::head_not_allowed),
        )
        .leptos_routes_with_context(
            &state,
            generate_route_list(App),
            || {},
            move || shell(options.clone()),
        )
        .layer(from_fn(server_fn_status::map_status))
        .layer(from_fn_with_state(state.clone(), guard::require_sign_in))
        .layer(from_fn_with_state(state.clone(), identify))
        .layer(sessions)
        .layer(from_fn_with_state(state.clone(), origin::check_origin))
        .layer(from_fn_with_state(state.clone(), client_ip::resolve))
        .layer(from_fn_with_state(state.clone(), outage::database_outage));
    let public_routes = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(metrics::metrics))
        .route("/style/main.css", get(assets::stylesheet))
        .route("/favicon.svg", get(assets::favicon))
        .route("/app.js", get(assets::script));
    let mut router = Router::new()
        .merge(app_routes)
        .merge(public_routes)
        .merge(webhooks::routes());
    if let Some(sandbox) = sandbox {
        router = router.nest_service("/sandbox", sandbox);
    }
    let mut router = router
        .fallback(|| async { crate::error::AppError::NotFound.into_response() })
        // Unknown paths match the pages' catch-all GET route; other methods get 404, not 405.
        .method_not_allowed_fallback(|| async { crate::error::AppError::NotFound.into_response() })
        // Inside the routes, so each request is counted under the route pattern it matched.
        .layer(from_fn_with_state(state.clone(), request_metrics::record))
        .layer(from_fn_with_state(state.clone(), host::check_host));
    for layer in headers::layers(https) {
        router = router.layer(layer);
    }
    router.layer(super::http::trace::layer()).with_state(state)
}

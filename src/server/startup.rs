//! Building the application: database, migrations, state, router with its layers, listener.
//! `main` and the integration tests both start the app through [`Application`], so tests run
//! exactly what production runs.

use crate::app::{shell, App};
use crate::server::auth::session_keys::IDLE_TIMEOUT_DAYS;
use crate::server::auth::session_store::DbSessionStore;
use crate::server::clock::Clock;
use crate::server::config::{Config, PublicUrl};
use crate::server::connect::providers;
use crate::server::crypto;
use crate::server::db;
use crate::server::http::identify::identify;
use crate::server::http::{
    assets, client_ip, guard, headers, health, host, oauth_callback, origin, server_fn_status,
};
use crate::server::jobs;
use crate::server::key_checks;
use crate::server::meta::facebook::{FacebookClient, FacebookConfig};
use crate::server::meta::http::MetaHttp;
use crate::server::sandbox::Sandbox;
use crate::server::state::AppState;
use anyhow::Context;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use secrecy::SecretString;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    /// Connects and migrates the database, binds the listener (port 0 picks one) and builds the
    /// router. `PUBLIC_URL` defaults to the address actually bound.
    pub async fn build(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let database = db::connect(&config.database_url).await?;
        db::migrate(&database).await?;
        let listener = TcpListener::bind(config.site_addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.site_addr))?;
        let local = listener
            .local_addr()
            .context("cannot read the bound address")?;
        let public_url = config
            .public_url
            .clone()
            .unwrap_or_else(|| PublicUrl::for_addr(local));
        let leptos_options = LeptosOptions::builder()
            .output_name("switchboard")
            .site_addr(local)
            .build();
        let sandbox = match config.sandbox {
            true => {
                let sandbox = Sandbox::new(database.clone(), clock.clone(), public_url.clone());
                // Generated on first run and kept in the database.
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
                Some(sandbox)
            }
            false => None,
        };
        // In sandbox mode the app's clock follows the sandbox's.
        let app_clock = sandbox.as_ref().map(Sandbox::app_clock).unwrap_or(clock);
        // A wrong master key stops the start before anything is served.
        let keyring = crypto::setup::load_keys(&config.keys)?;
        key_checks::check_keys(&database, &keyring, app_clock.unix()).await?;
        let facebook = facebook_client(&config, &public_url, sandbox.as_ref()).await?;
        let mut state = AppState::new(database, app_clock, public_url, leptos_options, keyring);
        state.sandbox = sandbox;
        state.facebook = facebook;
        state.trusted_proxies = config.trusted_proxies.clone();
        let router = router(state.clone());
        Ok(Self {
            listener,
            router,
            state,
        })
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
        tracing::info!(url = %self.state.public_url.base(), "Switchboard is listening");
        let listener = self.listener.tap_io(|tcp| {
            // Without it, responses over one segment wait for delayed ACKs (stack-notes).
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
        served.context("the server stopped unexpectedly")
    }
}

/// The Facebook Login client: the sandbox's app and URLs in sandbox mode, the configured app
/// otherwise, none when neither exists (Connect Meta then says it isn't configured).
async fn facebook_client(
    config: &Config,
    public_url: &PublicUrl,
    sandbox: Option<&Sandbox>,
) -> anyhow::Result<Option<FacebookClient>> {
    let http = MetaHttp::new(config.meta.http_timeout, config.meta.usage_threshold)
        .context("cannot build the HTTP client for Meta")?;
    let spec = &providers::FACEBOOK;
    let redirect_uri = public_url.join(&spec.callback_path());
    let settings = match sandbox {
        Some(sandbox) => {
            let apps = sandbox
                .apps()
                .await
                .context("cannot read the sandbox's apps")?;
            FacebookConfig {
                app_id: apps.facebook.app_id,
                app_secret: SecretString::from(apps.facebook.app_secret),
                dialog_url: public_url.join("/sandbox/facebook"),
                graph_url: public_url.join("/sandbox/graph"),
                graph_version: config.meta.graph_version.clone(),
                redirect_uri,
                authorize_path: spec.authorize_path,
                token_path: spec.token_path,
            }
        }
        None => match &config.meta.facebook {
            Some(app) => FacebookConfig {
                app_id: app.app_id.clone(),
                app_secret: app.app_secret.clone(),
                dialog_url: config.meta.dialog_url.clone(),
                graph_url: config.meta.graph_url.clone(),
                graph_version: config.meta.graph_version.clone(),
                redirect_uri,
                authorize_path: spec.authorize_path,
                token_path: spec.token_path,
            },
            None => return Ok(None),
        },
    };
    Ok(Some(FacebookClient::new(settings, http)))
}

/// The full router: the app (behind origin check, session, identification and sign-in guard),
/// the public probes and assets, then Host rule, security headers and tracing around it all.
pub fn router(state: AppState) -> Router {
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
        .layer(from_fn_with_state(state.clone(), client_ip::resolve));
    let public_routes = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/style/main.css", get(assets::stylesheet))
        .route("/favicon.svg", get(assets::favicon));
    let mut router = Router::new().merge(app_routes).merge(public_routes);
    if let Some(sandbox) = &state.sandbox {
        // Outside the app's session, origin check and sign-in guard (docs/security.md #14).
        router = router.nest_service("/sandbox", sandbox.router());
    }
    let mut router = router
        .fallback(|| async { crate::error::AppError::NotFound.into_response() })
        // Unknown paths match the pages' catch-all GET route; other methods get 404, not 405.
        .method_not_allowed_fallback(|| async { crate::error::AppError::NotFound.into_response() })
        .layer(from_fn_with_state(state.clone(), host::check_host));
    for layer in headers::layers(https) {
        router = router.layer(layer);
    }
    // Spans name the path only: queries carry OAuth codes, states and (to the sandbox) tokens.
    let trace = TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
        tracing::debug_span!("request", method = %request.method(), path = %request.uri().path())
    });
    router.layer(trace).with_state(state)
}

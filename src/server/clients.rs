//! The app's Meta clients, one per product whose app is configured: Facebook Login, Instagram
//! Login and Threads. Each gets its own app id and secret — there is no fallback from one
//! product's app to another's (Meta refuses it) — and its redirect URI
//! `{PUBLIC_URL}/oauth/{slug}/callback`. In sandbox mode the settings passed in are the
//! sandbox's (`sandbox_mode::meta_settings`). Each client speaks for its own app in the shared
//! backoff (docs/meta-api.md §9): its calls wait while that app's backoff is in force, kept in
//! the database and read on the app clock.

use crate::domain::Provider;
use crate::server::clock::Clock;
use crate::server::config::{MetaSettings, PublicUrl};
use crate::server::connect::providers::{FACEBOOK, INSTAGRAM, THREADS};
use crate::server::meta::facebook::{FacebookClient, FacebookConfig};
use crate::server::meta::gate::UsageGate;
use crate::server::meta::http::MetaHttp;
use crate::server::meta::instagram::{InstagramClient, InstagramConfig};
use crate::server::meta::threads::{ThreadsClient, ThreadsConfig};
use crate::server::metrics::Metrics;
use crate::server::services::meta_backoff::Backoffs;
use anyhow::Context;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// The clients there are apps for.
pub struct MetaClients {
    pub facebook: Option<FacebookClient>,
    pub instagram: Option<InstagramClient>,
    pub threads: Option<ThreadsClient>,
    /// The backoffs they record, for the pages' notice (the same instance, so this
    /// instance's own backoffs show at once).
    pub backoffs: Backoffs,
}

pub fn build(
    meta: &MetaSettings,
    public_url: &PublicUrl,
    db: &DatabaseConnection,
    clock: &Arc<dyn Clock>,
    metrics: &Metrics,
) -> anyhow::Result<MetaClients> {
    let backoffs = Backoffs::new(db.clone());
    let gate = |app: Provider| {
        UsageGate::new(
            Arc::new(backoffs.clone()),
            clock.clone(),
            meta.usage_threshold,
            app,
        )
    };
    let pool = MetaHttp::new(meta.http_timeout, gate(Provider::Facebook), metrics.clone())
        .context("cannot build the HTTP client for Meta")?;
    let http = |app: Provider| pool.with_gate(gate(app));
    let facebook = meta.facebook.as_ref().map(|app| {
        let settings = FacebookConfig {
            app_id: app.app_id.clone(),
            app_secret: app.app_secret.clone(),
            dialog_url: meta.dialog_url.clone(),
            graph_url: meta.graph_url.clone(),
            graph_version: meta.graph_version.clone(),
            redirect_uri: public_url.join(&FACEBOOK.callback_path()),
            authorize_path: FACEBOOK.authorize_path,
            token_path: FACEBOOK.token_path,
        };
        FacebookClient::new(settings, http(Provider::Facebook))
    });
    let instagram = meta.instagram.as_ref().map(|app| {
        let settings = InstagramConfig {
            app_id: app.app_id.clone(),
            app_secret: app.app_secret.clone(),
            auth_url: meta.instagram_auth_url.clone(),
            api_url: meta.instagram_api_url.clone(),
            graph_url: meta.instagram_graph_url.clone(),
            graph_version: meta.graph_version.clone(),
            authorize_path: INSTAGRAM.authorize_path,
            token_path: INSTAGRAM.token_path,
            redirect_uri: public_url.join(&INSTAGRAM.callback_path()),
        };
        InstagramClient::new(settings, http(Provider::Instagram))
    });
    let threads = meta.threads.as_ref().map(|app| {
        let settings = ThreadsConfig {
            app_id: app.app_id.clone(),
            app_secret: app.app_secret.clone(),
            auth_url: meta.threads_auth_url.clone(),
            graph_url: meta.threads_graph_url.clone(),
            authorize_path: THREADS.authorize_path,
            token_path: THREADS.token_path,
            redirect_uri: public_url.join(&THREADS.callback_path()),
        };
        ThreadsClient::new(settings, http(Provider::Threads))
    });
    Ok(MetaClients {
        facebook,
        instagram,
        threads,
        backoffs,
    })
}

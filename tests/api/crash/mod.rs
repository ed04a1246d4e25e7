//! Crash safety (docs/hardening.md → "Crash safety", #29): the real binary, armed with
//! `SWITCHBOARD_CRASH_AT`, aborts at each step of connecting, refreshing, disconnecting,
//! relaying a revocation and rotating the master key; the server restarted over the same
//! database finds no ciphertext without its account, no account without its token, no
//! duplicate, every disconnect revoked or pending, and carries on from there.

mod binary;
mod connecting;
mod invariants;
mod keeping;

use crate::helpers::{spawn_app, TestApp};
use reqwest::Client;
use std::sync::Arc;

/// A database with its Owner signed in on the answered client; the app stopped.
pub async fn owner_signed_in() -> (String, Arc<tempfile::TempDir>, Client) {
    let app = spawn_app().await;
    app.setup().await;
    stopped(app).await
}

/// Stops `app`, keeping its database and its Owner's browser.
pub async fn stopped(app: TestApp) -> (String, Arc<tempfile::TempDir>, Client) {
    let client = app.client.clone();
    let (url, dir) = app.stop().await;
    (url, dir, client)
}

//! The hourly clean-up: expired sessions and finished sign-in throttling windows are deleted.

use crate::server::auth::session_store::DbSessionStore;
use crate::server::auth::throttle;
use crate::server::state::AppState;
use std::time::Duration;

/// How often expired sessions and finished throttling windows are deleted.
const INTERVAL: Duration = Duration::from_secs(3600);
/// Deletes expired sessions and finished throttling windows hourly.
pub async fn run(state: AppState) {
    let store = DbSessionStore::new(state.db.clone(), state.clock.clone());
    let mut cleanup = tokio::time::interval(INTERVAL);
    loop {
        cleanup.tick().await;
        if let Err(err) = store.delete_expired().await {
            tracing::warn!(error = %err, "could not delete expired sessions");
        }
        if let Err(err) = throttle::delete_stale(&state.db, state.clock.unix()).await {
            tracing::warn!(error = %err, "could not delete finished sign-in throttles");
        }
    }
}

//! The hourly clean-up: expired sessions and finished sign-in throttling windows are deleted;
//! in sandbox mode the app's clock also follows the sandbox clock every two seconds (another
//! instance may have moved it).

use crate::server::auth::session_store::DbSessionStore;
use crate::server::auth::throttle;
use crate::server::state::AppState;
use std::time::Duration;

/// How often expired sessions and finished throttling windows are deleted.
const INTERVAL: Duration = Duration::from_secs(3600);
/// How often the sandbox clock is re-read.
const CLOCK_SYNC: Duration = Duration::from_secs(2);

/// Deletes expired sessions and finished throttling windows hourly; in sandbox mode also
/// follows the sandbox clock every two seconds (another instance may have moved it).
pub async fn run(state: AppState) {
    let store = DbSessionStore::new(state.db.clone(), state.clock.clone());
    let mut cleanup = tokio::time::interval(INTERVAL);
    let mut sync = tokio::time::interval(CLOCK_SYNC);
    loop {
        tokio::select! {
            _ = cleanup.tick() => {
                if let Err(err) = store.delete_expired().await {
                    tracing::warn!(error = %err, "could not delete expired sessions");
                }
                if let Err(err) = throttle::delete_stale(&state.db, state.clock.unix()).await {
                    tracing::warn!(error = %err, "could not delete finished sign-in throttles");
                }
            }
            _ = sync.tick(), if state.sandbox.is_some() => {
                if let Some(sandbox) = &state.sandbox {
                    if let Err(err) = sandbox.clock_offset().await {
                        tracing::warn!(error = %err, "could not read the sandbox clock");
                    }
                }
            }
        }
    }
}

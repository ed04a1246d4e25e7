//! The real binary armed with `SWITCHBOARD_CRASH_AT`, so it aborts at one step
//! (docs/hardening.md → "Crash safety"): nothing it had in memory survives, exactly as after
//! `kill -9`.

use crate::process::{self, assert_aborted_at, Server};
use std::path::Path;

/// Starts the server armed at `step`.
pub async fn serve(database_url: &str, dir: &Path, step: &str) -> Armed {
    let armed = [("SWITCHBOARD_CRASH_AT", step.to_owned())];
    Armed {
        server: process::serve(database_url, dir, &armed).await,
        step: step.to_owned(),
    }
}

/// A server that will abort at its crash point.
pub struct Armed {
    server: Server,
    step: String,
}

impl Armed {
    /// `http://127.0.0.1:{port}`, also its `PUBLIC_URL`.
    pub fn address(&self) -> &str {
        &self.server.address
    }

    /// Waits for the server to abort at its crash point.
    pub async fn aborted(self) {
        self.server.aborted_at(&self.step).await;
    }
}

/// Runs a command of the binary armed at `step` and checks that it aborted there.
pub async fn run_aborting(
    database_url: &str,
    dir: &Path,
    args: &[&str],
    step: &str,
    env: &[(&str, String)],
) {
    let mut env = env.to_vec();
    env.push(("SWITCHBOARD_CRASH_AT", step.to_owned()));
    let output = process::run(database_url, dir, args, &env).await;
    assert_aborted_at(&output, step);
}

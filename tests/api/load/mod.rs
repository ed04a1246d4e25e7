//! Load that must still come out exactly once (docs/hardening.md → "Load"): three instances
//! over one database relaying a thousand revocations and publishing three hundred queued
//! posts. Each instance is a whole app (its own pool, its own background jobs, its own clock)
//! in this process; they meet only in the database, as separate servers do. Ignored in the
//! normal run: `scripts/load` runs them on PostgreSQL, with the other load figures.

mod outbox;
mod soak;

use crate::helpers::{spawn_app_on, TestApp};

/// Instances working at once.
pub const INSTANCES: usize = 3;

/// `first` and two more apps over its database.
pub async fn three_instances(first: TestApp) -> Vec<TestApp> {
    let url = first.database_url.clone();
    let dir = first.dir_arc();
    let mut apps = vec![first];
    for _ in 1..INSTANCES {
        apps.push(spawn_app_on(&url, dir.clone()).await);
    }
    apps
}

/// Moves every instance's clock on by `by`.
pub fn advance_all(apps: &[TestApp], by: chrono::Duration) {
    for app in apps {
        app.clock.advance(by);
    }
}

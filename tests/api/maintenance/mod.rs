//! The maintenance sweep (`jobs::maintenance`) against the sandbox: what Meta rejects becomes
//! Needs Reauthorization with its reason, once; an outage marks nothing dead; Instagram and
//! Threads tokens are renewed inside the window and never before a day old; several sweepers
//! refresh each token once; a disconnect racing a refresh wins.

mod direct;
mod facebook;

use crate::connections::account_named;
use crate::helpers::TestApp;
use meta_sandbox::calls::CallFilter;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use switchboard::server::entities::audit_event;
use switchboard::server::jobs::maintenance::{run_once, Report};

/// Moves the sandbox's clock and the app's a day and an hour on: tokens are old enough to
/// refresh.
pub async fn a_day_later(app: &TestApp) {
    app.sandbox
        .advance_clock(chrono::Duration::hours(25))
        .await
        .unwrap();
    app.clock.advance(chrono::Duration::hours(25));
}

/// One sweep now.
pub async fn sweep(app: &TestApp) -> Report {
    run_once(&app.state).await.unwrap()
}

/// `(status, reason)` of the account called `name`.
pub async fn status_of(app: &TestApp, name: &str) -> (String, Option<String>) {
    let row = account_named(app, name).await;
    (row.status, row.status_reason)
}

/// Calls to the sandbox whose path matches `pattern`.
pub async fn calls_to(app: &TestApp, pattern: &str) -> usize {
    app.sandbox
        .calls(&CallFilter::path(pattern))
        .await
        .unwrap()
        .len()
}

/// Activity entries the sweep wrote.
pub async fn announcements(app: &TestApp) -> u64 {
    audit_event::Entity::find()
        .filter(audit_event::Column::Kind.eq("token.needs_reauth"))
        .count(&app.db)
        .await
        .unwrap()
}

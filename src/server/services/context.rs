//! What a service may use of the running app: the database, the clock and the password hasher.
//! Narrower than `AppState` on purpose: a service can't reach the HTTP layer, the Leptos
//! options, the Meta clients or the sandbox, and a test or a CLI command can build one from
//! parts.

use crate::server::auth::password::Passwords;
use crate::server::clock::Clock;
use sea_orm::DatabaseConnection;

#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub db: &'a DatabaseConnection,
    pub clock: &'a dyn Clock,
    pub passwords: &'a Passwords,
}

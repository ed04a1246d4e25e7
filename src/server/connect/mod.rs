//! Connecting accounts through Meta's OAuth flows: starting one (role check, `state`, PKCE,
//! the dialog URL), and finishing it at the callback (state checks, the code exchange, what
//! was granted, discovery, one transaction). Knows nothing of HTTP: the route and the server
//! function call in here.

pub mod callback;
pub mod discovery;
pub mod oauth_state;
pub mod pkce;
pub mod store;

use crate::domain::policy::{authorize, Permission};
use crate::domain::Provider;
use crate::error::AppError;
use crate::server::auth::current::CurrentUser;
use crate::server::services::audit::{self, AuditKind};
use crate::server::state::AppState;

/// Starts a Facebook Login connection for `actor`: answers the dialog URL to send them to.
pub async fn start_facebook(state: &AppState, actor: &CurrentUser) -> Result<String, AppError> {
    authorize(actor.role, Permission::ConnectAccounts)?;
    let Some(facebook) = &state.facebook else {
        return Err(AppError::ProviderNotConfigured);
    };
    let authorization = facebook
        .authorize(&discovery::requested_scopes(), |oauth_state| {
            state.pkce.verifier(oauth_state)
        })
        .map_err(|err| AppError::internal("authorization URL", err))?;
    let now = state.clock.unix();
    oauth_state::remember(
        &state.db,
        Provider::Facebook,
        actor,
        &authorization.state,
        now,
    )
    .await?;
    audit::record(
        &state.db,
        now,
        audit::by(
            actor,
            AuditKind::ConnectStarted,
            Provider::Facebook.label(),
            serde_json::json!({}),
        ),
    )
    .await?;
    Ok(authorization.url)
}

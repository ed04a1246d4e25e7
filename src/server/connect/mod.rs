//! Connecting accounts through Meta's OAuth flows: starting one (role check, `state`, PKCE,
//! the dialog URL), and finishing it at the callback (`finish`: the shared steps; each
//! provider's own part behind `flow::ProviderFlow`). Providers are data (`providers`). Knows
//! nothing of HTTP: the route and the server function call in here.

pub mod callback;
pub mod discovery;
pub mod facebook;
pub mod finish;
pub mod flow;
pub mod instagram;
pub mod oauth_state;
pub mod outcome;
pub mod pkce;
pub mod providers;
pub mod reconnect;
pub mod store;
pub mod threads;

use crate::domain::policy::{authorize, Permission};
use crate::error::AppError;
use crate::server::auth::current::CurrentUser;
use crate::server::services::audit::{self, AuditKind};
use crate::server::state::AppState;
use flow::ProviderFlow;
pub use oauth_state::Intent;
use providers::{ProviderSpec, FACEBOOK, INSTAGRAM, THREADS};

/// The flow that connects `spec`'s accounts, when its app is configured (or the sandbox runs).
pub fn flow_for<'a>(app: &'a AppState, spec: &ProviderSpec) -> Option<&'a dyn ProviderFlow> {
    if *spec == FACEBOOK {
        return app.facebook.as_ref().map(|f| f as &dyn ProviderFlow);
    }
    if *spec == INSTAGRAM {
        return app.instagram.as_ref().map(|f| f as &dyn ProviderFlow);
    }
    if *spec == THREADS {
        return app.threads.as_ref().map(|f| f as &dyn ProviderFlow);
    }
    None
}

/// Starts a connection for `actor` with `spec`: answers the dialog URL to send them to.
pub async fn start(
    state: &AppState,
    actor: &CurrentUser,
    spec: &'static ProviderSpec,
    intent: Intent,
) -> Result<String, AppError> {
    authorize(actor.role, Permission::ConnectAccounts)?;
    let Some(flow) = flow_for(state, spec) else {
        return Err(AppError::ProviderNotConfigured);
    };
    // During a backoff nobody is sent to Meta: the callback could not exchange the code.
    flow::not_backing_off(flow).await?;
    let authorization = flow
        .authorize(intent.is_reconnect(), &|oauth_state| {
            state.pkce.verifier(oauth_state)
        })
        .map_err(|err| AppError::internal("authorization URL", err))?;
    let now = state.clock.unix();
    oauth_state::remember(
        &state.db,
        spec.provider,
        actor,
        &authorization.state,
        &intent,
        now,
    )
    .await?;
    audit::record(
        &state.db,
        now,
        audit::by(
            actor,
            AuditKind::ConnectStarted,
            spec.provider.label(),
            serde_json::json!({ "reconnect": intent.is_reconnect() }),
        ),
    )
    .await?;
    Ok(authorization.url)
}

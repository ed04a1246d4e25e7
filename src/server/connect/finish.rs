//! The callback steps every provider shares (docs/security.md #1–11, #17, #25). The order
//! matters: a visit without a session is sent to sign in untouched; otherwise the state is
//! consumed first, whatever happens next; it must be ours, fresh, for this provider and for
//! the member and workspace now signed in, whose role must still allow connecting; a provider error is shown; a backoff for the provider's app in force fails it
//! with `rate_limited` before any call; only then does the provider's flow exchange the
//! code — once, never retried — and discover what it gives. Everything found is written in one
//! transaction, and a failure is recorded in the activity log.

use super::callback::{CallbackQuery, Failure};
use super::oauth_state::{self, Intent};
use super::outcome;
use super::providers::ProviderSpec;
use super::store::{self, GrantRecord, StoreError};
use crate::domain::policy::{authorize, Permission};
use crate::error::AppError;
use crate::server::auth::current::CurrentUser;
use crate::server::services::audit::{self, AuditKind};
use crate::server::state::AppState;

/// A connection that was stored.
#[derive(Debug)]
pub struct Finished {
    /// The flash ("Connected 3 accounts · …", "Reconnected 2 accounts · 1 new").
    pub message: String,
    /// Where a Reconnect started, to return there; `None` for a Connect.
    pub return_to: Option<String>,
}

/// Runs the callback for `spec`.
pub async fn finish(
    app: &AppState,
    spec: &'static ProviderSpec,
    actor: Option<&CurrentUser>,
    query: &CallbackQuery,
) -> Result<Finished, Failure> {
    let outcome = run(app, spec, actor, query).await;
    if let (Err(failure), Some(actor)) = (&outcome, actor) {
        let entry = audit::by(
            actor,
            AuditKind::ConnectFailed,
            spec.provider.label(),
            serde_json::json!({ "code": failure.error.code() }),
        );
        if let Err(err) = audit::record(&app.db, app.clock.unix(), entry).await {
            tracing::error!(error = %err, "cannot record a failed connection");
        }
    }
    outcome
}

async fn run(
    app: &AppState,
    spec: &'static ProviderSpec,
    actor: Option<&CurrentUser>,
    query: &CallbackQuery,
) -> Result<Finished, Failure> {
    let now = app.clock.unix();
    let provider = spec.provider;
    // No session at all is not the person's browser coming back: a link preview, a mail
    // scanner, or a session that ended at Meta. It spends nothing, so it can't spoil the
    // person's own attempt (docs/security.md #1).
    let actor = actor.ok_or(AppError::SessionChanged)?;
    let (issued, presented) = match (query.states.as_slice(), query.malformed) {
        ([presented], false) => (
            oauth_state::consume(&app.db, provider, presented, now).await?,
            presented,
        ),
        // Several states (or a doubled or oversized parameter): whatever is live among them is
        // spent, and the callback fails — it must never fall through with a state left usable.
        (presented, _) => {
            oauth_state::consume_all(&app.db, presented)
                .await
                .map_err(AppError::from)?;
            return Err(AppError::StateInvalid.into());
        }
    };
    if issued.user_id != actor.user_id || issued.workspace_id != actor.workspace.id {
        return Err(AppError::SessionChanged.into());
    }
    // The role is checked again: it may have changed while the person was at the provider.
    authorize(actor.role, Permission::ConnectAccounts).map_err(AppError::from)?;
    if let Some(error) = &query.error {
        tracing::info!(
            provider = provider.as_str(),
            error = error.as_str(),
            reason = query.error_reason.as_deref().unwrap_or_default(),
            "the provider's login was not completed"
        );
        // RFC 6749 §4.1.2.1's codes: declined, unavailable for a while, or anything else.
        return Err(match error.as_str() {
            "access_denied" => AppError::PermissionsDeclined { provider },
            "server_error" | "temporarily_unavailable" => {
                AppError::ProviderUnavailable { provider }
            }
            _ => AppError::ProviderError { provider },
        }
        .into());
    }
    let code = query
        .code
        .as_deref()
        // Its length is bounded already: the parser keeps no value over `MAX_VALUE_LEN`.
        .filter(|c| !c.is_empty())
        .ok_or(AppError::ProviderError { provider })?;
    let Some(flow) = super::flow_for(app, spec) else {
        return Err(AppError::ProviderNotConfigured.into());
    };
    // During a backoff the code is not spent at Meta: the connect fails before any call.
    super::flow::not_backing_off(flow).await?;
    // The verifier is derived again from the state that was just consumed.
    let verifier = app.pkce.verifier(presented);
    let connection = flow.connect(code, Some(&verifier), now).await?;
    let record = GrantRecord {
        workspace_id: actor.workspace.id,
        connected_by: actor.user_id,
        provider,
        user: &connection.user,
        token: &connection.token,
        token_expires_at: connection.token_expires_at,
        data_access_expires_at: connection.data_access_expires_at,
        permissions: &connection.permissions,
    };
    let reconnect = issued.intent.is_reconnect();
    let stored = match store::store(
        &app.db,
        &app.vault,
        now,
        record,
        &connection.accounts,
        reconnect,
    )
    .await
    {
        Ok(stored) => stored,
        Err(StoreError::AlreadyConnected { username, page }) => {
            return Err(Failure {
                error: AppError::AlreadyConnected,
                pages: vec![username, page],
            })
        }
        Err(StoreError::Failed(err)) => {
            return Err(AppError::internal("storing a connection", format!("{err:#}")).into())
        }
    };
    Ok(Finished {
        message: outcome::summary(reconnect, &stored, &connection.accounts),
        return_to: match issued.intent {
            Intent::Reconnect { return_to } => Some(return_to),
            Intent::Connect => None,
        },
    })
}

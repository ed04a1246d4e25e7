//! Finishing a connection at `/oauth/meta/callback` (security.md #1–11, #17, #25). The order
//! matters: the state is consumed first, whatever happens next; it must be ours, fresh, for
//! this provider and for the member and workspace now signed in, whose role must still allow
//! connecting; only then is the code exchanged — once, never retried — and Meta asked what
//! was granted and which Pages there are. Everything found is written in one transaction.

use super::discovery::{self, Plan};
use super::oauth_state;
use super::store::{self, GrantRecord};
use crate::domain::policy::{authorize, Permission};
use crate::domain::Provider;
use crate::error::AppError;
use crate::server::auth::current::CurrentUser;
use crate::server::meta::facebook::FacebookClient;
use crate::server::meta::MetaError;
use crate::server::services::audit::{self, AuditKind};
use crate::server::state::AppState;
use secrecy::ExposeSecret;

/// The callback's query, as Meta sends it (unknown parameters ignored). Every `state` value is
/// kept, so that a repeated one can be consumed rather than skipped.
#[derive(Default)]
pub struct CallbackQuery {
    pub states: Vec<String>,
    pub code: Option<String>,
    pub error: Option<String>,
    pub error_reason: Option<String>,
    /// `code`, `error` or `error_reason` came more than once: not a query Meta sends.
    pub repeated: bool,
}

/// At most this many `state` values are looked up (and consumed) from one callback.
const MAX_STATES: usize = 8;

impl CallbackQuery {
    /// Reads a raw query string; never fails (what can't be read counts as missing).
    pub fn parse(raw: &str) -> Self {
        let mut query = Self::default();
        for (key, value) in url::form_urlencoded::parse(raw.as_bytes()) {
            let slot = match key.as_ref() {
                "state" => {
                    if query.states.len() < MAX_STATES {
                        query.states.push(value.into_owned());
                    } else {
                        query.repeated = true;
                    }
                    continue;
                }
                "code" => &mut query.code,
                "error" => &mut query.error,
                "error_reason" => &mut query.error_reason,
                _ => continue,
            };
            if slot.is_some() {
                query.repeated = true;
            }
            *slot = Some(value.into_owned());
        }
        query
    }
}

/// The code is a credential: `Debug` says only whether there is one.
impl std::fmt::Debug for CallbackQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackQuery")
            .field("states", &self.states.len())
            .field("code", &self.code.as_ref().map(|_| "[REDACTED]"))
            .field("error", &self.error)
            .field("error_reason", &self.error_reason)
            .field("repeated", &self.repeated)
            .finish()
    }
}

/// A failed connection: the error, and the Pages it names (`page_role_insufficient`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub error: AppError,
    pub pages: Vec<String>,
}

impl From<AppError> for Failure {
    fn from(error: AppError) -> Self {
        Self {
            error,
            pages: Vec::new(),
        }
    }
}

fn meta(err: MetaError) -> Failure {
    err.to_app_error(Provider::Facebook).into()
}

/// Runs the callback; `Ok` is the flash message ("Connected 3 accounts · …").
pub async fn facebook(
    app: &AppState,
    actor: Option<&CurrentUser>,
    query: &CallbackQuery,
) -> Result<String, Failure> {
    let outcome = run(app, actor, query).await;
    if let (Err(failure), Some(actor)) = (&outcome, actor) {
        let entry = audit::by(
            actor,
            AuditKind::ConnectFailed,
            Provider::Facebook.label(),
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
    actor: Option<&CurrentUser>,
    query: &CallbackQuery,
) -> Result<String, Failure> {
    let now = app.clock.unix();
    let issued = match (query.states.as_slice(), query.repeated) {
        ([presented], false) => {
            oauth_state::consume(&app.db, Provider::Facebook, presented, now).await?
        }
        // Several states (or a doubled parameter): whatever is live among them is spent, and
        // the callback fails — it must never fall through with a state left usable.
        (presented, _) => {
            oauth_state::consume_all(&app.db, presented)
                .await
                .map_err(AppError::from)?;
            return Err(AppError::StateInvalid.into());
        }
    };
    let actor = actor.ok_or(AppError::SessionChanged)?;
    if issued.user_id != actor.user_id || issued.workspace_id != actor.workspace.id {
        return Err(AppError::SessionChanged.into());
    }
    // The role is checked again: it may have changed while the person was at Meta.
    authorize(actor.role, Permission::ConnectAccounts).map_err(AppError::from)?;
    if let Some(error) = &query.error {
        tracing::info!(
            error = error.as_str(),
            reason = query.error_reason.as_deref().unwrap_or_default(),
            "Facebook Login was not completed"
        );
        return Err(match error.as_str() {
            "access_denied" => AppError::PermissionsDeclined {
                provider: Provider::Facebook,
            },
            _ => AppError::ProviderError {
                provider: Provider::Facebook,
            },
        }
        .into());
    }
    let code = query
        .code
        .as_deref()
        .filter(|c| !c.is_empty() && c.len() <= 2048)
        .ok_or(AppError::ProviderError {
            provider: Provider::Facebook,
        })?;
    let Some(facebook) = &app.facebook else {
        return Err(AppError::ProviderNotConfigured.into());
    };
    // The verifier is derived again from the state that was just consumed.
    let verifier = query
        .states
        .first()
        .map(|presented| app.pkce.verifier(presented));
    let short = facebook
        .exchange_code(code, verifier.as_ref().map(|v| v.expose_secret()))
        .await
        .map_err(meta)?;
    let long = facebook.long_lived(&short).await.map_err(meta)?;
    let permissions = facebook.permissions(&long.token).await.map_err(meta)?;
    discovery::check_required(&permissions)?;
    let user = facebook.me(&long.token).await.map_err(meta)?;
    let info = facebook.debug_token(&long.token).await.map_err(meta)?;
    let plan = discover(facebook, &long.token, &permissions).await?;
    let token_expires_at = match (info.expires_at, long.expires_in) {
        (Some(at), _) => Some(at),
        (None, Some(seconds)) => Some(now.checked_add(seconds).ok_or(AppError::ProviderError {
            provider: Provider::Facebook,
        })?),
        (None, None) => None,
    };
    let record = GrantRecord {
        workspace_id: actor.workspace.id,
        connected_by: actor.user_id,
        provider: Provider::Facebook,
        user: &user,
        token: &long.token,
        token_expires_at,
        data_access_expires_at: info.data_access_expires_at,
        permissions: &permissions,
    };
    let count = store::store(&app.db, &app.vault, now, record, &plan)
        .await
        .map_err(|err| AppError::internal("storing a connection", format!("{err:#}")))?;
    Ok(discovery::summary(count, &plan))
}

/// Every Page the user shared, with Business-portfolio Pages when allowed, made into a plan.
async fn discover(
    facebook: &FacebookClient,
    token: &secrecy::SecretString,
    permissions: &crate::server::meta::facebook::Permissions,
) -> Result<Plan, Failure> {
    let mut pages = facebook.pages(token).await.map_err(meta)?;
    if permissions.has("business_management") {
        pages.extend(facebook.business_pages(token).await.map_err(meta)?);
    }
    discovery::plan(pages, permissions).map_err(|(error, pages)| Failure { error, pages })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_is_kept_and_a_doubled_parameter_is_noticed() {
        let query = CallbackQuery::parse("state=a&code=c&state=b");
        assert_eq!(query.states, ["a", "b"]);
        assert!(!query.repeated);
        assert!(CallbackQuery::parse("state=a&code=c&code=d").repeated);
        let many = "state=x&".repeat(20);
        assert_eq!(CallbackQuery::parse(&many).states.len(), MAX_STATES);
    }

    #[test]
    fn the_code_never_prints() {
        let query = CallbackQuery::parse("state=s&code=AQB-sentinel-code");
        assert!(!format!("{query:?}").contains("sentinel"));
    }
}

//! **Reconnect** (docs/product.md → Reconnect): runs the account's own flow again — Facebook
//! Login for a Page and for an Instagram account linked through a Page (which reconnects
//! through its Page), Instagram Login for a direct Instagram account, Threads for a Threads
//! profile — with Facebook asked to offer declined permissions again. What the new grant
//! brings is stored by the same steps as a Connect (`store`); the outcome is worded as a
//! reconnect and shown on the page the button was on.

use super::oauth_state::Intent;
use super::providers::{self, ProviderSpec};
use crate::domain::policy::{authorize, Permission};
use crate::domain::return_to::safe_return_to;
use crate::domain::Provider;
use crate::error::AppError;
use crate::server::auth::current::CurrentUser;
use crate::server::services::disconnect::{find, grant_of, provider_of};
use crate::server::state::AppState;

/// Where a Reconnect returns when the page it names is not one of ours.
const DEFAULT_RETURN: &str = "/settings/integrations";
/// The longest return path kept with a state.
const MAX_RETURN_LEN: usize = 512;

fn spec_of(provider: Provider) -> &'static ProviderSpec {
    match provider {
        Provider::Facebook => &providers::FACEBOOK,
        Provider::Instagram => &providers::INSTAGRAM,
        Provider::Threads => &providers::THREADS,
    }
}

/// The page to come back to: `return_to` when it is a safe path of this app, else
/// Integrations.
pub fn return_path(return_to: &str) -> String {
    safe_return_to(return_to)
        .filter(|path| path.len() <= MAX_RETURN_LEN)
        .unwrap_or_else(|| DEFAULT_RETURN.to_owned())
}

/// Starts the Reconnect of `account_id`; answers the dialog URL.
pub async fn start(
    state: &AppState,
    actor: &CurrentUser,
    account_id: i64,
    return_to: &str,
) -> Result<String, AppError> {
    authorize(actor.role, Permission::ConnectAccounts)?;
    let row = find(&state.db, actor.workspace.id, account_id).await?;
    let grant = grant_of(&state.db, &row).await?;
    let spec = spec_of(provider_of(&row, grant.as_ref()));
    let intent = Intent::Reconnect {
        return_to: return_path(return_to),
    };
    super::start(state, actor, spec, intent).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reconnect_returns_only_to_a_page_of_this_app() {
        assert_eq!(return_path("/accounts/7"), "/accounts/7");
        assert_eq!(return_path("https://evil.example/"), DEFAULT_RETURN);
        assert_eq!(return_path("//evil.example/"), DEFAULT_RETURN);
        assert_eq!(
            return_path(&format!("/accounts?q={}", "a".repeat(600))),
            DEFAULT_RETURN
        );
    }
}

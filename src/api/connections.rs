//! **Reconnect**, **Disconnect** (after its confirmation) and **Delete** (a Disconnected
//! profile, for good). Every role sees the buttons; the services check the role.

use crate::error::AppError;
use leptos::prelude::*;

const INTEGRATIONS: &str = "/settings/integrations";

fn parse_account_id(value: &str) -> Result<i64, AppError> {
    value.trim().parse().map_err(|_| AppError::NotFound)
}

/// **Reconnect**: the account's own flow again; the outcome is shown on `return_to`.
#[server(prefix = "/api", endpoint = "reconnect_account")]
pub async fn reconnect_account(account_id: String, return_to: String) -> Result<(), AppError> {
    let (state, actor) = (super::app_state()?, super::current_user()?);
    let url = crate::server::connect::reconnect::start(
        &state,
        &actor,
        parse_account_id(&account_id)?,
        &return_to,
    )
    .await?;
    leptos_axum::redirect(&url);
    Ok(())
}

/// **Yes, disconnect** on the confirmation page.
#[server(prefix = "/api", endpoint = "disconnect_account")]
pub async fn disconnect_account(account_id: String, return_to: String) -> Result<(), AppError> {
    use crate::server::connect::reconnect::return_path;
    use crate::server::services::disconnect;
    let (state, actor, session) = (
        super::app_state()?,
        super::current_user()?,
        super::session().await?,
    );
    let done =
        disconnect::disconnect(&state.services(), &actor, parse_account_id(&account_id)?).await?;
    // The relay sends a recorded revocation now; the person doesn't wait for it.
    state.relay.notify_one();
    let message = match done.already {
        true => format!("{} is already disconnected.", done.subject.name),
        false => format!("Disconnected {}.", done.subject.described()),
    };
    super::flash_and_redirect(&session, &message, &return_path(&return_to)).await
}

/// **Yes, delete** on a Disconnected profile's confirmation (Owner, Admin).
#[server(prefix = "/api", endpoint = "delete_account")]
pub async fn delete_account(account_id: String) -> Result<(), AppError> {
    use crate::server::services::delete_account;
    let (state, actor, session) = (
        super::app_state()?,
        super::current_user()?,
        super::session().await?,
    );
    let name =
        delete_account::delete(&state.services(), &actor, parse_account_id(&account_id)?).await?;
    super::flash_and_redirect(&session, &format!("Deleted {name} for good."), INTEGRATIONS).await
}

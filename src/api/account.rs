//! Your account: password and time zone.

use crate::domain::PasswordInput;
use crate::error::AppError;
use leptos::prelude::*;

const ACCOUNT_PAGE: &str = "/settings/account";

/// Change your own password; your other sessions end, this one gets a new id.
#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(
    current_password: PasswordInput,
    new_password: PasswordInput,
) -> Result<(), AppError> {
    use crate::server::services::profile;
    let (state, actor, session) = (
        super::app_state()?,
        super::current_user()?,
        super::session().await?,
    );
    super::rotate_session_id(&session).await?;
    let keep = session.id();
    profile::change_password(
        &state.services(),
        &actor,
        current_password.expose(),
        new_password.expose(),
        keep.as_ref(),
    )
    .await?;
    super::flash_and_redirect(
        &session,
        "Password changed. Your other sessions have ended.",
        ACCOUNT_PAGE,
    )
    .await
}

/// Your time zone (times are shown in it).
#[server(prefix = "/api", endpoint = "set_time_zone")]
pub async fn set_time_zone(time_zone: String) -> Result<(), AppError> {
    use crate::server::services::profile;
    let (state, actor, session) = (
        super::app_state()?,
        super::current_user()?,
        super::session().await?,
    );
    profile::set_time_zone(&state.services(), &actor, &time_zone).await?;
    super::flash_and_redirect(
        &session,
        &format!("Time zone set to {}.", time_zone.trim()),
        ACCOUNT_PAGE,
    )
    .await
}

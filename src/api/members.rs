//! Member management on Settings → Members (Owners and Admins; the policy decides).

use crate::domain::PasswordInput;
use crate::error::AppError;
use leptos::prelude::*;

const MEMBERS_PAGE: &str = "/settings/members";

fn parse_user_id(value: &str) -> Result<i64, AppError> {
    value.trim().parse().map_err(|_| AppError::NotFound)
}

/// **Add member**: email, name, role and an initial password (ignored for an existing account).
#[server(prefix = "/api", endpoint = "add_member")]
pub async fn add_member(
    email: String,
    name: String,
    role: String,
    password: PasswordInput,
) -> Result<(), AppError> {
    use crate::server::services::members::{self, AddMember};
    let (state, actor, session) = (
        super::app_state()?,
        super::current_user()?,
        super::session().await?,
    );
    let added = members::add(
        &state.services(),
        &actor,
        AddMember {
            email: &email,
            name: &name,
            role: &role,
            password: password.expose(),
        },
    )
    .await?;
    let message = if added.existing_account {
        format!(
            "Added {}. They already had an account, so their password is unchanged.",
            added.email
        )
    } else {
        format!("Added {}.", added.email)
    };
    super::flash_and_redirect(&session, &message, MEMBERS_PAGE).await
}

/// **Role** select + **Save** on a member's row.
#[server(prefix = "/api", endpoint = "change_role")]
pub async fn change_role(user_id: String, role: String) -> Result<(), AppError> {
    use crate::server::services::members;
    let (state, actor, session) = (
        super::app_state()?,
        super::current_user()?,
        super::session().await?,
    );
    let name =
        members::change_role(&state.services(), &actor, parse_user_id(&user_id)?, &role).await?;
    let label = role
        .parse::<crate::domain::Role>()
        .map(|r| r.label())
        .unwrap_or_default();
    super::flash_and_redirect(&session, &format!("{name} is now {label}."), MEMBERS_PAGE).await
}

/// **Reset password** on a member's row.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(user_id: String, password: PasswordInput) -> Result<(), AppError> {
    use crate::server::services::members;
    let (state, actor, session) = (
        super::app_state()?,
        super::current_user()?,
        super::session().await?,
    );
    let name = members::reset_password(
        &state.services(),
        &actor,
        parse_user_id(&user_id)?,
        password.expose(),
    )
    .await?;
    super::flash_and_redirect(
        &session,
        &format!("Password reset for {name}; their sessions have ended."),
        MEMBERS_PAGE,
    )
    .await
}

/// **Remove** on a member's row.
#[server(prefix = "/api", endpoint = "remove_member")]
pub async fn remove_member(user_id: String) -> Result<(), AppError> {
    use crate::server::services::members;
    let (state, actor, session) = (
        super::app_state()?,
        super::current_user()?,
        super::session().await?,
    );
    let name = members::remove(&state.services(), &actor, parse_user_id(&user_id)?).await?;
    super::flash_and_redirect(
        &session,
        &format!("Removed {name} from the workspace."),
        MEMBERS_PAGE,
    )
    .await
}

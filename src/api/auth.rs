//! First run, sign in and sign out.

use crate::domain::PasswordInput;
use crate::error::AppError;
use leptos::prelude::*;

/// Creates the first workspace and its Owner, signs them in and opens the accounts page.
#[server(prefix = "/api", endpoint = "setup")]
pub async fn setup(
    workspace_name: String,
    name: String,
    email: String,
    password: PasswordInput,
) -> Result<(), AppError> {
    use crate::server::services::setup::{self, SetupInput};
    let state = super::app_state()?;
    let done = setup::run(
        &state.services(),
        SetupInput {
            workspace_name: &workspace_name,
            name: &name,
            email: &email,
            password: password.expose(),
        },
    )
    .await?;
    let session = super::session().await?;
    start_session(
        &session,
        done.user_id,
        done.workspace_id,
        state.clock.unix(),
    )
    .await?;
    super::flash_and_redirect(&session, "Your workspace is ready.", "/accounts").await
}

/// Signs in and goes to `next` when it is one of the app's pages, else to the accounts page.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(
    email: String,
    password: PasswordInput,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::return_to::safe_return_to;
    use crate::server::http::client_ip::ClientIp;
    use crate::server::services::sign_in::{sign_in, Attempt};

    let state = super::app_state()?;
    let parts = use_context::<http::request::Parts>()
        .ok_or_else(|| AppError::internal("server function", "request parts missing"))?;
    let client = parts
        .extensions
        .get::<ClientIp>()
        .map(|ClientIp(ip)| ip.to_string())
        .unwrap_or_else(|| "unknown".to_owned());
    let attempt = Attempt {
        email: &email,
        password: password.expose(),
        client: &client,
        headers: &parts.headers,
    };
    let signed_in = sign_in(&state.services(), &state.devices, attempt).await?;
    if let (Some(response), Ok(cookie)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&signed_in.device_cookie),
    ) {
        response.append_header(http::header::SET_COOKIE, cookie);
    }
    let session = super::session().await?;
    start_session(
        &session,
        signed_in.user_id,
        signed_in.workspace_id,
        state.clock.unix(),
    )
    .await?;
    let to = next
        .as_deref()
        .and_then(safe_return_to)
        .unwrap_or_else(|| "/accounts".to_owned());
    leptos_axum::redirect(&to);
    Ok(())
}

/// Ends the session here and in the database.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::services::audit::{self, AuditEntry, AuditKind};
    let state = super::app_state()?;
    let session = super::session().await?;
    if let Ok(user) = super::current_user() {
        audit::record(
            &state.db,
            state.clock.unix(),
            AuditEntry {
                workspace_id: Some(user.workspace.id),
                actor_user_id: Some(user.user_id),
                kind: AuditKind::SignedOut,
                subject: user.email.clone(),
                detail: serde_json::json!({}),
                accounts: Vec::new(),
            },
        )
        .await?;
    }
    session
        .flush()
        .await
        .map_err(|err| AppError::internal("session flush", err))?;
    leptos_axum::redirect("/login?signed_out=1");
    Ok(())
}

/// A fresh session id (no fixation) carrying the user, workspace and sign-in time.
async fn start_session(
    session: &tower_sessions::Session,
    user_id: i64,
    workspace_id: i64,
    now: i64,
) -> Result<(), AppError> {
    use crate::server::auth::session_keys::{LAST_SEEN, SIGNED_IN_AT, USER_ID, WORKSPACE_ID};
    let err = |e: tower_sessions::session::Error| AppError::internal("session write", e);
    super::rotate_session_id(session).await?;
    session.insert(USER_ID, user_id).await.map_err(err)?;
    session
        .insert(WORKSPACE_ID, workspace_id)
        .await
        .map_err(err)?;
    session.insert(SIGNED_IN_AT, now).await.map_err(err)?;
    session.insert(LAST_SEEN, now).await.map_err(err)?;
    Ok(())
}

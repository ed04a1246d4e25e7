//! Middleware: identifies the signed-in user of every request (from the session and the
//! database, so role changes and removals apply from the next request), ends sessions past
//! their absolute lifetime or whose user is gone, and takes the flash message for page
//! requests.

use crate::domain::Role;
use crate::error::AppError;
use crate::server::auth::current::{CurrentUser, Flash, WorkspaceRef};
use crate::server::auth::session_keys::{
    ABSOLUTE_TIMEOUT_DAYS, FLASH, LAST_SEEN, SIGNED_IN_AT, TOUCH_INTERVAL_SECONDS, USER_ID,
    WORKSPACE_ID,
};
use crate::server::entities::{membership, user, workspace};
use crate::server::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use tower_sessions::Session;

/// Identifies the user and takes the flash message for page requests.
pub async fn identify(
    State(state): State<AppState>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    match load(&state, &session).await {
        Ok(Some(user)) => {
            req.extensions_mut().insert(user);
        }
        Ok(None) => {}
        Err(err) => return err.into_response(),
    }
    if is_page_request(&req) {
        if let Ok(Some(flash)) = session.remove::<String>(FLASH).await {
            req.extensions_mut().insert(Flash(flash));
        }
    }
    next.run(req).await
}

/// A GET for an HTML page (not an asset or a probe): the only kind that shows a flash.
fn is_page_request(req: &Request) -> bool {
    let path = req.uri().path();
    req.method() == http::Method::GET
        && !path.starts_with("/style/")
        && !path.starts_with("/api/")
        && path != "/favicon.svg"
        && path != "/healthz"
}

async fn load(state: &AppState, session: &Session) -> Result<Option<CurrentUser>, AppError> {
    let session_err = |err: tower_sessions::session::Error| AppError::internal("session", err);
    let Some(user_id) = session.get::<i64>(USER_ID).await.map_err(session_err)? else {
        return Ok(None);
    };
    let signed_in_at = session
        .get::<i64>(SIGNED_IN_AT)
        .await
        .map_err(session_err)?
        .unwrap_or(0);
    let now = state.clock.unix();
    if now - signed_in_at > ABSOLUTE_TIMEOUT_DAYS * 86_400 {
        session.flush().await.map_err(session_err)?;
        return Ok(None);
    }
    let Some(person) = user::Entity::find_by_id(user_id).one(&state.db).await? else {
        session.flush().await.map_err(session_err)?;
        return Ok(None);
    };
    let memberships = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .order_by_asc(membership::Column::Id)
        .find_also_related(workspace::Entity)
        .all(&state.db)
        .await?;
    let mut workspaces = Vec::with_capacity(memberships.len());
    let mut roles = Vec::with_capacity(memberships.len());
    for (member, space) in memberships {
        let (Some(space), Ok(role)) = (space, member.role.parse::<Role>()) else {
            continue;
        };
        workspaces.push(WorkspaceRef {
            id: space.id,
            name: space.name,
        });
        roles.push(role);
    }
    let wanted = session
        .get::<i64>(WORKSPACE_ID)
        .await
        .map_err(session_err)?;
    let index = wanted
        .and_then(|id| workspaces.iter().position(|w| w.id == id))
        .unwrap_or(0);
    let (Some(current), Some(role)) = (workspaces.get(index).cloned(), roles.get(index).copied())
    else {
        // Removed from every workspace: the session has nothing left to show.
        session.flush().await.map_err(session_err)?;
        return Ok(None);
    };
    // Writing to the session makes tower-sessions save it with a fresh idle expiry.
    let last_seen = session
        .get::<i64>(LAST_SEEN)
        .await
        .map_err(session_err)?
        .unwrap_or(0);
    if now - last_seen >= TOUCH_INTERVAL_SECONDS {
        session.insert(LAST_SEEN, now).await.map_err(session_err)?;
    }
    if wanted != Some(current.id) {
        session
            .insert(WORKSPACE_ID, current.id)
            .await
            .map_err(session_err)?;
    }
    Ok(Some(CurrentUser {
        user_id: person.id,
        name: person.name,
        email: person.email,
        time_zone: person.time_zone,
        workspace: current,
        role,
        workspaces,
    }))
}

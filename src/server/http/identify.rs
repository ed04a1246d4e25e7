//! Middleware: identifies the signed-in user of every request (from the session and the
//! database, so role changes and removals apply from the next request), ends sessions past
//! their absolute lifetime or whose user is gone, and takes the flash message for page
//! requests.

use crate::domain::Role;
use crate::error::AppError;
use crate::server::auth::current::{CurrentUser, Flash, WorkspaceRef};
use crate::server::auth::session_keys::{
    ABSOLUTE_TIMEOUT_DAYS, FLASH, LAST_SEEN, PRIVILEGE, SIGNED_IN_AT, TOUCH_INTERVAL_SECONDS,
    USER_ID, WORKSPACE_ID,
};
use crate::server::entities::{membership, user, workspace};
use crate::server::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sea_orm::sea_query::{Expr, ExprTrait, JoinType, Order, Query};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};
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
    // Removing marks the session modified (a write to the store) even when nothing was there,
    // so the flash is looked at first and removed only when there is one.
    if is_page_request(&req) {
        if let Ok(Some(flash)) = session.get::<String>(FLASH).await {
            let _ = session.remove::<String>(FLASH).await;
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
    // The user and their memberships in one round trip, read fresh on every request: a removal
    // or a password change elsewhere (another instance, the CLI) counts from the next one.
    let rows = person_with_workspaces(&state.db, user_id).await?;
    let Some(person) = rows.first() else {
        session.flush().await.map_err(session_err)?;
        return Ok(None);
    };
    let mut workspaces = Vec::with_capacity(rows.len());
    let mut roles = Vec::with_capacity(rows.len());
    for row in &rows {
        let (Some(id), Some(name), Some(Ok(role))) = (
            row.workspace_id,
            row.workspace_name.clone(),
            row.role.as_deref().map(str::parse::<Role>),
        ) else {
            continue;
        };
        workspaces.push(WorkspaceRef { id, name });
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
    // A role changed by someone else (an Owner, the CLI, another instance) changes what this
    // session may do: from this request on it has a new id (docs/security.md #12).
    let privilege = format!("{}:{}", current.id, role.as_str());
    let held = session
        .get::<String>(PRIVILEGE)
        .await
        .map_err(session_err)?;
    if held.as_deref() != Some(privilege.as_str()) {
        if held.is_some() {
            session.cycle_id().await.map_err(session_err)?;
        }
        session
            .insert(PRIVILEGE, privilege)
            .await
            .map_err(session_err)?;
    }
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
        name: person.name.clone(),
        email: person.email.clone(),
        time_zone: person.time_zone.clone(),
        workspace: current,
        role,
        workspaces,
    }))
}

/// One row per membership of the user (one row with no workspace when they have none).
#[derive(FromQueryResult)]
struct PersonRow {
    id: i64,
    name: String,
    email: String,
    time_zone: String,
    workspace_id: Option<i64>,
    workspace_name: Option<String>,
    role: Option<String>,
}

/// `users LEFT JOIN memberships LEFT JOIN workspaces` for one user, oldest membership first.
async fn person_with_workspaces(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Vec<PersonRow>, DbErr> {
    let query = Query::select()
        .columns([
            (user::Entity, user::Column::Id),
            (user::Entity, user::Column::Name),
            (user::Entity, user::Column::Email),
            (user::Entity, user::Column::TimeZone),
        ])
        .expr_as(
            Expr::col((workspace::Entity, workspace::Column::Id)),
            "workspace_id",
        )
        .expr_as(
            Expr::col((workspace::Entity, workspace::Column::Name)),
            "workspace_name",
        )
        .expr_as(
            Expr::col((membership::Entity, membership::Column::Role)),
            "role",
        )
        .from(user::Entity)
        .join(
            JoinType::LeftJoin,
            membership::Entity,
            Expr::col((membership::Entity, membership::Column::UserId))
                .equals((user::Entity, user::Column::Id)),
        )
        .join(
            JoinType::LeftJoin,
            workspace::Entity,
            Expr::col((workspace::Entity, workspace::Column::Id))
                .equals((membership::Entity, membership::Column::WorkspaceId)),
        )
        .and_where(Expr::col((user::Entity, user::Column::Id)).eq(user_id))
        .order_by((membership::Entity, membership::Column::Id), Order::Asc)
        .to_owned();
    PersonRow::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await
}

//! What pages read, as plain async functions awaited inside `Suspend` during the server
//! render. Not `Resource`s over server functions: a Resource serialises its data into the page
//! for a hydration that never happens here. Each reads the shared state and the signed-in user
//! from the request's context, so pages never touch the database themselves.

use super::views::{
    AccountFilter, AccountView, AccountsView, ActivityFilter, ActivityView, BackoffNotice,
    ComposeView, ConfirmView, ConnectOptions, ConnectionsPage, DataDeletionStatus, MemberRow,
    PostsView,
};
use super::{app_state, current_user};
use crate::domain::policy::{allows, Permission};
use crate::error::AppError;
use crate::server::services::{
    accounts, activity, connections, disconnect, members, meta_callbacks, posts,
};

/// One page of the workspace's connections (the `page` query parameter, clamped).
pub async fn connections(page: u64) -> Result<ConnectionsPage, AppError> {
    let (state, user) = (app_state()?, current_user()?);
    Ok(connections::page(&state.db, user.workspace.id, page).await?)
}

/// One page of the accounts list and the banner's counts: two queries, run side by side.
pub async fn accounts(filter: AccountFilter) -> Result<AccountsView, AppError> {
    let (state, user) = (app_state()?, current_user()?);
    let now = state.clock.unix();
    let window = state.limits.refresh_window_seconds();
    let workspace = user.workspace.id;
    let (page, attention) = tokio::join!(
        accounts::list(&state.db, workspace, &filter, now, window),
        accounts::attention(&state.db, workspace, now, window),
    );
    Ok(AccountsView {
        page: page?,
        attention: attention?,
        filter,
        now,
        instagram_daily_limit: state.limits.instagram_daily,
        refresh_window: window,
        time_zone: user.time_zone,
    })
}

/// One account of the workspace; a malformed id, or another workspace's, is "not found".
pub async fn account(id: &str) -> Result<AccountView, AppError> {
    let (state, user) = (app_state()?, current_user()?);
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let account = accounts::detail(&state.db, user.workspace.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(AccountView {
        account,
        now: state.clock.unix(),
        time_zone: user.time_zone,
    })
}

/// The workspace's members, by name.
pub async fn members() -> Result<Vec<MemberRow>, AppError> {
    let (state, user) = (app_state()?, current_user()?);
    members::list(&state.db, user.workspace.id).await
}

/// One page of the activity log (Owner and Admin only) and the people to filter by.
pub async fn activity(filter: &ActivityFilter) -> Result<ActivityView, AppError> {
    let (state, user) = (app_state()?, current_user()?);
    let page = activity::list(&state.db, &user, filter).await?;
    let people = members::list(&state.db, user.workspace.id)
        .await
        .unwrap_or_default();
    Ok(ActivityView { page, people })
}

/// The compose form. `show_kept`: the page is the one a refused form came back to (its URL
/// says so), which shows what was typed; any other visit drops it. Reading without removing
/// keeps a re-render of the same page showing the same form.
pub async fn compose(show_kept: bool) -> Result<ComposeView, AppError> {
    use crate::server::publishing::draft::{Kept, KEPT_DRAFT};
    let (state, user, session) = (app_state()?, current_user()?, super::session().await?);
    let now = state.clock.unix();
    let accounts =
        posts::compose_accounts(&state.db, user.workspace.id, &state.limits, now).await?;
    let kept = match show_kept {
        true => session.get::<Kept>(KEPT_DRAFT).await,
        false => session.remove::<Kept>(KEPT_DRAFT).await,
    }
    .map_err(|err| AppError::internal("session read", err))?
    .filter(|_| show_kept);
    let key: [u8; 16] = rand::random();
    Ok(ComposeView {
        accounts,
        submission: hex::encode(key),
        kept,
        may_publish: allows(user.role, Permission::Publish),
    })
}

/// One page of the posts list (`?page=N`; anything else is the first).
pub async fn posts(page: Option<&str>) -> Result<PostsView, AppError> {
    let (state, user) = (app_state()?, current_user()?);
    let page = page.and_then(|p| p.trim().parse::<u64>().ok()).unwrap_or(1);
    Ok(PostsView {
        page: posts::page(&state.db, user.workspace.id, page).await?,
        now: state.clock.unix(),
        time_zone: user.time_zone,
        may_publish: allows(user.role, Permission::Publish),
    })
}

/// One data-deletion request, for its public status page (no sign-in): an unknown or
/// malformed code is `DataDeletionNotFound`, and nothing but that request is ever read.
pub async fn data_deletion(code: &str) -> Result<DataDeletionStatus, AppError> {
    let state = app_state()?;
    meta_callbacks::status(&state.db, code)
        .await?
        .ok_or(AppError::DataDeletionNotFound)
}

/// Which providers have an app (or the sandbox) to connect with; known without the database.
pub fn connect_options() -> ConnectOptions {
    match app_state() {
        Ok(state) => ConnectOptions {
            instagram: state.instagram.is_some(),
            threads: state.threads.is_some(),
        },
        Err(_) => ConnectOptions::default(),
    }
}

/// The rate-limit notice, while any Meta backoff is in force (docs/meta-api.md §9): the one
/// that ends last. A database that can't say shows no notice rather than break the page.
pub async fn meta_backoff() -> Option<BackoffNotice> {
    let (state, user) = (app_state().ok()?, current_user().ok()?);
    match state.backoffs.latest(state.clock.unix()).await {
        Ok(latest) => latest.map(|(_, until)| BackoffNotice {
            until,
            time_zone: user.time_zone,
        }),
        Err(err) => {
            tracing::warn!(error = %err, "cannot read Meta backoffs for the notice");
            None
        }
    }
}

/// Whether first-run setup is still to be done.
pub async fn setup_needed() -> bool {
    match app_state() {
        Ok(state) => !state.setup_done().await.unwrap_or(true),
        Err(_) => false,
    }
}

/// A Disconnect or Delete confirmation: the account `id` and what goes with it, and whether
/// the viewer's role allows `permission` (the page shows the role message when it doesn't).
pub async fn confirm(id: &str, permission: Permission) -> Result<ConfirmView, AppError> {
    let (state, user) = (app_state()?, current_user()?);
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let subject = disconnect::subject(&state.db, user.workspace.id, id).await?;
    Ok(ConfirmView {
        subject,
        allowed: allows(user.role, permission),
    })
}

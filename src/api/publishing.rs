//! **Publish** on `/compose`, **Re-queue** and **Re-queue all** on `/posts` (Owner, Admin,
//! Manager; the service checks the role). Afterwards the posts list, with one sentence per
//! account in the flash. A form the checks refuse comes back to `/compose` with its error and
//! everything typed, kept in the session (never in the URL).

use crate::error::AppError;
use leptos::prelude::*;

const POSTS: &str = "/posts";
/// The form again, showing what was typed.
const COMPOSE_KEPT: &str = "/compose?kept=1";

/// **Publish**. The checkboxes are named `accounts[]`: the form codec refuses a repeated plain
/// name, and a form with none ticked sends no such field at all, hence `#[server(default)]`
/// (serde's `default`).
#[server(prefix = "/api", endpoint = "publish_post")]
pub async fn publish_post(
    message: String,
    image_url: String,
    #[server(default)] accounts: Vec<String>,
    submission: String,
) -> Result<(), AppError> {
    use crate::server::publishing::{self, draft::Draft, summary};
    let (state, actor, session) = (
        super::app_state()?,
        super::current_user()?,
        super::session().await?,
    );
    let draft = Draft {
        message: &message,
        image_url: &image_url,
        accounts: &accounts,
        submission: &submission,
    };
    match publishing::submit(&state, &actor, draft).await {
        Ok(results) => {
            let text = summary::message(&results, &actor.time_zone);
            if results.iter().any(summary::AccountResult::stored) {
                super::flash_and_redirect(&session, &text, POSTS).await
            } else {
                // Nothing was stored (every account at its limit): back to the form, as typed.
                keep_draft(&session, &message, &image_url, &accounts).await?;
                super::flash_and_redirect(&session, &text, COMPOSE_KEPT).await
            }
        }
        Err(err) => {
            keep_draft(&session, &message, &image_url, &accounts).await?;
            Err(err)
        }
    }
}

async fn keep_draft(
    session: &tower_sessions::Session,
    message: &str,
    image_url: &str,
    accounts: &[String],
) -> Result<(), AppError> {
    use crate::server::publishing::draft::{Kept, KEPT_DRAFT};
    let Some(kept) = Kept::new(message, image_url, accounts) else {
        return Ok(());
    };
    session
        .insert(KEPT_DRAFT, kept)
        .await
        .map_err(|err| AppError::internal("session write", err))
}

/// **Re-queue** on one failed post.
#[server(prefix = "/api", endpoint = "requeue_post")]
pub async fn requeue_post(post_id: String) -> Result<(), AppError> {
    use crate::server::publishing::{self, summary};
    let (state, actor, session) = (
        super::app_state()?,
        super::current_user()?,
        super::session().await?,
    );
    let id: i64 = post_id.trim().parse().map_err(|_| AppError::NotFound)?;
    let result = publishing::requeue(&state, &actor, id).await?;
    let text = summary::message(std::slice::from_ref(&result), &actor.time_zone);
    super::flash_and_redirect(&session, &text, POSTS).await
}

/// **Re-queue all**: every failed post of one account.
#[server(prefix = "/api", endpoint = "requeue_account")]
pub async fn requeue_account(account_id: String) -> Result<(), AppError> {
    use crate::server::publishing::{self, summary};
    let (state, actor, session) = (
        super::app_state()?,
        super::current_user()?,
        super::session().await?,
    );
    let id: i64 = account_id.trim().parse().map_err(|_| AppError::NotFound)?;
    let results = publishing::requeue_all(&state, &actor, id).await?;
    let text = match results.is_empty() {
        true => "No failed posts to re-queue.".to_owned(),
        false => summary::message(&results, &actor.time_zone),
    };
    super::flash_and_redirect(&session, &text, POSTS).await
}

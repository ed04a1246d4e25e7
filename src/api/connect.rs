//! Connect Meta / Connect Meta Account: checks the role, remembers a fresh `state`, and sends
//! the browser to Facebook Login's dialog.

use crate::error::AppError;
use leptos::prelude::*;

/// Both buttons (welcome panel and integrations page) post here.
#[server(prefix = "/api", endpoint = "connect_meta")]
pub async fn connect_meta() -> Result<(), AppError> {
    let (state, actor) = (super::app_state()?, super::current_user()?);
    let url =
        crate::server::connect::start(&state, &actor, &crate::server::connect::providers::FACEBOOK)
            .await?;
    leptos_axum::redirect(&url);
    Ok(())
}

//! Connect Meta (Connect Meta Account), Connect Instagram and Connect Threads: each checks the
//! role, remembers a fresh `state`, and sends the browser to its provider's dialog.

use crate::error::AppError;
use leptos::prelude::*;

async fn start(
    spec: &'static crate::server::connect::providers::ProviderSpec,
) -> Result<(), AppError> {
    let (state, actor) = (super::app_state()?, super::current_user()?);
    let url = crate::server::connect::start(
        &state,
        &actor,
        spec,
        crate::server::connect::Intent::Connect,
    )
    .await?;
    leptos_axum::redirect(&url);
    Ok(())
}

/// Both Meta buttons (welcome panel and integrations page) post here.
#[server(prefix = "/api", endpoint = "connect_meta")]
pub async fn connect_meta() -> Result<(), AppError> {
    start(&crate::server::connect::providers::FACEBOOK).await
}

/// Connect Instagram (Instagram Login).
#[server(prefix = "/api", endpoint = "connect_instagram")]
pub async fn connect_instagram() -> Result<(), AppError> {
    start(&crate::server::connect::providers::INSTAGRAM).await
}

/// Connect Threads.
#[server(prefix = "/api", endpoint = "connect_threads")]
pub async fn connect_threads() -> Result<(), AppError> {
    start(&crate::server::connect::providers::THREADS).await
}

//! Where an account publishes and with which token (docs/meta-api.md §11): a Page with its own
//! Page token on the Facebook Graph host; an Instagram account linked to a Page on the same
//! host with its Page's token; a direct Instagram account on the Instagram Graph host and a
//! Threads profile on the Threads host, each with its own token.

use crate::domain::{Platform, Provider};
use crate::server::crypto::vault::{Owner, Slot};
use crate::server::entities::account;
use crate::server::meta::publishing::{ContainerApi, Target};
use crate::server::state::AppState;
use sea_orm::{DbErr, EntityTrait};

/// How the account's posts are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Steps {
    /// One call (`feed` or `photos`).
    Page,
    /// A media container, its status, then the publish.
    Container(ContainerApi),
}

pub struct Resolved {
    pub target: Target,
    pub steps: Steps,
    /// The product whose app the calls speak for (reasons are worded for it).
    pub provider: Provider,
}

/// Why an account can't be published to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    /// Its token (or its Page's) is missing or doesn't decrypt: reconnect.
    Token,
    /// The product's app isn't configured on this server.
    NotConfigured,
}

/// The account whose token `row` publishes with: its Page for a linked Instagram account.
async fn token_holder(
    state: &AppState,
    row: &account::Model,
) -> Result<Option<account::Model>, DbErr> {
    match row.parent_account_id {
        Some(parent) => account::Entity::find_by_id(parent).one(&state.db).await,
        None => Ok(Some(row.clone())),
    }
}

pub async fn resolve(
    state: &AppState,
    row: &account::Model,
) -> Result<Result<Resolved, Unusable>, DbErr> {
    let Ok(platform) = row.platform.parse::<Platform>() else {
        return Ok(Err(Unusable::NotConfigured));
    };
    let linked = row.parent_account_id.is_some();
    let provider = match platform {
        Platform::Threads => Provider::Threads,
        Platform::FacebookPage => Provider::Facebook,
        _ if linked => Provider::Facebook,
        _ => Provider::Instagram,
    };
    let Some(holder) = token_holder(state, row).await? else {
        return Ok(Err(Unusable::Token));
    };
    let Some(ciphertext) = holder.token_ciphertext.as_deref() else {
        return Ok(Err(Unusable::Token));
    };
    let owner = Owner {
        row_id: holder.id,
        workspace_id: holder.workspace_id,
        provider,
    };
    let Ok(token) = state.vault.open(Slot::ACCOUNT_TOKEN, &owner, ciphertext) else {
        return Ok(Err(Unusable::Token));
    };
    let resolved = match (platform, provider) {
        (Platform::FacebookPage, _) => state.facebook.as_ref().map(|client| Resolved {
            target: client.publishing(&token),
            steps: Steps::Page,
            provider,
        }),
        (Platform::Threads, _) => state.threads.as_ref().map(|client| Resolved {
            target: client.publishing(&token),
            steps: Steps::Container(ContainerApi::Threads),
            provider,
        }),
        (_, Provider::Facebook) => state.facebook.as_ref().map(|client| Resolved {
            target: client.publishing(&token),
            steps: Steps::Container(ContainerApi::Instagram),
            provider,
        }),
        _ => state.instagram.as_ref().map(|client| Resolved {
            target: client.publishing(&token),
            steps: Steps::Container(ContainerApi::Instagram),
            provider,
        }),
    };
    Ok(resolved.ok_or(Unusable::NotConfigured))
}

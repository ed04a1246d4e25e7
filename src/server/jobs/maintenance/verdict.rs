//! What Meta says of one direct token (an Instagram Login account's or a Threads profile's),
//! found without writing anything: the sweep asks for many at once and writes what they found
//! together (`direct`).

use super::calls::Outcome;
use super::{Sweep, MIN_REFRESH_AGE_SECONDS};
use crate::domain::{Provider, StatusReason};
use crate::server::crypto::vault::{Owner, Slot, Stored};
use crate::server::entities::account;
use crate::server::meta::instagram::InstagramClient;
use crate::server::meta::oauth::UserToken;
use crate::server::meta::threads::ThreadsClient;
use crate::server::meta::MetaError;
use crate::server::services::disconnect::provider_of;
use crate::server::state::AppState;
use secrecy::SecretString;

/// The two clients a batch calls through, each admitted by one read of the shared backoff
/// (`UsageGate::admit_batch`), or why it was refused: then each of its calls is refused
/// the same way, which opens the breaker as a refused call always has.
pub struct Clients {
    instagram: Result<InstagramClient, MetaError>,
    threads: Result<ThreadsClient, MetaError>,
}

impl Clients {
    pub async fn admit(state: &AppState) -> Self {
        let instagram = match &state.instagram {
            Some(client) => client.admit_batch().await,
            None => Err(MetaError::Unavailable),
        };
        let threads = match &state.threads {
            Some(client) => client.admit_batch().await,
            None => Err(MetaError::Unavailable),
        };
        Self { instagram, threads }
    }

    fn instagram(&self) -> Result<&InstagramClient, MetaError> {
        self.instagram.as_ref().map_err(Clone::clone)
    }

    fn threads(&self) -> Result<&ThreadsClient, MetaError> {
        self.threads.as_ref().map_err(Clone::clone)
    }
}

/// What came of one token.
pub enum Verdict {
    /// Meta renewed it: the fresh token, already sealed for its row (outside the batch's
    /// write transaction), and how long it lives.
    Renewed { sealed: Stored, lifetime: i64 },
    /// Meta answered the check: it still works.
    Working,
    /// It can't be used: Needs Reauthorization with `reason`; `asked` when Meta said so.
    Dead { reason: StatusReason, asked: bool },
    /// Meta is failing or limiting us: the token stays due for the next sweep.
    Deferred,
    /// Nothing to write: no token to ask about (a disconnect got there first), or a renewed
    /// one that could not be sealed.
    Nothing,
}

/// Refreshes or checks one account's token at Meta.
pub async fn of(
    sweep: &Sweep<'_>,
    clients: &Clients,
    row: &account::Model,
    window_end: i64,
) -> Verdict {
    let now = sweep.now;
    if row.token_expires_at.is_some_and(|at| at <= now) {
        return Verdict::Dead {
            reason: StatusReason::TokenExpired,
            asked: false,
        };
    }
    // Only parentless Instagram accounts and Threads profiles come here: no grant needed.
    let provider = provider_of(row, None);
    let owner = Owner {
        row_id: row.id,
        workspace_id: row.workspace_id,
        provider,
    };
    let Some(ciphertext) = row.token_ciphertext.as_deref() else {
        return Verdict::Nothing;
    };
    let Ok(token) = sweep
        .state
        .vault
        .open(Slot::ACCOUNT_TOKEN, &owner, ciphertext)
    else {
        return Verdict::Dead {
            reason: StatusReason::DecryptionFailed,
            asked: false,
        };
    };
    let issued = row.token_issued_at.unwrap_or(row.connected_at);
    let refresh = row.token_expires_at.is_some_and(|at| at <= window_end)
        && now.saturating_sub(issued) >= MIN_REFRESH_AGE_SECONDS;
    let outcome = if refresh {
        match sweep
            .breaker
            .call(|| renew(clients, provider, &token))
            .await
        {
            Outcome::Done(fresh) => return sealed(sweep, row, &owner, fresh),
            Outcome::Rejected { code, subcode } => Outcome::Rejected { code, subcode },
            Outcome::Deferred => Outcome::Deferred,
        }
    } else {
        sweep
            .breaker
            .call(|| probe(clients, provider, &token))
            .await
    };
    match outcome {
        Outcome::Done(()) => Verdict::Working,
        Outcome::Rejected { code, subcode } => Verdict::Dead {
            reason: StatusReason::from_meta(code, subcode, provider)
                .unwrap_or(StatusReason::TokenInvalid),
            asked: true,
        },
        Outcome::Deferred => Verdict::Deferred,
    }
}

/// A refreshed token that says nothing of its lifetime lives the documented 60 days.
const DEFAULT_LIFETIME_SECONDS: i64 = 60 * 86_400;

/// The renewed token sealed for its row; one that can't be sealed is left unwritten (the row
/// keeps the token it has, which still works).
fn sealed(sweep: &Sweep<'_>, row: &account::Model, owner: &Owner, fresh: UserToken) -> Verdict {
    match sweep
        .state
        .vault
        .seal(Slot::ACCOUNT_TOKEN, owner, &fresh.token)
    {
        Ok(sealed) => Verdict::Renewed {
            sealed,
            lifetime: fresh.expires_in.unwrap_or(DEFAULT_LIFETIME_SECONDS),
        },
        Err(_) => {
            tracing::error!(account = row.id, "cannot encrypt a refreshed token");
            Verdict::Nothing
        }
    }
}

async fn renew(
    clients: &Clients,
    provider: Provider,
    token: &SecretString,
) -> Result<UserToken, MetaError> {
    match provider {
        Provider::Instagram => clients.instagram()?.refresh(token).await,
        Provider::Threads => clients.threads()?.refresh(token).await,
        Provider::Facebook => Err(MetaError::Unavailable),
    }
}

async fn probe(
    clients: &Clients,
    provider: Provider,
    token: &SecretString,
) -> Result<(), MetaError> {
    match provider {
        Provider::Instagram => clients.instagram()?.me(token).await.map(|_| ()),
        Provider::Threads => clients.threads()?.me(token).await.map(|_| ()),
        Provider::Facebook => Err(MetaError::Unavailable),
    }
}

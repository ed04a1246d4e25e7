//! Disconnecting an account (docs/product.md → Disconnecting, docs/security.md #28). In one
//! transaction: the tokens are destroyed, the account — and, for a Page, the Instagram accounts
//! linked through it — become Disconnected, and when no account in any workspace still depends
//! on the Facebook login it came from, the revocation at Meta is recorded for the relay
//! (`jobs::revocation_relay`) to send. The person never waits for Meta. Instagram Login and
//! Threads have no revoke call, so their tokens are destroyed here only and the confirmation
//! says where to remove the app.

use super::audit::{self, AuditKind};
use super::context::Context;
use super::members::lock_workspace;
use super::revocations;
use crate::domain::policy::{authorize, Permission};
use crate::domain::{AccountStatus, Platform, Provider};
use crate::error::AppError;
use crate::server::auth::current::CurrentUser;
use crate::server::crash_points::{self, CrashStep};
use crate::server::entities::{account, grant};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

/// An account and what goes with it, as the confirmation names them.
#[derive(Debug, Clone)]
pub struct Subject {
    pub id: i64,
    pub name: String,
    pub platform: Platform,
    pub status: AccountStatus,
    /// The Meta product it was connected through.
    pub provider: Provider,
    /// The Instagram accounts linked through this Page that are disconnected with it.
    pub linked: Vec<String>,
}

impl Subject {
    /// "Acme Bakery and its linked Instagram account acmebakery".
    pub fn described(&self) -> String {
        match self.linked.as_slice() {
            [] => self.name.clone(),
            [one] => format!("{} and its linked Instagram account {one}", self.name),
            many => format!(
                "{} and its linked Instagram accounts {}",
                self.name,
                many.join(", ")
            ),
        }
    }
}

/// The Meta product an account belongs to: its grant's, else what its platform says.
pub(crate) fn provider_of(row: &account::Model, grant: Option<&grant::Model>) -> Provider {
    if let Some(provider) = grant.and_then(|g| g.provider.parse().ok()) {
        return provider;
    }
    match row.platform.parse::<Platform>() {
        Ok(Platform::Threads) => Provider::Threads,
        Ok(Platform::InstagramBusiness | Platform::InstagramCreator)
            if row.parent_account_id.is_none() =>
        {
            Provider::Instagram
        }
        _ => Provider::Facebook,
    }
}

/// The workspace's account `account_id`, or `not_found` (another workspace's id included).
pub(crate) async fn find(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    account_id: i64,
) -> Result<account::Model, AppError> {
    account::Entity::find_by_id(account_id)
        .filter(account::Column::WorkspaceId.eq(workspace_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The Instagram accounts linked through the Page `page_id`, not yet disconnected.
async fn linked_accounts(
    db: &impl ConnectionTrait,
    page_id: i64,
) -> Result<Vec<account::Model>, AppError> {
    Ok(account::Entity::find()
        .filter(account::Column::ParentAccountId.eq(page_id))
        .filter(account::Column::Status.ne(AccountStatus::Disconnected.as_str()))
        .order_by_asc(account::Column::Name)
        .all(db)
        .await?)
}

/// The grant `row` came with, if it still exists.
pub(crate) async fn grant_of(
    db: &impl ConnectionTrait,
    row: &account::Model,
) -> Result<Option<grant::Model>, AppError> {
    match row.grant_id {
        Some(id) => Ok(grant::Entity::find_by_id(id).one(db).await?),
        None => Ok(None),
    }
}

/// An account with its grant and linked accounts, and how the confirmation names them.
struct Gathered {
    row: account::Model,
    grant: Option<grant::Model>,
    linked: Vec<account::Model>,
    subject: Subject,
}

async fn gather(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    account_id: i64,
) -> Result<Gathered, AppError> {
    let row = find(db, workspace_id, account_id).await?;
    let grant = grant_of(db, &row).await?;
    let linked = linked_accounts(db, row.id).await?;
    let subject = Subject {
        id: row.id,
        name: row.name.clone(),
        platform: row.platform.parse().map_err(|()| AppError::NotFound)?,
        status: row.status.parse().map_err(|()| AppError::NotFound)?,
        provider: provider_of(&row, grant.as_ref()),
        linked: linked.iter().map(|a| a.name.clone()).collect(),
    };
    Ok(Gathered {
        row,
        grant,
        linked,
        subject,
    })
}

/// What the confirmation page shows for `account_id`.
pub async fn subject(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    account_id: i64,
) -> Result<Subject, AppError> {
    Ok(gather(db, workspace_id, account_id).await?.subject)
}

/// What a disconnect did.
#[derive(Debug, Clone)]
pub struct Disconnected {
    pub subject: Subject,
    /// It was disconnected already (a second submission): nothing changed.
    pub already: bool,
}

/// Disconnects `account_id` for `actor`.
pub async fn disconnect(
    ctx: &Context<'_>,
    actor: &CurrentUser,
    account_id: i64,
) -> Result<Disconnected, AppError> {
    authorize(actor.role, Permission::DisconnectAccounts)?;
    let now = ctx.clock.unix();
    let txn = ctx.db.begin().await?;
    // Written first: two disconnects in one workspace run one after the other.
    lock_workspace(&txn, actor.workspace.id).await?;
    let Gathered {
        row,
        grant,
        linked,
        subject,
    } = gather(&txn, actor.workspace.id, account_id).await?;
    if subject.status == AccountStatus::Disconnected {
        return Ok(Disconnected {
            subject,
            already: true,
        });
    }
    let ids: Vec<i64> = std::iter::once(row.id)
        .chain(linked.iter().map(|a| a.id))
        .collect();
    let concerned: Vec<(i64, Platform)> = std::iter::once(&row)
        .chain(linked.iter())
        .filter_map(account::Model::tagged)
        .collect();
    account::Entity::update_many()
        .col_expr(
            account::Column::Status,
            Expr::value(AccountStatus::Disconnected.as_str()),
        )
        .col_expr(account::Column::StatusReason, Expr::value(None::<String>))
        .col_expr(
            account::Column::TokenCiphertext,
            Expr::value(None::<String>),
        )
        .col_expr(
            account::Column::TokenKeyFingerprint,
            Expr::value(None::<String>),
        )
        .col_expr(account::Column::UpdatedAt, Expr::value(now))
        .filter(account::Column::Id.is_in(ids))
        .exec(&txn)
        .await?;
    let revoking = match &grant {
        Some(grant) => release_grant(&txn, grant, now).await?,
        None => false,
    };
    let mut entry = audit::by(
        actor,
        AuditKind::AccountDisconnected,
        &subject.described(),
        serde_json::json!({
            "platform": subject.platform.as_str(),
            "linked": subject.linked.len(),
            "revocation_recorded": revoking,
        }),
    );
    entry.accounts = concerned;
    audit::record(&txn, now, entry).await?;
    crash_points::reached(CrashStep::DisconnectBeforeCommit);
    txn.commit().await?;
    crash_points::reached(CrashStep::DisconnectAfterCommit);
    Ok(Disconnected {
        subject,
        already: false,
    })
}

/// After accounts of `grant` were disconnected: once none of its accounts is left, its user
/// token is destroyed too; once no account in any workspace depends on the Facebook login, the
/// revocation is recorded. Answers whether it was.
async fn release_grant(
    txn: &impl ConnectionTrait,
    grant: &grant::Model,
    now: i64,
) -> Result<bool, AppError> {
    let remaining = account::Entity::find()
        .filter(account::Column::GrantId.eq(grant.id))
        .filter(account::Column::Status.ne(AccountStatus::Disconnected.as_str()))
        .count(txn)
        .await?;
    if remaining == 0 && !grant.token_ciphertext.is_empty() {
        grant::ActiveModel {
            id: Set(grant.id),
            token_ciphertext: Set(String::new()),
            token_key_fingerprint: Set(String::new()),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(txn)
        .await?;
    }
    let Ok(Provider::Facebook) = grant.provider.parse::<Provider>() else {
        return Ok(false);
    };
    // The user's lock, then the count: a disconnect or a new grant of the same Meta user in
    // another workspace has either committed already, and is counted, or waits for us.
    revocations::lock_user(txn, Provider::Facebook, &grant.external_user_id, now).await?;
    if revocations::dependants(txn, Provider::Facebook, &grant.external_user_id).await? > 0 {
        return Ok(false);
    }
    revocations::arm(txn, Provider::Facebook, &grant.external_user_id, now).await?;
    Ok(true)
}

//! The world `bench sweep` catches up on: N long-lived Instagram Login and Threads tokens that
//! the sandbox issued two days ago (by its clock), and N accounts in the app's database each
//! holding one of them, sealed as connecting seals it, expiring in three days — inside the
//! default seven-day refresh window, so every one of them is due for a refresh.

use anyhow::Context;
use meta_sandbox::issued::{NewToken, TokenKind};
use meta_sandbox::{Sandbox, SandboxApps};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, Set, TransactionTrait};
use switchboard::domain::{Platform, Provider};
use switchboard::server::crypto::vault::{Owner, Slot, Vault};
use switchboard::server::entities::{account, grant};

/// Tokens each sandbox user holds (one grant per user and app).
const TOKENS_PER_USER: usize = 100;
/// Rows per INSERT, under both databases' parameter limits.
const ROWS_PER_STATEMENT: usize = 500;
const DAY: i64 = 86_400;

/// The sandbox's half: grants holding the basic permission, then the tokens in batches.
/// Answers the tokens' plaintexts in account order: even ones Instagram, odd ones Threads.
pub async fn sandbox_tokens(sandbox: &Sandbox, count: usize) -> anyhow::Result<Vec<String>> {
    let apps: SandboxApps = sandbox.apps().await?;
    let users = count.div_ceil(2 * TOKENS_PER_USER).max(1);
    for u in 0..users {
        let user = user_id(u);
        sandbox
            .save_grant(
                &apps.instagram.app_id,
                &user,
                &["instagram_business_basic".into()],
                &[],
                &[],
            )
            .await?;
        sandbox
            .save_grant(
                &apps.threads.app_id,
                &user,
                &["threads_basic".into()],
                &[],
                &[],
            )
            .await?;
    }
    let now = sandbox.now().await?;
    let mut plaintexts = Vec::with_capacity(count);
    let users: Vec<String> = (0..users).map(user_id).collect();
    for chunk in (0..count).collect::<Vec<_>>().chunks(ROWS_PER_STATEMENT) {
        let news: Vec<NewToken<'_>> = chunk
            .iter()
            .map(|&n| NewToken {
                kind: TokenKind::User,
                app_id: match n % 2 {
                    0 => &apps.instagram.app_id,
                    _ => &apps.threads.app_id,
                },
                user_id: Some(&users[n / (2 * TOKENS_PER_USER)]),
                page_id: None,
                long_lived: true,
                expires_at: now + 60 * DAY,
            })
            .collect();
        plaintexts.extend(sandbox.issue_tokens(&news).await?);
    }
    // Meta refreshes only tokens at least a day old.
    sandbox.advance_clock(chrono::Duration::days(2)).await?;
    Ok(plaintexts)
}

fn user_id(n: usize) -> String {
    format!("{}", 27_000_000_000_000_000u64 + n as u64)
}

/// The app's half: one Instagram and one Threads grant, then an account per token with ids
/// 1..=N (set here, so each token is sealed to its row before the insert).
pub async fn accounts(
    db: &DatabaseConnection,
    vault: &Vault,
    workspace_id: i64,
    owner_id: i64,
    tokens: &[String],
    now: i64,
) -> anyhow::Result<()> {
    let txn = db.begin().await?;
    let instagram = insert_grant(&txn, workspace_id, owner_id, "instagram", now).await?;
    let threads = insert_grant(&txn, workspace_id, owner_id, "threads", now).await?;
    for (chunk_index, chunk) in tokens.chunks(ROWS_PER_STATEMENT).enumerate() {
        let mut rows = Vec::with_capacity(chunk.len());
        for (offset, token) in chunk.iter().enumerate() {
            let n = chunk_index * ROWS_PER_STATEMENT + offset;
            let id = i64::try_from(n + 1).context("too many tokens")?;
            let (platform, provider, grant_id) = match n % 2 {
                0 => (Platform::InstagramBusiness, Provider::Instagram, instagram),
                _ => (Platform::Threads, Provider::Threads, threads),
            };
            let owner = Owner {
                row_id: id,
                workspace_id,
                provider,
            };
            let sealed = vault
                .seal(Slot::ACCOUNT_TOKEN, &owner, &token.clone().into())
                .map_err(|e| anyhow::anyhow!("cannot seal a token: {e:?}"))?;
            rows.push(account::ActiveModel {
                id: Set(id),
                workspace_id: Set(workspace_id),
                grant_id: Set(Some(grant_id)),
                platform: Set(platform.as_str().to_owned()),
                external_id: Set(format!("{}", 17_800_000_000_000_000u64 + n as u64)),
                name: Set(format!("Sweep Account {n:06}")),
                username: Set(Some(format!("sweep.{n:06}"))),
                parent_account_id: Set(None),
                status: Set("active".to_owned()),
                status_reason: Set(None),
                token_ciphertext: Set(Some(sealed.ciphertext)),
                token_key_fingerprint: Set(Some(sealed.key_fingerprint)),
                token_expires_at: Set(Some(now + 3 * DAY)),
                missing_scopes: Set("[]".to_owned()),
                search_text: Set(format!("sweep account {n:06} sweep.{n:06}")),
                connected_by: Set(owner_id),
                connected_at: Set(now - 2 * DAY),
                last_used_at: Set(None),
                created_at: Set(now - 2 * DAY),
                updated_at: Set(now - 2 * DAY),
                lease_until: Set(0),
                checked_at: Set(now - 2 * DAY),
                token_issued_at: Set(Some(now - 2 * DAY)),
                ..Default::default()
            });
        }
        crate::seed::insert_in_batches(&txn, rows)
            .await
            .context("inserting accounts")?;
    }
    txn.commit().await?;
    Ok(())
}

async fn insert_grant(
    txn: &impl ConnectionTrait,
    workspace_id: i64,
    owner_id: i64,
    provider: &str,
    now: i64,
) -> anyhow::Result<i64> {
    let model = crate::seed::GrantRow {
        workspace_id,
        owner_id,
        provider,
        external_user_id: format!("sweep-{provider}"),
        expires_at: None,
        consented_at: now - 2 * DAY,
    }
    .model(now);
    Ok(grant::Entity::insert(model).exec(txn).await?.last_insert_id)
}

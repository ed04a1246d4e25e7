//! Seeds a workspace the size of a large agency's: its Owner (made by the app's own
//! `user create` code, so the password hash and memberships are the real ones), a few Meta
//! grants and many accounts of every platform and status, inserted in batches inside one
//! transaction so 10,000 rows take seconds, not minutes.

use crate::plan::{plan, Planned, DAY};
use anyhow::{anyhow, Context};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait};
use std::collections::HashMap;
use switchboard::domain::{EmailAddress, NewPassword, PersonName, Platform, Role, WorkspaceName};
use switchboard::server::auth::password::Passwords;
use switchboard::server::entities::{account, grant, post, user, workspace};
use switchboard::server::services::operator::{self, CreateUser};

pub const OWNER_EMAIL: &str = "owner@bench.example.com";
pub const OWNER_PASSWORD: &str = "bench password, not secret";
const OWNER_NAME: &str = "Bench Owner";
const WORKSPACE_NAME: &str = "Bench Agency";
/// Rows per INSERT: 500 × 20 columns stays under SQLite's and PostgreSQL's parameter limits.
const BATCH: usize = 500;
/// Grants per provider; the accounts are spread over them.
const GRANTS_PER_PROVIDER: usize = 8;

/// Posts seeded into the workspace, the "10,000 rows" for `/posts`.
pub const POSTS: usize = 10_000;

/// What was seeded, for the report and the sign-in.
pub struct Seeded {
    pub workspace_id: i64,
    pub accounts: usize,
}

/// Creates the Owner and workspace through `operator::create`, then the grants and `count`
/// accounts in one transaction.
pub async fn seed(db: &DatabaseConnection, count: usize, now: i64) -> anyhow::Result<Seeded> {
    let (workspace_id, owner_id) = create_owner(db, now).await?;
    let planned = plan(count, now, 42);
    let txn = db.begin().await?;
    let grants = insert_grants(&txn, workspace_id, owner_id, now).await?;
    let grant_for = |platform: Platform, through_page: bool, index: usize| {
        let provider = match platform {
            Platform::FacebookPage => 0,
            Platform::InstagramBusiness if through_page => 0,
            Platform::InstagramBusiness | Platform::InstagramCreator => 1,
            Platform::Threads => 2,
        };
        grants[provider * GRANTS_PER_PROVIDER + index % GRANTS_PER_PROVIDER]
    };
    let row = |p: &Planned, index: usize, parent: Option<i64>| account::ActiveModel {
        workspace_id: Set(workspace_id),
        grant_id: Set(Some(grant_for(p.platform, p.through_page, index))),
        platform: Set(p.platform.as_str().to_owned()),
        external_id: Set(p.external_id.clone()),
        name: Set(p.name.clone()),
        username: Set(p.username.clone()),
        parent_account_id: Set(parent),
        status: Set(p.status.as_str().to_owned()),
        status_reason: Set(p.status_reason.clone()),
        token_ciphertext: Set(None),
        token_key_fingerprint: Set(None),
        token_expires_at: Set(p.token_expires_at),
        missing_scopes: Set("[]".to_owned()),
        search_text: Set(p.search_text.clone()),
        connected_by: Set(owner_id),
        connected_at: Set(p.connected_at),
        last_used_at: Set(p.last_used_at),
        created_at: Set(p.connected_at),
        updated_at: Set(now),
        ..Default::default()
    };
    // Pages first, so the Instagram accounts reached through one can point at it.
    let (pages, others): (Vec<_>, Vec<_>) = planned
        .iter()
        .enumerate()
        .partition(|(_, p)| p.platform == Platform::FacebookPage);
    let page_rows: Vec<_> = pages.iter().map(|(i, p)| row(p, *i, None)).collect();
    insert_batches(&txn, page_rows).await?;
    let page_ids: HashMap<String, i64> = account::Entity::find()
        .filter(account::Column::WorkspaceId.eq(workspace_id))
        .filter(account::Column::Platform.eq(Platform::FacebookPage.as_str()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| (a.external_id, a.id))
        .collect();
    // Each Page has at most one Instagram account, as at Meta.
    let mut free_pages = pages
        .iter()
        .filter_map(|(_, p)| page_ids.get(&p.external_id));
    let other_rows: Vec<_> = others
        .iter()
        .map(|(i, p)| {
            let parent = match p.through_page {
                true => free_pages.next().copied(),
                false => None,
            };
            row(p, *i, parent)
        })
        .collect();
    insert_batches(&txn, other_rows).await?;
    insert_posts(&txn, workspace_id, owner_id, now).await?;
    txn.commit().await?;
    Ok(Seeded {
        workspace_id,
        accounts: planned.len(),
    })
}

/// The Owner and their workspace, exactly as `switchboard user create … --role owner` makes them.
pub async fn create_owner(db: &DatabaseConnection, now: i64) -> anyhow::Result<(i64, i64)> {
    let email = EmailAddress::parse(OWNER_EMAIL).map_err(|e| anyhow!("{e:?}"))?;
    let name = PersonName::parse(OWNER_NAME).map_err(|e| anyhow!("{e:?}"))?;
    let space = WorkspaceName::parse(WORKSPACE_NAME).map_err(|e| anyhow!("{e:?}"))?;
    let password = NewPassword::parse(OWNER_PASSWORD).map_err(|e| anyhow!("{e:?}"))?;
    operator::create(
        db,
        &Passwords::new(),
        now,
        CreateUser {
            email: &email,
            name: &name,
            workspace: &space,
            role: Role::Owner,
            password: Some(&password),
        },
    )
    .await
    .context("creating the Owner")?;
    let workspace_id = workspace::Entity::find()
        .filter(workspace::Column::Name.eq(WORKSPACE_NAME))
        .one(db)
        .await?
        .context("the workspace was not created")?
        .id;
    let owner_id = user::Entity::find()
        .filter(user::Column::Email.eq(OWNER_EMAIL))
        .one(db)
        .await?
        .context("the Owner was not created")?
        .id;
    Ok((workspace_id, owner_id))
}

/// `GRANTS_PER_PROVIDER` grants for each of facebook, instagram and threads, in that order;
/// their ids come back in the same order.
async fn insert_grants(
    txn: &impl sea_orm::ConnectionTrait,
    workspace_id: i64,
    owner_id: i64,
    now: i64,
) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::new();
    for provider in ["facebook", "instagram", "threads"] {
        for n in 0..GRANTS_PER_PROVIDER {
            let model = GrantRow {
                workspace_id,
                owner_id,
                provider,
                external_user_id: format!("{}", 90_000 + n),
                expires_at: Some(now + 50 * DAY),
                consented_at: now - 10 * DAY,
            }
            .model(now);
            ids.push(grant::Entity::insert(model).exec(txn).await?.last_insert_id);
        }
    }
    Ok(ids)
}

async fn insert_batches(
    txn: &impl sea_orm::ConnectionTrait,
    rows: Vec<account::ActiveModel>,
) -> anyhow::Result<()> {
    insert_in_batches(txn, rows)
        .await
        .context("inserting accounts")
}

/// Inserts `rows` [`BATCH`] to a statement.
pub async fn insert_in_batches<A>(
    txn: &impl sea_orm::ConnectionTrait,
    rows: Vec<A>,
) -> Result<(), sea_orm::DbErr>
where
    A: sea_orm::ActiveModelTrait,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<A> = rows.by_ref().take(BATCH).collect();
        A::Entity::insert_many(batch)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// [`POSTS`] posts spread over the workspace's active accounts, most published over the last
/// weeks, some failed, a few queued — what `/posts` lists newest first.
async fn insert_posts(
    txn: &impl sea_orm::ConnectionTrait,
    workspace_id: i64,
    owner_id: i64,
    now: i64,
) -> anyhow::Result<()> {
    let accounts: Vec<i64> = account::Entity::find()
        .filter(account::Column::WorkspaceId.eq(workspace_id))
        .filter(account::Column::Status.eq("active"))
        .all(txn)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    anyhow::ensure!(!accounts.is_empty(), "no active account to post to");
    let rows: Vec<post::ActiveModel> = (0..POSTS)
        .map(|n| {
            let at = now - (n as i64) * 300;
            let (status, published_at, failure) = match n % 20 {
                0 => ("failed", None, Some("media_failed".to_owned())),
                1 => ("queued", None, None),
                _ => ("published", Some(at), None),
            };
            post::ActiveModel {
                workspace_id: Set(workspace_id),
                account_id: Set(accounts[n % accounts.len()]),
                status: Set(status.to_owned()),
                published_at: Set(published_at),
                created_at: Set(at),
                submission_key: Set(Some(format!("bench-{n}"))),
                created_by: Set(Some(owner_id)),
                message: Set(format!(
                    "Fresh bread and pastries, batch {n} — see you soon!"
                )),
                image_url: Set(None),
                meta_post_id: Set(published_at.map(|_| format!("1789{n:012}"))),
                container_id: Set(None),
                failure: Set(failure),
                meta_code: Set(None),
                meta_subcode: Set(None),
                attempts: Set(1),
                next_attempt_at: Set(at),
                lease_until: Set(0),
                sent_at: Set(published_at),
                updated_at: Set(at),
                ..Default::default()
            }
        })
        .collect();
    insert_in_batches(txn, rows)
        .await
        .context("inserting posts")
}

/// A grant row without a token (the benchmarks never call Meta with it).
pub struct GrantRow<'a> {
    pub workspace_id: i64,
    pub owner_id: i64,
    pub provider: &'a str,
    pub external_user_id: String,
    pub expires_at: Option<i64>,
    pub consented_at: i64,
}

impl GrantRow<'_> {
    pub fn model(self, now: i64) -> grant::ActiveModel {
        grant::ActiveModel {
            workspace_id: Set(self.workspace_id),
            provider: Set(self.provider.to_owned()),
            external_user_name: Set(format!("Bench Person {}", self.external_user_id)),
            external_user_id: Set(self.external_user_id),
            token_ciphertext: Set(String::new()),
            token_key_fingerprint: Set(String::new()),
            token_expires_at: Set(self.expires_at),
            data_access_expires_at: Set(self.expires_at.map(|at| at + 30 * DAY)),
            scopes_granted: Set("[]".to_owned()),
            scopes_declined: Set("[]".to_owned()),
            consented_at: Set(self.consented_at),
            connected_by: Set(self.owner_id),
            created_at: Set(self.consented_at),
            updated_at: Set(now),
            ..Default::default()
        }
    }
}

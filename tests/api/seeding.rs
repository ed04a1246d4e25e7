//! Rows written straight into the database for list and paging tests: accounts of any
//! platform and status under a Facebook grant, without going through a connect.

use crate::helpers::TestApp;
use sea_orm::{ActiveModelTrait, Set};
use std::sync::atomic::Ordering;
use switchboard::server::clock::Clock;
use switchboard::server::entities::{account, grant};

const DAY: i64 = 86_400;

/// An account to seed.
pub struct Seed<'a> {
    pub name: &'a str,
    pub username: Option<&'a str>,
    pub platform: &'a str,
    pub status: &'a str,
    pub reason: Option<&'a str>,
    /// Own token expiry (direct accounts); Pages take the grant's.
    pub expires_in: Option<i64>,
    pub last_used_ago: Option<i64>,
    pub parent: Option<i64>,
}

impl<'a> Seed<'a> {
    pub fn page(name: &'a str) -> Self {
        Self {
            name,
            username: None,
            platform: "facebook_page",
            status: "active",
            reason: None,
            expires_in: None,
            last_used_ago: None,
            parent: None,
        }
    }
}

/// A Facebook grant whose user token expires in `days`.
pub async fn seed_grant(app: &TestApp, workspace_id: i64, days: i64) -> i64 {
    let now = app.clock.unix();
    grant::ActiveModel {
        workspace_id: Set(workspace_id),
        provider: Set("facebook".into()),
        external_user_id: Set(format!("1000{}", rand_suffix())),
        external_user_name: Set("Alex Admin".into()),
        token_ciphertext: Set(String::new()),
        token_key_fingerprint: Set(String::new()),
        token_expires_at: Set(Some(now + days * DAY)),
        data_access_expires_at: Set(Some(now + 90 * DAY)),
        scopes_granted: Set(r#"["pages_show_list","pages_manage_posts"]"#.into()),
        scopes_declined: Set(r#"["business_management"]"#.into()),
        consented_at: Set(now),
        connected_by: Set(app.user_id(crate::helpers::OWNER_EMAIL).await),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::AtomicU64;
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

pub async fn seed(app: &TestApp, workspace_id: i64, grant_id: i64, account: Seed<'_>) -> i64 {
    let now = app.clock.unix();
    let search =
        format!("{} {}", account.name, account.username.unwrap_or_default()).to_lowercase();
    account::ActiveModel {
        workspace_id: Set(workspace_id),
        grant_id: Set(Some(grant_id)),
        platform: Set(account.platform.into()),
        external_id: Set(format!("{}", 5000 + rand_suffix())),
        name: Set(account.name.into()),
        username: Set(account.username.map(str::to_owned)),
        parent_account_id: Set(account.parent),
        status: Set(account.status.into()),
        status_reason: Set(account.reason.map(str::to_owned)),
        token_expires_at: Set(account.expires_in.map(|s| now + s)),
        missing_scopes: Set("[]".into()),
        search_text: Set(search),
        connected_by: Set(app.user_id(crate::helpers::OWNER_EMAIL).await),
        connected_at: Set(now),
        last_used_at: Set(account.last_used_ago.map(|ago| now - ago)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

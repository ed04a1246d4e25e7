//! What must hold after a crash at any point (docs/hardening.md #29), read from the database
//! of the restarted server.

use crate::connections::revocation_of;
use crate::helpers::TestApp;
use crate::key_rotation::every_token_opens;
use sea_orm::EntityTrait;
use std::collections::HashSet;
use switchboard::domain::{AccountStatus, Provider};
use switchboard::server::entities::{account, grant};

/// No ciphertext without its account, no account without its token, no duplicate, every
/// stored token opening, and every Facebook login with no account left either revoked or
/// waiting to be.
pub async fn assert_invariants(app: &TestApp) {
    let accounts = account::Entity::find().all(&app.db).await.unwrap();
    let grants = grant::Entity::find().all(&app.db).await.unwrap();
    let disconnected = AccountStatus::Disconnected.as_str();
    let live = |a: &&account::Model| a.status != disconnected;

    let mut keys = HashSet::new();
    for row in &accounts {
        let key = (
            row.workspace_id,
            row.platform.as_str(),
            row.external_id.as_str(),
        );
        assert!(keys.insert(key), "a duplicate account: {key:?}");
    }

    for row in accounts.iter().filter(|a| a.status == disconnected) {
        assert!(
            row.token_ciphertext.is_none(),
            "{} is disconnected but holds a token",
            row.name
        );
    }
    for row in grants.iter().filter(|g| !g.token_ciphertext.is_empty()) {
        assert!(
            accounts
                .iter()
                .filter(live)
                .any(|a| a.grant_id == Some(row.id)),
            "grant {} holds a token for no account",
            row.id
        );
    }

    for row in accounts.iter().filter(live) {
        let parent = row
            .parent_account_id
            .and_then(|id| accounts.iter().find(|a| a.id == id));
        let own = row.token_ciphertext.is_some();
        let through_page = parent.is_some_and(|page| page.token_ciphertext.is_some());
        assert!(own || through_page, "{} has no token", row.name);
    }
    every_token_opens(app).await;

    for row in grants
        .iter()
        .filter(|g| g.provider == Provider::Facebook.as_str())
    {
        let had_accounts = accounts.iter().any(|a| a.grant_id == Some(row.id));
        let has_live = accounts
            .iter()
            .filter(live)
            .any(|a| a.grant_id == Some(row.id));
        if had_accounts && !has_live {
            let revocation = revocation_of(app, &row.external_user_id)
                .await
                .unwrap_or_else(|| panic!("grant {} was disconnected with no revocation", row.id));
            assert!(
                ["pending", "done"].contains(&revocation.status.as_str()),
                "the revocation is {}",
                revocation.status
            );
        }
    }
}

//! Earlier builds kept the sandbox's state in the product's tables `sandbox_*`, which the
//! product's chain now drops. When they are still here (the first sandbox-mode start after the
//! upgrade), their settings — above all the generated app credentials — and the codes, tokens
//! and grants issued under them are copied over, so accounts connected through the sandbox keep
//! working. The failure plans and the call log are left behind: they describe one test run.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `(earlier table, table now, columns)`; the columns are the same on both sides.
const ADOPTED: [(&str, &str, &str); 4] = [
    ("sandbox_settings", "meta_sandbox_settings", r#""key", "value""#),
    (
        "sandbox_codes",
        "meta_sandbox_codes",
        "digest, app_id, user_id, redirect_uri, code_challenge, expires_at, used",
    ),
    (
        "sandbox_tokens",
        "meta_sandbox_tokens",
        "digest, kind, app_id, user_id, page_id, long_lived, issued_at, expires_at, invalidated_subcode",
    ),
    (
        "sandbox_grants",
        "meta_sandbox_grants",
        "app_id, user_id, granted, declined, page_ids, granted_at, data_access_expires_at",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (earlier, now, columns) in ADOPTED {
            if manager.has_table(earlier).await? {
                // The names are constants above, never input.
                db.execute_unprepared(&format!(
                    "INSERT INTO {now} ({columns}) SELECT {columns} FROM {earlier}"
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Copies are not undone: the earlier tables, if any, still hold the originals.
        let _ = manager;
        Ok(())
    }
}

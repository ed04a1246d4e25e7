//! `switchboard keys rotate` (docs/operations.md → "Rotating the master key"): every data key
//! wrapped by a previous master key is re-wrapped under the current one, in batches, while the
//! app keeps serving. Secrets are never decrypted or re-encrypted; only their data keys are.
//!
//! Each batch is read, then written in one transaction of conditional updates
//! (`… WHERE id = ? AND token_ciphertext = <what was read>`): a row a disconnect destroyed or a
//! refresh replaced meanwhile is left as that writer left it, never put back. Rows are walked
//! by id and a re-wrapped row no longer matches, so a rotation killed at any point resumes by
//! running the command again. At the end, previous keys no row uses are retired from the key
//! checks (a start with only such a key is then refused) and the report names the previous
//! keys still in use.

mod report;
mod rows;
pub mod usage;

pub use report::Report;

use crate::server::crash_points::{self, CrashStep};
use crate::server::crypto::vault::{Slot, Vault};
use crate::server::entities::key_check;
use rows::Candidate;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, TransactionTrait};
use std::collections::BTreeMap;

/// Rows re-wrapped per transaction unless `--batch-size` says otherwise.
pub const DEFAULT_BATCH_SIZE: u64 = 500;
/// The largest `--batch-size` accepted: a transaction stays short on SQLite's one writer.
pub const MAX_BATCH_SIZE: u64 = 10_000;

/// Rows read together, to be re-wrapped and written together.
pub struct Batch {
    slot: Slot,
    candidates: Vec<Candidate>,
}

impl Batch {
    /// The ids of the rows in the batch (tests interleave other writers on them).
    pub fn ids(&self) -> Vec<i64> {
        self.candidates.iter().map(|c| c.id).collect()
    }

    /// The table the batch's rows are in.
    pub fn table(&self) -> &'static str {
        self.slot.table()
    }
}

/// What one batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Written {
    /// Re-wrapped under the current key.
    pub rewrapped: u64,
    /// Changed by another writer (a disconnect, a refresh, a reconnect) after the read, and left
    /// as it now is.
    pub changed: u64,
    /// Would not open with any configured key, or malformed: left under its key, reported.
    pub unreadable: u64,
}

/// One rotation in progress: [`Rotation::next_batch`] and [`Rotation::write`] until no batch
/// is left, then [`Rotation::finish`]. Dropping it at any point loses nothing.
pub struct Rotation {
    db: DatabaseConnection,
    vault: Vault,
    batch_size: u64,
    /// The slot being walked (index into [`Slot::ALL`]) and the last id read in it.
    position: (usize, i64),
    totals: Written,
}

impl Rotation {
    /// Starts a rotation to `vault`'s current key. `batch_size` must be
    /// 1..=[`MAX_BATCH_SIZE`] (the command line checks it).
    pub fn new(db: DatabaseConnection, vault: Vault, batch_size: u64) -> Self {
        Self {
            db,
            vault,
            batch_size: batch_size.clamp(1, MAX_BATCH_SIZE),
            position: (0, 0),
            totals: Written::default(),
        }
    }

    /// Rows per slot not yet under the current key (for progress).
    pub async fn remaining(&self) -> Result<BTreeMap<&'static str, u64>, DbErr> {
        let current = self.vault.keyring().current_fingerprint();
        let mut out = BTreeMap::new();
        for slot in Slot::ALL {
            out.insert(
                slot.table(),
                rows::count_other_keys(&self.db, slot, current).await?,
            );
        }
        Ok(out)
    }

    /// The next rows still under a previous key, or `None` once every slot is walked.
    pub async fn next_batch(&mut self) -> Result<Option<Batch>, DbErr> {
        let current = self.vault.keyring().current_fingerprint().to_owned();
        while let Some(slot) = Slot::ALL.get(self.position.0).copied() {
            let candidates =
                rows::read(&self.db, slot, &current, self.position.1, self.batch_size).await?;
            match candidates.last() {
                Some(last) => {
                    self.position.1 = last.id;
                    return Ok(Some(Batch { slot, candidates }));
                }
                None => self.position = (self.position.0 + 1, 0),
            }
        }
        Ok(None)
    }

    /// Re-wraps the batch's data keys and writes each row only if it still holds what was read.
    pub async fn write(&mut self, batch: Batch) -> Result<Written, DbErr> {
        let mut written = Written::default();
        let mut updates = Vec::with_capacity(batch.candidates.len());
        for candidate in &batch.candidates {
            match self
                .vault
                .rewrap(batch.slot, &candidate.owner, &candidate.ciphertext)
            {
                Ok(stored) => updates.push((candidate, stored)),
                Err(err) => {
                    tracing::warn!(table = batch.slot.table(), row = candidate.id, error = %err, "a stored token could not be re-wrapped");
                    written.unreadable += 1;
                }
            }
        }
        let txn = self.db.begin().await?;
        for (candidate, stored) in &updates {
            if rows::replace(&txn, batch.slot, candidate, stored).await? {
                written.rewrapped += 1;
            } else {
                written.changed += 1;
            }
        }
        txn.commit().await?;
        crash_points::reached(CrashStep::RotationAfterBatch);
        self.totals.rewrapped += written.rewrapped;
        self.totals.changed += written.changed;
        self.totals.unreadable += written.unreadable;
        Ok(written)
    }

    /// Retires the previous keys no row uses any more (their key checks are deleted, so a start
    /// with only such a key is refused) and reports which are still in use.
    pub async fn finish(self) -> Result<Report, DbErr> {
        let current = self.vault.keyring().current_fingerprint().to_owned();
        let in_use = usage::key_usage(&self.db).await?;
        let checks = key_check::Entity::find().all(&self.db).await?;
        let mut retired = Vec::new();
        for check in checks {
            if check.fingerprint != current && !in_use.contains_key(&check.fingerprint) {
                key_check::Entity::delete_many()
                    .filter(key_check::Column::Fingerprint.eq(check.fingerprint.as_str()))
                    .exec(&self.db)
                    .await?;
                retired.push(check.fingerprint);
            }
        }
        let still_used = in_use
            .into_iter()
            .filter(|(fingerprint, _)| *fingerprint != current)
            .collect();
        Ok(Report {
            current,
            totals: self.totals,
            still_used,
            retired,
        })
    }
}

/// The whole rotation in one call, telling `progress` the table and what each batch did.
pub async fn rotate(
    db: &DatabaseConnection,
    vault: &Vault,
    batch_size: u64,
    progress: impl FnMut(&'static str, &Written),
) -> Result<Report, DbErr> {
    Rotation::new(db.clone(), vault.clone(), batch_size)
        .run(progress)
        .await
}

impl Rotation {
    /// Every batch, then [`Rotation::finish`], telling `progress` after each batch.
    pub async fn run(
        mut self,
        mut progress: impl FnMut(&'static str, &Written),
    ) -> Result<Report, DbErr> {
        while let Some(batch) = self.next_batch().await? {
            let table = batch.table();
            let written = self.write(batch).await?;
            progress(table, &written);
        }
        self.finish().await
    }
}

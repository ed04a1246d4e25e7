//! Writing the call log with group commit: every call's row is written before its answer is
//! sent (so a test that has its answer can find the call logged), but the calls answered at
//! the same moment share one multi-row insert. One writer at a time takes every row waiting
//! and writes them together; the others find theirs written when their turn comes. Under load
//! a refresh then costs a fraction of a statement for its log row instead of one
//! (README → Benchmarks, `bench sweep`).

use crate::calls::Call;
use crate::entities::call;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, Set};
use std::sync::Mutex;
use tokio::sync::oneshot;

/// Rows per insert at most: 7 values each keeps a statement far inside every database's limit
/// on bound values (SQLite's is 32,766; PostgreSQL's 65,535).
const MAX_ROWS: usize = 1_000;

/// A row waiting to be written, and whom to tell once it is.
type Waiting = (Call, oneshot::Sender<bool>);

#[derive(Default)]
pub(crate) struct CallLog {
    waiting: Mutex<Vec<Waiting>>,
    /// Held by the one call writing a batch.
    writer: tokio::sync::Mutex<()>,
}

impl CallLog {
    /// Writes `entry`, alone or with the rows of calls logging at the same time; answers
    /// whether it was written (a failed insert is logged once, by its writer).
    pub async fn write(&self, db: &DatabaseConnection, entry: Call) -> bool {
        let (told, mut written) = oneshot::channel();
        self.waiting().push((entry, told));
        let _turn = self.writer.lock().await;
        loop {
            // The writer before this one may have taken this row with its own.
            if let Ok(outcome) = written.try_recv() {
                return outcome;
            }
            let batch: Vec<Waiting> = {
                let mut waiting = self.waiting();
                let take = waiting.len().min(MAX_ROWS);
                waiting.drain(..take).collect()
            };
            if batch.is_empty() {
                // Taken by a writer whose own caller went away: its insert goes on.
                return written.await.unwrap_or(false);
            }
            // Spawned, so a caller that stops waiting (its client hung up) can't stop an
            // insert holding other calls' rows halfway.
            let _ = tokio::spawn(insert_and_tell(db.clone(), batch)).await;
        }
    }

    /// The rows waiting. Pushing or draining a vector can't leave it half-changed, so a
    /// panic elsewhere while it was held doesn't make it unusable.
    fn waiting(&self) -> std::sync::MutexGuard<'_, Vec<Waiting>> {
        self.waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Writes `batch` and tells each of its callers how it went.
async fn insert_and_tell(db: DatabaseConnection, batch: Vec<Waiting>) {
    let (rows, tell): (Vec<Call>, Vec<_>) = batch.into_iter().unzip();
    let outcome = match insert(&db, rows).await {
        Ok(()) => true,
        Err(err) => {
            tracing::error!(error = %err, "sandbox: cannot write the call log");
            false
        }
    };
    for told in tell {
        // A caller that stopped waiting doesn't need telling.
        let _ = told.send(outcome);
    }
}

/// One multi-row insert; `rows` is never empty (a writer with nothing to take writes nothing).
async fn insert(db: &DatabaseConnection, rows: Vec<Call>) -> Result<(), DbErr> {
    let rows = rows.into_iter().map(|entry| call::ActiveModel {
        at: Set(entry.at),
        method: Set(entry.method),
        path: Set(entry.path),
        product: Set(entry.product),
        token_fingerprint: Set(entry.token_fingerprint),
        code_fingerprint: Set(entry.code_fingerprint),
        status: Set(i32::from(entry.status)),
        ..Default::default()
    });
    call::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

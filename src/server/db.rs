//! Connecting to the database (SQLite file by default, PostgreSQL by URL) and migrating it.

use crate::server::config::DatabaseUrl;
use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How much of a SQLite file each connection maps (pages touched count towards RSS only while
/// they are used; the file is usually far smaller).
const MMAP_BYTES: u64 = 256 * 1024 * 1024;
/// Each connection's page cache, in KiB as `cache_size` takes a negative number (SQLite's
/// default is 2 MiB).
const CACHE_KIB: i64 = -16 * 1024;

/// What a SQLite file is mostly used for, which decides whether it is memory-mapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// The app's own database: read far more than written, by pages listing thousands of rows.
    /// Mapped: a list view otherwise spends a fifth of its time copying pages out of the kernel.
    Reads,
    /// A file that grows with nearly every request (the Meta sandbox run alone: a token and a
    /// call-log row per call). Not mapped: each time the file grows every connection maps it
    /// again, and each unmap stops both cores to flush their TLBs — the sandbox answered 1,217
    /// refreshes/s mapped and 2,567/s unmapped (README → Benchmarks, `bench sweep`).
    Appends,
}

/// Opens a pool for the app's own database ([`Workload::Reads`]).
pub async fn connect(url: &DatabaseUrl) -> anyhow::Result<DatabaseConnection> {
    connect_for(url, Workload::Reads).await
}

/// Opens a pool. For SQLite the file's folder is created first, and every connection uses WAL
/// (readers don't block the writer), a busy timeout (writers wait instead of failing) and
/// foreign keys, and is mapped or not as `workload` asks.
pub async fn connect_for(
    url: &DatabaseUrl,
    workload: Workload,
) -> anyhow::Result<DatabaseConnection> {
    if let Some(path) = url.sqlite_path() {
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the database folder {}", dir.display()))?;
        }
    }
    let mut options = ConnectOptions::new(url.as_str());
    options
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    match url {
        DatabaseUrl::Sqlite(_) => {
            let mmap_bytes = match workload {
                Workload::Reads => MMAP_BYTES,
                Workload::Appends => 0,
            };
            options
                .max_connections(4)
                .map_sqlx_sqlite_opts(move |opts| {
                    opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                        .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                        .busy_timeout(Duration::from_secs(5))
                        .foreign_keys(true)
                        // Pages are read through a memory map (see `Workload`) and kept in a
                        // larger cache (README → Benchmarks).
                        .pragma("mmap_size", mmap_bytes.to_string())
                        .pragma("cache_size", CACHE_KIB.to_string())
                });
        }
        DatabaseUrl::Postgres(_) => {
            options.max_connections(8);
        }
    }
    let kind = match url {
        DatabaseUrl::Sqlite(_) => "SQLite",
        DatabaseUrl::Postgres(_) => "PostgreSQL",
    };
    Database::connect(options).await.map_err(|err| {
        anyhow::anyhow!(
            "cannot connect to the {kind} database: {}",
            one_line(&err.to_string())
        )
    })
}

/// Counts every statement `db` runs from now on, so tests (and later the metrics) can see how
/// many round trips a request costs.
pub fn count_statements(db: &mut DatabaseConnection) -> Arc<AtomicU64> {
    let counter = Arc::new(AtomicU64::new(0));
    let seen = counter.clone();
    db.set_metric_callback(move |_| {
        seen.fetch_add(1, Ordering::Relaxed);
    });
    counter
}

/// Applies every pending migration: in sandbox mode the Meta sandbox's own first (so on the
/// first start after an upgrade it can adopt the tables the product's chain then drops), then
/// the product's.
pub async fn migrate(db: &DatabaseConnection, sandbox: bool) -> anyhow::Result<()> {
    #[cfg(feature = "sandbox")]
    if sandbox {
        crate::server::sandbox_mode::migrate(db).await?;
    }
    // Configuration refuses sandbox mode in a build without the sandbox.
    #[cfg(not(feature = "sandbox"))]
    let _ = sandbox;
    Migrator::up(db, None)
        .await
        .map_err(|err| anyhow::anyhow!("database migration failed: {}", one_line(&err.to_string())))
}

/// Driver errors can span lines; operators get one.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

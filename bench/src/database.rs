//! A fresh, throw-away database for one run: a SQLite file in a temporary folder, or a new
//! `bench_<random>` database on a PostgreSQL server that is dropped afterwards, so a run never
//! reads or leaves anything behind.

use anyhow::Context;
use rand::Rng;
use sea_orm::{ConnectionTrait, Database};

/// The database one run uses. Call [`FreshDatabase::remove`] when done (the SQLite folder also
/// goes when this is dropped).
pub struct FreshDatabase {
    /// `DATABASE_URL` for the app.
    pub url: String,
    /// "SQLite" or "PostgreSQL 15.x …", for the report.
    pub label: String,
    kind: Kind,
}

enum Kind {
    Sqlite(tempfile::TempDir),
    Postgres { server_url: String, name: String },
}

impl FreshDatabase {
    pub fn sqlite() -> anyhow::Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("switchboard-bench-")
            .tempdir()
            .context("cannot create a temporary folder")?;
        let url = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
        Ok(Self {
            url,
            label: "SQLite (temporary file, WAL)".to_owned(),
            kind: Kind::Sqlite(dir),
        })
    }

    /// Creates `bench_<random>` on the server `server_url` names (any database on it).
    pub async fn postgres(server_url: &str) -> anyhow::Result<Self> {
        let name = format!("bench_{:016x}", rand::thread_rng().gen::<u64>());
        let admin = Database::connect(server_url)
            .await
            .with_context(|| format!("cannot connect to {server_url}"))?;
        let version = admin
            .query_one_raw(sea_orm::Statement::from_string(
                admin.get_database_backend(),
                "SHOW server_version",
            ))
            .await?
            .and_then(|row| row.try_get_by_index::<String>(0).ok())
            .unwrap_or_default();
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .with_context(|| format!("cannot create the database {name}"))?;
        admin.close().await.ok();
        Ok(Self {
            url: with_database(server_url, &name)?,
            label: format!("PostgreSQL {version} (database {name}, dropped afterwards)"),
            kind: Kind::Postgres {
                server_url: server_url.to_owned(),
                name,
            },
        })
    }

    /// Drops the PostgreSQL database (ending any connection still open to it) or deletes the
    /// SQLite folder.
    pub async fn remove(self) -> anyhow::Result<()> {
        match self.kind {
            Kind::Sqlite(dir) => dir.close().context("cannot delete the temporary folder"),
            Kind::Postgres { server_url, name } => {
                let admin = Database::connect(&server_url).await?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
                    .with_context(|| format!("cannot drop the database {name}"))?;
                admin.close().await.ok();
                Ok(())
            }
        }
    }
}

/// `server_url` with its database (the path) replaced by `name`.
pub fn with_database(server_url: &str, name: &str) -> anyhow::Result<String> {
    let mut url = url::Url::parse(server_url)
        .with_context(|| format!("{server_url:?} is not a PostgreSQL URL"))?;
    anyhow::ensure!(
        matches!(url.scheme(), "postgres" | "postgresql"),
        "{server_url:?} is not a postgres:// URL"
    );
    url.set_path(&format!("/{name}"));
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fresh_database_replaces_the_one_the_url_names() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "bench_1").ok(),
            Some("postgres://postgres@127.0.0.1:5432/bench_1".to_owned())
        );
        assert_eq!(
            with_database("postgres://u:p@db/test?sslmode=disable", "bench_2").ok(),
            Some("postgres://u:p@db/bench_2?sslmode=disable".to_owned())
        );
    }

    #[test]
    fn a_url_that_is_not_postgres_is_refused() {
        assert!(with_database("sqlite://x.db", "bench_3").is_err());
        assert!(with_database("not a url", "bench_3").is_err());
    }
}

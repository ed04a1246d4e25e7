//! The Meta sandbox alone on its own listener (`Sandbox::serve`) over its own SQLite file, as
//! Meta is to a production instance: another server, reached over HTTP. Time the app spends
//! waiting on it can then be told apart from the app's own (the app's `/metrics` times each
//! call it makes), and the sandbox's database work doesn't share the app's pool.

use crate::database::FreshDatabase;
use meta_sandbox::{AppUrl, Sandbox, SandboxApps};
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use switchboard::server::config::DatabaseUrl;
use switchboard::server::db;

pub struct Alone {
    pub sandbox: Sandbox,
    /// The sandbox's own database, for counting its call log.
    db: DatabaseConnection,
    /// `http://127.0.0.1:{port}`; the sandbox's routes are under `/sandbox`.
    pub base: String,
    /// The three apps' credentials, for the app's configuration.
    pub apps: SandboxApps,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    _file: FreshDatabase,
}

/// Starts the sandbox for an app at `app_url` (its dialogs redirect only to that app's
/// callbacks).
pub async fn start(app_url: &str) -> anyhow::Result<Alone> {
    let file = FreshDatabase::sqlite()?;
    let url = DatabaseUrl::parse(&file.url).map_err(|e| anyhow::anyhow!("{e}"))?;
    let db = db::connect_for(&url, db::Workload::Appends).await?;
    meta_sandbox::migrate(&db).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
    let app_url = AppUrl::parse(app_url).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let sandbox = Sandbox::new(db.clone(), Arc::new(meta_sandbox::SystemClock), app_url);
    let apps = sandbox.apps().await?;
    let task = tokio::spawn(sandbox.clone().serve(listener));
    Ok(Alone {
        sandbox,
        db,
        base,
        apps,
        task,
        _file: file,
    })
}

impl Alone {
    pub fn database(&self) -> &DatabaseConnection {
        &self.db
    }

    /// `{base}/sandbox/{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("{}/sandbox/{path}", self.base)
    }

    pub fn stop(&self) {
        self.task.abort();
    }
}

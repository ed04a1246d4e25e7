//! The two servers the load generator drives, both in this process and on loopback: the real
//! Switchboard application (built by `Application::build`, exactly what `main` runs), and a
//! plain `ServeDir` serving a file as large as the page, the baseline that tells how much of the
//! page's cost is Switchboard's own work rather than this machine's HTTP stack.

use anyhow::Context;
use axum::serve::ListenerExt;
use axum::Router;
use std::path::Path;
use std::sync::Arc;
use switchboard::server::clock::SystemClock;
use switchboard::server::config::Config;
use switchboard::server::crypto::master_key::MasterKey;
use switchboard::server::startup::Application;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_http::services::ServeDir;

/// The configuration of the benchmarked app: loopback with a free port, the given database,
/// no sandbox and no Meta apps, and a fresh master key held in memory (nothing is written
/// beside the repository). `PUBLIC_URL` is left to default to the bound address.
pub fn app_config(database_url: &str) -> anyhow::Result<Config> {
    let master_key = MasterKey::generate().to_base64();
    let database_url = database_url.to_owned();
    Config::from_lookup(|name| match name {
        "LEPTOS_SITE_ADDR" => Some("127.0.0.1:0".to_owned()),
        "DATABASE_URL" => Some(database_url.clone()),
        "SWITCHBOARD_SANDBOX" => Some("0".to_owned()),
        "SWITCHBOARD_MASTER_KEY" => Some(master_key.clone()),
        // The sign-in attack names its clients in X-Forwarded-For, as a proxy would.
        "SWITCHBOARD_TRUSTED_PROXIES" => Some("127.0.0.1".to_owned()),
        _ => None,
    })
    .context("the benchmark's configuration is refused")
}

/// A server running on a task until [`Running::stop`].
pub struct Running {
    /// `http://127.0.0.1:{port}`.
    pub base: String,
    stop: oneshot::Sender<()>,
    task: JoinHandle<anyhow::Result<()>>,
}

impl Running {
    /// Stops the server gracefully and reports how it ended.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        self.task.await.context("the server task panicked")?
    }
}

/// Starts Switchboard as `main` does (migrations included) on 127.0.0.1 with a free port.
pub async fn start_app(config: Config) -> anyhow::Result<Running> {
    let app = Application::build(config, Arc::new(SystemClock))
        .await
        .context("Switchboard did not start")?;
    let base = format!("http://127.0.0.1:{}", app.port());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    Ok(Running { base, stop, task })
}

/// Serves the folder `dir` with `ServeDir` on 127.0.0.1 with a free port, with TCP_NODELAY on
/// every accepted socket as `Application::run_until_stopped` sets it (without it, responses
/// wait for delayed ACKs and the baseline would be unfairly slow).
pub async fn start_static(dir: &Path) -> anyhow::Result<Running> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .context("cannot listen on 127.0.0.1")?;
    let port = listener
        .local_addr()
        .context("cannot read the bound address")?
        .port();
    let router = Router::new().fallback_service(ServeDir::new(dir));
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
            .context("the static server stopped unexpectedly")
    });
    Ok(Running {
        base: format!("http://127.0.0.1:{port}"),
        stop,
        task,
    })
}

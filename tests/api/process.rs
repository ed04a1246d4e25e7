//! The real `switchboard` binary in a process of its own, over a test's database and key
//! file, in sandbox mode: the crash tests arm it to abort at one step, the soak watches its
//! memory and open sockets from `/proc`.

use crate::helpers::TEST_HTTP_TIMEOUT;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Duration;
use tokio::process::{Child, Command};

/// SIGABRT: what `std::process::abort` ends the process with.
const SIGABRT: i32 = 6;

/// The binary with the test's database, its key file (unless `env` gives the key) and `env`.
fn command(database_url: &str, dir: &Path, env: &[(&str, String)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_switchboard"));
    command
        .current_dir(dir)
        .env_clear()
        .env("DATABASE_URL", database_url)
        .env("SWITCHBOARD_SANDBOX", "1")
        .env("SWITCHBOARD_HTTP_TIMEOUT", TEST_HTTP_TIMEOUT)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if !env
        .iter()
        .any(|(name, _)| *name == "SWITCHBOARD_MASTER_KEY")
    {
        command.env("SWITCHBOARD_MASTER_KEY_FILE", dir.join("master.key"));
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command
}

/// A running server process.
pub struct Server {
    child: Child,
    pub address: String,
}

/// Starts the server with `env` on a free port and waits until `/healthz` answers.
pub async fn serve(database_url: &str, dir: &Path, env: &[(&str, String)]) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut env = env.to_vec();
    env.push(("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}")));
    let mut child = command(database_url, dir, &env).spawn().unwrap();
    let address = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the server exited at start: {status}");
        }
        let health = client.get(format!("{address}/healthz")).send().await;
        if health.is_ok_and(|r| r.status() == 200) {
            return Server { child, address };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server never answered /healthz");
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.child.id().expect("the server is running")
    }

    /// Waits for the server to abort at crash point `step` (and not for any other reason).
    pub async fn aborted_at(self, step: &str) {
        let output = tokio::time::timeout(Duration::from_secs(30), self.child.wait_with_output())
            .await
            .expect("the server aborts within 30 s")
            .unwrap();
        assert_aborted_at(&output, step);
    }

    /// Stops the server as an operator would (SIGTERM) and waits for it to exit.
    pub async fn stop(mut self) {
        if let Some(pid) = self.child.id() {
            let _ = std::process::Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status();
        }
        let _ = tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await;
    }
}

/// Runs a command of the binary (`refresh --once`, `keys rotate`) with `env`.
pub async fn run(database_url: &str, dir: &Path, args: &[&str], env: &[(&str, String)]) -> Output {
    command(database_url, dir, env)
        .args(args)
        .output()
        .await
        .unwrap()
}

/// The process ended by aborting at crash point `step`.
pub fn assert_aborted_at(output: &Output, step: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.signal(),
        Some(SIGABRT),
        "the process aborted ({}): {stderr}",
        output.status
    );
    assert!(
        stderr.contains(&format!("crash point {step} reached")),
        "{stderr}"
    );
}

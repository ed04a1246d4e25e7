//! The real `switchboard` binary in a process of its own, armed with `SWITCHBOARD_CRASH_AT` so
//! it aborts at one step (docs/hardening.md → "Crash safety"): nothing it had in memory
//! survives, exactly as after `kill -9`.

use crate::helpers::TEST_HTTP_TIMEOUT;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Duration;
use tokio::process::{Child, Command};

/// SIGABRT: what `std::process::abort` ends the process with.
const SIGABRT: i32 = 6;

/// The binary over the test's database and key file (or the keys `env` names), in sandbox
/// mode, armed at `step`.
fn command(database_url: &str, dir: &Path, step: &str, env: &[(&str, String)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_switchboard"));
    command
        .current_dir(dir)
        .env_clear()
        .env("DATABASE_URL", database_url)
        .env("SWITCHBOARD_SANDBOX", "1")
        .env("SWITCHBOARD_HTTP_TIMEOUT", TEST_HTTP_TIMEOUT)
        .env("SWITCHBOARD_CRASH_AT", step)
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

/// A server that will abort at its crash point.
pub struct Armed {
    child: Child,
    step: String,
    pub address: String,
}

/// Starts the server armed at `step` and waits until `/healthz` answers.
pub async fn serve(database_url: &str, dir: &Path, step: &str) -> Armed {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let site = ("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"));
    let mut child = command(database_url, dir, step, &[site]).spawn().unwrap();
    let address = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the armed server exited at start: {status}");
        }
        let health = client.get(format!("{address}/healthz")).send().await;
        if health.is_ok_and(|r| r.status() == 200) {
            return Armed {
                child,
                step: step.to_owned(),
                address,
            };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the armed server never answered /healthz");
}

impl Armed {
    /// Waits for the server to abort at its crash point (and not for any other reason).
    pub async fn aborted(self) {
        let output = tokio::time::timeout(Duration::from_secs(30), self.child.wait_with_output())
            .await
            .expect("the server aborts within 30 s")
            .unwrap();
        assert_aborted_at(&output, &self.step);
    }
}

/// Runs a command of the binary (`refresh --once`, `keys rotate`) armed at `step` and checks
/// that it aborted there.
pub async fn run_aborting(
    database_url: &str,
    dir: &Path,
    args: &[&str],
    step: &str,
    env: &[(&str, String)],
) {
    let output = command(database_url, dir, step, env)
        .args(args)
        .output()
        .await
        .unwrap();
    assert_aborted_at(&output, step);
}

fn assert_aborted_at(output: &Output, step: &str) {
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

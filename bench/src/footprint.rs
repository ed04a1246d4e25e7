//! `bench footprint`: what one idle instance costs. Starts the release binary beside this one
//! (`target/release/switchboard`) over a fresh SQLite database twice: the first start creates
//! and migrates it, the second is timed from spawn to `/healthz` answering 200 — a restart on an
//! existing database. Then, after the instance has idled, its resident memory (`VmRSS`), and the
//! binary's size on disk.

use crate::database::FreshDatabase;
use crate::report;
use crate::summary;
use anyhow::{bail, Context};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use switchboard::server::crypto::master_key::MasterKey;

/// Targets (the performance issue): idle RSS and a restart to `/healthz` 200.
const IDLE_RSS_TARGET_MB: f64 = 40.0;
const START_TARGET: Duration = Duration::from_millis(500);
/// How long the instance idles before its memory is read.
const IDLE: Duration = Duration::from_secs(3);

pub async fn run() -> anyhow::Result<()> {
    let binary = release_binary()?;
    let size = std::fs::metadata(&binary)
        .with_context(|| format!("cannot read {}", binary.display()))?
        .len();
    let database = FreshDatabase::sqlite()?;
    let key = MasterKey::generate().to_base64();
    let outcome = measure(&binary, &database.url, &key).await;
    database.remove().await?;
    let (start, rss_kb) = outcome?;
    let rss_mb = rss_kb as f64 / 1024.0;
    let machine = report::machine();
    summary::record(
        "P4",
        "start on an existing database → /healthz 200",
        &format!("≤ {} ms", START_TARGET.as_millis()),
        format!("{:.0} ms", start.as_secs_f64() * 1000.0),
        Some(start <= START_TARGET),
    );
    summary::record(
        "P4",
        "idle RSS",
        &format!("≤ {IDLE_RSS_TARGET_MB} MB"),
        format!("{rss_mb:.1} MB"),
        Some(rss_mb <= IDLE_RSS_TARGET_MB),
    );
    summary::record(
        "P4",
        "release binary",
        "—",
        format!("{:.1} MB", size as f64 / 1024.0 / 1024.0),
        None,
    );
    println!("| figure | value | target |");
    println!("|---|---:|---|");
    println!(
        "| start on an existing database → `/healthz` 200 | {:.0} ms | ≤ {} ms {} |",
        start.as_secs_f64() * 1000.0,
        START_TARGET.as_millis(),
        if start <= START_TARGET { "✓" } else { "✗" }
    );
    println!(
        "| idle RSS | {rss_mb:.1} MB | ≤ {IDLE_RSS_TARGET_MB} MB {} |",
        if rss_mb <= IDLE_RSS_TARGET_MB {
            "✓"
        } else {
            "✗"
        }
    );
    println!(
        "| release binary | {:.1} MB | — |",
        size as f64 / 1024.0 / 1024.0
    );
    println!();
    println!(
        "Machine: {} CPUs, {:?}, load average {} at the start.",
        machine.cpus, machine.cpu_model, machine.load
    );
    Ok(())
}

/// `target/release/switchboard`, beside this benchmark's own binary.
pub fn release_binary() -> anyhow::Result<PathBuf> {
    let me = std::env::current_exe().context("cannot find the benchmark's binary")?;
    let binary = me
        .parent()
        .map(|dir| dir.join("switchboard"))
        .context("the benchmark's binary has no folder")?;
    if !binary.exists() || !me.to_string_lossy().contains("/release/") {
        bail!(
            "build the release binary first: cargo build --release (then run this with --release)"
        );
    }
    Ok(binary)
}

/// The timed restart and the idle RSS (kB).
async fn measure(
    binary: &PathBuf,
    database_url: &str,
    key: &str,
) -> anyhow::Result<(Duration, u64)> {
    let port = free_port()?;
    let first = spawn(binary, database_url, key, port)?;
    let created = wait_healthy(port, Duration::from_secs(60)).await;
    stop(first)?;
    created?;
    let port = free_port()?;
    let started = Instant::now();
    let second = spawn(binary, database_url, key, port)?;
    let ready = wait_healthy(port, Duration::from_secs(60)).await;
    let elapsed = started.elapsed();
    let rss = match ready {
        Ok(()) => {
            tokio::time::sleep(IDLE).await;
            rss_kb(second.id())
        }
        Err(err) => Err(err),
    };
    stop(second)?;
    Ok((elapsed, rss?))
}

/// A port nothing listens on now (the OS picks it; the instance binds it right after).
fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("cannot find a free port")?;
    Ok(listener.local_addr()?.port())
}

fn spawn(binary: &PathBuf, database_url: &str, key: &str, port: u16) -> anyhow::Result<Child> {
    Command::new(binary)
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("SWITCHBOARD_MASTER_KEY", key)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot start {}", binary.display()))
}

async fn wait_healthy(port: u16, within: Duration) -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    let deadline = Instant::now() + within;
    let url = format!("http://127.0.0.1:{port}/healthz");
    while Instant::now() < deadline {
        if let Ok(response) = client.get(&url).send().await {
            if response.status() == 200 {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    bail!("/healthz did not answer 200 within {within:?}")
}

fn rss_kb(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .context("cannot read the instance's /proc status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmRSS in /proc status")
}

fn stop(mut child: Child) -> anyhow::Result<()> {
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    child.wait().context("the instance did not stop")?;
    Ok(())
}

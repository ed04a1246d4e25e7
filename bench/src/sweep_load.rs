//! The two loads of `bench sweep`: the sandbox's refresh endpoint driven directly (what it can
//! answer, with no Switchboard in the way), and the `refresh --once` processes themselves,
//! watched for their peak resident memory.

use crate::sandbox_alone::Alone;
use anyhow::{bail, Context};
use futures_util::stream::{self, StreamExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use switchboard::server::jobs::maintenance::CONCURRENT_CALLS;

/// Refreshes asked of the sandbox alone.
const SANDBOX_ALONE_CALLS: usize = 20_000;

/// Refreshes per second the sandbox answers for the first tokens, at the sweep's concurrency.
/// The old tokens stay valid (Meta's do, until their own expiry), so the sweep can still
/// refresh every one of them afterwards.
pub async fn sandbox_rate(alone: &Alone, tokens: &[String]) -> anyhow::Result<f64> {
    let client = reqwest::Client::new();
    let asked = tokens.len().min(SANDBOX_ALONE_CALLS);
    let started = Instant::now();
    let failures: usize = stream::iter(tokens.iter().take(asked).enumerate())
        .map(|(n, token)| {
            let (product, grant) = match n % 2 {
                0 => ("instagram-graph", "ig_refresh_token"),
                _ => ("threads-graph", "th_refresh_token"),
            };
            let url = alone.url(&format!("{product}/refresh_access_token"));
            let request = client
                .get(url)
                .query(&[("grant_type", grant), ("access_token", token)]);
            async move {
                match request.send().await {
                    Ok(response) if response.status().is_success() => 0,
                    _ => 1,
                }
            }
        })
        .buffer_unordered(CONCURRENT_CALLS)
        .fold(0, |sum, failed| async move { sum + failed })
        .await;
    let elapsed = started.elapsed();
    if failures > 0 {
        bail!("the sandbox refused {failures} of {asked} refreshes");
    }
    Ok(asked as f64 / elapsed.as_secs_f64())
}

/// What one `refresh --once` did.
pub struct Outcome {
    pub refreshed: u64,
    pub peak_rss_kb: u64,
    /// User and system CPU the process used, as last read before it exited.
    pub cpu_seconds: f64,
}

/// Starts `instances` sweeps at once and waits for all of them.
pub async fn run_instances(
    binary: &Path,
    env: &[(String, String)],
    instances: usize,
) -> anyhow::Result<Vec<Outcome>> {
    let mut children = Vec::with_capacity(instances);
    for _ in 0..instances {
        let child = Command::new(binary)
            .args(["refresh", "--once"])
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        children.push((child, 0u64, 0.0f64));
    }
    let ticks = clock_ticks();
    // VmHWM only grows; read often, the last read before exit is the peak.
    loop {
        let mut running = false;
        for (child, peak, cpu) in &mut children {
            if child.try_wait()?.is_none() {
                running = true;
                *peak = (*peak).max(high_water_kb(child.id()).unwrap_or(0));
                *cpu = cpu_ticks(child.id()).map_or(*cpu, |t| t as f64 / ticks);
            }
        }
        if !running {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut outcomes = Vec::with_capacity(instances);
    for (child, peak_rss_kb, cpu_seconds) in children {
        let output = child.wait_with_output()?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            bail!(
                "refresh --once failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let refreshed = stdout
            .split_whitespace()
            .skip_while(|word| *word != "refreshed")
            .nth(1)
            .and_then(|n| n.parse().ok())
            .with_context(|| format!("no count in the report {stdout:?}"))?;
        outcomes.push(Outcome {
            refreshed,
            peak_rss_kb,
            cpu_seconds,
        });
    }
    Ok(outcomes)
}

fn high_water_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// utime + stime of `/proc/{pid}/stat` (fields 14 and 15, after the parenthesised name).
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// The kernel's clock ticks per second (`getconf CLK_TCK`; 100 where it can't be asked).
fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8_lossy(&out.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

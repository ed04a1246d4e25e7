//! Driving a URL with `wrk` (a real load generator: keep-alive connections, many in flight,
//! latency percentiles) and reading its `--latency` report. wrk is installed with apt when it
//! is missing, since Debian packages it.

use anyhow::{bail, ensure, Context};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::Command;

/// One wrk run.
#[derive(Debug, Clone, PartialEq)]
pub struct WrkRun {
    pub requests: u64,
    pub requests_per_sec: f64,
    pub p50: Duration,
    pub p99: Duration,
    /// Bytes read over the run (headers and bodies), from wrk's "… read".
    pub bytes_read: f64,
    /// Responses with a status ≥ 400.
    pub non_2xx_3xx: u64,
    /// connect + read + write errors (timeouts are counted apart).
    pub socket_errors: u64,
    pub timeouts: u64,
    /// wrk's report as printed, for error messages.
    pub raw: String,
}

impl WrkRun {
    pub fn bytes_per_request(&self) -> f64 {
        self.bytes_read / self.requests.max(1) as f64
    }
}

/// What to run.
#[derive(Debug, Clone, Copy)]
pub struct Load<'a> {
    pub url: &'a str,
    pub connections: u32,
    pub threads: u32,
    pub duration: Duration,
    pub headers: &'a [String],
}

/// Installs wrk with apt-get (through sudo when not root) unless it is on the PATH.
pub async fn ensure_installed() -> anyhow::Result<()> {
    if on_path("wrk").await {
        return Ok(());
    }
    eprintln!("wrk is missing; installing it with apt-get");
    let root = Command::new("id")
        .arg("-u")
        .output()
        .await
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false);
    let apt = |args: &'static [&'static str]| {
        let mut command = match root {
            true => Command::new("apt-get"),
            false => {
                let mut sudo = Command::new("sudo");
                sudo.arg("apt-get");
                sudo
            }
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    let installed = apt(&["install", "-y", "-qq", "wrk"]).status().await;
    if !matches!(installed, Ok(status) if status.success()) {
        // A fresh machine may not have the package lists yet.
        apt(&["update", "-qq"]).status().await.ok();
        let status = apt(&["install", "-y", "-qq", "wrk"])
            .status()
            .await
            .context("cannot run apt-get")?;
        ensure!(status.success(), "apt-get install wrk failed ({status})");
    }
    ensure!(
        on_path("wrk").await,
        "wrk is still not on the PATH after installing it"
    );
    Ok(())
}

async fn on_path(program: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .stdout(Stdio::null())
        .status()
        .await
        .map(|status| status.success())
        .unwrap_or(false)
}

/// Runs wrk with `--latency` and parses its report.
pub async fn run(load: &Load<'_>) -> anyhow::Result<WrkRun> {
    let mut command = Command::new("wrk");
    command
        .arg(format!("--threads={}", load.threads))
        .arg(format!("--connections={}", load.connections))
        .arg(format!("--duration={}s", load.duration.as_secs().max(1)))
        // Generous, so a slow response is a long latency rather than a dropped sample.
        .arg("--timeout=10s")
        .arg("--latency");
    for header in load.headers {
        command.arg("--header").arg(header);
    }
    let output = command
        .arg(load.url)
        .kill_on_drop(true)
        .output()
        .await
        .context("cannot run wrk")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "wrk failed ({}): {}{}",
            output.status,
            stdout,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    parse(&stdout).with_context(|| format!("cannot read wrk's report:\n{stdout}"))
}

/// Reads wrk's `--latency` report.
pub fn parse(report: &str) -> anyhow::Result<WrkRun> {
    let mut run = WrkRun {
        requests: 0,
        requests_per_sec: 0.0,
        p50: Duration::ZERO,
        p99: Duration::ZERO,
        bytes_read: 0.0,
        non_2xx_3xx: 0,
        socket_errors: 0,
        timeouts: 0,
        raw: report.to_owned(),
    };
    let (mut saw_rate, mut saw_p50, mut saw_p99, mut saw_total) = (false, false, false, false);
    for line in report.lines().map(str::trim) {
        if let Some(rate) = line.strip_prefix("Requests/sec:") {
            run.requests_per_sec = rate.trim().parse().context("Requests/sec")?;
            saw_rate = true;
        } else if let Some(p50) = line.strip_prefix("50%") {
            run.p50 = parse_time(p50.trim())?;
            saw_p50 = true;
        } else if let Some(p99) = line.strip_prefix("99%") {
            run.p99 = parse_time(p99.trim())?;
            saw_p99 = true;
        } else if let Some((count, rest)) = line.split_once(" requests in ") {
            run.requests = count.trim().parse().context("request count")?;
            let read = rest
                .split(", ")
                .nth(1)
                .and_then(|r| r.strip_suffix(" read"))
                .context("bytes read")?;
            run.bytes_read = parse_bytes(read)?;
            saw_total = true;
        } else if let Some(count) = line.strip_prefix("Non-2xx or 3xx responses:") {
            run.non_2xx_3xx = count.trim().parse().context("Non-2xx count")?;
        } else if let Some(errors) = line.strip_prefix("Socket errors:") {
            for part in errors.split(',') {
                let (kind, count) = part.trim().split_once(' ').context("socket error count")?;
                let count: u64 = count.trim().parse().context("socket error count")?;
                match kind {
                    "timeout" => run.timeouts += count,
                    _ => run.socket_errors += count,
                }
            }
        }
    }
    ensure!(
        saw_rate && saw_p50 && saw_p99 && saw_total,
        "the report lacks Requests/sec, the 50 % or 99 % latency, or the totals"
    );
    Ok(run)
}

/// wrk's times: `646.00us`, `1.23ms`, `1.02s`, `2.00m`, `1.00h`.
fn parse_time(text: &str) -> anyhow::Result<Duration> {
    let at = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .with_context(|| format!("{text:?} has no unit"))?;
    let (number, unit) = text.split_at(at);
    let value: f64 = number.parse().with_context(|| format!("{text:?}"))?;
    let seconds = match unit {
        "us" => value / 1e6,
        "ms" => value / 1e3,
        "s" => value,
        "m" => value * 60.0,
        "h" => value * 3600.0,
        _ => bail!("{text:?}: unknown time unit"),
    };
    Ok(Duration::from_secs_f64(seconds))
}

/// wrk's byte counts (powers of 1024): `512.00B`, `6.59MB`, `1.23GB`.
fn parse_bytes(text: &str) -> anyhow::Result<f64> {
    let at = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .with_context(|| format!("{text:?} has no unit"))?;
    let (number, unit) = text.split_at(at);
    let value: f64 = number.parse().with_context(|| format!("{text:?}"))?;
    let scale = match unit {
        "B" => 1.0,
        "KB" => 1024.0,
        "MB" => 1024.0 * 1024.0,
        "GB" => 1024.0 * 1024.0 * 1024.0,
        "TB" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => bail!("{text:?}: unknown size unit"),
    };
    Ok(value * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLEAN: &str = "Running 10s test @ http://127.0.0.1:18931/f.bin
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.52ms    3.27ms  24.66ms   84.22%
    Req/Sec   667.15    264.52     1.12k    65.00%
  Latency Distribution
     50%  646.00us
     75%    5.00ms
     90%    7.94ms
     99%   15.01ms
  13290 requests in 10.00s, 65.90MB read
Requests/sec:   1323.62
Transfer/sec:      6.57MB
";

    #[test]
    fn a_clean_report_gives_the_rate_the_percentiles_and_the_bytes() -> anyhow::Result<()> {
        let run = parse(CLEAN)?;
        assert_eq!(run.requests, 13_290);
        assert!((run.requests_per_sec - 1323.62).abs() < 1e-9);
        assert_eq!(run.p50, Duration::from_micros(646));
        assert_eq!(run.p99, Duration::from_micros(15_010));
        assert!((run.bytes_read - 65.90 * 1024.0 * 1024.0).abs() < 1.0);
        assert_eq!(
            (run.non_2xx_3xx, run.socket_errors, run.timeouts),
            (0, 0, 0)
        );
        Ok(())
    }

    #[test]
    fn errors_and_failed_statuses_are_counted() -> anyhow::Result<()> {
        let report = CLEAN.replace(
            "Requests/sec:",
            "  Socket errors: connect 1, read 2, write 3, timeout 4\n  Non-2xx or 3xx responses: 5\nRequests/sec:",
        );
        let run = parse(&report)?;
        assert_eq!(
            (run.non_2xx_3xx, run.socket_errors, run.timeouts),
            (5, 6, 4)
        );
        Ok(())
    }

    #[test]
    fn slow_runs_print_seconds_and_minutes() -> anyhow::Result<()> {
        assert_eq!(parse_time("1.50s")?, Duration::from_millis(1500));
        assert_eq!(parse_time("2.00m")?, Duration::from_secs(120));
        assert_eq!(parse_bytes("512.00B")?, 512.0);
        assert!(parse_time("12").is_err());
        Ok(())
    }

    #[test]
    fn a_report_without_percentiles_is_refused() {
        assert!(parse("Requests/sec: 10\n").is_err());
    }
}

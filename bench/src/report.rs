//! The printed result: what was measured, on what, and the figures beside their targets, as a
//! Markdown table that can go into the README as it is. Targets are printed, never enforced:
//! a benchmark that fails on a slow machine tells less than one that says by how much.

use crate::wrk::WrkRun;
use std::fmt::Write as _;
use std::time::Duration;

/// Page ÷ static throughput to reach, and the stretch goal.
pub const RATIO_TARGET: f64 = 0.35;
pub const RATIO_STRETCH: f64 = 0.5;

/// The p99 latency target of the page at `connections`, where there is one.
pub fn p99_target(connections: u32) -> Option<Duration> {
    match connections {
        32 => Some(Duration::from_millis(20)),
        64 => Some(Duration::from_millis(30)),
        _ => None,
    }
}

/// The machine the figures come from.
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: String,
    /// `/proc/loadavg`'s 1, 5 and 15 minute averages when the run began: other work on the
    /// machine (a build) skews every figure.
    pub load: String,
}

pub fn machine() -> Machine {
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let cpu_model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".to_owned());
    Machine {
        cpus,
        cpu_model,
        load,
    }
}

/// The commit the benchmarked code is at (`+dirty` with uncommitted changes), if git knows.
pub fn commit() -> Option<String> {
    let dir = env!("CARGO_MANIFEST_DIR");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let head = git(&["rev-parse", "--short", "HEAD"])?;
    let dirty = git(&["status", "--porcelain"]).is_some_and(|s| !s.is_empty());
    Some(if dirty { format!("{head}+dirty") } else { head })
}

/// The closing line of `bench connect` and `bench sweep`: the machine and the commit.
pub fn print_machine(machine: &Machine) {
    println!();
    println!(
        "Machine: {} CPUs, {:?}, load average {} at the start; commit {}.",
        machine.cpus,
        machine.cpu_model,
        machine.load,
        commit().unwrap_or_else(|| "unknown".into())
    );
}

/// Both runs at one connection count.
pub struct Pair {
    pub connections: u32,
    pub page: WrkRun,
    pub static_file: WrkRun,
}

impl Pair {
    pub fn ratio(&self) -> f64 {
        self.page.requests_per_sec / self.static_file.requests_per_sec.max(f64::MIN_POSITIVE)
    }
}

/// The page run under a sign-in attack, beside the same connection count's unloaded run.
pub struct Attacked {
    pub connections: u32,
    pub rate: u32,
    pub run: WrkRun,
    pub attack: crate::attack::Attack,
}

/// The attacked page's p99 may be at most this many times the unloaded one's.
pub const ATTACK_P99_TARGET: f64 = 1.5;

/// One page's runs: its path, its size, and page and static at each connection count.
pub struct ViewRuns {
    pub path: String,
    pub page_bytes: usize,
    pub pairs: Vec<Pair>,
}

pub struct Report<'a> {
    pub database: &'a str,
    pub sqlite: bool,
    pub accounts: usize,
    pub threads: u32,
    pub duration: Duration,
    pub warmup: Duration,
    pub machine: &'a Machine,
    pub commit: Option<String>,
    pub views: Vec<ViewRuns>,
    pub attacked: Option<Attacked>,
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1e3)
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "missed"
    }
}

pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\nSwitchboard benchmark: the signed-in lists");
    let _ = writeln!(out, "  database  {}", report.database);
    let _ = writeln!(
        out,
        "  workspace {} accounts (every platform and status) and {} posts, signed in as its Owner",
        report.accounts,
        crate::seed::POSTS
    );
    let _ = writeln!(
        out,
        "  baseline  a static copy of each page, same bytes, through tower_http ServeDir"
    );
    let _ = writeln!(
        out,
        "  load      wrk --latency, {} threads, {} s per run after a {} s warm-up, loopback",
        report.threads,
        report.duration.as_secs(),
        report.warmup.as_secs()
    );
    let _ = writeln!(
        out,
        "  machine   {} CPUs (nproc), {}; load average {} at the start",
        report.machine.cpus, report.machine.cpu_model, report.machine.load
    );
    let _ = writeln!(
        out,
        "  commit    {}",
        report.commit.as_deref().unwrap_or("unknown")
    );
    if !report.sqlite {
        let _ = writeln!(
            out,
            "  (the targets are SQLite's; they are shown beside these figures for comparison)"
        );
    }
    for view in &report.views {
        render_view(&mut out, view);
    }
    if let (Some(attacked), Some(first)) = (&report.attacked, report.views.first()) {
        render_attack(&mut out, attacked, &first.pairs);
    }
    for view in &report.views {
        for pair in &view.pairs {
            for (what, run) in [("page", &pair.page), ("static", &pair.static_file)] {
                if run.timeouts > 0 {
                    let _ = writeln!(
                        out,
                        "\nnote: {} {what} requests of {} timed out (10 s) at {} connections; wrk leaves them out of the latencies",
                        run.timeouts, view.path, pair.connections
                    );
                }
            }
        }
    }
    out
}

/// The summary's rows for these runs: each page's ratio and p99 at each connection count with a
/// target (SQLite's targets), and the p99 under attack.
pub fn record_summary(report: &Report<'_>) {
    let on = if report.sqlite {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    for view in &report.views {
        for pair in &view.pairs {
            let c = pair.connections;
            let ratio = pair.ratio();
            crate::summary::record(
                "P1",
                format!("{} page ÷ static, {c} connections ({on})", view.path),
                &format!("≥ {RATIO_TARGET}"),
                format!("{ratio:.3}"),
                Some(ratio >= RATIO_TARGET),
            );
            if let Some(t) = p99_target(c) {
                crate::summary::record(
                    "P1",
                    format!("{} p99, {c} connections ({on})", view.path),
                    &format!("≤ {}", ms(t).replace(".00", "")),
                    ms(pair.page.p99),
                    Some(pair.page.p99 <= t),
                );
            }
        }
    }
    let first = report
        .views
        .first()
        .map(|v| v.pairs.as_slice())
        .unwrap_or_default();
    if let Some(attacked) = &report.attacked {
        if let Some((unloaded, ratio)) = attack_ratio(attacked, first) {
            crate::summary::record(
                "P5",
                format!(
                    "accounts p99 under {} wrong passwords/s ÷ unloaded ({on})",
                    attacked.rate
                ),
                &format!("≤ {ATTACK_P99_TARGET}"),
                format!(
                    "{ratio:.2} ({} → {})",
                    ms(unloaded.page.p99),
                    ms(attacked.run.p99)
                ),
                Some(ratio <= ATTACK_P99_TARGET),
            );
        }
    }
}

/// The unloaded run at the attacked run's connection count, and the attacked p99 over its p99.
fn attack_ratio<'a>(attacked: &Attacked, pairs: &'a [Pair]) -> Option<(&'a Pair, f64)> {
    let unloaded = pairs
        .iter()
        .find(|p| p.connections == attacked.connections)?;
    let ratio = attacked.run.p99.as_secs_f64() / unloaded.page.p99.as_secs_f64().max(1e-9);
    Some((unloaded, ratio))
}

/// One page's table: page, static and their ratio at each connection count.
fn render_view(out: &mut String, view: &ViewRuns) {
    let _ = writeln!(out);
    let _ = writeln!(out, "GET {} ({} bytes of HTML)", view.path, view.page_bytes);
    let _ = writeln!(out);
    let _ = writeln!(out, "| connections | served | req/s | p50 | p99 | target |");
    let _ = writeln!(out, "|---:|---|---:|---:|---:|---|");
    for pair in &view.pairs {
        let c = pair.connections;
        let target = match p99_target(c) {
            Some(t) => format!(
                "p99 ≤ {}: {}",
                ms(t).replace(".00", ""),
                verdict(pair.page.p99 <= t)
            ),
            None => "—".to_owned(),
        };
        let _ = writeln!(
            out,
            "| {c} | page | {:.1} | {} | {} | {target} |",
            pair.page.requests_per_sec,
            ms(pair.page.p50),
            ms(pair.page.p99)
        );
        let _ = writeln!(
            out,
            "| {c} | static | {:.1} | {} | {} | — |",
            pair.static_file.requests_per_sec,
            ms(pair.static_file.p50),
            ms(pair.static_file.p99)
        );
        let ratio = pair.ratio();
        let _ = writeln!(
            out,
            "| {c} | page ÷ static | {ratio:.3} | | | ≥ {RATIO_TARGET}: {} (stretch {RATIO_STRETCH}: {}) |",
            verdict(ratio >= RATIO_TARGET),
            verdict(ratio >= RATIO_STRETCH)
        );
    }
}

/// The P5 line: the page's p99 under the attack against its unloaded p99.
fn render_attack(out: &mut String, attacked: &Attacked, pairs: &[Pair]) {
    let Some((_, ratio)) = attack_ratio(attacked, pairs) else {
        return;
    };
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "| sign-in under attack | connections | req/s | p50 | p99 | p99 ÷ unloaded p99 | target |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---|");
    let _ = writeln!(
        out,
        "| {} wrong passwords/s, one address each ({}) | {} | {:.1} | {} | {} | {ratio:.2} | ≤ {ATTACK_P99_TARGET}: {} |",
        attacked.rate,
        attacked.attack.summary(),
        attacked.connections,
        attacked.run.requests_per_sec,
        ms(attacked.run.p50),
        ms(attacked.run.p99),
        verdict(ratio <= ATTACK_P99_TARGET)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(rate: f64, p99_ms: u64) -> WrkRun {
        WrkRun {
            requests: 1000,
            requests_per_sec: rate,
            p50: Duration::from_millis(1),
            p99: Duration::from_millis(p99_ms),
            bytes_read: 1e6,
            non_2xx_3xx: 0,
            socket_errors: 0,
            timeouts: 0,
            raw: String::new(),
        }
    }

    #[test]
    fn the_table_puts_each_figure_beside_its_target() {
        let report = Report {
            database: "SQLite",
            sqlite: true,
            accounts: 10,
            threads: 2,
            duration: Duration::from_secs(10),
            warmup: Duration::from_secs(2),
            machine: &Machine {
                cpus: 2,
                cpu_model: "Test CPU".to_owned(),
                load: "0.10 0.20 0.30".to_owned(),
            },
            commit: Some("abc1234".to_owned()),
            views: vec![ViewRuns {
                path: "/accounts".to_owned(),
                page_bytes: 100,
                pairs: vec![Pair {
                    connections: 32,
                    page: run(400.0, 25),
                    static_file: run(1000.0, 2),
                }],
            }],
            attacked: None,
        };
        let text = render(&report);
        assert!(text.contains("| 32 | page | 400.0 | 1.00 ms | 25.00 ms | p99 ≤ 20 ms: missed |"));
        assert!(
            text.contains("| 32 | page ÷ static | 0.400 | | | ≥ 0.35: met (stretch 0.5: missed) |")
        );
        assert!(text.contains("2 CPUs (nproc), Test CPU; load average 0.10 0.20 0.30"));
    }

    #[test]
    fn only_32_and_64_connections_have_latency_targets() {
        assert_eq!(p99_target(32), Some(Duration::from_millis(20)));
        assert_eq!(p99_target(64), Some(Duration::from_millis(30)));
        assert_eq!(p99_target(16), None);
    }
}

//! `bench`: load benchmarks for Switchboard's pages, kept out of the test suite and CI (they
//! take minutes and their figures depend on the machine). Run with
//! `cargo run --release -p switchboard-bench -- accounts [--postgres URL]`; see the README's
//! "Benchmarks" section.

mod accounts;
mod all;
mod attack;
mod client;
mod connect;
mod context;
mod database;
mod footprint;
mod plan;
mod report;
mod sandbox_alone;
mod seed;
mod server;
mod summary;
mod sweep;
mod sweep_load;
mod sweep_seed;
mod wrk;

use clap::{Parser, Subcommand};
use std::time::Duration;

#[derive(Debug, Parser)]
#[command(name = "bench", about = "Load benchmarks for Switchboard's pages")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Seeds a large workspace, signs in as its Owner and drives the filtered accounts list
    /// with wrk, beside a static file of the same size.
    Accounts(AccountsArgs),
    /// Connects a sandbox user holding N Pages (half with Instagram) end to end, counting the
    /// Graph calls; with --concurrent K, K users' callbacks at once.
    Connect(ConnectArgs),
    /// Idle memory, restart time to /healthz and binary size of the release binary.
    Footprint,
    /// Context figures: envelope seal/open per second, argon2 hash time.
    Context,
    /// A catch-up: N Instagram and Threads tokens due, refreshed by `refresh --once` (one
    /// process; with --postgres, also several at once) against the sandbox on its own listener.
    Sweep(SweepArgs),
    /// Every benchmark above at its target's size, then one table of every target.
    All(all::AllArgs),
}

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// Also run on fresh databases on this PostgreSQL server: one instance, then --instances.
    #[arg(long, value_name = "URL")]
    pub postgres: Option<String>,
    /// Tokens due.
    #[arg(long, default_value_t = 100_000,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub tokens: u64,
    /// Instances sweeping at once on PostgreSQL.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=16))]
    pub instances: u64,
}

#[derive(Debug, clap::Args)]
pub struct ConnectArgs {
    /// Use fresh databases on this PostgreSQL server instead of temporary SQLite files.
    #[arg(long, value_name = "URL")]
    pub postgres: Option<String>,
    /// Page counts to connect, comma-separated (a fresh database each).
    #[arg(long, default_value = "500,1000,2000,5000", value_delimiter = ',',
          value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub pages: Vec<u64>,
    /// Users whose callbacks arrive at once (0: skip that run).
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(0..=1_000))]
    pub concurrent: u64,
}

#[derive(Debug, clap::Args)]
pub struct AccountsArgs {
    /// Use a fresh database on this PostgreSQL server (created as bench_<random>, dropped
    /// afterwards) instead of a temporary SQLite file.
    #[arg(long, value_name = "URL")]
    pub postgres: Option<String>,
    /// Length of each measured run (whole seconds: 10s, 1m).
    #[arg(long, default_value = "10s", value_parser = seconds)]
    pub duration: Duration,
    /// Length of the unmeasured run before each measured one.
    #[arg(long, default_value = "2s", value_parser = seconds)]
    pub warmup: Duration,
    /// Connection counts to measure, comma-separated.
    #[arg(long, default_value = "32,64", value_delimiter = ',')]
    pub connections: Vec<u32>,
    /// wrk threads.
    #[arg(long, default_value_t = 2)]
    pub threads: u32,
    /// Accounts to seed.
    #[arg(long, default_value_t = 10_000)]
    pub accounts: usize,
    /// The search term (it must match enough active Instagram accounts to fill a page).
    #[arg(long, default_value = "bakery")]
    pub query: String,
    /// Wrong-password attempts per second against the Owner during one more page run at the
    /// first connection count, each from its own address (0: no such run).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(0..=1_000))]
    pub attack_rate: u32,
}

/// A whole number of seconds, at least one (wrk's resolution), written as the app's durations
/// are (`10s`, `2m`, `10`).
fn seconds(raw: &str) -> Result<Duration, String> {
    switchboard::server::config::parse_duration(raw)
        .filter(|d| d.subsec_nanos() == 0 && d.as_secs() >= 1)
        .ok_or_else(|| format!("{raw:?} is not a whole number of seconds, like 10s or 1m"))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // Warnings only: logging every request would be part of what is measured.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("warn"))
        .with_writer(std::io::stderr)
        .try_init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Accounts(args) => accounts::run(args).await,
        Command::Connect(args) => connect::run(args).await,
        Command::Footprint => footprint::run().await,
        Command::Context => context::run().await,
        Command::Sweep(args) => sweep::run(args).await,
        Command::All(args) => all::run(args).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bench: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_whole_seconds() {
        assert_eq!(seconds("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(seconds("1m"), Ok(Duration::from_secs(60)));
        assert_eq!(seconds("5"), Ok(Duration::from_secs(5)));
        assert!(seconds("500ms").is_err());
        assert!(seconds("0s").is_err());
    }

    #[test]
    fn the_defaults_are_the_documented_run() -> Result<(), clap::Error> {
        let cli = Cli::try_parse_from(["bench", "accounts"])?;
        let Command::Accounts(args) = cli.command else {
            panic!("accounts parses as accounts");
        };
        assert_eq!(args.connections, vec![32, 64]);
        assert_eq!(args.duration, Duration::from_secs(10));
        assert_eq!((args.threads, args.accounts), (2, 10_000));
        assert!(args.postgres.is_none());
        Ok(())
    }
}

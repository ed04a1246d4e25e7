//! `bench all`: every benchmark of the performance issue in one run, each at the size its
//! target names but with one connection count and one PostgreSQL sweep, so the whole run
//! takes minutes, not a quarter of an hour. Each prints its own tables as it goes; at the end
//! one table puts every figure beside its target (`summary.rs`).

use crate::{accounts, connect, context, footprint, summary, sweep};
use crate::{AccountsArgs, ConnectArgs};
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
pub struct AllArgs {
    /// PostgreSQL server for the sweep by several instances at once (P3); without it that
    /// check is skipped, and said so.
    #[arg(long, value_name = "URL")]
    pub postgres: Option<String>,
    /// Tokens due in the sweeps.
    #[arg(long, default_value_t = 100_000,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub tokens: u64,
}

pub async fn run(args: AllArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut failed = Vec::new();
    let mut step = |name: &str, outcome: anyhow::Result<()>| {
        eprintln!("{name}: done at {:.0} s", started.elapsed().as_secs_f64());
        if let Err(err) = outcome {
            eprintln!("{name} failed: {err:#}");
            failed.push(name.to_owned());
        }
    };
    heading("P1, P5: the signed-in lists, and sign-in under attack (SQLite)");
    step("accounts", accounts::run(lists()).await);
    heading("P2, P2b: the connect callback");
    step("connect", connect::run(connects()).await);
    heading("P3: the maintenance sweep");
    let tokens = args.tokens as usize;
    let mut plan: Vec<(Option<&str>, usize)> = vec![(None, 1)];
    match &args.postgres {
        Some(url) => plan.push((Some(url.as_str()), 2)),
        None => eprintln!("no --postgres: the sweep by 2 instances at once is skipped"),
    }
    step("sweep", sweep::run_plan(&plan, tokens).await);
    heading("P4: footprint");
    step("footprint", footprint::run().await);
    heading("Context");
    step("context", context::run().await);

    heading("Every target");
    println!("{}", summary::render(&summary::take()));
    crate::report::print_machine(&crate::report::machine());
    println!(
        "bench all took {:.1} min",
        started.elapsed().as_secs_f64() / 60.0
    );
    anyhow::ensure!(
        failed.is_empty(),
        "these benchmarks failed: {}",
        failed.join(", ")
    );
    Ok(())
}

fn heading(text: &str) {
    println!("\n## {text}\n");
}

/// The lists at 32 connections (the targets' count), 10 s runs, the attack at 50/s.
fn lists() -> AccountsArgs {
    AccountsArgs {
        postgres: None,
        duration: Duration::from_secs(10),
        warmup: Duration::from_secs(2),
        connections: vec![32],
        threads: 2,
        accounts: 10_000,
        query: "bakery".to_owned(),
        attack_rate: 50,
    }
}

/// 500 Pages (P2) and 5,000 (P2b), and 200 callbacks at once.
fn connects() -> ConnectArgs {
    ConnectArgs {
        postgres: None,
        pages: vec![500, 5_000],
        concurrent: 200,
    }
}

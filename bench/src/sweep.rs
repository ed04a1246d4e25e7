//! `bench sweep`: a catch-up after an outage. N Instagram and Threads tokens are due for a
//! refresh; the sandbox runs alone on its own listener (`Sandbox::serve`) over its own SQLite
//! file, and the release binary's `switchboard refresh --once` — one process, or with
//! `--postgres` several at once over one database — refreshes them all. Reports tokens per
//! second (wall time from spawn to exit, the start included), each process's peak RSS
//! (`VmHWM`), and the refresh calls the sandbox logged, which must equal N exactly. Before
//! that, the sandbox's refresh endpoint alone is driven at the same concurrency, to show it
//! is not what bounds the figure.

use crate::database::FreshDatabase;
use crate::footprint::release_binary;
use crate::sandbox_alone::{self, Alone};
use crate::{report, summary, sweep_seed, SweepArgs};
use anyhow::{ensure, Context};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use std::path::Path;
use std::time::{Duration, Instant};
use switchboard::server::clock::{Clock, SystemClock};
use switchboard::server::config::Config;
use switchboard::server::crypto::master_key::MasterKey;
use switchboard::server::crypto::{setup, vault::Vault};
use switchboard::server::{db, key_checks};

/// Targets (the performance issue).
const RATE_TARGET: f64 = 5_000.0;
const PEAK_RSS_TARGET_MB: f64 = 150.0;

/// One measured catch-up.
struct Measured {
    label: String,
    instances: usize,
    tokens: usize,
    elapsed: Duration,
    refreshed: u64,
    peak_rss_mb: Vec<f64>,
    /// The instances' CPU time, all together.
    cpu_seconds: f64,
    refresh_calls: i64,
    renewed_rows: i64,
}

pub async fn run(args: SweepArgs) -> anyhow::Result<()> {
    let runs: Vec<(Option<&str>, usize)> = match &args.postgres {
        Some(url) => vec![
            (Some(url.as_str()), 1),
            (Some(url.as_str()), args.instances as usize),
        ],
        None => vec![(None, 1)],
    };
    run_plan(&runs, args.tokens as usize).await
}

/// Catch-ups of `tokens` due tokens, one per entry of `runs`: on SQLite (`None`) or on a fresh
/// database of that PostgreSQL server, with that many instances at once.
pub async fn run_plan(runs: &[(Option<&str>, usize)], tokens: usize) -> anyhow::Result<()> {
    let machine = report::machine();
    let binary = release_binary()?;
    let mut rows = Vec::new();
    let mut sandbox_alone = None;
    for &(postgres, instances) in runs {
        let database = match postgres {
            Some(url) => FreshDatabase::postgres(url).await?,
            None => FreshDatabase::sqlite()?,
        };
        let outcome = catch_up(&binary, &database, instances, tokens, &mut sandbox_alone).await;
        database.remove().await?;
        let measured = outcome.with_context(|| format!("sweeping with {instances} instances"))?;
        eprintln!(
            "{} × {instances}: {:.1} s",
            measured.label,
            measured.elapsed.as_secs_f64()
        );
        rows.push(measured);
    }
    print_table(&rows, sandbox_alone);
    report::print_machine(&machine);
    Ok(())
}

fn print_table(rows: &[Measured], sandbox_alone: Option<f64>) {
    if let Some(rate) = sandbox_alone {
        println!(
            "The sandbox alone: {rate:.0} refreshes/s at {} calls in flight.",
            switchboard::server::jobs::maintenance::CONCURRENT_CALLS
        );
        println!();
    }
    println!("| database | instances | tokens due | refreshed | refresh calls (sandbox log) | wall time | tokens/s | app CPU per token | peak RSS per process | targets |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for m in rows {
        let rate = m.refreshed as f64 / m.elapsed.as_secs_f64();
        let peak = m.peak_rss_mb.iter().copied().fold(0.0, f64::max);
        let exact = m.refresh_calls == m.tokens as i64 && m.renewed_rows == m.tokens as i64;
        let on = format!("{}, {} × {}", m.tokens, m.instances, short_label(&m.label));
        summary::record(
            "P3",
            format!("sweep tokens/s ({on})"),
            &format!("≥ {RATE_TARGET:.0}"),
            format!("{rate:.0}"),
            Some(rate >= RATE_TARGET),
        );
        summary::record(
            "P3",
            format!("sweep peak RSS per process ({on})"),
            &format!("≤ {PEAK_RSS_TARGET_MB:.0} MB"),
            format!("{peak:.0} MB"),
            Some(peak <= PEAK_RSS_TARGET_MB),
        );
        summary::record(
            "P3",
            format!("refresh calls in the sandbox's log ({on})"),
            &format!("exactly {}", m.tokens),
            m.refresh_calls.to_string(),
            Some(exact),
        );
        println!(
            "| {} | {} | {} | {} | {} | {:.1} s | {rate:.0} | {:.0} µs | {} | ≥ {RATE_TARGET:.0}/s {}, ≤ {PEAK_RSS_TARGET_MB:.0} MB {}, exactly {} calls {} |",
            m.label,
            m.instances,
            m.tokens,
            m.refreshed,
            m.refresh_calls,
            m.elapsed.as_secs_f64(),
            m.cpu_seconds * 1e6 / m.refreshed.max(1) as f64,
            m.peak_rss_mb
                .iter()
                .map(|mb| format!("{mb:.0} MB"))
                .collect::<Vec<_>>()
                .join(", "),
            mark(rate >= RATE_TARGET),
            mark(peak <= PEAK_RSS_TARGET_MB),
            m.tokens,
            mark(exact),
        );
    }
}

/// "SQLite" or "PostgreSQL": the database's label without its version and name.
fn short_label(label: &str) -> &str {
    label.split_whitespace().next().unwrap_or(label)
}

fn mark(ok: bool) -> &'static str {
    if ok {
        "✓"
    } else {
        "✗"
    }
}

/// The variables the instances run with: the app's database, the key, and every Instagram
/// and Threads URL pointed at the sandbox's listener.
fn environment(database_url: &str, key: &str, alone: &Alone) -> Vec<(String, String)> {
    let at = |path: &str| alone.url(path);
    [
        ("DATABASE_URL", database_url.to_owned()),
        ("SWITCHBOARD_MASTER_KEY", key.to_owned()),
        ("SWITCHBOARD_SANDBOX", "0".to_owned()),
        ("SWITCHBOARD_HTTP_TIMEOUT", "30s".to_owned()),
        ("INSTAGRAM_APP_ID", alone.apps.instagram.app_id.clone()),
        (
            "INSTAGRAM_APP_SECRET",
            alone.apps.instagram.app_secret.clone(),
        ),
        ("INSTAGRAM_AUTH_URL", at("instagram")),
        ("INSTAGRAM_API_URL", at("instagram-api")),
        ("INSTAGRAM_GRAPH_URL", at("instagram-graph")),
        ("THREADS_APP_ID", alone.apps.threads.app_id.clone()),
        ("THREADS_APP_SECRET", alone.apps.threads.app_secret.clone()),
        ("THREADS_AUTH_URL", at("threads")),
        ("THREADS_GRAPH_URL", at("threads-graph")),
        ("RUST_LOG", "warn".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

async fn catch_up(
    binary: &Path,
    database: &FreshDatabase,
    instances: usize,
    tokens: usize,
    sandbox_alone: &mut Option<f64>,
) -> anyhow::Result<Measured> {
    // The instances only call the sandbox; its dialogs, which redirect to the app, go unused.
    let alone = sandbox_alone::start("http://127.0.0.1:9").await?;
    let plaintexts = sweep_seed::sandbox_tokens(&alone.sandbox, tokens).await?;
    let key = MasterKey::generate().to_base64();
    let env = environment(&database.url, &key, &alone);
    let config =
        Config::from_lookup(|name| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    let app_db = db::connect(&config.database_url).await?;
    db::migrate(&app_db, false).await?;
    let keyring = setup::load_keys(&config.keys)?;
    let now = SystemClock.unix();
    key_checks::check_keys(&app_db, &keyring, now).await?;
    let vault = Vault::new(keyring);
    let (workspace_id, owner_id) = crate::seed::create_owner(&app_db, now).await?;
    sweep_seed::accounts(&app_db, &vault, workspace_id, owner_id, &plaintexts, now).await?;
    if sandbox_alone.is_none() {
        *sandbox_alone = Some(crate::sweep_load::sandbox_rate(&alone, &plaintexts).await?);
    }
    alone.sandbox.clear_calls().await?;

    let started = Instant::now();
    let outcomes = crate::sweep_load::run_instances(binary, &env, instances).await?;
    let elapsed = started.elapsed();
    let refreshed = outcomes.iter().map(|o| o.refreshed).sum();
    let peak_rss_mb = outcomes
        .iter()
        .map(|o| o.peak_rss_kb as f64 / 1024.0)
        .collect();
    let cpu_seconds = outcomes.iter().map(|o| o.cpu_seconds).sum();
    let refresh_calls = count(
        alone.database(),
        "SELECT COUNT(*) AS n FROM meta_sandbox_calls WHERE path LIKE '%refresh_access_token'",
    )
    .await?;
    let renewed_rows = count(
        &app_db,
        &format!(
            "SELECT COUNT(*) AS n FROM accounts WHERE token_expires_at > {}",
            now + 30 * 86_400
        ),
    )
    .await?;
    alone.stop();
    ensure!(refreshed > 0, "nothing was refreshed");
    Ok(Measured {
        label: database.label.clone(),
        instances,
        tokens,
        elapsed,
        refreshed,
        peak_rss_mb,
        cpu_seconds,
        refresh_calls,
        renewed_rows,
    })
}

async fn count(db: &DatabaseConnection, sql: &str) -> anyhow::Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
        .context("COUNT answered no row")?;
    Ok(row.try_get("", "n")?)
}

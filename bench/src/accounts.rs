//! `bench accounts`: the accounts list under load. Seeds a large workspace into a fresh
//! database, starts the real app, signs in as the Owner, checks that the filtered list really
//! answers the page, then drives it and a static file of the same size with wrk at each
//! connection count. The static file is the yardstick: page ÷ static says how close the page
//! comes to what this machine's HTTP stack can do at all, whatever the machine.

use crate::client::{self, PAGE_MARKER};
use crate::database::FreshDatabase;
use crate::report::{self, Attacked, Machine, Pair, Report, ViewRuns};
use crate::server::{self, Running};
use crate::wrk::{self, Load, WrkRun};
use crate::{seed, AccountsArgs};
use anyhow::{ensure, Context};
use std::path::Path;
use std::time::{Duration, Instant};
use switchboard::server::clock::{Clock, SystemClock};

/// The pause after each measured run.
const SETTLE: Duration = Duration::from_secs(1);

/// Runs the benchmark and prints its report; the database is removed whatever happens (Ctrl-C
/// included). Fails, after printing, when any response under load was not the page.
pub async fn run(args: AccountsArgs) -> anyhow::Result<()> {
    ensure!(!args.connections.is_empty(), "--connections names no count");
    ensure!(
        args.connections.iter().all(|&c| c >= args.threads),
        "wrk needs at least one connection per thread (--threads {})",
        args.threads
    );
    wrk::ensure_installed().await?;
    let machine = report::machine();
    let database = match &args.postgres {
        Some(url) => FreshDatabase::postgres(url).await?,
        None => FreshDatabase::sqlite()?,
    };
    eprintln!("database: {}", database.label);
    let outcome = tokio::select! {
        outcome = measure(&args, &database, &machine) => outcome,
        _ = tokio::signal::ctrl_c() => Err(anyhow::anyhow!("interrupted")),
    };
    let removed = database.remove().await;
    let (text, problems) = outcome?;
    removed.context("cleaning up the benchmark's database")?;
    println!("{text}");
    ensure!(
        problems.is_empty(),
        "not every response under load was the accounts page, so the figures above are not \
         the page's:\n  {}",
        problems.join("\n  ")
    );
    Ok(())
}

/// The path under load: active Instagram accounts matching the search, first page.
fn page_path(query: &str) -> String {
    let q: String = url::form_urlencoded::byte_serialize(query.as_bytes()).collect();
    format!("/accounts?status=active&platform=instagram&q={q}")
}

/// Seeds, starts the app, drives it; the report and what went wrong under load.
async fn measure(
    args: &AccountsArgs,
    database: &FreshDatabase,
    machine: &Machine,
) -> anyhow::Result<(String, Vec<String>)> {
    let config = server::app_config(&database.url)?;
    let started = Instant::now();
    let db = switchboard::server::db::connect(&config.database_url).await?;
    switchboard::server::db::migrate(&db, false).await?;
    let seeded = seed::seed(&db, args.accounts, SystemClock.unix()).await?;
    db.close().await.ok();
    eprintln!(
        "seeded {} accounts (workspace {}) in {:.1} s",
        seeded.accounts,
        seeded.workspace_id,
        started.elapsed().as_secs_f64()
    );
    let app = server::start_app(config).await?;
    let static_dir = tempfile::tempdir().context("cannot create a temporary folder")?;
    let outcome = drive(
        args,
        database,
        machine,
        &app,
        static_dir.path(),
        seeded.accounts,
    )
    .await;
    let stopped = app.stop().await;
    let outcome = outcome?;
    stopped?;
    Ok(outcome)
}

/// A page under load: its path and text only it has.
struct Viewed {
    name: &'static str,
    path: String,
    marker: &'static str,
}

/// The three lists the performance issue names, each over the 10,000-row workspace.
fn views(query: &str) -> [Viewed; 3] {
    [
        Viewed {
            name: "accounts",
            path: page_path(query),
            marker: PAGE_MARKER,
        },
        Viewed {
            name: "integrations",
            path: "/settings/integrations".to_owned(),
            marker: "class=\"table connections\"",
        },
        Viewed {
            name: "posts",
            path: "/posts".to_owned(),
            marker: ">Message</th>",
        },
    ]
}

/// Signs in, checks each page, starts the static server beside the app (a copy of each page)
/// and runs wrk on each page and its copy.
async fn drive(
    args: &AccountsArgs,
    database: &FreshDatabase,
    machine: &Machine,
    app: &Running,
    static_dir: &Path,
    accounts: usize,
) -> anyhow::Result<(String, Vec<String>)> {
    let http = client::client()?;
    let cookie = client::sign_in(&http, &app.base, seed::OWNER_EMAIL, seed::OWNER_PASSWORD).await?;
    let mut bodies = Vec::new();
    for view in views(&args.query) {
        let url = format!("{}{}", app.base, view.path);
        let body = client::fetch_view(&http, &url, &cookie, 5, view.marker).await?;
        eprintln!(
            "GET {}: 200, {} bytes, contains {:?}",
            view.path,
            body.len(),
            view.marker
        );
        std::fs::write(static_dir.join(format!("{}.html", view.name)), &body)
            .context("cannot write the static copy")?;
        bodies.push((view, url, body.len()));
    }
    let statics = server::start_static(static_dir).await?;
    let mut problems = Vec::new();
    let outcome = async {
        let headers = ["Accept: text/html".to_owned(), format!("Cookie: {cookie}")];
        let mut measured_views = Vec::new();
        for (view, page_url, page_len) in &bodies {
            let static_url = format!("{}/{}.html", statics.base, view.name);
            client::fetch_static(&http, &static_url, *page_len).await?;
            let mut pairs = Vec::new();
            for &connections in &args.connections {
                let page_load = Load {
                    url: page_url,
                    connections,
                    threads: args.threads,
                    duration: args.duration,
                    headers: &headers,
                };
                let static_load = Load {
                    url: &static_url,
                    ..page_load
                };
                let page_run = measured(&page_load, args.warmup, view.name).await?;
                problems.extend(check(&page_run, *page_len, view.name, connections));
                let static_run = measured(&static_load, args.warmup, "static").await?;
                problems.extend(check(&static_run, *page_len, "static", connections));
                pairs.push(Pair {
                    connections,
                    page: page_run,
                    static_file: static_run,
                });
            }
            measured_views.push(ViewRuns {
                path: view.path.clone(),
                page_bytes: *page_len,
                pairs,
            });
        }
        let (_, accounts_url, accounts_len) = &bodies[0];
        let attacked = match (args.attack_rate, args.connections.first()) {
            (0, _) | (_, None) => None,
            (rate, Some(&connections)) => {
                let load = Load {
                    url: accounts_url,
                    connections,
                    threads: args.threads,
                    duration: args.duration,
                    headers: &headers,
                };
                let (run, attack) = under_attack(&load, &app.base, rate).await?;
                problems.extend(check(&run, *accounts_len, "page under attack", connections));
                Some(Attacked {
                    connections,
                    rate,
                    run,
                    attack,
                })
            }
        };
        // The session lasted the whole run: the figures above are the signed-in pages'.
        if let Err(err) = client::fetch_page(&http, accounts_url, &cookie, 1).await {
            problems.push(format!("after the load runs: {err:#}"));
        }
        anyhow::Ok((measured_views, attacked))
    }
    .await;
    let stopped = statics.stop().await;
    let (views, attacked) = outcome?;
    stopped?;
    let report = Report {
        database: &database.label,
        sqlite: args.postgres.is_none(),
        accounts,
        threads: args.threads,
        duration: args.duration,
        warmup: args.warmup,
        machine,
        commit: report::commit(),
        views,
        attacked,
    };
    report::record_summary(&report);
    Ok((report::render(&report), problems))
}

/// The page run again (after its own warm-up) while `rate` wrong passwords a second arrive
/// for the Owner from as many addresses; the attack starts with the measured run.
async fn under_attack(
    load: &Load<'_>,
    base: &str,
    rate: u32,
) -> anyhow::Result<(WrkRun, crate::attack::Attack)> {
    eprintln!(
        "wrk page at {} connections under {rate} wrong passwords/s",
        load.connections
    );
    wrk::run(&Load {
        duration: Duration::from_secs(2),
        ..*load
    })
    .await
    .context("warming up the page")?;
    let (run, attack) = tokio::join!(
        wrk::run(load),
        crate::attack::run(base, seed::OWNER_EMAIL, rate, load.duration)
    );
    let run = run.context("measuring the page under attack")?;
    eprintln!(
        "  {:.1} req/s, p50 {:?}, p99 {:?}; {}",
        run.requests_per_sec,
        run.p50,
        run.p99,
        attack.summary()
    );
    tokio::time::sleep(SETTLE).await;
    Ok((run, attack))
}

/// A warm-up run, then the measured one, then a pause for abandoned requests to finish.
async fn measured(load: &Load<'_>, warmup: Duration, what: &str) -> anyhow::Result<WrkRun> {
    eprintln!(
        "wrk {what} at {} connections: {} s warm-up, {} s measured",
        load.connections,
        warmup.as_secs(),
        load.duration.as_secs()
    );
    wrk::run(&Load {
        duration: warmup,
        ..*load
    })
    .await
    .with_context(|| format!("warming up {what}"))?;
    let run = wrk::run(load)
        .await
        .with_context(|| format!("measuring {what}"))?;
    eprintln!(
        "  {:.1} req/s, p50 {:?}, p99 {:?}",
        run.requests_per_sec, run.p50, run.p99
    );
    // Requests wrk abandoned at the end may still be running; they would slow the next run.
    tokio::time::sleep(SETTLE).await;
    Ok(run)
}

/// What makes a run's figures not those of `body_len`-byte successes. wrk counts redirects,
/// and a page that failed after its headers went out (a 200 with the error message), as
/// successes; both are far smaller than the page, so the bytes read give them away.
fn check(run: &WrkRun, body_len: usize, what: &str, connections: u32) -> Vec<String> {
    let at = format!("{what} at {connections} connections");
    let mut problems = Vec::new();
    if run.requests == 0 {
        problems.push(format!(
            "{at}: no response completed; try a longer --duration"
        ));
        return problems;
    }
    if run.non_2xx_3xx > 0 {
        problems.push(format!(
            "{at}: {} of {} responses had an error status",
            run.non_2xx_3xx, run.requests
        ));
    }
    if run.socket_errors > 0 {
        problems.push(format!("{at}: {} socket errors", run.socket_errors));
    }
    // wrk rounds the bytes read to two decimals of its unit: hence the slack.
    let average = run.bytes_per_request();
    if average < 0.95 * body_len as f64 {
        let short = 100.0 * (1.0 - average / body_len as f64);
        problems.push(format!(
            "{at}: responses averaged {average:.0} bytes against the page's {body_len}: at least \
             {short:.0} % of them were something else (an error page or a redirect)"
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(requests: u64, bytes_read: f64, non_2xx_3xx: u64) -> WrkRun {
        WrkRun {
            requests,
            requests_per_sec: requests as f64 / 10.0,
            p50: Duration::from_millis(5),
            p99: Duration::from_millis(9),
            bytes_read,
            non_2xx_3xx,
            socket_errors: 0,
            timeouts: 0,
            raw: String::new(),
        }
    }

    #[test]
    fn a_run_of_full_pages_has_no_problem() {
        assert!(check(&run(100, 100.0 * 1_300.0, 0), 1_000, "page", 32).is_empty());
    }

    #[test]
    fn responses_smaller_than_the_page_are_caught_though_wrk_counts_them_as_successes() {
        let problems = check(&run(100, 100.0 * 600.0, 0), 1_000, "page", 32);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("at least 40 %"), "{problems:?}");
    }

    #[test]
    fn error_statuses_and_empty_runs_are_problems() {
        assert_eq!(check(&run(100, 1e6, 3), 1_000, "page", 64).len(), 1);
        let empty = check(&run(0, 0.0, 0), 1_000, "page", 64);
        assert!(empty[0].contains("no response completed"), "{empty:?}");
    }

    #[test]
    fn the_search_is_encoded_into_the_filtered_list_url() {
        assert_eq!(
            page_path("bakery"),
            "/accounts?status=active&platform=instagram&q=bakery"
        );
        assert_eq!(
            page_path("old mill"),
            "/accounts?status=active&platform=instagram&q=old+mill"
        );
    }
}

//! `bench connect`: one whole Facebook connect (Continue on the consent screen → the result
//! page) for a sandbox user holding N Pages, half of them with a linked Instagram account, into
//! a fresh database each time; and, with `--concurrent K`, K such callbacks for K different
//! users at once. Reports the time, the Graph calls made (from the sandbox's call log) and the
//! errors. The sandbox runs alone on its own listener, as Meta would (`sandbox_alone`), and the
//! app times every call it makes to it (`switchboard_meta_call_duration_seconds` on
//! `/metrics`): the callback's time less that is the app's own.

use crate::client::{self};
use crate::database::FreshDatabase;
use crate::report;
use crate::sandbox_alone::{self, Alone};
use crate::seed::{self, OWNER_EMAIL, OWNER_PASSWORD};
use crate::summary;
use crate::ConnectArgs;
use anyhow::{ensure, Context};
use meta_sandbox::calls::CallFilter;
use meta_sandbox::scenario::{InstagramAccount, Page, PageRole, Scenario, TestUser};
use reqwest::header::{ACCEPT, COOKIE, LOCATION, ORIGIN, REFERER};
use reqwest::Client;
use std::sync::Arc;
use std::time::{Duration, Instant};
use switchboard::server::clock::{Clock, SystemClock};
use switchboard::server::config::Config;
use switchboard::server::connect::providers::FACEBOOK;
use switchboard::server::crypto::master_key::MasterKey;
use switchboard::server::startup::Application;

/// One measured connect.
struct Measured {
    pages: usize,
    accounts: usize,
    graph_calls: usize,
    me_accounts_calls: usize,
    callback: Duration,
    /// The callback's time less the time the app waited on the sandbox.
    own: Duration,
    total: Duration,
}

/// The sum of every `switchboard_meta_call_duration_seconds_sum` series in a scrape.
fn meta_wait_seconds(metrics: &str) -> f64 {
    metrics
        .lines()
        .filter(|line| line.starts_with("switchboard_meta_call_duration_seconds_sum"))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

pub async fn run(args: ConnectArgs) -> anyhow::Result<()> {
    let machine = report::machine();
    let mut rows = Vec::new();
    for pages in args.pages.iter().map(|&p| p as usize) {
        let database = match &args.postgres {
            Some(url) => FreshDatabase::postgres(url).await?,
            None => FreshDatabase::sqlite()?,
        };
        let label = database.label.clone();
        let measured = one_connect(&database.url, pages).await;
        database.remove().await?;
        let measured = measured.with_context(|| format!("connecting {pages} Pages"))?;
        eprintln!("{pages} Pages: {:.2} s", measured.total.as_secs_f64());
        rows.push((label, measured));
    }
    let concurrent = match args.concurrent as usize {
        0 => None,
        users => {
            let database = match &args.postgres {
                Some(url) => FreshDatabase::postgres(url).await?,
                None => FreshDatabase::sqlite()?,
            };
            let outcome = many_connects(&database.url, users).await;
            database.remove().await?;
            Some((users, outcome?))
        }
    };
    println!("| database | Pages | accounts | Graph calls | `me/accounts` calls | callback | of it the app's own | Continue → result page | target |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for (label, m) in &rows {
        record(label, m);
        let expected = expected_calls(m.pages);
        let target = match m.pages {
            500 => format!(
                "{expected} calls {}, own ≤ 100 ms {}",
                mark(m.graph_calls == expected),
                mark(m.own <= OWN_TARGET)
            ),
            5_000 => format!("≤ 5 s {}", mark(m.total <= SCALE_TARGET)),
            _ => String::new(),
        };
        println!(
            "| {label} | {} | {} | {} | {} | {:.2} s | {:.0} ms | {:.2} s | {target} |",
            m.pages,
            m.accounts,
            m.graph_calls,
            m.me_accounts_calls,
            m.callback.as_secs_f64(),
            m.own.as_secs_f64() * 1e3,
            m.total.as_secs_f64()
        );
    }
    if let Some((users, (errors, elapsed))) = concurrent {
        summary::record(
            "P2",
            format!("{users} callbacks for different users at once"),
            "0 errors",
            format!("{errors} errors in {:.2} s", elapsed.as_secs_f64()),
            Some(errors == 0),
        );
        println!();
        println!(
            "{users} callbacks for {users} users at once: {errors} errors in {:.2} s (target 0 errors {})",
            elapsed.as_secs_f64(),
            mark(errors == 0)
        );
    }
    report::print_machine(&machine);
    Ok(())
}

/// P2: the app's own time in a 500-Page callback. P2b: 5,000 Pages end to end.
const OWN_TARGET: Duration = Duration::from_millis(100);
const SCALE_TARGET: Duration = Duration::from_secs(5);

/// The summary's rows for one connect: P2's calls and own time at 500 Pages, P2b's end to end
/// time at 5,000.
fn record(label: &str, m: &Measured) {
    match m.pages {
        500 => {
            let expected = expected_calls(m.pages);
            summary::record(
                "P2",
                format!("Graph calls, 500 Pages ({label})"),
                &format!("{expected}"),
                m.graph_calls.to_string(),
                Some(m.graph_calls == expected),
            );
            summary::record(
                "P2",
                format!("the app's own time in the callback, 500 Pages ({label})"),
                "≤ 100 ms",
                format!("{:.0} ms", m.own.as_secs_f64() * 1e3),
                Some(m.own <= OWN_TARGET),
            );
        }
        5_000 => summary::record(
            "P2b",
            format!("5,000 Pages end to end ({label})"),
            "≤ 5 s",
            format!("{:.2} s", m.total.as_secs_f64()),
            Some(m.total <= SCALE_TARGET),
        ),
        _ => {}
    }
}

fn mark(ok: bool) -> &'static str {
    if ok {
        "✓"
    } else {
        "✗"
    }
}

/// Two token exchanges, `me`, `me/permissions`, `debug_token`, ⌈N/100⌉ `me/accounts` pages
/// and `me/businesses`.
fn expected_calls(pages: usize) -> usize {
    5 + pages.div_ceil(100) + 1
}

/// A world of `users` test users, each holding `pages` Pages of their own, every other one with
/// a linked Instagram account.
fn scenario(users: usize, pages: usize) -> Scenario {
    let mut world = Scenario::with_generated_pages(0);
    world.users.clear();
    for u in 0..users {
        let mut roles = Vec::with_capacity(pages);
        for n in 0..pages {
            let id = format!("{}", 600_000_000 + u * 100_000 + n);
            let instagram = (n % 2 == 0).then(|| InstagramAccount {
                id: format!("178{id}"),
                username: format!("bench.{u}.{n}"),
                name: format!("Bench {u} {n}"),
            });
            world.pages.push(Page {
                id: id.clone(),
                name: format!("Bench Page {u}-{n}"),
                category: "Brand".into(),
                instagram,
            });
            roles.push(PageRole {
                page_id: id,
                tasks: vec!["MANAGE".into(), "CREATE_CONTENT".into()],
            });
        }
        world.users.push(TestUser {
            id: format!("{}", 10_000_000_000_000_000u64 + u as u64),
            name: format!("Bench User {u}"),
            roles,
            businesses: vec![],
        });
    }
    world
}

/// The app over `database_url` on `port`, its Facebook app the sandbox's, with a fresh master
/// key in memory.
fn app_config(database_url: &str, port: u16, alone: &Alone) -> anyhow::Result<Config> {
    let master_key = MasterKey::generate().to_base64();
    let database_url = database_url.to_owned();
    Config::from_lookup(|name| match name {
        "LEPTOS_SITE_ADDR" => Some(format!("127.0.0.1:{port}")),
        "DATABASE_URL" => Some(database_url.clone()),
        "SWITCHBOARD_SANDBOX" => Some("0".to_owned()),
        "SWITCHBOARD_MASTER_KEY" => Some(master_key.clone()),
        "SWITCHBOARD_HTTP_TIMEOUT" => Some("60s".to_owned()),
        "META_APP_ID" => Some(alone.apps.facebook.app_id.clone()),
        "META_APP_SECRET" => Some(alone.apps.facebook.app_secret.clone()),
        "META_DIALOG_URL" => Some(alone.url("facebook")),
        "META_GRAPH_URL" => Some(alone.url("graph")),
        _ => None,
    })
    .context("the benchmark's configuration is refused")
}

/// A started app with its sandbox, an Owner signed in (`cookie`).
struct Started {
    base: String,
    db: sea_orm::DatabaseConnection,
    cookie: String,
    alone: Alone,
    client: Client,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

async fn start(database_url: &str, world: &Scenario) -> anyhow::Result<Started> {
    // The sandbox must know the app's address before the app starts: a port is picked first.
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let alone = sandbox_alone::start(&format!("http://127.0.0.1:{port}")).await?;
    alone.sandbox.load_scenario(world).await?;
    let app = Application::build(
        app_config(database_url, port, &alone)?,
        Arc::new(SystemClock),
    )
    .await
    .context("Switchboard did not start")?;
    seed::create_owner(&app.state().db, SystemClock.unix()).await?;
    let base = format!("http://127.0.0.1:{}", app.port());
    let db = app.state().db.clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(app.run_until_stopped(async {
        let _ = stopped.await;
    }));
    let client = client::client()?;
    let cookie = client::sign_in(&client, &base, OWNER_EMAIL, OWNER_PASSWORD).await?;
    Ok(Started {
        base,
        db,
        cookie,
        alone,
        client,
        stop,
        task,
    })
}

impl Started {
    async fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        self.alone.stop();
        self.task.await.context("the server task panicked")?
    }

    /// Seconds the app has spent waiting on Meta so far, by its own `/metrics`.
    async fn waited_on_meta(&self) -> anyhow::Result<f64> {
        let text = self
            .client
            .get(format!("{}/metrics", self.base))
            .send()
            .await?
            .text()
            .await?;
        Ok(meta_wait_seconds(&text))
    }

    /// Presses Connect Meta; answers the dialog URL.
    async fn press_connect(&self) -> anyhow::Result<String> {
        let response = self
            .client
            .post(format!("{}/api/connect_meta", self.base))
            .header(COOKIE, &self.cookie)
            .header(ORIGIN, &self.base)
            .header(REFERER, format!("{}/settings/integrations", self.base))
            .header(ACCEPT, "text/html")
            .send()
            .await?;
        location(&response).context("Connect Meta did not redirect to the dialog")
    }

    /// Presses Continue on the consent screen as `user`, sharing `pages`; answers the callback.
    async fn consent(&self, dialog: &str, user: &str, pages: &[String]) -> anyhow::Result<String> {
        let parsed = url::Url::parse(dialog)?;
        let mut form: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
        form.push(("sandbox_user".into(), user.into()));
        form.push(("decision".into(), "continue".into()));
        form.extend(pages.iter().map(|p| ("page".to_owned(), p.clone())));
        // Every permission Connect Meta asks for stays ticked.
        form.extend(
            FACEBOOK
                .scopes()
                .into_iter()
                .map(|p| ("permission".to_owned(), p.to_owned())),
        );
        let response = self
            .client
            .post(format!("{}{}", self.alone.base, parsed.path()))
            .form(&form)
            .send()
            .await?;
        location(&response).context("the consent screen did not redirect back")
    }

    /// Arrives at the callback and follows it to the result page; answers the flash.
    async fn arrive(&self, callback: &str) -> anyhow::Result<(Duration, String)> {
        let started = Instant::now();
        let response = self
            .client
            .get(callback)
            .header(COOKIE, &self.cookie)
            .header(ACCEPT, "text/html")
            .send()
            .await?;
        let elapsed = started.elapsed();
        ensure!(
            response.status() == 303,
            "the callback answered {}",
            response.status()
        );
        let result = location(&response).context("no result page")?;
        let page = self
            .client
            .get(format!("{}{}", self.base, result))
            .header(COOKIE, &self.cookie)
            .send()
            .await?
            .text()
            .await?;
        Ok((elapsed, page))
    }
}

/// Rows in `table`.
async fn count(db: &sea_orm::DatabaseConnection, table: &str) -> anyhow::Result<i64> {
    use sea_orm::{ConnectionTrait, Statement};
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await?
        .context("COUNT answered no row")?;
    Ok(row.try_get("", "n")?)
}

/// The alert or flash a result page shows, for the report of what went wrong.
fn alert_of(page: &str) -> String {
    for marker in ["role=\"alert\"", "class=\"flash", "class=\"form-error"] {
        if let Some(at) = page.find(marker) {
            let rest = &page[at..];
            let text: String = rest
                .split('>')
                .nth(1)
                .unwrap_or_default()
                .split('<')
                .next()
                .unwrap_or_default()
                .chars()
                .take(200)
                .collect();
            return text;
        }
    }
    "a page with no message".into()
}

fn location(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

async fn one_connect(database_url: &str, pages: usize) -> anyhow::Result<Measured> {
    let world = scenario(1, pages);
    let user = world.users[0].id.clone();
    let page_ids: Vec<String> = world.users[0]
        .roles
        .iter()
        .map(|r| r.page_id.clone())
        .collect();
    let app = start(database_url, &world).await?;
    let dialog = app.press_connect().await?;
    let started = Instant::now();
    let callback = app.consent(&dialog, &user, &page_ids).await?;
    let waited_before = app.waited_on_meta().await?;
    let (callback_time, page) = app.arrive(&callback).await?;
    let waited = app.waited_on_meta().await? - waited_before;
    let total = started.elapsed();
    let accounts = pages + pages.div_ceil(2);
    ensure!(
        page.contains(&format!("Connected {accounts} accounts")),
        "the result page does not say Connected {accounts} accounts"
    );
    let calls = app.alone.sandbox.calls(&CallFilter::default()).await?;
    let graph: Vec<_> = calls
        .iter()
        .filter(|c| c.path.starts_with("/graph/"))
        .collect();
    let me_accounts_calls = graph
        .iter()
        .filter(|c| c.path.ends_with("/me/accounts"))
        .count();
    let graph_calls = graph.len();
    app.stop().await?;
    Ok(Measured {
        pages,
        accounts,
        graph_calls,
        me_accounts_calls,
        callback: callback_time,
        own: callback_time.saturating_sub(Duration::from_secs_f64(waited.max(0.0))),
        total,
    })
}

/// `users` users of 2 Pages each consent one after another, then all their callbacks arrive at
/// once; answers the errors and how long they took together. The callbacks share the Owner's
/// one session, so their flashes overwrite each other: each is judged by its answer (a 303,
/// not an error page) and all of them by what is stored — every user's grant and 3 accounts,
/// no duplicate.
async fn many_connects(database_url: &str, users: usize) -> anyhow::Result<(usize, Duration)> {
    let world = scenario(users, 2);
    let app = Arc::new(start(database_url, &world).await?);
    let mut callbacks = Vec::with_capacity(users);
    for user in &world.users {
        let pages: Vec<String> = user.roles.iter().map(|r| r.page_id.clone()).collect();
        let dialog = app.press_connect().await?;
        callbacks.push(app.consent(&dialog, &user.id, &pages).await?);
    }
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(users);
    for callback in callbacks {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            match app.arrive(&callback).await {
                Ok((_, page)) if page.contains("Something went wrong") => Some(alert_of(&page)),
                Ok(_) => None,
                Err(err) => Some(format!("{err:#}")),
            }
        }));
    }
    let mut errors = 0;
    let mut first = None;
    for task in tasks {
        if let Some(problem) = task.await.unwrap_or_else(|_| Some("panicked".into())) {
            errors += 1;
            first.get_or_insert(problem);
        }
    }
    if let Some(problem) = first {
        eprintln!("first error of {errors}: {problem}");
    }
    let grants = count(&app.db, "grants").await?;
    let accounts = count(&app.db, "accounts").await?;
    if grants != users as i64 || accounts != 3 * users as i64 {
        eprintln!("stored {grants} grants and {accounts} accounts for {users} users");
        errors += users.saturating_sub(grants.max(0) as usize).max(1);
    }
    let elapsed = started.elapsed();
    match Arc::try_unwrap(app) {
        Ok(app) => app.stop().await?,
        Err(_) => anyhow::bail!("the app is still shared"),
    }
    Ok((errors, elapsed))
}

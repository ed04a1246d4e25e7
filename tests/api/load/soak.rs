//! The soak: the real binary under a moderate, steady mix — pages read, people signing in and
//! out, Meta connections renewed — for `SOAK_MINUTES` (30 by default), its resident memory and
//! open file descriptors (sockets: the database pool and HTTP connections) sampled from
//! `/proc` every ten seconds. Flat means the last third of the run holds no more than the first
//! third of it (after a warm-up) plus a margin for the allocator.

use crate::connect::{consent_at, start_at, Consent, ALEX};
use crate::connections::owner_app;
use crate::crash::stopped;
use crate::helpers::{new_client, post_form_to, OWNER_EMAIL, OWNER_PASSWORD};
use crate::process::{serve, Server};
use reqwest::header::ACCEPT;
use reqwest::Client;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SAMPLE_EVERY: Duration = Duration::from_secs(10);
const PAGES: [&str; 4] = [
    "/accounts",
    "/settings/integrations",
    "/posts",
    "/accounts?q=acme",
];

#[derive(Default)]
struct Tally {
    requests: AtomicU64,
    errors: AtomicU64,
}

impl Tally {
    fn count(&self, ok: bool) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        if !ok {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// One sample of the process: resident memory (KiB), open descriptors, of them sockets.
#[derive(Debug, Clone, Copy)]
struct Sample {
    rss_kb: u64,
    fds: u64,
    sockets: u64,
}

fn sample(pid: u32) -> Sample {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rss_kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0);
    let (mut fds, mut sockets) = (0, 0);
    for entry in std::fs::read_dir(format!("/proc/{pid}/fd"))
        .into_iter()
        .flatten()
        .flatten()
    {
        fds += 1;
        let target = std::fs::read_link(entry.path()).unwrap_or_default();
        sockets += u64::from(target.to_string_lossy().starts_with("socket:"));
    }
    Sample {
        rss_kb,
        fds,
        sockets,
    }
}

fn median(mut values: Vec<u64>) -> u64 {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or(0)
}

#[tokio::test]
#[ignore = "load: scripts/load runs it (SOAK_MINUTES, 30 by default)"]
async fn a_soak_at_moderate_load_keeps_memory_and_open_connections_flat() {
    let minutes: u64 = std::env::var("SOAK_MINUTES")
        .ok()
        .and_then(|m| m.parse().ok())
        .filter(|m| (1..=240).contains(m))
        .unwrap_or(30);
    let app = owner_app().await;
    crate::connections::connect_alex(&app, &["1111", "2222"]).await;
    let (url, dir, owner) = stopped(app).await;
    let server = serve(&url, dir.path(), &[]).await;
    let deadline = Instant::now() + Duration::from_secs(minutes * 60);
    let tally = Arc::new(Tally::default());

    let mut load = Vec::new();
    for reader in 0..4 {
        let (address, client, tally) = (server.address.clone(), owner.clone(), tally.clone());
        load.push(tokio::spawn(async move {
            let mut n = reader;
            while Instant::now() < deadline {
                let url = format!("{address}{}", PAGES[n % PAGES.len()]);
                let answer = client.get(url).header(ACCEPT, "text/html").send().await;
                tally.count(answer.is_ok_and(|r| r.status() == 200));
                n += 1;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }));
    }
    load.push(tokio::spawn(sign_ins(
        server.address.clone(),
        tally.clone(),
        deadline,
    )));
    load.push(tokio::spawn(connects(
        server.address.clone(),
        owner.clone(),
        tally.clone(),
        deadline,
    )));

    let samples = watch(&server, deadline).await;
    for task in load {
        task.await.unwrap();
    }
    let requests = tally.requests.load(Ordering::Relaxed);
    let errors = tally.errors.load(Ordering::Relaxed);
    server.stop().await;
    judge(minutes, requests, errors, &samples);
}

/// People signing in and out, each with a fresh browser, every second.
async fn sign_ins(address: String, tally: Arc<Tally>, deadline: Instant) {
    let form = [
        ("email", OWNER_EMAIL),
        ("password", OWNER_PASSWORD),
        ("next", ""),
    ];
    while Instant::now() < deadline {
        let browser = new_client();
        let signed_in = post_form_to(&address, &browser, "/api/login", "/login", &form).await;
        tally.count(signed_in.is_ok_and(|r| r.status().is_redirection()));
        let out = post_form_to(&address, &browser, "/api/logout", "/accounts", &[]).await;
        tally.count(out.is_ok_and(|r| r.status().is_redirection()));
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Alex's Pages connected again (renewed) every ten seconds: the whole OAuth flow and the
/// calls to the sandbox.
async fn connects(address: String, owner: Client, tally: Arc<Tally>, deadline: Instant) {
    while Instant::now() < deadline {
        let dialog = start_at(&address, &owner).await;
        let callback = consent_at(&address, &dialog, &Consent::all(ALEX, &["1111", "2222"])).await;
        let arrived = owner
            .get(&callback)
            .header(ACCEPT, "text/html")
            .send()
            .await;
        tally.count(arrived.is_ok_and(|r| r.status() == 303));
        tokio::time::sleep(Duration::from_secs(10)).await;
    }
}

async fn watch(server: &Server, deadline: Instant) -> Vec<Sample> {
    let mut samples = Vec::new();
    while Instant::now() < deadline {
        samples.push(sample(server.pid()));
        tokio::time::sleep(SAMPLE_EVERY).await;
    }
    samples
}

fn judge(minutes: u64, requests: u64, errors: u64, samples: &[Sample]) {
    // The first tenth (at least one sample) is warm-up: pools fill, caches settle.
    let warm = &samples[(samples.len() / 10).max(1)..];
    let third = (warm.len() / 3).max(1);
    let (first, last) = (&warm[..third], &warm[warm.len() - third..]);
    let rss = |s: &[Sample]| median(s.iter().map(|s| s.rss_kb).collect()) / 1024;
    let sockets = |s: &[Sample]| s.iter().map(|s| s.sockets).max().unwrap_or(0);
    let fds = |s: &[Sample]| s.iter().map(|s| s.fds).max().unwrap_or(0);
    println!(
        "soak: {minutes} min, {requests} requests, {errors} errors; RSS {} MB → {} MB (max {} MB); sockets {} → {}; descriptors {} → {}; {} samples",
        rss(first),
        rss(last),
        warm.iter().map(|s| s.rss_kb).max().unwrap_or(0) / 1024,
        sockets(first),
        sockets(last),
        fds(first),
        fds(last),
        samples.len()
    );
    assert_eq!(errors, 0, "every request answered as expected");
    assert!(rss(last) <= rss(first) * 6 / 5 + 5, "memory stays flat");
    assert!(
        sockets(last) <= sockets(first) + 4,
        "no connection left open"
    );
    assert!(fds(last) <= fds(first) + 4, "no descriptor left open");
}

//! `bench context`: the costs every figure rests on, with no target of their own — sealing and
//! opening a token (envelope encryption: a fresh data key, two AES-256-GCM operations each way)
//! and hashing a password with the app's argon2 settings — single-threaded, in this process.

use crate::summary;
use anyhow::Context;
use std::time::{Duration, Instant};
use switchboard::server::auth::password::Passwords;
use switchboard::server::crypto::{Aad, Keyring, MasterKey};

/// Envelope operations timed (each way).
const SEALS: u32 = 20_000;
/// Password hashes timed.
const HASHES: u32 = 10;

pub async fn run() -> anyhow::Result<()> {
    let keyring = Keyring::new(MasterKey::generate(), Vec::new());
    let aad = Aad::new("accounts", 42, 7, "facebook", "access_token");
    // A Page token's length.
    let token = "EAAG".to_owned() + &"x".repeat(200);

    let started = Instant::now();
    let mut sealed = Vec::with_capacity(SEALS as usize);
    for _ in 0..SEALS {
        sealed.push(
            keyring
                .seal(token.as_bytes(), &aad)
                .context("seal failed")?,
        );
    }
    let seal = started.elapsed();
    let started = Instant::now();
    for one in &sealed {
        keyring.open(one, &aad).context("open failed")?;
    }
    let open = started.elapsed();

    let passwords = Passwords::new();
    let started = Instant::now();
    for n in 0..HASHES {
        passwords
            .hash(&format!("benchmark password {n}"))
            .await
            .map_err(|err| anyhow::anyhow!(err.message()))?;
    }
    let hash = started.elapsed() / HASHES;
    for (figure, measured) in [
        (
            "seal a token (one thread)",
            format!("{:.0} /s", rate(SEALS, seal)),
        ),
        (
            "open a token (one thread)",
            format!("{:.0} /s", rate(SEALS, open)),
        ),
        (
            "argon2 password hash",
            format!("{:.0} ms", hash.as_secs_f64() * 1000.0),
        ),
    ] {
        summary::record("context", figure, "—", measured, None);
    }

    println!("| figure | value |");
    println!("|---|---:|");
    println!(
        "| seal a token (envelope, one thread) | {:.0} /s |",
        rate(SEALS, seal)
    );
    println!(
        "| open a token (envelope, one thread) | {:.0} /s |",
        rate(SEALS, open)
    );
    println!(
        "| argon2 password hash | {:.0} ms |",
        hash.as_secs_f64() * 1000.0
    );
    Ok(())
}

fn rate(count: u32, elapsed: Duration) -> f64 {
    f64::from(count) / elapsed.as_secs_f64().max(1e-9)
}

//! Password hashing with argon2id (OWASP minimum m=19456 KiB, t=2, p=1). Each hash runs on a
//! thread of its own at a lower CPU priority than the pages, at most half the cores at a time,
//! so a burst of sign-ins can't starve the async runtime or the pages, nor exhaust memory (each
//! hash holds 19 MiB). At most sixteen more wait their turn; beyond that a request is told at
//! once that sign-in is busy, so a flood can't build a queue that makes everyone else's
//! sign-in slow.

use crate::error::AppError;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::{OnceCell, Semaphore};

const MEMORY_KIB: u32 = 19_456;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;
const QUEUED_HASHES: usize = 16;

/// Hashes running at once: half the machine's cores, at least one. A sign-in storm (wrong
/// passwords from many addresses, each hashed until the account's own limit stops them) then
/// leaves the other half to the pages (README → Benchmarks, sign-in under attack).
fn concurrent_hashes() -> usize {
    std::thread::available_parallelism()
        .map(|cores| cores.get() / 2)
        .unwrap_or(1)
        .max(1)
}

fn argon2() -> Result<Argon2<'static>, AppError> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .map_err(|err| AppError::internal("argon2 params", err))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The outcome of checking a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verified {
    No,
    /// Correct; `rehash` when the stored hash used weaker parameters than today's.
    Yes {
        rehash: bool,
    },
}

#[derive(Clone)]
pub struct Passwords {
    /// Hashes running now.
    permits: Arc<Semaphore>,
    /// Hashes running or waiting: the queue's bound.
    admitted: Arc<Semaphore>,
    /// How many passwords have been verified (for tests and, later, metrics).
    verifications: Arc<AtomicU64>,
    /// A hash of a random password, verified against when the email is unknown so both
    /// answers take the same time.
    dummy: Arc<OnceCell<String>>,
}

impl Default for Passwords {
    fn default() -> Self {
        Self::new()
    }
}

impl Passwords {
    pub fn new() -> Self {
        Self::with_limits(concurrent_hashes(), QUEUED_HASHES)
    }

    /// `running` hashes at a time, `queued` more waiting.
    pub fn with_limits(running: usize, queued: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(running)),
            admitted: Arc::new(Semaphore::new(running.saturating_add(queued))),
            verifications: Arc::new(AtomicU64::new(0)),
            dummy: Arc::new(OnceCell::new()),
        }
    }

    /// How many password checks have run the hash so far.
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }

    /// Hashes a new password into a PHC string.
    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let secret = SecretString::from(password.to_owned());
        self.blocking(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2()?
                .hash_password(secret.expose_secret().as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|err| AppError::internal("argon2 hash", err))
        })
        .await
    }

    /// Checks `password` against `stored`, or against a dummy hash when there is no account,
    /// so an unknown email costs the same as a wrong password.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<Verified, AppError> {
        let known = stored.is_some();
        let stored = match stored {
            Some(hash) => hash.to_owned(),
            None => self.dummy_hash().await?,
        };
        let secret = SecretString::from(password.to_owned());
        let counter = self.verifications.clone();
        let verified = self
            .blocking(move || {
                counter.fetch_add(1, Ordering::Relaxed);
                let parsed = PasswordHash::new(&stored)
                    .map_err(|err| AppError::internal("stored password hash", err))?;
                if argon2()?
                    .verify_password(secret.expose_secret().as_bytes(), &parsed)
                    .is_err()
                {
                    return Ok(Verified::No);
                }
                Ok(Verified::Yes {
                    rehash: is_weaker_than_today(&parsed),
                })
            })
            .await?;
        Ok(if known { verified } else { Verified::No })
    }

    async fn dummy_hash(&self) -> Result<String, AppError> {
        self.dummy
            .get_or_try_init(|| async {
                let random: [u8; 16] = rand::random();
                self.hash(&hex::encode(random)).await
            })
            .await
            .cloned()
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        // Refused at once, not queued, when the queue is full.
        let _admitted = self.admitted.try_acquire().map_err(|_| AppError::Busy)?;
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|err| AppError::internal("hash permits", err))?;
        // A thread of its own, not the shared blocking pool: its priority is lowered for the
        // hash alone, and can't be raised back without privileges.
        let (done, result) = tokio::sync::oneshot::channel();
        std::thread::Builder::new()
            .name("password-hash".into())
            .spawn(move || {
                lower_this_threads_priority();
                let _ = done.send(work());
            })
            .map_err(|err| AppError::internal("hash thread", err))?;
        result
            .await
            .map_err(|err| AppError::internal("hash thread", err))?
    }
}

/// How much lower than the pages a hash runs: Linux gives a nice-10 thread about a tenth of a
/// nice-0 thread's share of a busy core, so a sign-in storm's hashes take the CPU the pages
/// leave, not half of it (README → Benchmarks, sign-in under attack). A sign-in alone, on an
/// idle machine, is as fast as before.
const HASH_NICENESS: i32 = 10;

/// Lowers the calling thread's priority by [`HASH_NICENESS`] (on Linux, nice is per thread).
/// Best effort: where that is forbidden the hash runs at the caller's priority.
#[cfg(target_os = "linux")]
fn lower_this_threads_priority() {
    use rustix::process::{getpriority_process, setpriority_process};
    let this = Some(rustix::thread::gettid());
    if let Ok(now) = getpriority_process(this) {
        let _ = setpriority_process(this, now.saturating_add(HASH_NICENESS).min(19));
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_this_threads_priority() {}

fn is_weaker_than_today(hash: &PasswordHash<'_>) -> bool {
    if hash.algorithm.as_str() != "argon2id" {
        return true;
    }
    match Params::try_from(hash) {
        Ok(params) => {
            params.m_cost() < MEMORY_KIB
                || params.t_cost() < ITERATIONS
                || params.p_cost() < PARALLELISM
        }
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_half_the_cores_hash_at_once_and_never_none() {
        let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
        assert_eq!(concurrent_hashes(), (cores / 2).max(1));
    }

    /// The pages keep the CPU under a sign-in storm because hashes yield it: each runs at nice
    /// 10 above the caller, on its own thread, and the caller's priority is left alone.
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn a_hash_runs_at_a_lower_priority_than_the_thread_that_asked_for_it() {
        use rustix::process::getpriority_process;
        use rustix::thread::gettid;
        let caller = getpriority_process(Some(gettid())).unwrap();
        let passwords = Passwords::new();
        let (name, inside) = passwords
            .blocking(|| {
                let name = std::thread::current().name().map(str::to_owned);
                let nice = getpriority_process(Some(gettid()))
                    .map_err(|err| AppError::internal("getpriority", err))?;
                Ok((name, nice))
            })
            .await
            .unwrap();
        assert_eq!(name.as_deref(), Some("password-hash"));
        assert_eq!(inside, (caller + HASH_NICENESS).min(19));
        assert_eq!(getpriority_process(Some(gettid())).unwrap(), caller);
    }

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let passwords = Passwords::new();
        let hash = passwords.hash("correct horse battery").await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_eq!(
            passwords
                .verify("correct horse battery", Some(&hash))
                .await
                .unwrap(),
            Verified::Yes { rehash: false }
        );
        assert_eq!(
            passwords.verify("wrong horse", Some(&hash)).await.unwrap(),
            Verified::No
        );
    }

    #[tokio::test]
    async fn beyond_the_queue_a_check_is_refused_at_once_without_hashing() {
        let passwords = Passwords::with_limits(1, 2);
        let hash = passwords.hash("correct horse battery").await.unwrap();
        let checks = (0..10).map(|_| passwords.verify("wrong horse", Some(&hash)));
        let outcomes = futures_util::future::join_all(checks).await;
        let busy = outcomes
            .iter()
            .filter(|o| matches!(o, Err(AppError::Busy)))
            .count();
        assert_eq!((busy, passwords.verifications()), (7, 3), "{outcomes:?}");
        // Once the queue drains, checks run again.
        assert_eq!(
            passwords.verify("wrong horse", Some(&hash)).await.unwrap(),
            Verified::No
        );
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        let passwords = Passwords::new();
        assert_eq!(
            passwords.verify("anything at all", None).await.unwrap(),
            Verified::No
        );
    }

    #[tokio::test]
    async fn hashes_with_weaker_parameters_ask_for_a_rehash() {
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8192, 1, 1, None).unwrap(),
        );
        let salt = SaltString::generate(&mut OsRng);
        let hash = weak
            .hash_password(b"old password", &salt)
            .unwrap()
            .to_string();
        assert_eq!(
            Passwords::new()
                .verify("old password", Some(&hash))
                .await
                .unwrap(),
            Verified::Yes { rehash: true }
        );
    }
}

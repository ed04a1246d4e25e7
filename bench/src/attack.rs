//! The sign-in attack of `bench accounts` (the performance issue's P5): wrong passwords for
//! the Owner's account at a steady rate, each from its own client address (the app trusts
//! 127.0.0.1 as a proxy, so `X-Forwarded-For` names the client), while wrk loads the accounts
//! page. Distinct addresses are the hard case: no per-address key stops them, only the
//! account's own limit does, so the first hundred attempts in the window do reach the hasher.

use reqwest::header::{ORIGIN, REFERER};
use reqwest::Client;
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::task::JoinSet;

/// What the attack sent and what came back.
#[derive(Debug, Default)]
pub struct Attack {
    pub attempts: u64,
    /// Responses by status code (0: no response).
    pub statuses: BTreeMap<u16, u64>,
}

impl Attack {
    /// "500 attempts: 303 × 100, 429 × 400".
    pub fn summary(&self) -> String {
        let statuses: Vec<String> = self
            .statuses
            .iter()
            .map(|(status, n)| match status {
                0 => format!("no answer × {n}"),
                _ => format!("{status} × {n}"),
            })
            .collect();
        format!("{} attempts: {}", self.attempts, statuses.join(", "))
    }
}

/// Sends `rate` wrong-password attempts a second for `duration`, each on its own schedule (a
/// slow answer doesn't delay the next attempt), and waits for every answer.
pub async fn run(base: &str, email: &str, rate: u32, duration: Duration) -> Attack {
    let mut attack = Attack::default();
    let Ok(client) = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
    else {
        return attack;
    };
    let total = u64::from(rate) * duration.as_secs();
    let mut ticks = tokio::time::interval(Duration::from_secs(1) / rate.max(1));
    let mut answers = JoinSet::new();
    for n in 0..total {
        ticks.tick().await;
        let request = client
            .post(format!("{base}/api/login"))
            .header(ORIGIN, base)
            .header(REFERER, format!("{base}/login"))
            .header("X-Forwarded-For", address(n))
            .form(&[("email", email), ("password", "not the password, attempt")]);
        answers.spawn(async move {
            match request.send().await {
                Ok(response) => response.status().as_u16(),
                Err(_) => 0,
            }
        });
        attack.attempts += 1;
    }
    while let Some(status) = answers.join_next().await {
        *attack.statuses.entry(status.unwrap_or(0)).or_default() += 1;
    }
    attack
}

/// A distinct documentation address (RFC 5737 and 198.18/15) per attempt.
fn address(n: u64) -> String {
    let n = n % 65_536;
    format!("198.18.{}.{}", n / 256, n % 256)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_attempt_comes_from_its_own_address() {
        assert_eq!(address(0), "198.18.0.0");
        assert_eq!(address(257), "198.18.1.1");
        assert_ne!(address(10), address(11));
    }

    #[test]
    fn the_summary_counts_each_answer() {
        let attack = Attack {
            attempts: 3,
            statuses: BTreeMap::from([(303, 2), (0, 1)]),
        };
        assert_eq!(attack.summary(), "3 attempts: no answer × 1, 303 × 2");
    }
}

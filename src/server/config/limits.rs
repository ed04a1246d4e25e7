//! The figures the accounts list, the token job and publishing count against:
//! `SWITCHBOARD_IG_DAILY_LIMIT` and `SWITCHBOARD_THREADS_DAILY_LIMIT` (posts per account in any
//! rolling 24 hours, until Meta reports its own) and `SWITCHBOARD_REFRESH_WINDOW` (a token expiring within it is "expiring
//! soon"; the maintenance sweep renews within it). Each is bounded.

use super::meta::parse_duration;
use super::ConfigError;
use std::time::Duration;

pub const DEFAULT_IG_DAILY_LIMIT: u32 = 25;
pub const DEFAULT_THREADS_DAILY_LIMIT: u32 = 250;
pub const DEFAULT_REFRESH_WINDOW: Duration = Duration::from_secs(7 * 86_400);
pub const DEFAULT_REFRESH_INTERVAL: Duration = Duration::from_secs(6 * 3600);
/// A sweep more often than every minute would only repeat the last one; one less often than
/// weekly would let 60-day tokens slip past a 7-day window.
const MIN_REFRESH_INTERVAL: Duration = Duration::from_secs(60);
const MAX_REFRESH_INTERVAL: Duration = Duration::from_secs(7 * 86_400);
/// Instagram's documented limit has been 25, later 50 and 100; 1,000 leaves room for any.
const MAX_IG_DAILY_LIMIT: u32 = 1000;
/// Threads documents 250; 10,000 leaves room.
const MAX_THREADS_DAILY_LIMIT: u32 = 10_000;
/// Long-lived tokens live 60 days: a window longer than that would call every token expiring.
const MAX_REFRESH_WINDOW: Duration = Duration::from_secs(60 * 86_400);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub instagram_daily: u32,
    pub threads_daily: u32,
    pub refresh_window: Duration,
    /// `SWITCHBOARD_REFRESH_INTERVAL`: how often the maintenance sweep runs.
    pub refresh_interval: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            instagram_daily: DEFAULT_IG_DAILY_LIMIT,
            threads_daily: DEFAULT_THREADS_DAILY_LIMIT,
            refresh_window: DEFAULT_REFRESH_WINDOW,
            refresh_interval: DEFAULT_REFRESH_INTERVAL,
        }
    }
}

impl Limits {
    pub fn from_lookup(get: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let count = |name: &str, default: u32, max: u32| match get(name) {
            None => Ok(default),
            Some(raw) => raw
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| {
                    ConfigError(format!("{name} must be a whole number from 1 to {max}"))
                }),
        };
        let instagram_daily = count(
            "SWITCHBOARD_IG_DAILY_LIMIT",
            DEFAULT_IG_DAILY_LIMIT,
            MAX_IG_DAILY_LIMIT,
        )?;
        let threads_daily = count(
            "SWITCHBOARD_THREADS_DAILY_LIMIT",
            DEFAULT_THREADS_DAILY_LIMIT,
            MAX_THREADS_DAILY_LIMIT,
        )?;
        let refresh_window = match get("SWITCHBOARD_REFRESH_WINDOW") {
            None => DEFAULT_REFRESH_WINDOW,
            Some(raw) => parse_duration(&raw)
                .filter(|window| *window <= MAX_REFRESH_WINDOW)
                .ok_or_else(|| {
                    ConfigError(
                        "SWITCHBOARD_REFRESH_WINDOW must be a duration up to 60d, like 7d or 36h"
                            .into(),
                    )
                })?,
        };
        let refresh_interval = match get("SWITCHBOARD_REFRESH_INTERVAL") {
            None => DEFAULT_REFRESH_INTERVAL,
            Some(raw) => parse_duration(&raw)
                .filter(|every| (MIN_REFRESH_INTERVAL..=MAX_REFRESH_INTERVAL).contains(every))
                .ok_or_else(|| {
                    ConfigError(
                        "SWITCHBOARD_REFRESH_INTERVAL must be a duration from 1m to 7d, like 6h"
                            .into(),
                    )
                })?,
        };
        Ok(Self {
            instagram_daily,
            threads_daily,
            refresh_window,
            refresh_interval,
        })
    }

    /// The window in whole seconds, for comparisons with stored unix times.
    pub fn refresh_window_seconds(&self) -> i64 {
        i64::try_from(self.refresh_window.as_secs()).unwrap_or(i64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn limits(vars: &[(&str, &str)]) -> Result<Limits, ConfigError> {
        let vars: HashMap<&str, &str> = vars.iter().copied().collect();
        Limits::from_lookup(&|name| vars.get(name).map(|v| v.to_string()))
    }

    #[test]
    fn the_limits_default_to_25_posts_and_seven_days() {
        assert_eq!(limits(&[]).unwrap(), Limits::default());
        assert_eq!(Limits::default().refresh_window_seconds(), 7 * 86_400);
    }

    #[test]
    fn the_limits_are_bounded() {
        assert_eq!(
            limits(&[("SWITCHBOARD_IG_DAILY_LIMIT", "50")])
                .unwrap()
                .instagram_daily,
            50
        );
        for bad in ["0", "-1", "1001", "lots"] {
            assert!(
                limits(&[("SWITCHBOARD_IG_DAILY_LIMIT", bad)]).is_err(),
                "{bad}"
            );
        }
        assert_eq!(Limits::default().threads_daily, 250);
        assert_eq!(
            limits(&[("SWITCHBOARD_THREADS_DAILY_LIMIT", "300")])
                .unwrap()
                .threads_daily,
            300
        );
        for bad in ["0", "10001", "many"] {
            assert!(
                limits(&[("SWITCHBOARD_THREADS_DAILY_LIMIT", bad)]).is_err(),
                "{bad}"
            );
        }
        assert_eq!(
            limits(&[("SWITCHBOARD_REFRESH_WINDOW", "36h")])
                .unwrap()
                .refresh_window,
            Duration::from_secs(36 * 3600)
        );
        for bad in ["61d", "soon", "0s"] {
            assert!(
                limits(&[("SWITCHBOARD_REFRESH_WINDOW", bad)]).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_sweep_runs_every_six_hours_unless_told_otherwise_within_a_minute_and_a_week() {
        assert_eq!(
            Limits::default().refresh_interval,
            Duration::from_secs(6 * 3600)
        );
        assert_eq!(
            limits(&[("SWITCHBOARD_REFRESH_INTERVAL", "15m")])
                .unwrap()
                .refresh_interval,
            Duration::from_secs(900)
        );
        for bad in ["10s", "8d", "often"] {
            assert!(
                limits(&[("SWITCHBOARD_REFRESH_INTERVAL", bad)]).is_err(),
                "{bad}"
            );
        }
    }
}

//! Injected time. Expiry, throttling windows and session lifetimes read the clock from the app
//! state, so tests move time instead of sleeping (and in sandbox mode the sandbox's clock offset
//! moves the app's clock: `server/sandbox_mode.rs`).

use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicI64, Ordering};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;

    /// Unix seconds, the unit stored in the database.
    fn unix(&self) -> i64 {
        self.now().timestamp()
    }
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The real clock plus an adjustable offset.
#[derive(Debug, Default)]
pub struct OffsetClock {
    offset_seconds: AtomicI64,
}

impl OffsetClock {
    pub fn advance(&self, by: chrono::Duration) {
        self.offset_seconds
            .fetch_add(by.num_seconds(), Ordering::SeqCst);
    }

    pub fn offset_seconds(&self) -> i64 {
        self.offset_seconds.load(Ordering::SeqCst)
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<Utc> {
        let now = Utc::now();
        chrono::TimeDelta::try_seconds(self.offset_seconds())
            .and_then(|offset| now.checked_add_signed(offset))
            .unwrap_or(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_clock_moves_forward_by_what_it_is_told() {
        let clock = OffsetClock::default();
        let before = clock.unix();
        clock.advance(chrono::Duration::hours(2));
        let after = clock.unix();
        assert!((after - before - 7200).abs() <= 1);
    }
}

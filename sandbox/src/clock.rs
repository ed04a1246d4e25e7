//! The time the sandbox starts from. The app passes its own clock in (so a test that moves the
//! app's base clock moves the sandbox's too); the sandbox adds its own offset on top
//! ([`crate::Sandbox::now`]).

/// A source of unix seconds.
pub trait Clock: Send + Sync + 'static {
    fn unix(&self) -> i64;
}

/// The real clock, for a sandbox served on its own.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn unix(&self) -> i64 {
        chrono::Utc::now().timestamp()
    }
}

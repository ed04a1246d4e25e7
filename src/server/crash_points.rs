//! Crash points for the crash tests (`tests/api/crash/`, docs/hardening.md #29):
//! `SWITCHBOARD_CRASH_AT=<step>` makes the process abort when it reaches that step, the way
//! `kill -9` would stop it there — no destructor runs, no transaction is rolled back by us, no
//! log line is flushed by us. A test then restarts the server and checks what it finds.
//!
//! A crash point is only armed in sandbox mode (the configuration refuses the variable
//! otherwise), so no deployment talking to real Meta can be stopped by it. Unarmed, a crash
//! point is one relaxed load.

use std::sync::OnceLock;

/// The steps a crash test can stop the process at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrashStep {
    /// Connecting: every row of the grant and its accounts written, not yet committed.
    ConnectBeforeCommit,
    /// Connecting: committed, the person not yet answered.
    ConnectAfterCommit,
    /// The sweep: renewed tokens written, not yet committed.
    RefreshBeforeCommit,
    /// Disconnecting: accounts cleared and the revocation recorded, not yet committed.
    DisconnectBeforeCommit,
    /// Disconnecting: committed, the person not yet answered and the relay not yet woken.
    DisconnectAfterCommit,
    /// The revocation relay: Meta has confirmed the revocation, not yet recorded.
    RelayAfterSend,
    /// Key rotation: the first batch committed, the rest not yet started.
    RotationAfterBatch,
}

impl CrashStep {
    pub const ALL: [CrashStep; 7] = [
        CrashStep::ConnectBeforeCommit,
        CrashStep::ConnectAfterCommit,
        CrashStep::RefreshBeforeCommit,
        CrashStep::DisconnectBeforeCommit,
        CrashStep::DisconnectAfterCommit,
        CrashStep::RelayAfterSend,
        CrashStep::RotationAfterBatch,
    ];

    /// The name `SWITCHBOARD_CRASH_AT` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            CrashStep::ConnectBeforeCommit => "connect.before_commit",
            CrashStep::ConnectAfterCommit => "connect.after_commit",
            CrashStep::RefreshBeforeCommit => "refresh.before_commit",
            CrashStep::DisconnectBeforeCommit => "disconnect.before_commit",
            CrashStep::DisconnectAfterCommit => "disconnect.after_commit",
            CrashStep::RelayAfterSend => "relay.after_send",
            CrashStep::RotationAfterBatch => "rotation.after_batch",
        }
    }

    /// The step named `name`, or the one-line reason it names none.
    pub fn parse(name: &str) -> Result<Self, String> {
        let name = name.trim();
        Self::ALL
            .into_iter()
            .find(|step| step.as_str() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|s| s.as_str()).collect();
                format!(
                    "SWITCHBOARD_CRASH_AT {name:?} names no crash point: expected one of {}",
                    known.join(", ")
                )
            })
    }
}

static ARMED: OnceLock<CrashStep> = OnceLock::new();

/// Arms `step` for the rest of the process's life (the binary does, from its configuration).
pub fn arm(step: CrashStep) {
    if ARMED.set(step).is_ok() {
        tracing::warn!(
            step = step.as_str(),
            "crash point armed: the process will abort there"
        );
    }
}

/// Aborts the process if `step` is the armed crash point.
pub fn reached(step: CrashStep) {
    if ARMED.get() == Some(&step) {
        eprintln!(
            "switchboard: crash point {} reached, aborting",
            step.as_str()
        );
        std::process::abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_parses_back_from_its_name() {
        for step in CrashStep::ALL {
            assert_eq!(CrashStep::parse(step.as_str()), Ok(step));
        }
    }

    #[test]
    fn an_unknown_step_is_refused_with_the_list_of_known_ones() {
        let err = CrashStep::parse("connect.somewhere").unwrap_err();
        assert!(
            err.contains("\"connect.somewhere\" names no crash point"),
            "{err}"
        );
        assert!(err.contains("rotation.after_batch"), "{err}");
    }
}

//! What a rotation tells the operator at the end.

use super::Written;
use std::collections::BTreeMap;
use std::fmt;

/// The end of a rotation: what was done, and whether any previous key is still needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The fingerprint everything was re-wrapped under.
    pub current: String,
    pub totals: Written,
    /// Previous keys (by fingerprint) still wrapping this many stored tokens.
    pub still_used: BTreeMap<String, u64>,
    /// Previous keys no row uses any more, whose key checks were removed by this run.
    pub retired: Vec<String>,
}

impl Report {
    /// True when no stored token needs a previous key: they can all be removed from
    /// `SWITCHBOARD_PREVIOUS_MASTER_KEYS`.
    pub fn complete(&self) -> bool {
        self.still_used.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Written {
            rewrapped,
            changed,
            unreadable,
        } = self.totals;
        writeln!(
            f,
            "Re-wrapped {rewrapped} stored tokens under master key {}; {changed} changed meanwhile and were left as they are; {unreadable} could not be read.",
            self.current
        )?;
        for fingerprint in &self.retired {
            writeln!(
                f,
                "Master key {fingerprint} is no longer used and was retired."
            )?;
        }
        if self.complete() {
            write!(
                f,
                "No previous key is in use: remove them from SWITCHBOARD_PREVIOUS_MASTER_KEYS."
            )
        } else {
            for (fingerprint, count) in &self.still_used {
                writeln!(
                    f,
                    "Master key {fingerprint} still wraps {count} stored tokens: keep it in SWITCHBOARD_PREVIOUS_MASTER_KEYS and run the rotation again."
                )?;
            }
            write!(f, "The rotation is not complete.")
        }
    }
}

//! What a callback brings (`CallbackQuery`, read by hand so a doubled `state` is seen) and how
//! a connection fails (`Failure`). The steps themselves are `finish`.

use crate::error::AppError;

/// The callback's query, as Meta sends it (unknown parameters ignored). Every `state` value is
/// kept, so that a repeated one can be consumed rather than skipped.
#[derive(Default)]
pub struct CallbackQuery {
    pub states: Vec<String>,
    pub code: Option<String>,
    pub error: Option<String>,
    pub error_reason: Option<String>,
    /// Not a query Meta sends: `code`, `error` or `error_reason` came more than once, more
    /// than [`MAX_STATES`] states came, or a value was longer than [`MAX_VALUE_LEN`]. The
    /// callback then fails as `state_invalid`, spending whatever live state it brought.
    pub malformed: bool,
}

/// At most this many `state` values are looked up (and consumed) from one callback.
const MAX_STATES: usize = 8;

/// The longest value kept. Meta's codes and states are a few hundred bytes; anything longer is
/// refused, and never kept, so it can't reach a log line or the token endpoint.
pub const MAX_VALUE_LEN: usize = 2048;

impl CallbackQuery {
    /// Reads a raw query string; never fails (what can't be read counts as missing).
    pub fn parse(raw: &str) -> Self {
        let mut query = Self::default();
        for (key, value) in url::form_urlencoded::parse(raw.as_bytes()) {
            // `None`: a state, of which several are kept.
            let slot = match key.as_ref() {
                "state" => None,
                "code" => Some(&mut query.code),
                "error" => Some(&mut query.error),
                "error_reason" => Some(&mut query.error_reason),
                _ => continue,
            };
            if value.len() > MAX_VALUE_LEN {
                query.malformed = true;
                continue;
            }
            match slot {
                None if query.states.len() < MAX_STATES => query.states.push(value.into_owned()),
                None => query.malformed = true,
                Some(slot) => {
                    if slot.is_some() {
                        query.malformed = true;
                    }
                    *slot = Some(value.into_owned());
                }
            }
        }
        query
    }
}

/// The code is a credential: `Debug` says only whether there is one.
impl std::fmt::Debug for CallbackQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackQuery")
            .field("states", &self.states.len())
            .field("code", &self.code.as_ref().map(|_| "[REDACTED]"))
            .field("error", &self.error)
            .field("error_reason", &self.error_reason)
            .field("malformed", &self.malformed)
            .finish()
    }
}

/// A failed connection: the error, and the names its message gives — the Pages of
/// `page_role_insufficient`; the Instagram username and its Page of `already_connected`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub error: AppError,
    pub pages: Vec<String>,
}

impl Failure {
    /// The message naming names, which travels in the flash (never the URL).
    pub fn named_message(&self) -> Option<String> {
        match (&self.error, self.pages.as_slice()) {
            (AppError::PageRoleInsufficient, pages) => Some(AppError::page_role_message(pages)),
            (AppError::AlreadyConnected, [username, page]) => {
                Some(AppError::already_connected_message(username, page))
            }
            _ => None,
        }
    }
}

impl From<AppError> for Failure {
    fn from(error: AppError) -> Self {
        Self {
            error,
            pages: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_is_kept_and_a_doubled_parameter_is_noticed() {
        let query = CallbackQuery::parse("state=a&code=c&state=b");
        assert_eq!(query.states, ["a", "b"]);
        assert!(!query.malformed);
        assert!(CallbackQuery::parse("state=a&code=c&code=d").malformed);
        let many = "state=x&".repeat(20);
        assert_eq!(CallbackQuery::parse(&many).states.len(), MAX_STATES);
    }

    #[test]
    fn the_code_never_prints() {
        let query = CallbackQuery::parse("state=s&code=AQB-sentinel-code");
        assert!(!format!("{query:?}").contains("sentinel"));
    }
}

#[cfg(test)]
#[path = "callback_proptests.rs"]
mod proptests;

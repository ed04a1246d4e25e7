//! The keys Switchboard keeps in a session, and its lifetimes.

/// The signed-in user's id (i64).
pub const USER_ID: &str = "uid";
/// The workspace the user is looking at (i64).
pub const WORKSPACE_ID: &str = "wid";
/// Unix seconds of sign-in, for the absolute lifetime.
pub const SIGNED_IN_AT: &str = "signed_in_at";
/// Unix seconds of the last time this session's expiry was pushed back.
pub const LAST_SEEN: &str = "last_seen";
/// The workspace and role this session's id was issued for (`"{workspace}:{role}"`); when
/// they differ, the id is rotated.
pub const PRIVILEGE: &str = "privilege";
/// A one-shot message shown on the next page.
pub const FLASH: &str = "flash";

/// A session unused for this long ends (tower-sessions' inactivity expiry).
pub const IDLE_TIMEOUT_DAYS: i64 = 3;
/// A session ends this long after sign-in, however active it is.
pub const ABSOLUTE_TIMEOUT_DAYS: i64 = 30;
/// A session's idle expiry is pushed back at most this often, so reading pages doesn't write
/// to the database on every request.
pub const TOUCH_INTERVAL_SECONDS: i64 = 3600;

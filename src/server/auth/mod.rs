//! Who is asking: passwords, sessions, sign-in throttling and the signed-in user of a request.

pub mod current;
pub mod device;
pub mod password;
pub mod session_keys;
pub mod session_store;
pub mod throttle;

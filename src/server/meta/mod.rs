//! Talking to Meta: one HTTP client with timeouts, capped reads and classified errors; the
//! Facebook Login and Graph client; `appsecret_proof`; signed requests (shared with the
//! sandbox, which plays the other side).

pub mod error;
pub mod facebook;
pub mod http;
pub mod proof;
pub mod signed_request;

pub use error::MetaError;

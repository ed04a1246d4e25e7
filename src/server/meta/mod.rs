//! Talking to Meta: one HTTP client with timeouts, capped reads and classified errors (`http`),
//! which passes every call through the shared backoff (`usage` reads the headers, `backoff` is
//! the data, `gate` applies it); the OAuth mechanics every product shares (`oauth`); Graph
//! calls with proofs and paging (`graph`); one module per product (`facebook`, `instagram`,
//! `threads`); publishing (`publishing`);
//! `appsecret_proof`; signed requests. The Meta sandbox plays the other side with its own code,
//! never this.

pub mod backoff;
pub mod error;
pub mod facebook;
pub mod gate;
pub mod graph;
pub mod http;
pub mod instagram;
pub mod lenient;
pub mod oauth;
pub mod proof;
pub mod publishing;
pub mod signed_request;
pub mod threads;
pub mod token_check;
pub mod usage;

pub use error::MetaError;

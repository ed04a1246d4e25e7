//! The security review's findings (sign-in, sessions, the callback, the sandbox), each stated
//! as an outcome an attacker could check: what got through, what was written, what leaked.

mod at_rest;
mod callback_edges;
mod control_api;
mod doors;
mod ended_sessions;
mod https;
mod last_owner;
mod malformed;
mod markup;
mod pages;
mod provider_errors;
mod return_to;
mod rotation;
mod sandbox_bounds;
mod secret_scan;
mod sentinels;
mod throttle;

//! Talking to Meta: the pieces of its protocols that both the app and the sandbox need.

pub mod signed_request;

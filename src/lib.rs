//! Switchboard: a self-hosted "connected accounts" system for social-media teams.
//!
//! `app` (Leptos views, server-rendered) → `api` (server functions) → `server::services` →
//! (`server::entities`, …). `domain` holds the parse-don't-validate types all of them share;
//! `error` the one error type and its message table.

pub mod api;
pub mod app;
pub mod cli;
pub mod domain;
pub mod error;
pub mod server;

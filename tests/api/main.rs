//! Switchboard's integration tests: one binary, one `spawn_app()` per test, each over a fresh
//! database (SQLite file, or a fresh PostgreSQL database when `TEST_DATABASE_URL` is set),
//! driven over real HTTP like a browser would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;
mod seeding;

mod account;
mod accounts_list;
mod actions;
mod activity;
mod architecture;
mod cli;
mod connect;
mod connections;
mod crash;
mod health;
mod hygiene;
mod integrations_list;
mod key_rotation;
mod keys;
mod load;
mod login;
mod logs;
mod maintenance;
mod members;
mod metrics;
mod migrations;
mod outage;
mod process;
mod publishing;
mod roles;
mod sandbox;
mod sandbox_crate;
mod security;
mod sessions;
mod setup;
mod webhooks;
mod workspaces;

//! The command line (docs/interfaces.md → "Binary and CLI"): `serve` (default), `migrate`,
//! `refresh --once`, `keys rotate`, `user create`, `user set-password`.

use crate::domain::{EmailAddress, NewPassword, PersonName, Role, WorkspaceName};
use crate::server::auth::password::Passwords;
use crate::server::clock::{Clock, SystemClock};
use crate::server::config::Config;
use crate::server::crypto::{self, vault::Vault};
use crate::server::db;
use crate::server::services::directory;
use crate::server::services::operator::{self, CreateUser, Created};
use crate::server::startup::Application;
use crate::server::{key_checks, key_rotation};
use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use std::io::BufRead;
use std::sync::Arc;

#[derive(Debug, Parser)]
#[command(
    name = "switchboard",
    version,
    about = "Self-hosted connected accounts for social-media teams"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run migrations, then serve the app (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Token maintenance: `refresh --once` runs one sweep now and prints what it did.
    Refresh {
        /// Run one sweep and exit (the server runs one every SWITCHBOARD_REFRESH_INTERVAL).
        #[arg(long)]
        once: bool,
    },
    /// Master keys: `rotate` re-wraps every stored token's data key under the current key.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Re-wrap every data key under SWITCHBOARD_MASTER_KEY, reading the old ones with
    /// SWITCHBOARD_PREVIOUS_MASTER_KEYS. Safe while the app runs; run it again to resume.
    Rotate {
        /// Rows re-wrapped per transaction (1 to 10000).
        #[arg(long, default_value_t = key_rotation::DEFAULT_BATCH_SIZE,
              value_parser = clap::value_parser!(u64).range(1..=key_rotation::MAX_BATCH_SIZE))]
        batch_size: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user in a workspace (created if missing); an existing email is added to it with
    /// that role, password unchanged. The password is read from stdin or --password-env.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        workspace: String,
        /// owner, admin, manager or member.
        #[arg(long)]
        role: Role,
        /// Read the password from this environment variable instead of stdin.
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
    },
    /// Set a user's password (stdin or --password-env) and end all their sessions.
    SetPassword {
        #[arg(long)]
        email: String,
        /// Read the password from this environment variable instead of stdin.
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
    },
}

/// Runs a parsed command line. Errors come back for `main` to print as one line.
pub async fn run(cli: Cli, config: Config) -> anyhow::Result<()> {
    if let Some(step) = config.crash_at {
        crate::server::crash_points::arm(step);
    }
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(config, Arc::new(SystemClock)).await?;
            app.run_until_stopped(shutdown_signal()).await
        }
        Command::Migrate => {
            let database = db::connect(&config.database_url).await?;
            db::migrate(&database, config.sandbox).await?;
            println!("Migrations applied.");
            Ok(())
        }
        Command::Refresh { once } => {
            if !once {
                bail!("the server runs the sweep by itself; `refresh --once` runs one now");
            }
            let state =
                crate::server::startup::command_state(&config, Arc::new(SystemClock)).await?;
            let report = crate::server::jobs::maintenance::run_once(&state)
                .await
                .context("the sweep could not read its work")?;
            println!("{report}");
            Ok(())
        }
        Command::Keys {
            command: KeysCommand::Rotate { batch_size },
        } => rotate_keys(&config, batch_size).await,
        Command::User { command } => run_user(command, config).await,
    }
}

/// `keys rotate`: checks the keys as a start does (a missing previous key is named), then
/// re-wraps in batches, printing progress, and ends with which previous keys are still in use.
async fn rotate_keys(config: &Config, batch_size: u64) -> anyhow::Result<()> {
    let database = db::connect(&config.database_url).await?;
    db::migrate(&database, config.sandbox).await?;
    let keyring = crypto::setup::load_keys(&config.keys)?;
    key_checks::check_keys(&database, &keyring, SystemClock.unix()).await?;
    let vault = Vault::new(keyring);
    let rotation = key_rotation::Rotation::new(database, vault, batch_size);
    let remaining = rotation
        .remaining()
        .await
        .context("cannot count the stored tokens")?;
    for (table, count) in &remaining {
        println!("{table}: {count} stored tokens under a previous key");
    }
    let mut done: std::collections::BTreeMap<&str, u64> = Default::default();
    let report = rotation
        .run(|table, written| {
            let count = done.entry(table).or_default();
            *count += written.rewrapped + written.changed + written.unreadable;
            println!(
                "{table}: {count}/{} done",
                remaining.get(table).copied().unwrap_or_default()
            );
        })
        .await
        .context("the rotation stopped (run it again to resume)")?;
    println!("{report}");
    Ok(())
}

async fn run_user(command: UserCommand, config: Config) -> anyhow::Result<()> {
    let database = db::connect(&config.database_url).await?;
    db::migrate(&database, config.sandbox).await?;
    let passwords = Passwords::new();
    let now = SystemClock.unix();
    match command {
        UserCommand::Create {
            email,
            name,
            workspace,
            role,
            password_env,
        } => {
            let email = EmailAddress::parse(&email).map_err(user_error)?;
            let name = PersonName::parse(&name).map_err(user_error)?;
            let workspace = WorkspaceName::parse(&workspace).map_err(user_error)?;
            let password = match directory::find_by_email(&database, &email)
                .await
                .map_err(user_error)?
            {
                Some(_) => None,
                None => Some(
                    NewPassword::parse(&read_password(password_env.as_deref())?)
                        .map_err(user_error)?,
                ),
            };
            let outcome = operator::create(
                &database,
                &passwords,
                now,
                CreateUser {
                    email: &email,
                    name: &name,
                    workspace: &workspace,
                    role,
                    password: password.as_ref(),
                },
            )
            .await
            .map_err(user_error)?;
            let ws = workspace.as_str();
            let role = role.label();
            match outcome {
                Created::NewUser { workspace_created } => println!(
                    "Created {email} as {role} of {ws}{}.",
                    if workspace_created {
                        " (new workspace)"
                    } else {
                        ""
                    }
                ),
                Created::ExistingUserAdded { workspace_created } => println!(
                    "Added existing user {email} to {ws}{} as {role}; password unchanged.",
                    if workspace_created {
                        " (new workspace)"
                    } else {
                        ""
                    }
                ),
                Created::ExistingMemberRoleSet => {
                    println!("{email} is now {role} of {ws}; password unchanged.")
                }
            }
            Ok(())
        }
        UserCommand::SetPassword {
            email,
            password_env,
        } => {
            let email = EmailAddress::parse(&email).map_err(user_error)?;
            let password =
                NewPassword::parse(&read_password(password_env.as_deref())?).map_err(user_error)?;
            if !operator::set_password(&database, &passwords, now, &email, &password)
                .await
                .map_err(user_error)?
            {
                bail!("no user with email {email}");
            }
            println!("Password set for {email}; their sessions have ended.");
            Ok(())
        }
    }
}

fn user_error(err: impl Into<crate::error::AppError>) -> anyhow::Error {
    let err: crate::error::AppError = err.into();
    anyhow::anyhow!(err.message())
}

/// The password from `--password-env VAR`, or the first line of stdin.
fn read_password(env_var: Option<&str>) -> anyhow::Result<String> {
    if let Some(var) = env_var {
        return std::env::var(var)
            .with_context(|| format!("environment variable {var} is not set"));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from stdin")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// Resolves on Ctrl-C or SIGTERM, starting a graceful shutdown.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}

//! `switchboard`: reads `.env` and the environment, then runs the CLI. Operator errors (bad
//! configuration, unreachable database) end with one line on stderr and a non-zero exit code,
//! never a panic.

use clap::Parser;
use switchboard::cli::{self, Cli};
use switchboard::server::config::Config;
use switchboard::server::telemetry;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    telemetry::init();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("switchboard: {err}");
            return std::process::ExitCode::from(2);
        }
    };
    match cli::run(cli, config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("switchboard: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

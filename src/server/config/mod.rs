//! Configuration from environment variables (and `.env`), validated at start so a bad value
//! stops the process with one clear line instead of failing later on a request. Split by
//! concern: the app's own addresses (`urls`), the Meta apps and hosts (`meta`), the master keys
//! (`keys`); every part reports errors as [`ConfigError`].

mod keys;
mod limits;
mod meta;
mod metrics;
mod proxies;
mod sandbox;
mod urls;

pub use keys::{KeySettings, MasterKeySource, DEFAULT_MASTER_KEY_FILE};
pub use limits::Limits;
pub use meta::{
    parse_duration, MetaApp, MetaSettings, SigningSecrets, DEFAULT_DIALOG_URL, DEFAULT_GRAPH_URL,
    DEFAULT_GRAPH_VERSION, DEFAULT_HTTP_TIMEOUT, DEFAULT_USAGE_THRESHOLD,
};
pub use metrics::MetricsToken;
pub use proxies::TrustedProxies;
pub use sandbox::BUILT_WITH_SANDBOX;
pub use urls::{DatabaseUrl, PublicUrl};

use crate::server::crash_points::CrashStep;
use std::net::SocketAddr;

/// A configuration problem, printed to the operator as one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// Where the app listens and how the outside world reaches it.
#[derive(Debug, Clone)]
pub struct Config {
    /// `LEPTOS_SITE_ADDR`; port 0 picks a free port (tests).
    pub site_addr: SocketAddr,
    /// `PUBLIC_URL`; `None` means "http://{the address actually bound}".
    pub public_url: Option<PublicUrl>,
    /// `DATABASE_URL`.
    pub database_url: DatabaseUrl,
    /// `SWITCHBOARD_SANDBOX`: mount the Meta sandbox at `/sandbox` and use it as Meta (only in a
    /// build with the `sandbox` feature).
    pub sandbox: bool,
    /// Meta's app, hosts, timeout and usage threshold.
    pub meta: MetaSettings,
    /// The master key and previous keys.
    pub keys: KeySettings,
    /// `SWITCHBOARD_TRUSTED_PROXIES`: peers whose forwarding headers name the client.
    pub trusted_proxies: TrustedProxies,
    /// `SWITCHBOARD_IG_DAILY_LIMIT`, `SWITCHBOARD_REFRESH_WINDOW`.
    pub limits: Limits,
    /// `SWITCHBOARD_METRICS_TOKEN`: the bearer token `/metrics` requires, when set.
    pub metrics_token: Option<MetricsToken>,
    /// `SWITCHBOARD_CRASH_AT`: the crash tests' step to abort at (sandbox mode only).
    pub crash_at: Option<CrashStep>,
}

/// The variables naming real Meta apps; any of them turns the sandbox off by default.
pub const REAL_APP_VARIABLES: [&str; 3] = ["META_APP_ID", "INSTAGRAM_APP_ID", "THREADS_APP_ID"];

pub const DEFAULT_SITE_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/switchboard.db?mode=rwc";

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup`, so tests can supply variables without touching
    /// the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let site_addr_raw = get("LEPTOS_SITE_ADDR").unwrap_or_else(|| DEFAULT_SITE_ADDR.into());
        let site_addr = site_addr_raw.trim().parse::<SocketAddr>().map_err(|_| {
            ConfigError(format!(
                "LEPTOS_SITE_ADDR {site_addr_raw:?} is not an address: expected host:port, like 127.0.0.1:3000"
            ))
        })?;
        let public_url = get("PUBLIC_URL")
            .map(|raw| PublicUrl::parse(&raw))
            .transpose()?;
        let database_url = DatabaseUrl::parse(
            &get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
        )?;
        let real_apps: Vec<&str> = REAL_APP_VARIABLES
            .into_iter()
            .filter(|name| get(name).is_some())
            .collect();
        let sandbox = sandbox::sandbox_mode(
            get("SWITCHBOARD_SANDBOX").as_deref(),
            &real_apps,
            BUILT_WITH_SANDBOX,
        )?;
        let meta = MetaSettings::from_lookup(&get)?;
        let keys = KeySettings::from_lookup(&get)?;
        let limits = Limits::from_lookup(&get)?;
        let trusted_proxies =
            TrustedProxies::parse(&get("SWITCHBOARD_TRUSTED_PROXIES").unwrap_or_default())
                .map_err(ConfigError)?;
        let metrics_token = get("SWITCHBOARD_METRICS_TOKEN")
            .map(|value| MetricsToken::parse(&value))
            .transpose()?;
        let crash_at = crash_at(get("SWITCHBOARD_CRASH_AT").as_deref(), sandbox)?;
        Ok(Self {
            site_addr,
            public_url,
            database_url,
            sandbox,
            meta,
            keys,
            trusted_proxies,
            limits,
            metrics_token,
            crash_at,
        })
    }
}

/// `SWITCHBOARD_CRASH_AT`, refused outside sandbox mode: only the crash tests may stop the
/// process on purpose, never a deployment on real Meta.
fn crash_at(raw: Option<&str>, sandbox: bool) -> Result<Option<CrashStep>, ConfigError> {
    let Some(raw) = raw else { return Ok(None) };
    if !sandbox {
        return Err(ConfigError(
            "SWITCHBOARD_CRASH_AT is for the crash tests and works only in sandbox mode: unset it"
                .to_owned(),
        ));
    }
    CrashStep::parse(raw).map(Some).map_err(ConfigError)
}

#[cfg(test)]
mod tests;

//! Configuration from environment variables (and `.env`), validated at start so a bad value
//! stops the process with one clear line instead of failing later on a request.

use super::http::client_ip::TrustedProxies;
use super::provider_config::{KeySettings, MetaSettings};
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
    /// `SWITCHBOARD_SANDBOX`: mount the Meta sandbox at `/sandbox` and use it as Meta.
    pub sandbox: bool,
    /// Meta's app, hosts, timeout and usage threshold.
    pub meta: MetaSettings,
    /// The master key and previous keys.
    pub keys: KeySettings,
    /// `SWITCHBOARD_TRUSTED_PROXIES`: peers whose forwarding headers name the client.
    pub trusted_proxies: TrustedProxies,
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
        let sandbox = match get("SWITCHBOARD_SANDBOX").as_deref().map(str::trim) {
            None => real_apps.is_empty(),
            Some("1" | "true") => {
                if !real_apps.is_empty() {
                    return Err(ConfigError(format!(
                        "SWITCHBOARD_SANDBOX=1 can't be combined with real Meta app credentials ({}): unset one or the other",
                        real_apps.join(", ")
                    )));
                }
                true
            }
            Some("0" | "false") => false,
            Some(other) => {
                return Err(ConfigError(format!(
                    "SWITCHBOARD_SANDBOX {other:?} must be 1 or 0"
                )));
            }
        };
        let meta = MetaSettings::from_lookup(&get)?;
        let keys = KeySettings::from_lookup(&get)?;
        let trusted_proxies =
            TrustedProxies::parse(&get("SWITCHBOARD_TRUSTED_PROXIES").unwrap_or_default())
                .map_err(ConfigError)?;
        Ok(Self {
            site_addr,
            public_url,
            database_url,
            sandbox,
            meta,
            keys,
            trusted_proxies,
        })
    }
}

/// The external base URL (`PUBLIC_URL`): an http(s) origin with an optional path prefix, no
/// query or fragment, stored without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    base: String,
    origin: String,
    authority: String,
    https: bool,
}

impl PublicUrl {
    pub fn parse(raw: &str) -> Result<Self, ConfigError> {
        let bad = |why: &str| ConfigError(format!("PUBLIC_URL {raw:?} is not usable: {why}"));
        let url = url::Url::parse(raw.trim())
            .map_err(|_| bad("expected a URL like https://switchboard.example.com"))?;
        let https = match url.scheme() {
            "https" => true,
            "http" => false,
            _ => return Err(bad("the scheme must be http or https")),
        };
        let host = url.host_str().ok_or_else(|| bad("it has no host"))?;
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("it must not have a query or fragment"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("it must not contain credentials"));
        }
        let authority = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        let origin = format!("{}://{authority}", url.scheme());
        let path = url.path().trim_end_matches('/');
        Ok(Self {
            base: format!("{origin}{path}"),
            origin,
            authority: authority.to_ascii_lowercase(),
            https,
        })
    }

    /// `http://{addr}` for a bound socket address.
    pub fn for_addr(addr: SocketAddr) -> Self {
        let origin = format!("http://{addr}");
        Self {
            base: origin.clone(),
            origin,
            authority: addr.to_string(),
            https: false,
        }
    }

    /// The base URL without a trailing slash; paths are appended to it.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `scheme://host[:port]`, as browsers send it in `Origin`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// `host[:port]` in lower case, as it must appear in the `Host` header.
    pub fn authority(&self) -> &str {
        &self.authority
    }

    pub fn is_https(&self) -> bool {
        self.https
    }

    /// An absolute URL for an app path such as `/oauth/meta/callback`.
    pub fn join(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
}

/// `DATABASE_URL`: SQLite (the default, a file created on first run) or PostgreSQL. `Debug`
/// hides a password in the URL.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(String),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, ConfigError> {
        let raw = raw.trim();
        if raw.starts_with("sqlite:") {
            Ok(Self::Sqlite(raw.to_owned()))
        } else if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            url::Url::parse(raw).map_err(|_| {
                ConfigError("DATABASE_URL is not a valid postgres:// URL".to_owned())
            })?;
            Ok(Self::Postgres(raw.to_owned()))
        } else {
            // The value may hold a password: name only its scheme.
            let scheme = raw.split(':').next().unwrap_or_default();
            Err(ConfigError(format!(
                "DATABASE_URL must start with sqlite:// or postgres:// (got scheme {scheme:?})"
            )))
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Sqlite(url) | Self::Postgres(url) => url,
        }
    }

    /// The URL with any password replaced by `[REDACTED]`, for logs and `Debug`.
    pub fn redacted(&self) -> String {
        match url::Url::parse(self.as_str()) {
            Ok(mut url) if url.password().is_some() => {
                let _ = url.set_password(Some("[REDACTED]"));
                url.to_string()
            }
            Ok(_) => self.as_str().to_owned(),
            Err(_) => "[unparsable URL]".to_owned(),
        }
    }

    /// The SQLite file's path, when the URL names one (not `:memory:`).
    pub fn sqlite_path(&self) -> Option<std::path::PathBuf> {
        let Self::Sqlite(url) = self else { return None };
        let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
        let path = rest.split('?').next().unwrap_or_default();
        (!path.is_empty() && path != ":memory:").then(|| std::path::PathBuf::from(path))
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            Self::Sqlite(_) => "Sqlite",
            Self::Postgres(_) => "Postgres",
        };
        f.debug_tuple(kind).field(&self.redacted()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn a_password_in_the_database_url_never_prints() {
        let url =
            DatabaseUrl::parse("postgres://app:s3ntinel-pw@db.internal:5432/switchboard").unwrap();
        let config = config(&[("DATABASE_URL", url.as_str())]).unwrap();
        for printed in [format!("{url:?}"), format!("{config:?}"), url.redacted()] {
            assert!(!printed.contains("s3ntinel-pw"), "{printed}");
            assert!(printed.contains("db.internal"), "{printed}");
        }
    }

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_serve_sqlite_on_localhost_3000() {
        let config = config(&[]).unwrap();
        assert_eq!(config.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.database_url.as_str(), DEFAULT_DATABASE_URL);
        assert_eq!(
            config.database_url.sqlite_path().unwrap(),
            std::path::PathBuf::from("data/switchboard.db")
        );
        assert!(config.public_url.is_none());
    }

    #[test]
    fn a_bad_site_address_is_one_clear_line() {
        let err = config(&[("LEPTOS_SITE_ADDR", "localhost")]).unwrap_err();
        assert!(err
            .0
            .starts_with("LEPTOS_SITE_ADDR \"localhost\" is not an address"));
        assert!(!err.0.contains('\n'));
    }

    #[test]
    fn a_bad_database_url_names_the_accepted_schemes_without_echoing_secrets() {
        let err = config(&[("DATABASE_URL", "mysql://root:hunter2@db/x")]).unwrap_err();
        assert!(err.0.contains("sqlite:// or postgres://"));
        assert!(!err.0.contains("hunter2"));
    }

    #[test]
    fn public_url_keeps_origin_authority_and_path_prefix() {
        let url = PublicUrl::parse("https://Switch.Example.com:8443/app/").unwrap();
        assert_eq!(url.origin(), "https://switch.example.com:8443");
        assert_eq!(url.authority(), "switch.example.com:8443");
        assert_eq!(
            url.join("/login"),
            "https://switch.example.com:8443/app/login"
        );
        assert!(url.is_https());
    }

    #[test]
    fn public_url_refuses_other_schemes_and_queries() {
        assert!(PublicUrl::parse("ftp://example.com").is_err());
        assert!(PublicUrl::parse("https://example.com/?a=b").is_err());
        assert!(PublicUrl::parse("not a url").is_err());
    }

    #[test]
    fn the_sandbox_is_on_by_default_and_off_with_a_real_app() {
        assert!(config(&[]).unwrap().sandbox);
        assert!(
            !config(&[("META_APP_ID", "123"), ("META_APP_SECRET", "s")])
                .unwrap()
                .sandbox
        );
        assert!(!config(&[("SWITCHBOARD_SANDBOX", "0")]).unwrap().sandbox);
    }

    #[test]
    fn the_sandbox_refuses_to_start_beside_real_credentials() {
        let err = config(&[("SWITCHBOARD_SANDBOX", "1"), ("THREADS_APP_ID", "42")]).unwrap_err();
        assert!(err
            .0
            .contains("can't be combined with real Meta app credentials (THREADS_APP_ID)"));
        assert!(config(&[("SWITCHBOARD_SANDBOX", "maybe")]).is_err());
    }

    #[test]
    fn postgres_urls_are_accepted() {
        let config = config(&[("DATABASE_URL", "postgres://root@127.0.0.1:5432/test")]).unwrap();
        assert!(matches!(config.database_url, DatabaseUrl::Postgres(_)));
        assert!(config.database_url.sqlite_path().is_none());
    }
}

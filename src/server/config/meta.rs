//! The outside world Switchboard talks to (docs/interfaces.md): the Facebook Login, Instagram
//! Login and Threads apps (each its own id and secret: Meta refuses one product's app id for
//! another), the Graph version, every product's hosts, the timeout every call to Meta has and
//! the usage threshold at which calls back off. Read with the rest of [`Config`](super::Config) at start.

use super::ConfigError;
use crate::domain::Provider;
use secrecy::SecretString;
use std::time::Duration;

pub const DEFAULT_GRAPH_VERSION: &str = "v25.0";
pub const DEFAULT_DIALOG_URL: &str = "https://www.facebook.com";
pub const DEFAULT_GRAPH_URL: &str = "https://graph.facebook.com";
pub const DEFAULT_INSTAGRAM_AUTH_URL: &str = "https://www.instagram.com";
pub const DEFAULT_INSTAGRAM_API_URL: &str = "https://api.instagram.com";
pub const DEFAULT_INSTAGRAM_GRAPH_URL: &str = "https://graph.instagram.com";
pub const DEFAULT_THREADS_AUTH_URL: &str = "https://threads.net";
pub const DEFAULT_THREADS_GRAPH_URL: &str = "https://graph.threads.net";
pub const DEFAULT_HTTP_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_USAGE_THRESHOLD: u8 = 90;

/// A real Meta app: Facebook Login (`META_APP_ID`, `META_APP_SECRET`), Instagram Login
/// (`INSTAGRAM_APP_ID`, `INSTAGRAM_APP_SECRET`) or Threads (`THREADS_APP_ID`, `THREADS_APP_SECRET`).
#[derive(Debug, Clone)]
pub struct MetaApp {
    pub app_id: String,
    /// `secrecy` keeps it out of `Debug` output.
    pub app_secret: SecretString,
}

/// Meta endpoints and limits. In sandbox mode the hosts are replaced by the sandbox's own
/// (`{PUBLIC_URL}/sandbox/…`) once the public URL is known.
#[derive(Debug, Clone)]
pub struct MetaSettings {
    pub facebook: Option<MetaApp>,
    pub instagram: Option<MetaApp>,
    pub threads: Option<MetaApp>,
    pub graph_version: String,
    pub dialog_url: String,
    pub graph_url: String,
    /// Instagram Login's dialog host (`INSTAGRAM_AUTH_URL`).
    pub instagram_auth_url: String,
    /// Instagram Login's code-exchange host (`INSTAGRAM_API_URL`).
    pub instagram_api_url: String,
    /// The Instagram Graph host (`INSTAGRAM_GRAPH_URL`).
    pub instagram_graph_url: String,
    /// Threads' dialog host (`THREADS_AUTH_URL`).
    pub threads_auth_url: String,
    /// The Threads Graph host (`THREADS_GRAPH_URL`).
    pub threads_graph_url: String,
    pub http_timeout: Duration,
    pub usage_threshold: u8,
}

/// Each product's app secret, which signs that product's deauthorize and data-deletion
/// callbacks (docs/meta-api.md §10). `None` for a product without an app: its webhooks answer
/// 404. `Debug` shows no secret.
#[derive(Debug, Clone, Default)]
pub struct SigningSecrets {
    facebook: Option<SecretString>,
    instagram: Option<SecretString>,
    threads: Option<SecretString>,
}

impl SigningSecrets {
    /// The secrets of the apps `meta` configures (in sandbox mode, the sandbox's).
    pub fn of(meta: &MetaSettings) -> Self {
        let secret = |app: &Option<MetaApp>| app.as_ref().map(|app| app.app_secret.clone());
        Self {
            facebook: secret(&meta.facebook),
            instagram: secret(&meta.instagram),
            threads: secret(&meta.threads),
        }
    }

    pub fn get(&self, provider: Provider) -> Option<&SecretString> {
        match provider {
            Provider::Facebook => self.facebook.as_ref(),
            Provider::Instagram => self.instagram.as_ref(),
            Provider::Threads => self.threads.as_ref(),
        }
    }
}

/// `10s`, `500ms`, `2m` or plain seconds.
pub fn parse_duration(raw: &str) -> Option<Duration> {
    let raw = raw.trim();
    let (number, unit) = match raw.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => raw.split_at(at),
        None => (raw, "s"),
    };
    let n: u64 = number.parse().ok()?;
    let duration = match unit.trim() {
        "ms" => Duration::from_millis(n),
        "s" => Duration::from_secs(n),
        "m" => Duration::from_secs(n.checked_mul(60)?),
        "h" => Duration::from_secs(n.checked_mul(3600)?),
        "d" => Duration::from_secs(n.checked_mul(86_400)?),
        _ => return None,
    };
    (!duration.is_zero()).then_some(duration)
}

/// An http(s) base URL without a trailing slash (a path prefix is allowed).
fn base_url(name: &str, raw: &str) -> Result<String, ConfigError> {
    let trimmed = raw.trim().trim_end_matches('/');
    match url::Url::parse(trimmed) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.query().is_none() => {
            Ok(trimmed.to_owned())
        }
        _ => Err(ConfigError(format!(
            "{name} must be an http(s) URL without a query, like https://graph.facebook.com"
        ))),
    }
}

/// One app's id and secret, both or neither; the id numeric.
fn app(
    get: &dyn Fn(&str) -> Option<String>,
    id_name: &str,
    secret_name: &str,
) -> Result<Option<MetaApp>, ConfigError> {
    match (get(id_name), get(secret_name)) {
        (Some(id), Some(secret)) => {
            if !id.trim().chars().all(|c| c.is_ascii_digit()) {
                return Err(ConfigError(format!("{id_name} must be the numeric App ID")));
            }
            Ok(Some(MetaApp {
                app_id: id.trim().to_owned(),
                app_secret: SecretString::from(secret.trim().to_owned()),
            }))
        }
        (Some(_), None) => Err(ConfigError(format!(
            "{secret_name} is required with {id_name}"
        ))),
        (None, Some(_)) => Err(ConfigError(format!(
            "{id_name} is required with {secret_name}"
        ))),
        (None, None) => Ok(None),
    }
}

/// A host variable, or its default.
fn host(
    get: &dyn Fn(&str) -> Option<String>,
    name: &str,
    default: &str,
) -> Result<String, ConfigError> {
    base_url(name, &get(name).unwrap_or_else(|| default.into()))
}

impl MetaSettings {
    pub fn from_lookup(get: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let facebook = app(get, "META_APP_ID", "META_APP_SECRET")?;
        let instagram = app(get, "INSTAGRAM_APP_ID", "INSTAGRAM_APP_SECRET")?;
        let threads = app(get, "THREADS_APP_ID", "THREADS_APP_SECRET")?;
        let graph_version = get("META_GRAPH_VERSION")
            .map(|v| v.trim().to_owned())
            .unwrap_or_else(|| DEFAULT_GRAPH_VERSION.into());
        let valid_version = graph_version
            .strip_prefix('v')
            .and_then(|rest| rest.split_once('.'))
            .is_some_and(|(major, minor)| {
                !major.is_empty()
                    && !minor.is_empty()
                    && major
                        .chars()
                        .chain(minor.chars())
                        .all(|c| c.is_ascii_digit())
            });
        if !valid_version {
            return Err(ConfigError(
                "META_GRAPH_VERSION must look like v25.0".into(),
            ));
        }
        let dialog_url = host(get, "META_DIALOG_URL", DEFAULT_DIALOG_URL)?;
        let graph_url = host(get, "META_GRAPH_URL", DEFAULT_GRAPH_URL)?;
        let http_timeout = match get("SWITCHBOARD_HTTP_TIMEOUT") {
            None => DEFAULT_HTTP_TIMEOUT,
            Some(raw) => parse_duration(&raw).ok_or_else(|| {
                ConfigError(
                    "SWITCHBOARD_HTTP_TIMEOUT must be a duration like 10s, 500ms or 2m".into(),
                )
            })?,
        };
        let usage_threshold = match get("SWITCHBOARD_META_USAGE_THRESHOLD") {
            None => DEFAULT_USAGE_THRESHOLD,
            Some(raw) => raw
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|n| (1..=100).contains(n))
                .ok_or_else(|| {
                    ConfigError(
                        "SWITCHBOARD_META_USAGE_THRESHOLD must be a percentage from 1 to 100"
                            .into(),
                    )
                })?,
        };
        Ok(Self {
            facebook,
            instagram,
            threads,
            graph_version,
            dialog_url,
            graph_url,
            instagram_auth_url: host(get, "INSTAGRAM_AUTH_URL", DEFAULT_INSTAGRAM_AUTH_URL)?,
            instagram_api_url: host(get, "INSTAGRAM_API_URL", DEFAULT_INSTAGRAM_API_URL)?,
            instagram_graph_url: host(get, "INSTAGRAM_GRAPH_URL", DEFAULT_INSTAGRAM_GRAPH_URL)?,
            threads_auth_url: host(get, "THREADS_AUTH_URL", DEFAULT_THREADS_AUTH_URL)?,
            threads_graph_url: host(get, "THREADS_GRAPH_URL", DEFAULT_THREADS_GRAPH_URL)?,
            http_timeout,
            usage_threshold,
        })
    }
}

//! The configuration of the outside world Switchboard talks to (interfaces.md): the Facebook
//! Login app, the Graph version and hosts, the timeout every call to Meta has, the usage
//! threshold at which calls back off, and where the master key comes from. Read with the rest
//! of [`Config`](super::config::Config) at start, so a bad value is one clear line.

use super::config::ConfigError;
use secrecy::SecretString;
use std::path::PathBuf;
use std::time::Duration;

pub const DEFAULT_GRAPH_VERSION: &str = "v25.0";
pub const DEFAULT_DIALOG_URL: &str = "https://www.facebook.com";
pub const DEFAULT_GRAPH_URL: &str = "https://graph.facebook.com";
pub const DEFAULT_HTTP_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_USAGE_THRESHOLD: u8 = 90;
pub const DEFAULT_MASTER_KEY_FILE: &str = "data/master.key";

/// A real Facebook Login app (`META_APP_ID`, `META_APP_SECRET`).
#[derive(Debug, Clone)]
pub struct FacebookApp {
    pub app_id: String,
    /// `secrecy` keeps it out of `Debug` output.
    pub app_secret: SecretString,
}

/// Meta endpoints and limits. In sandbox mode the hosts are replaced by the sandbox's own
/// (`{PUBLIC_URL}/sandbox/…`) once the public URL is known.
#[derive(Debug, Clone)]
pub struct MetaSettings {
    pub facebook: Option<FacebookApp>,
    pub graph_version: String,
    pub dialog_url: String,
    pub graph_url: String,
    pub http_timeout: Duration,
    pub usage_threshold: u8,
}

/// Where the master key comes from.
#[derive(Debug, Clone)]
pub enum MasterKeySource {
    /// `SWITCHBOARD_MASTER_KEY`: base64 of 32 bytes.
    Inline(SecretString),
    /// `SWITCHBOARD_MASTER_KEY_FILE`, or the default file; `create` only for the default (a
    /// missing explicit file is an operator error, not a reason to invent a key).
    File { path: PathBuf, create: bool },
}

/// The master key and the previous keys still accepted for decryption.
#[derive(Debug, Clone)]
pub struct KeySettings {
    pub master: MasterKeySource,
    pub previous: Vec<SecretString>,
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

impl MetaSettings {
    pub fn from_lookup(get: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let facebook = match (get("META_APP_ID"), get("META_APP_SECRET")) {
            (Some(id), Some(secret)) => {
                if !id.trim().chars().all(|c| c.is_ascii_digit()) {
                    return Err(ConfigError("META_APP_ID must be the numeric App ID".into()));
                }
                Some(FacebookApp {
                    app_id: id.trim().to_owned(),
                    app_secret: SecretString::from(secret.trim().to_owned()),
                })
            }
            (Some(_), None) => {
                return Err(ConfigError(
                    "META_APP_SECRET is required with META_APP_ID".into(),
                ))
            }
            (None, Some(_)) => {
                return Err(ConfigError(
                    "META_APP_ID is required with META_APP_SECRET".into(),
                ))
            }
            (None, None) => None,
        };
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
        let dialog_url = base_url(
            "META_DIALOG_URL",
            &get("META_DIALOG_URL").unwrap_or_else(|| DEFAULT_DIALOG_URL.into()),
        )?;
        let graph_url = base_url(
            "META_GRAPH_URL",
            &get("META_GRAPH_URL").unwrap_or_else(|| DEFAULT_GRAPH_URL.into()),
        )?;
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
            graph_version,
            dialog_url,
            graph_url,
            http_timeout,
            usage_threshold,
        })
    }
}

impl KeySettings {
    pub fn from_lookup(get: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let master = match (
            get("SWITCHBOARD_MASTER_KEY"),
            get("SWITCHBOARD_MASTER_KEY_FILE"),
        ) {
            (Some(_), Some(_)) => {
                return Err(ConfigError(
                    "set SWITCHBOARD_MASTER_KEY or SWITCHBOARD_MASTER_KEY_FILE, not both".into(),
                ))
            }
            (Some(key), None) => MasterKeySource::Inline(SecretString::from(key)),
            (None, Some(path)) => MasterKeySource::File {
                path: PathBuf::from(path.trim()),
                create: false,
            },
            (None, None) => MasterKeySource::File {
                path: PathBuf::from(DEFAULT_MASTER_KEY_FILE),
                create: true,
            },
        };
        let previous = get("SWITCHBOARD_PREVIOUS_MASTER_KEYS")
            .map(|list| {
                list.split(',')
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                    .map(|k| SecretString::from(k.to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self { master, previous })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn meta(vars: &[(&str, &str)]) -> Result<MetaSettings, ConfigError> {
        let vars: HashMap<&str, &str> = vars.iter().copied().collect();
        MetaSettings::from_lookup(&|name| vars.get(name).map(|v| v.to_string()))
    }

    #[test]
    fn durations_read_with_their_unit() {
        assert_eq!(parse_duration("10s"), Some(Duration::from_secs(10)));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("7d"), Some(Duration::from_secs(7 * 86_400)));
        assert_eq!(parse_duration("15"), Some(Duration::from_secs(15)));
        for bad in ["", "0s", "ten", "5 weeks", "-1s"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn meta_defaults_are_the_production_hosts() {
        let settings = meta(&[]).unwrap();
        assert!(settings.facebook.is_none());
        assert_eq!(settings.graph_version, "v25.0");
        assert_eq!(settings.graph_url, "https://graph.facebook.com");
        assert_eq!(settings.http_timeout, Duration::from_secs(10));
        assert_eq!(settings.usage_threshold, 90);
    }

    #[test]
    fn bad_meta_values_name_their_variable_and_never_echo_the_secret() {
        let err = meta(&[("META_APP_ID", "123")]).unwrap_err();
        assert!(err.0.contains("META_APP_SECRET"));
        let err = meta(&[("META_APP_ID", "abc"), ("META_APP_SECRET", "s3cr3t")]).unwrap_err();
        assert!(err.0.contains("META_APP_ID") && !err.0.contains("s3cr3t"));
        assert!(meta(&[("META_GRAPH_VERSION", "25")]).is_err());
        assert!(meta(&[("META_GRAPH_URL", "ftp://x")]).is_err());
        assert!(meta(&[("SWITCHBOARD_HTTP_TIMEOUT", "soon")]).is_err());
        assert!(meta(&[("SWITCHBOARD_META_USAGE_THRESHOLD", "101")]).is_err());
        let app = meta(&[("META_APP_ID", "123"), ("META_APP_SECRET", "s3cr3t")]).unwrap();
        assert!(!format!("{app:?}").contains("s3cr3t"));
    }

    #[test]
    fn the_key_file_is_created_only_when_no_key_is_configured() {
        let none = KeySettings::from_lookup(&|_| None).unwrap();
        assert!(matches!(
            none.master,
            MasterKeySource::File { create: true, .. }
        ));
        let file = KeySettings::from_lookup(&|name| {
            (name == "SWITCHBOARD_MASTER_KEY_FILE").then(|| "/etc/k".to_owned())
        })
        .unwrap();
        assert!(matches!(
            file.master,
            MasterKeySource::File { create: false, .. }
        ));
        let both = KeySettings::from_lookup(&|name| {
            name.starts_with("SWITCHBOARD_MASTER_KEY")
                .then(|| "x".to_owned())
        });
        assert!(both.is_err());
    }
}

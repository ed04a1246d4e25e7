//! The app's own addresses: `PUBLIC_URL` (what browsers and Meta see) and `DATABASE_URL`.

use super::ConfigError;
use std::net::SocketAddr;

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

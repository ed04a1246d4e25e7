//! Where the app the sandbox serves lives: its base URL (the dialogs redirect only to its
//! `/oauth/{provider}/callback`, signed requests go only to its `/webhooks/…`) and its origin
//! (the only one the control API accepts). The app passes the address in; the sandbox keeps
//! its own small type so it needs nothing of the app's configuration code.

/// The app's base URL, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppUrl {
    base: String,
    origin: String,
}

/// Why an address can't be the app's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppUrlError(pub String);

impl std::fmt::Display for AppUrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AppUrlError {}

impl AppUrl {
    /// An absolute `http` or `https` URL with a host and no query or fragment.
    pub fn parse(raw: &str) -> Result<Self, AppUrlError> {
        let url = url::Url::parse(raw.trim())
            .map_err(|err| AppUrlError(format!("the app's URL {raw:?} is not a URL: {err}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(AppUrlError(format!(
                "the app's URL {raw:?} must be http(s) with a host"
            )));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(AppUrlError(format!(
                "the app's URL {raw:?} must have no query or fragment"
            )));
        }
        Ok(Self {
            base: url.as_str().trim_end_matches('/').to_owned(),
            origin: url.origin().ascii_serialization(),
        })
    }

    /// `scheme://host[:port]`, as browsers send it in `Origin`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// An absolute URL for an app path such as `/oauth/meta/callback`.
    pub fn join(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_app_url_joins_paths_and_knows_its_origin() {
        let url = AppUrl::parse("https://switchboard.example/").unwrap();
        assert_eq!(
            url.join("/oauth/meta/callback"),
            "https://switchboard.example/oauth/meta/callback"
        );
        assert_eq!(url.origin(), "https://switchboard.example");
        let local = AppUrl::parse("http://127.0.0.1:3000").unwrap();
        assert_eq!(local.origin(), "http://127.0.0.1:3000");
    }

    #[test]
    fn an_app_url_must_be_http_with_a_host_and_no_query() {
        for raw in [
            "ftp://x.example",
            "not a url",
            "http://x.example/?a=1",
            "mailto:a@b.c",
        ] {
            assert!(AppUrl::parse(raw).is_err(), "{raw}");
        }
    }
}

//! Graph API calls (docs/meta-api.md §8–9, §15): URLs under one version, `appsecret_proof` on
//! every call made with a user or Page token, and cursor paging that never follows a URL from
//! an answer. A path that starts with an object id (`1111/feed`) names that object, so the
//! object's own backoff applies to it. The transport — timeouts, capped reads, the shared
//! backoff, error classification — is `MetaHttp`.

use super::error::MetaError;
use super::gate::UsageGate;
use super::http::MetaHttp;
use super::proof::appsecret_proof;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Edges are read 100 items at a time (Meta's maximum).
const PAGE_SIZE: &str = "100";
/// A bound on paging, so a misbehaving answer cannot loop forever (10,000 items).
const MAX_RESULT_PAGES: usize = 100;

/// One product's Graph host and version, and the app secret its proofs are keyed with.
#[derive(Clone)]
pub struct Graph {
    http: MetaHttp,
    /// `{graph_url}/{version}`.
    base: String,
    app_secret: SecretString,
}

/// The object a path names: its first segment when that is an id (digits), as in
/// `1111/feed` or `17841400000000001/media`; `me/accounts` and `debug_token` name none.
pub fn object_of(path: &str) -> Option<&str> {
    let first = path.trim_start_matches('/').split('/').next()?;
    (!first.is_empty() && first.len() <= 40 && first.chars().all(|c| c.is_ascii_digit()))
        .then_some(first)
}

#[derive(Deserialize)]
struct Listing<T> {
    data: Vec<T>,
    paging: Option<Paging>,
}

#[derive(Deserialize)]
struct Paging {
    cursors: Option<Cursors>,
    next: Option<String>,
}

#[derive(Deserialize)]
struct Cursors {
    after: Option<String>,
}

impl Graph {
    pub fn new(http: MetaHttp, graph_url: &str, version: &str, app_secret: SecretString) -> Self {
        Self {
            http,
            base: format!("{graph_url}/{version}"),
            app_secret,
        }
    }

    /// The backoff this product's calls respect.
    pub fn gate(&self) -> &UsageGate {
        self.http.gate()
    }

    /// These calls for work already admitted (see `UsageGate::admitted`).
    pub fn admitted(&self) -> Self {
        Self {
            http: self.http.admitted(),
            ..self.clone()
        }
    }

    /// Publishing calls as `token`'s holder, with its proof (`super::publishing`).
    pub fn publishing(&self, token: &SecretString) -> super::publishing::Target {
        let proof = appsecret_proof(self.app_secret.expose_secret(), token.expose_secret());
        super::publishing::Target::new(
            self.http.clone(),
            self.base.clone(),
            token.clone(),
            Some(proof),
        )
    }

    /// The absolute URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base, path.trim_start_matches('/'))
    }

    /// A GET with exactly these parameters (token exchanges, `debug_token`).
    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        params: &[(&str, &str)],
    ) -> Result<T, MetaError> {
        self.http
            .get_json_on(object_of(path), &self.url(path), params)
            .await
    }

    /// A DELETE with exactly these parameters, sent as a form body.
    pub async fn delete<T: DeserializeOwned>(
        &self,
        path: &str,
        params: &[(&str, &str)],
    ) -> Result<T, MetaError> {
        self.http
            .delete_form_json(object_of(path), &self.url(path), params)
            .await
    }

    /// A GET with a user (or Page) token and its `appsecret_proof`.
    pub async fn get_as<T: DeserializeOwned>(
        &self,
        token: &SecretString,
        path: &str,
        extra: &[(&str, &str)],
    ) -> Result<T, MetaError> {
        let proof = appsecret_proof(self.app_secret.expose_secret(), token.expose_secret());
        let mut params = vec![
            ("access_token", token.expose_secret()),
            ("appsecret_proof", proof.as_str()),
        ];
        params.extend_from_slice(extra);
        self.get(path, &params).await
    }

    /// Every item of a paginated edge, following the `after` cursor while Meta says there is
    /// a next page. The cursor is used rather than `paging.next`, so no URL from an answer is
    /// ever followed.
    pub async fn all<T: DeserializeOwned>(
        &self,
        token: &SecretString,
        path: &str,
        fields: &str,
    ) -> Result<Vec<T>, MetaError> {
        let mut items = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..MAX_RESULT_PAGES {
            let mut params = vec![("fields", fields), ("limit", PAGE_SIZE)];
            if let Some(cursor) = after.as_deref() {
                params.push(("after", cursor));
            }
            let page: Listing<T> = self.get_as(token, path, &params).await?;
            items.extend(page.data);
            let next = page.paging.and_then(|p| match p.next {
                Some(_) => p.cursors.and_then(|c| c.after),
                None => None,
            });
            match next {
                Some(cursor) => after = Some(cursor),
                None => return Ok(items),
            }
        }
        tracing::warn!("Meta kept paging past {MAX_RESULT_PAGES} result pages");
        Err(MetaError::Malformed)
    }
}

#[cfg(test)]
mod tests {
    use super::object_of;

    #[test]
    fn a_path_names_the_object_its_first_segment_is() {
        assert_eq!(object_of("1111/feed"), Some("1111"));
        assert_eq!(object_of("/17841400000000001"), Some("17841400000000001"));
        assert_eq!(object_of("me/accounts"), None);
        assert_eq!(object_of("debug_token"), None);
        assert_eq!(object_of("oauth/access_token"), None);
    }
}

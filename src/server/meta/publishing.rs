//! Publishing calls (docs/meta-api.md §11): a Page post or photo in one call; Instagram's and
//! Threads' media container, its status and the publish; and the 24-hour publishing quotas
//! (§9). A [`Target`] is one account's host, version and token — the Facebook Graph host (with
//! `appsecret_proof`) for Pages and the Instagram accounts linked to them, the Instagram Graph
//! host for direct accounts, the Threads host for profiles — built by each product's client.
//! Parameters travel as a form body, so the token stays out of URLs; the path's first segment
//! names the object whose own backoff applies.

use super::error::MetaError;
use super::http::MetaHttp;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// Which two-step API a container belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerApi {
    Instagram,
    Threads,
}

/// A media container's state, as Meta reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerStatus {
    InProgress,
    Finished,
    Published,
    /// `ERROR` or `EXPIRED`: it will never be published.
    Failed,
}

/// Meta's publishing quota for an account: used in the last 24 hours, and the total when Meta
/// reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub usage: u32,
    pub total: Option<u32>,
}

/// The largest quota believed (Meta documents 25, 50, 100 for Instagram and 250 for Threads).
const MAX_QUOTA: u32 = 10_000;

/// One account's host and token.
pub struct Target {
    http: MetaHttp,
    /// `{host}/{version}`.
    base: String,
    token: SecretString,
    /// `appsecret_proof` of the token (graph.facebook.com only).
    proof: Option<String>,
}

#[derive(Deserialize)]
struct Created {
    id: ObjectId,
    /// A photo's answer names the post it made.
    post_id: Option<ObjectId>,
}

/// An id of something published: digits, or a Page post's `{page-id}_{post-id}`; sent as a
/// string or a number.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ObjectId(String);

impl<'de> Deserialize<'de> for ObjectId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = super::lenient::string_or_number(deserializer)?;
        let shaped =
            !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_digit() || c == '_');
        if !shaped {
            return Err(serde::de::Error::custom("an id is digits and underscores"));
        }
        Ok(ObjectId(id))
    }
}

#[derive(Deserialize)]
struct StatusAnswer {
    status_code: Option<String>,
    status: Option<String>,
}

#[derive(Deserialize)]
struct QuotaAnswer {
    data: Vec<QuotaEntry>,
}

#[derive(Deserialize)]
struct QuotaEntry {
    quota_usage: i64,
    config: Option<QuotaConfig>,
}

#[derive(Deserialize)]
struct QuotaConfig {
    quota_total: i64,
}

impl Target {
    pub fn new(http: MetaHttp, base: String, token: SecretString, proof: Option<String>) -> Self {
        Self {
            http,
            base,
            token,
            proof,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.base)
    }

    fn params<'a>(&'a self, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut params = vec![("access_token", self.token.expose_secret())];
        if let Some(proof) = &self.proof {
            params.push(("appsecret_proof", proof.as_str()));
        }
        params.extend_from_slice(extra);
        params
    }

    async fn post(
        &self,
        object: &str,
        edge: &str,
        extra: &[(&str, &str)],
    ) -> Result<Created, MetaError> {
        let url = self.url(&format!("{object}/{edge}"));
        self.http
            .post_form_json_on(Some(object), &url, &self.params(extra))
            .await
    }

    /// A Page post (`feed`), or with an image a photo post (`photos`); answers the post's id.
    pub async fn page_post(
        &self,
        page_id: &str,
        message: &str,
        image_url: Option<&str>,
    ) -> Result<String, MetaError> {
        let created = match image_url {
            Some(url) => {
                self.post(page_id, "photos", &[("url", url), ("message", message)])
                    .await?
            }
            None => self.post(page_id, "feed", &[("message", message)]).await?,
        };
        Ok(created.post_id.unwrap_or(created.id).0)
    }

    /// A new media container for `owner`; answers its id.
    pub async fn create_container(
        &self,
        api: ContainerApi,
        owner: &str,
        text: &str,
        image_url: Option<&str>,
    ) -> Result<String, MetaError> {
        let created = match (api, image_url) {
            (ContainerApi::Instagram, Some(url)) => {
                self.post(owner, "media", &[("image_url", url), ("caption", text)])
                    .await?
            }
            // Instagram needs an image; the caller checked, and Meta would say so too.
            (ContainerApi::Instagram, None) => {
                self.post(owner, "media", &[("caption", text)]).await?
            }
            (ContainerApi::Threads, Some(url)) => {
                self.post(
                    owner,
                    "threads",
                    &[("media_type", "IMAGE"), ("image_url", url), ("text", text)],
                )
                .await?
            }
            (ContainerApi::Threads, None) => {
                self.post(owner, "threads", &[("media_type", "TEXT"), ("text", text)])
                    .await?
            }
        };
        Ok(created.id.0)
    }

    /// Where Meta is with a container.
    pub async fn container_status(
        &self,
        api: ContainerApi,
        container: &str,
    ) -> Result<ContainerStatus, MetaError> {
        let fields = match api {
            ContainerApi::Instagram => "status_code,status",
            ContainerApi::Threads => "status,error_message",
        };
        let params = self.params(&[("fields", fields)]);
        let answer: StatusAnswer = self
            .http
            .get_json_on(None, &self.url(container), &params)
            .await?;
        let code = match api {
            ContainerApi::Instagram => answer.status_code,
            ContainerApi::Threads => answer.status,
        };
        match code.as_deref().map(str::to_ascii_uppercase).as_deref() {
            Some("IN_PROGRESS") => Ok(ContainerStatus::InProgress),
            Some("FINISHED") => Ok(ContainerStatus::Finished),
            Some("PUBLISHED") => Ok(ContainerStatus::Published),
            Some("ERROR" | "EXPIRED") => Ok(ContainerStatus::Failed),
            _ => Err(MetaError::Malformed),
        }
    }

    /// Publishes a finished container; answers the media's id.
    pub async fn publish_container(
        &self,
        api: ContainerApi,
        owner: &str,
        container: &str,
    ) -> Result<String, MetaError> {
        let edge = match api {
            ContainerApi::Instagram => "media_publish",
            ContainerApi::Threads => "threads_publish",
        };
        Ok(self
            .post(owner, edge, &[("creation_id", container)])
            .await?
            .id
            .0)
    }

    /// The account's publishing quota (`content_publishing_limit`, `threads_publishing_limit`).
    pub async fn quota(&self, api: ContainerApi, owner: &str) -> Result<Quota, MetaError> {
        let edge = match api {
            ContainerApi::Instagram => "content_publishing_limit",
            ContainerApi::Threads => "threads_publishing_limit",
        };
        let params = self.params(&[("fields", "quota_usage,config")]);
        let answer: QuotaAnswer = self
            .http
            .get_json_on(Some(owner), &self.url(&format!("{owner}/{edge}")), &params)
            .await?;
        let entry = answer.data.into_iter().next().ok_or(MetaError::Malformed)?;
        let bounded = |n: i64| {
            u32::try_from(n)
                .ok()
                .filter(|n| *n <= MAX_QUOTA)
                .ok_or(MetaError::Malformed)
        };
        Ok(Quota {
            usage: bounded(entry.quota_usage)?,
            total: entry
                .config
                .map(|c| bounded(c.quota_total))
                .transpose()?
                .filter(|total| *total > 0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_ids_are_read_as_strings_or_numbers_and_nothing_else() {
        let read = |json: &str| serde_json::from_str::<Created>(json).map(|c| c.id.0);
        assert_eq!(read(r#"{"id":"1111_2222"}"#).unwrap(), "1111_2222");
        assert_eq!(
            read(r#"{"id":17900000000000001}"#).unwrap(),
            "17900000000000001"
        );
        assert!(read(r#"{"id":"<script>"}"#).is_err());
        assert!(read(r#"{"id":""}"#).is_err());
        let photo: Created = serde_json::from_str(r#"{"id":"1","post_id":"1111_3"}"#).unwrap();
        assert_eq!(photo.post_id.unwrap().0, "1111_3");
    }
}

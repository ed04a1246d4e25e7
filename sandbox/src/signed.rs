//! Signed requests (docs/meta-api.md §10): the sandbox produces deauthorize and data-deletion
//! callbacks for each product, signed with that product's own app secret — or forged, signed
//! with a secret nobody has — and delivers them to this app's own `/webhooks/…` paths only.

use super::Sandbox;
use crate::protocol::{sign_request, SignedPayload, SIGNED_REQUEST_ALGORITHM};
use sea_orm::DbErr;
use serde::{Deserialize, Serialize};

/// How long a data-deletion request says it is good for.
const DATA_DELETION_LIFETIME: i64 = 3600;

/// Which Meta product sends the callback (each signs with its own app secret).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Product {
    Facebook,
    Instagram,
    Threads,
}

impl Product {
    /// The provider segment of the app's webhook paths (`/webhooks/meta/…` for Facebook Login).
    pub fn webhook_segment(self) -> &'static str {
        match self {
            Product::Facebook => "meta",
            Product::Instagram => "instagram",
            Product::Threads => "threads",
        }
    }
}

/// Which callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Callback {
    Deauthorize,
    DataDeletion,
}

impl Callback {
    pub fn path_segment(self) -> &'static str {
        match self {
            Callback::Deauthorize => "deauthorize",
            Callback::DataDeletion => "data-deletion",
        }
    }
}

/// What the app answered to a delivered signed request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub url: String,
    pub status: u16,
    pub body: String,
}

/// Why a delivery did not happen.
#[derive(Debug)]
pub enum DeliveryError {
    Database(DbErr),
    /// The app could not be reached (or did not answer in time).
    Unreachable(String),
}

impl From<DbErr> for DeliveryError {
    fn from(err: DbErr) -> Self {
        Self::Database(err)
    }
}

impl Sandbox {
    /// A `signed_request` for `user_id` as `product` would send it; `forged` signs it with a
    /// random secret instead of the product's.
    pub async fn signed_request(
        &self,
        product: Product,
        callback: Callback,
        user_id: &str,
        forged: bool,
    ) -> Result<String, DbErr> {
        let apps = self.apps().await?;
        let secret = match (forged, product) {
            (true, _) => hex::encode(rand::random::<[u8; 16]>()),
            (false, Product::Facebook) => apps.facebook.app_secret,
            (false, Product::Instagram) => apps.instagram.app_secret,
            (false, Product::Threads) => apps.threads.app_secret,
        };
        let now = self.now().await?;
        let payload = SignedPayload {
            user_id: user_id.to_owned(),
            algorithm: SIGNED_REQUEST_ALGORITHM,
            issued_at: now,
            expires: (callback == Callback::DataDeletion)
                .then(|| now.saturating_add(DATA_DELETION_LIFETIME)),
        };
        Ok(sign_request(&secret, &payload))
    }

    /// The app's own webhook URL for `product` and `callback` — the only place deliveries go.
    pub fn webhook_url(&self, product: Product, callback: Callback) -> String {
        self.app_url.join(&format!(
            "/webhooks/{}/{}",
            product.webhook_segment(),
            callback.path_segment()
        ))
    }

    /// Signs and POSTs a callback to this app's webhook, as Meta would
    /// (`application/x-www-form-urlencoded`, `signed_request=…`).
    pub async fn deliver_signed_request(
        &self,
        product: Product,
        callback: Callback,
        user_id: &str,
        forged: bool,
    ) -> Result<Delivery, DeliveryError> {
        let signed = self
            .signed_request(product, callback, user_id, forged)
            .await?;
        let url = self.webhook_url(product, callback);
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| DeliveryError::Unreachable(e.to_string()))?;
        let response = client
            .post(&url)
            .form(&[("signed_request", signed)])
            .send()
            .await
            .map_err(|e| DeliveryError::Unreachable(e.without_url().to_string()))?;
        let status = response.status().as_u16();
        let body = response.text().await.unwrap_or_default();
        Ok(Delivery { url, status, body })
    }
}

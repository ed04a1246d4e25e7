//! One scrape of `/metrics`: this instance's counters, then the gauges read from the database
//! at that moment — accounts by platform and status, revocations pending, Meta backoffs in
//! force — which are the same whichever instance is asked.

use super::Metrics;
use crate::domain::{AccountStatus, Platform};
use crate::server::entities::{account, meta_backoff};
use crate::server::services::revocations;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AccountLabels {
    platform: &'static str,
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct BackoffLabels {
    /// `app` (a product's whole app) or `object` (one Page or account).
    scope: &'static str,
}

/// Why a scrape failed.
#[derive(Debug)]
pub enum ScrapeError {
    Database(DbErr),
    Encode,
}

impl From<DbErr> for ScrapeError {
    fn from(err: DbErr) -> Self {
        Self::Database(err)
    }
}

/// The whole exposition: counters, then the database's gauges.
pub async fn render(
    metrics: &Metrics,
    db: &impl ConnectionTrait,
    now: i64,
) -> Result<String, ScrapeError> {
    let gauges = database_gauges(db, now).await?;
    let mut out = String::new();
    metrics
        .encode_counters(&mut out)
        .map_err(|_| ScrapeError::Encode)?;
    prometheus_client::encoding::prometheus_text::encode(&mut out, &gauges)
        .map_err(|_| ScrapeError::Encode)?;
    Ok(out)
}

async fn database_gauges(db: &impl ConnectionTrait, now: i64) -> Result<Registry, DbErr> {
    let mut registry = Registry::with_prefix("switchboard");
    let accounts = Family::<AccountLabels, Gauge>::default();
    // Every platform and status appears, at 0 when there are none, so a dashboard's series
    // don't come and go.
    for platform in Platform::ALL {
        for status in AccountStatus::ALL {
            accounts
                .get_or_create(&AccountLabels {
                    platform: platform.as_str(),
                    status: status.as_str(),
                })
                .set(0);
        }
    }
    let counts: Vec<(String, String, i64)> = account::Entity::find()
        .select_only()
        .column(account::Column::Platform)
        .column(account::Column::Status)
        .column_as(account::Column::Id.count(), "n")
        .group_by(account::Column::Platform)
        .group_by(account::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    for (platform, status, count) in counts {
        let (Ok(platform), Ok(status)) = (
            platform.parse::<Platform>(),
            status.parse::<AccountStatus>(),
        ) else {
            continue;
        };
        accounts
            .get_or_create(&AccountLabels {
                platform: platform.as_str(),
                status: status.as_str(),
            })
            .set(count);
    }
    registry.register(
        "accounts",
        "Connected accounts, by platform and status",
        accounts,
    );

    let pending: Gauge = Gauge::default();
    pending.set(i64::try_from(revocations::pending_count(db).await?).unwrap_or(i64::MAX));
    registry.register(
        "revocations_pending",
        "Disconnects whose revocation at Meta is still to be sent",
        pending,
    );

    let backoffs = Family::<BackoffLabels, Gauge>::default();
    let scopes: Vec<String> = meta_backoff::Entity::find()
        .select_only()
        .column(meta_backoff::Column::Scope)
        .filter(meta_backoff::Column::Until.gt(now))
        .into_tuple()
        .all(db)
        .await?;
    for kind in ["app", "object"] {
        backoffs
            .get_or_create(&BackoffLabels { scope: kind })
            .set(0);
    }
    for scope in scopes {
        let kind = if scope.starts_with("app:") {
            "app"
        } else {
            "object"
        };
        backoffs.get_or_create(&BackoffLabels { scope: kind }).inc();
    }
    registry.register(
        "meta_backoffs_in_force",
        "Meta usage backoffs in force now, by scope kind",
        backoffs,
    );
    Ok(registry)
}

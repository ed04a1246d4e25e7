//! The sandbox's settings, one row each in `meta_sandbox_settings` so every instance and CLI
//! command sees the same sandbox: its generated app credentials, the scenario, the clock
//! offset and the "Require App Secret" toggle.

use crate::entities::setting;
use crate::scenario::{InstagramExchangeShape, Scenario};
use crate::Sandbox;
use rand::Rng;
use sea_orm::sea_query::OnConflict;
use sea_orm::{DbErr, EntityTrait, Set};
use serde::{Deserialize, Serialize};
use std::sync::atomic::Ordering;
use std::sync::Arc;

tokio::task_local! {
    /// The sandbox's now for the Meta call being answered, read once as it arrives: one call
    /// happens at one instant, as at Meta, and its handler doesn't read the clock offset again
    /// for every code and token it looks at (a refresh did so four times).
    static CALL_NOW: i64;
}

/// Runs `answer` (the handler of one Meta call) with the sandbox clock fixed at `now`.
pub async fn at_call_time<F: std::future::Future>(now: i64, answer: F) -> F::Output {
    CALL_NOW.scope(now, answer).await
}

const APPS_KEY: &str = "apps";
const SCENARIO_KEY: &str = "scenario";
pub(crate) const CLOCK_KEY: &str = "clock_offset";
const REQUIRE_PROOF_KEY: &str = "require_appsecret_proof";

/// How far the sandbox clock may be moved, in total: ten years covers every lifetime Meta has
/// (60-day tokens, 90-day data access) many times over, and keeps every time computed from it
/// far inside what dates can hold.
pub const MAX_CLOCK_OFFSET_SECONDS: i64 = 10 * 366 * 86_400;

/// Why a clock move was refused.
pub const CLOCK_RANGE_MESSAGE: &str =
    "the sandbox clock moves forward only, by at most 10 years (315,360,000 seconds) in total";

/// The offset a stored setting holds — none stored is 0 — or `None` when what is stored is
/// unreadable or out of range.
pub(crate) fn valid_offset(stored: Option<&str>) -> Option<i64> {
    match stored.map(str::parse::<i64>) {
        None => Some(0),
        Some(Ok(offset)) if (0..=MAX_CLOCK_OFFSET_SECONDS).contains(&offset) => Some(offset),
        Some(_) => None,
    }
}

/// One product's app credentials. Sandbox secrets protect nothing real, but are still kept out
/// of `Debug` output so habits stay safe.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppCredentials {
    pub app_id: String,
    pub app_secret: String,
}

impl std::fmt::Debug for AppCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppCredentials")
            .field("app_id", &self.app_id)
            .field("app_secret", &"[REDACTED]")
            .finish()
    }
}

/// The sandbox's three credential pairs (Facebook Login, Instagram Login, Threads).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxApps {
    pub facebook: AppCredentials,
    pub instagram: AppCredentials,
    pub threads: AppCredentials,
}

fn generate_app() -> AppCredentials {
    let mut rng = rand::thread_rng();
    let id: u64 = rng.gen_range(100_000_000_000_000..999_999_999_999_999);
    let secret: [u8; 16] = rng.gen();
    AppCredentials {
        app_id: id.to_string(),
        app_secret: hex::encode(secret),
    }
}

impl Sandbox {
    pub(crate) async fn setting(&self, key: &str) -> Result<Option<String>, DbErr> {
        Ok(setting::Entity::find_by_id(key.to_owned())
            .one(&self.db)
            .await?
            .map(|row| row.value))
    }

    pub(crate) async fn put_setting(
        &self,
        key: &str,
        value: String,
        overwrite: bool,
    ) -> Result<(), DbErr> {
        let conflict = if overwrite {
            OnConflict::column(setting::Column::Key)
                .update_column(setting::Column::Value)
                .to_owned()
        } else {
            OnConflict::column(setting::Column::Key)
                .do_nothing()
                .to_owned()
        };
        setting::Entity::insert(setting::ActiveModel {
            key: Set(key.to_owned()),
            value: Set(value),
        })
        .on_conflict(conflict)
        .exec_without_returning(&self.db)
        .await?;
        Ok(())
    }

    /// The three credential pairs, generated on first use and kept in the database.
    pub async fn apps(&self) -> Result<SandboxApps, DbErr> {
        self.apps
            .get_or_try_init(|| self.load_or_create_apps())
            .await
            .cloned()
    }

    async fn load_or_create_apps(&self) -> Result<SandboxApps, DbErr> {
        if let Some(apps) = self
            .setting(APPS_KEY)
            .await?
            .and_then(|v| serde_json::from_str(&v).ok())
        {
            return Ok(apps);
        }
        let fresh = SandboxApps {
            facebook: generate_app(),
            instagram: generate_app(),
            threads: generate_app(),
        };
        let json = serde_json::to_string(&fresh).map_err(|e| DbErr::Custom(e.to_string()))?;
        // Another instance may have won the race: whatever is stored is the truth.
        self.put_setting(APPS_KEY, json, false).await?;
        self.setting(APPS_KEY)
            .await?
            .and_then(|v| serde_json::from_str(&v).ok())
            .ok_or_else(|| DbErr::Custom("sandbox apps missing after insert".into()))
    }

    /// The current scenario (the default one until a test loads another).
    pub async fn scenario(&self) -> Result<Arc<Scenario>, DbErr> {
        let Some(stored) = self.setting(SCENARIO_KEY).await? else {
            return Ok(Arc::new(Scenario::default_world()));
        };
        if let Ok(cache) = self.parsed.lock() {
            if let Some((_, scenario)) = cache.as_ref().filter(|(text, _)| *text == stored) {
                return Ok(scenario.clone());
            }
        }
        let scenario =
            Arc::new(serde_json::from_str(&stored).unwrap_or_else(|_| Scenario::default_world()));
        if let Ok(mut cache) = self.parsed.lock() {
            *cache = Some((stored, scenario.clone()));
        }
        Ok(scenario)
    }

    /// Replaces the world (users, Pages, linked Instagram accounts, businesses, Instagram
    /// Login accounts, Threads profiles, switches).
    pub async fn load_scenario(&self, scenario: &Scenario) -> Result<(), DbErr> {
        let json = serde_json::to_string(scenario).map_err(|e| DbErr::Custom(e.to_string()))?;
        self.put_setting(SCENARIO_KEY, json, true).await
    }

    /// Picks the shape of the Instagram code-exchange answer (kept in the scenario's
    /// `switches`, so `PUT /sandbox/_control/scenario` sets it too).
    pub async fn set_instagram_exchange_shape(
        &self,
        shape: InstagramExchangeShape,
    ) -> Result<(), DbErr> {
        let mut scenario = Arc::unwrap_or_clone(self.scenario().await?);
        scenario.switches.instagram_exchange_shape = shape;
        self.load_scenario(&scenario).await
    }

    /// Back to the default scenario.
    pub async fn reset_scenario(&self) -> Result<(), DbErr> {
        self.load_scenario(&Scenario::default_world()).await
    }

    /// Seconds the sandbox clock is ahead of the base clock (read from the database, so every
    /// instance agrees; [`Sandbox::cached_clock_offset`] keeps the value read).
    ///
    /// A stored offset that is unreadable or out of range (an older build accepted any) is
    /// reset to 0 with a warning, so what the database holds can never stop the app.
    pub async fn clock_offset(&self) -> Result<i64, DbErr> {
        let stored = self.setting(CLOCK_KEY).await?;
        let offset = match valid_offset(stored.as_deref()) {
            Some(offset) => offset,
            None => {
                tracing::warn!(
                    max_seconds = MAX_CLOCK_OFFSET_SECONDS,
                    "the stored sandbox clock offset is out of range; resetting it to 0"
                );
                self.put_setting(CLOCK_KEY, "0".to_owned(), true).await?;
                0
            }
        };
        self.remember_offset(offset);
        Ok(offset)
    }

    pub(crate) fn remember_offset(&self, offset: i64) {
        self.offset.store(offset, Ordering::SeqCst);
    }

    /// Moves the sandbox clock forward (token lifetimes, code expiry) — and the app's with it;
    /// at most [`MAX_CLOCK_OFFSET_SECONDS`] in total.
    pub async fn advance_clock(&self, by: chrono::Duration) -> Result<i64, DbErr> {
        let offset = self
            .clock_offset()
            .await?
            .checked_add(by.num_seconds())
            .filter(|offset| (0..=MAX_CLOCK_OFFSET_SECONDS).contains(offset))
            .ok_or_else(|| DbErr::Custom(CLOCK_RANGE_MESSAGE.to_owned()))?;
        self.put_setting(CLOCK_KEY, offset.to_string(), true)
            .await?;
        self.offset.store(offset, Ordering::SeqCst);
        Ok(offset)
    }

    /// The offset last read from or written to the database, without reading it again: what
    /// the app's clock adds to its own in sandbox mode (the app re-reads it every few seconds
    /// through [`Sandbox::clock_offset`]).
    pub fn cached_clock_offset(&self) -> i64 {
        self.offset.load(Ordering::SeqCst)
    }

    /// The sandbox's now, in unix seconds: while a Meta call is answered, the instant it
    /// arrived ([`at_call_time`]).
    pub async fn now(&self) -> Result<i64, DbErr> {
        if let Ok(now) = CALL_NOW.try_with(|now| *now) {
            return Ok(now);
        }
        Ok(self.clock.unix().saturating_add(self.clock_offset().await?))
    }

    /// Whether the Facebook app has "Require App Secret" on: then every call made with a user or
    /// Page token must carry `appsecret_proof` (docs/meta-api.md §15). Off by default, as at Meta.
    pub async fn requires_appsecret_proof(&self) -> Result<bool, DbErr> {
        Ok(self.setting(REQUIRE_PROOF_KEY).await?.as_deref() == Some("true"))
    }

    pub async fn set_require_appsecret_proof(&self, on: bool) -> Result<(), DbErr> {
        self.put_setting(REQUIRE_PROOF_KEY, on.to_string(), true)
            .await
    }
}

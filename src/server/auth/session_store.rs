//! A tower-sessions store in the app's own database (SeaORM), so sessions survive restarts, any
//! instance serves any user, and one statement ends every session of a user. Session ids are
//! stored as SHA-256 digests: a copy of the table holds no usable cookie.

use crate::server::clock::Clock;
use crate::server::entities::session;
use async_trait::async_trait;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use std::sync::Arc;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

use super::session_keys::USER_ID;

#[derive(Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessionStore")
    }
}

fn digest(id: &Id) -> String {
    crate::server::crypto::sha256_hex(&id.to_string())
}

fn backend(err: sea_orm::DbErr) -> Error {
    Error::Backend(err.to_string())
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection, clock: Arc<dyn Clock>) -> Self {
        Self { db, clock }
    }

    /// How far the injected clock is ahead of real time. tower-sessions computes expiry dates
    /// from real time; they are stored on the clock's timeline so moving the clock in tests
    /// (and in sandbox mode) expires sessions the way it expires everything else.
    fn clock_offset(&self) -> i64 {
        self.clock.unix() - time::OffsetDateTime::now_utc().unix_timestamp()
    }

    fn row(&self, record: &Record) -> Result<session::ActiveModel> {
        let data =
            serde_json::to_string(&record.data).map_err(|err| Error::Encode(err.to_string()))?;
        let user_id = record.data.get(USER_ID).and_then(|value| value.as_i64());
        Ok(session::ActiveModel {
            id: Set(digest(&record.id)),
            user_id: Set(user_id),
            data: Set(data),
            expires_at: Set(record.expiry_date.unix_timestamp() + self.clock_offset()),
        })
    }

    /// Ends every session of `user_id` (removal, password change, reset).
    pub async fn delete_for_user(&self, user_id: i64) -> std::result::Result<u64, sea_orm::DbErr> {
        delete_user_sessions(&self.db, user_id, None).await
    }

    /// Removes expired rows; run periodically.
    pub async fn delete_expired(&self) -> std::result::Result<u64, sea_orm::DbErr> {
        let result = session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lte(self.clock.unix()))
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected)
    }
}

/// Ends every session of `user_id` except, optionally, the one with `keep` (the caller's own
/// session when they change their password). Usable inside a transaction.
pub async fn delete_user_sessions(
    db: &impl sea_orm::ConnectionTrait,
    user_id: i64,
    keep: Option<&Id>,
) -> std::result::Result<u64, sea_orm::DbErr> {
    let mut query = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        query = query.filter(session::Column::Id.ne(digest(keep)));
    }
    Ok(query.exec(db).await?.rows_affected)
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // A 128-bit random id collides essentially never; if it does, draw again rather than
        // overwrite somebody else's session.
        for _ in 0..8 {
            let inserted = session::Entity::insert(self.row(record)?)
                .on_conflict(
                    OnConflict::column(session::Column::Id)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(&self.db)
                .await
                .map_err(backend)?;
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
        Err(Error::Backend(
            "could not allocate a unique session id".into(),
        ))
    }

    /// Updates the session's row and nothing else. A request that loaded the session before it
    /// ended (sign-out, password change or reset, removal) finishes after the row is gone; an
    /// insert here would bring the ended session back, so a missing row stays missing. Only
    /// [`SessionStore::create`] inserts.
    async fn save(&self, record: &Record) -> Result<()> {
        let mut row = self.row(record)?;
        row.id = sea_orm::ActiveValue::NotSet;
        session::Entity::update_many()
            .set(row)
            .filter(session::Column::Id.eq(digest(&record.id)))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, session_id: &Id) -> Result<Option<Record>> {
        let row = session::Entity::find_by_id(digest(session_id))
            .filter(session::Column::ExpiresAt.gt(self.clock.unix()))
            .one(&self.db)
            .await
            .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        let data = serde_json::from_str(&row.data).map_err(|err| Error::Decode(err.to_string()))?;
        let expiry_date =
            time::OffsetDateTime::from_unix_timestamp(row.expires_at - self.clock_offset())
                .map_err(|err| Error::Decode(err.to_string()))?;
        Ok(Some(Record {
            id: *session_id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, session_id: &Id) -> Result<()> {
        session::Entity::delete_by_id(digest(session_id))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

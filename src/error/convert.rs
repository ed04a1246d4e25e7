//! Where other errors become [`AppError`]: the database (logged, then `Internal`), Leptos's
//! server-function plumbing, and the domain's own refusals.

use super::{AppError, Minutes};
use crate::domain::policy::Forbidden;
use crate::domain::InputError;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        if is_unavailable(&err) {
            tracing::warn!(error = %err, "the database does not answer");
            return AppError::DatabaseUnavailable;
        }
        AppError::internal("database", err)
    }
}

/// Whether `err` says the database can't be reached (no connection, a dropped one, a server
/// shutting down) rather than that a statement failed.
fn is_unavailable(err: &sea_orm::DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    use sea_orm::{DbErr, RuntimeErr};
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            match &**e {
                Sqlx::Io(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed => true,
                // PostgreSQL's classes 08 (connection exception) and 57P (operator
                // intervention: shutdown, crash, not accepting connections yet).
                Sqlx::Database(db) => db
                    .code()
                    .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
                _ => false,
            }
        }
        _ => false,
    }
}

impl From<InputError> for AppError {
    fn from(err: InputError) -> Self {
        match err {
            InputError::Required { field } => AppError::FieldRequired { field },
            InputError::TooLong { field, max } => AppError::FieldTooLong { field, max },
            InputError::EmailInvalid => AppError::EmailInvalid,
            InputError::PasswordTooShort { min } => AppError::PasswordTooShort { min },
        }
    }
}

impl From<Forbidden> for AppError {
    fn from(Forbidden(permission): Forbidden) -> Self {
        AppError::RoleForbidden { action: permission }
    }
}

impl AppError {
    /// "Try again in N minutes" (sign-in throttling).
    pub fn too_many_attempts(minutes: u32) -> Self {
        AppError::TooManyAttempts {
            minutes: Minutes(minutes),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::MissingArg(_) => AppError::BadRequest,
            other => AppError::internal("server function", other),
        }
    }
}

//! Your account: changing your own password (current one required; your other sessions end)
//! and your time zone.

use crate::domain::password::check_field_length;
use crate::domain::NewPassword;
use crate::error::{AppError, Field};
use crate::server::auth::current::CurrentUser;
use crate::server::auth::password::Verified;
use crate::server::entities::user;
use crate::server::services::audit::{self, AuditKind};
use crate::server::services::context::Context;
use crate::server::services::directory;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set, TransactionTrait};
use serde_json::json;
use tower_sessions::session::Id;

/// Changes the actor's password after checking the current one, and ends every other session
/// of theirs (`keep` is the session making the change).
pub async fn change_password(
    ctx: &Context<'_>,
    actor: &CurrentUser,
    current: &str,
    new: &str,
    keep: Option<&Id>,
) -> Result<u64, AppError> {
    check_field_length(current, Field::CurrentPassword)?;
    let new = NewPassword::parse_field(new, Field::NewPassword)?;
    let Some(person) = user::Entity::find_by_id(actor.user_id).one(ctx.db).await? else {
        return Err(AppError::SignInRequired);
    };
    if ctx
        .passwords
        .verify(current, Some(&person.password_hash))
        .await?
        == Verified::No
    {
        return Err(AppError::CurrentPasswordWrong);
    }
    let hash = ctx.passwords.hash(new.expose()).await?;
    let txn = ctx.db.begin().await?;
    let ended = directory::replace_password(&txn, person, hash, keep).await?;
    audit::record(
        &txn,
        ctx.clock.unix(),
        audit::by(
            actor,
            AuditKind::PasswordChanged,
            &actor.email,
            json!({ "other_sessions_ended": ended }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(ended)
}

/// Sets the actor's time zone to an IANA name from the list (`Europe/Berlin`, `UTC`, …).
pub async fn set_time_zone(
    ctx: &Context<'_>,
    actor: &CurrentUser,
    zone: &str,
) -> Result<(), AppError> {
    let zone: chrono_tz::Tz = zone.trim().parse().map_err(|_| AppError::TimeZoneInvalid)?;
    let Some(person) = user::Entity::find_by_id(actor.user_id).one(ctx.db).await? else {
        return Err(AppError::SignInRequired);
    };
    let from = person.time_zone.clone();
    let txn = ctx.db.begin().await?;
    let mut row = person.into_active_model();
    row.time_zone = Set(zone.name().to_owned());
    row.update(&txn).await?;
    audit::record(
        &txn,
        ctx.clock.unix(),
        audit::by(
            actor,
            AuditKind::TimeZoneChanged,
            &actor.email,
            json!({ "from": from, "to": zone.name() }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

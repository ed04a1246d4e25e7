//! Reading the activity log: a workspace's audit events, newest first, filtered by person, kind,
//! account and platform (the accounts an entry concerns, `audit_event_accounts`), 50 to a page.

use crate::domain::account_filter::PlatformFilter;
use crate::domain::policy::{authorize, Permission};
use crate::error::AppError;
use crate::server::auth::current::CurrentUser;
use crate::server::entities::{account, audit_event, audit_event_account, user};
use crate::server::services::audit::AuditKind;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

pub const PAGE_SIZE: u64 = 50;

/// Which events to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityFilter {
    /// Only events by this user.
    pub person: Option<i64>,
    pub kind: Option<AuditKind>,
    /// Only entries about this account (its own history).
    pub account: Option<i64>,
    /// Only entries about accounts of this platform.
    pub platform: PlatformFilter,
    /// 1-based.
    pub page: u64,
}

impl ActivityFilter {
    /// From the page's query parameters; anything unreadable falls back to "all" / page 1.
    pub fn from_query(person: Option<&str>, kind: Option<&str>, page: Option<&str>) -> Self {
        Self {
            person: person.and_then(|p| p.parse().ok()),
            kind: kind.and_then(AuditKind::parse),
            page: page
                .and_then(|p| p.parse().ok())
                .filter(|p| *p >= 1 && *p <= 100_000)
                .unwrap_or(1),
            ..Self::default()
        }
    }

    /// With the account and platform filters from the query (`account=`, `platform=`); anything
    /// unreadable is no filter.
    pub fn about(mut self, account: Option<&str>, platform: Option<&str>) -> Self {
        self.account = account.and_then(|a| a.parse().ok()).filter(|id| *id > 0);
        self.platform = platform
            .and_then(|p| PlatformFilter::ALL.into_iter().find(|f| f.as_str() == p))
            .unwrap_or_default();
        self
    }
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRow {
    pub at: i64,
    /// The person's name, or `None` for the command line.
    pub actor: Option<String>,
    pub kind: Option<AuditKind>,
    pub kind_raw: String,
    pub subject: String,
    pub detail: String,
}

/// A page of the log and whether another follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityPage {
    pub rows: Vec<ActivityRow>,
    pub has_next: bool,
    /// The filtered account's name, when it is this workspace's.
    pub account_name: Option<String>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    actor: &CurrentUser,
    filter: &ActivityFilter,
) -> Result<ActivityPage, AppError> {
    authorize(actor.role, Permission::ViewActivity)?;
    let mut query =
        audit_event::Entity::find().filter(audit_event::Column::WorkspaceId.eq(actor.workspace.id));
    if let Some(person) = filter.person {
        query = query.filter(audit_event::Column::ActorUserId.eq(person));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(audit_event::Column::Kind.eq(kind.as_str()));
    }
    let platforms = filter.platform.platforms();
    if filter.account.is_some() || !platforms.is_empty() {
        let mut about = Query::select()
            .column(audit_event_account::Column::EventId)
            .from(audit_event_account::Entity)
            .to_owned();
        if let Some(account) = filter.account {
            about.and_where(audit_event_account::Column::AccountId.eq(account));
        }
        if !platforms.is_empty() {
            about.and_where(
                audit_event_account::Column::Platform.is_in(platforms.iter().map(|p| p.as_str())),
            );
        }
        query = query.filter(audit_event::Column::Id.in_subquery(about));
    }
    let account_name = match filter.account {
        Some(id) => account::Entity::find_by_id(id)
            .filter(account::Column::WorkspaceId.eq(actor.workspace.id))
            .one(db)
            .await?
            .map(|row| row.name),
        None => None,
    };
    // One row more than a page tells whether a next page exists without a COUNT.
    let mut events = query
        .order_by_desc(audit_event::Column::CreatedAt)
        .order_by_desc(audit_event::Column::Id)
        .offset((filter.page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
        .all(db)
        .await?;
    let has_next = events.len() as u64 > PAGE_SIZE;
    events.truncate(PAGE_SIZE as usize);
    let actor_ids: Vec<i64> = events.iter().filter_map(|e| e.actor_user_id).collect();
    let names: HashMap<i64, String> = if actor_ids.is_empty() {
        HashMap::new()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(actor_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect()
    };
    let rows = events
        .into_iter()
        .map(|event| ActivityRow {
            at: event.created_at,
            actor: event.actor_user_id.map(|id| {
                names
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| "A former user".to_owned())
            }),
            kind: AuditKind::parse(&event.kind),
            kind_raw: event.kind,
            subject: event.subject,
            detail: describe(&event.detail),
        })
        .collect();
    Ok(ActivityPage {
        rows,
        has_next,
        account_name,
    })
}

/// An event's JSON details as words: `role: member · existing account: no`.
fn describe(detail: &str) -> String {
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_str::<serde_json::Value>(detail)
    else {
        return String::new();
    };
    fields
        .iter()
        .map(|(key, value)| {
            let value = match value {
                serde_json::Value::String(text) => text.clone(),
                serde_json::Value::Bool(true) => "yes".to_owned(),
                serde_json::Value::Bool(false) => "no".to_owned(),
                other => other.to_string(),
            };
            format!("{}: {value}", key.replace('_', " "))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_read_as_words() {
        assert_eq!(
            describe(r#"{"existing_account":false,"role":"member"}"#),
            "existing account: no · role: member"
        );
        assert_eq!(describe("not json"), "");
    }

    #[test]
    fn unreadable_filters_fall_back_to_everything_on_page_one() {
        let filter = ActivityFilter::from_query(Some("abc"), Some("no.such.kind"), Some("-3"));
        assert_eq!(
            filter,
            ActivityFilter {
                person: None,
                kind: None,
                page: 1,
                ..ActivityFilter::default()
            }
        );
    }

    #[test]
    fn account_and_platform_filters_are_read_and_garbage_is_no_filter() {
        let filter =
            ActivityFilter::from_query(None, None, None).about(Some("42"), Some("instagram"));
        assert_eq!(
            (filter.account, filter.platform),
            (Some(42), PlatformFilter::Instagram)
        );
        let filter =
            ActivityFilter::from_query(None, None, None).about(Some("-1"), Some("myspace"));
        assert_eq!(
            (filter.account, filter.platform),
            (None, PlatformFilter::All)
        );
    }

    #[test]
    fn readable_filters_are_kept() {
        let filter = ActivityFilter::from_query(Some("7"), Some("member.added"), Some("2"));
        assert_eq!(
            filter,
            ActivityFilter {
                person: Some(7),
                kind: Some(AuditKind::MemberAdded),
                page: 2,
                ..ActivityFilter::default()
            }
        );
    }
}

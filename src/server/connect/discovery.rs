//! Deciding what a Facebook authorization connects (docs/product.md → Connecting), from what Meta
//! said: the permissions, the Pages (direct and through Business portfolios) and which Pages
//! the consent named. Pure, so every rule is unit-tested without a network.

use super::providers::FACEBOOK;
use crate::error::AppError;
use crate::server::meta::facebook::{InstagramInfo, PageInfo, Permissions};
use secrecy::SecretString;
use std::collections::HashSet;

/// Of Facebook's optional scopes, those needed only for the Instagram accounts linked to the
/// Pages.
pub const INSTAGRAM: [&str; 2] = ["instagram_basic", "instagram_content_publish"];
/// Of Facebook's optional scopes, those noted on every account when missing.
pub const OPTIONAL: [&str; 2] = ["pages_manage_engagement", "business_management"];
/// Either task lets a person publish as the Page (admin: MANAGE, editor: CREATE_CONTENT).
pub const PUBLISHING_TASKS: [&str; 2] = ["MANAGE", "CREATE_CONTENT"];

/// A Page to store, with its Instagram account when that may be connected too.
#[derive(Debug)]
pub struct PlannedPage {
    pub id: String,
    pub name: String,
    pub token: Option<SecretString>,
    pub instagram: Option<InstagramInfo>,
    /// The person's tasks on the Page (`MANAGE`, `CREATE_CONTENT`, …).
    pub tasks: Vec<String>,
}

/// Why linked Instagram accounts were left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstagramSkipped {
    /// Nothing left out.
    None,
    /// The Instagram permissions were declined; these accounts were seen (names may be empty
    /// when Meta hid the accounts altogether).
    PermissionsDeclined(Vec<String>),
}

/// What one callback will write.
#[derive(Debug)]
pub struct Plan {
    pub pages: Vec<PlannedPage>,
    /// Pages on which the person can't publish.
    pub not_connectable: Vec<String>,
    pub instagram_skipped: InstagramSkipped,
    /// Optional permissions not granted, noted on every account.
    pub missing_optional: Vec<String>,
}

impl Plan {
    /// How many accounts the plan stores.
    pub fn account_count(&self) -> usize {
        self.pages.len() + self.pages.iter().filter(|p| p.instagram.is_some()).count()
    }
}

/// `permissions_declined` unless every required permission was granted.
pub fn check_required(permissions: &Permissions) -> Result<(), AppError> {
    if FACEBOOK.all_required(&permissions.granted) {
        Ok(())
    } else {
        Err(AppError::PermissionsDeclined {
            provider: crate::domain::Provider::Facebook,
        })
    }
}

/// The outcome when nothing can be connected: `Err((error, Page names))`.
pub type Refusal = (AppError, Vec<String>);

/// Builds the plan. `pages` is `/me/accounts` followed by the Business-portfolio Pages (a
/// Page in both is taken once, with its `/me/accounts` tasks).
pub fn plan(pages: Vec<PageInfo>, permissions: &Permissions) -> Result<Plan, Refusal> {
    let mut seen = HashSet::new();
    let pages: Vec<PageInfo> = pages
        .into_iter()
        .filter(|page| seen.insert(page.id.clone()))
        .collect();
    if pages.is_empty() {
        // Meta's answer doesn't tell "manages no Page" from "shared none" (docs/meta-api.md →
        // "When no Page comes back"), so one message covers both.
        return Err((AppError::NoPages, Vec::new()));
    }
    let instagram_allowed = INSTAGRAM.iter().all(|p| permissions.has(p));
    let mut planned = Vec::new();
    let mut not_connectable = Vec::new();
    let mut skipped = Vec::new();
    for page in pages {
        let can_publish = page
            .tasks
            .iter()
            .any(|t| PUBLISHING_TASKS.contains(&t.as_str()));
        if !can_publish {
            not_connectable.push(page.name);
            continue;
        }
        let instagram = match page.instagram {
            Some(ig) if instagram_allowed => Some(ig),
            Some(ig) => {
                skipped.push(ig.username.clone().unwrap_or(ig.id));
                None
            }
            None => None,
        };
        planned.push(PlannedPage {
            id: page.id,
            name: page.name,
            token: page.access_token,
            instagram,
            tasks: page.tasks,
        });
    }
    if planned.is_empty() {
        return Err((AppError::PageRoleInsufficient, not_connectable));
    }
    let instagram_skipped = if instagram_allowed {
        InstagramSkipped::None
    } else if !skipped.is_empty() || !permissions.has("instagram_basic") {
        InstagramSkipped::PermissionsDeclined(skipped)
    } else {
        InstagramSkipped::None
    };
    Ok(Plan {
        pages: planned,
        not_connectable,
        instagram_skipped,
        missing_optional: OPTIONAL
            .iter()
            .filter(|p| !permissions.has(p))
            .map(|p| (*p).to_owned())
            .collect(),
    })
}

/// The flash after a successful connect: "Connected 3 accounts", then the notes that apply.
/// "Connected 1 account", "Connected 3 accounts".
pub fn connected(count: usize) -> String {
    let noun = if count == 1 { "account" } else { "accounts" };
    format!("Connected {count} {noun}")
}

pub fn summary(count: usize, plan: &Plan) -> String {
    let mut parts = vec![connected(count)];
    parts.extend(notes(plan));
    parts.join(" · ")
}

/// What the flash adds about a plan: Instagram accounts skipped, Pages not connectable.
pub fn notes(plan: &Plan) -> Vec<String> {
    let mut parts = Vec::new();
    if let InstagramSkipped::PermissionsDeclined(names) = &plan.instagram_skipped {
        parts.push(match names.as_slice() {
            [] => "Instagram permissions were not granted, so no Instagram accounts were connected"
                .to_owned(),
            [one] => format!("Instagram permissions were not granted, so {one} was not connected"),
            many => format!(
                "Instagram permissions were not granted, so {} were not connected",
                many.join(", ")
            ),
        });
    }
    if !plan.not_connectable.is_empty() {
        parts.push(AppError::page_role_message(&plan.not_connectable));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(id: &str, name: &str, tasks: &[&str], ig: Option<&str>) -> PageInfo {
        PageInfo {
            id: id.into(),
            name: name.into(),
            access_token: Some(SecretString::from(format!("token-{id}"))),
            tasks: tasks.iter().map(|t| (*t).to_owned()).collect(),
            instagram: ig.map(|u| InstagramInfo {
                id: format!("ig-{id}"),
                username: Some(u.into()),
                name: None,
            }),
        }
    }

    fn granted(list: &[&str]) -> Permissions {
        Permissions {
            granted: list.iter().map(|p| (*p).to_owned()).collect(),
            declined: Vec::new(),
        }
    }

    fn all() -> Permissions {
        granted(&FACEBOOK.scopes())
    }

    #[test]
    fn two_pages_and_one_linked_instagram_account_are_three_accounts() {
        let pages = vec![
            page("1", "Acme Bakery", &["MANAGE"], Some("acmebakery")),
            page("2", "Side Project", &["CREATE_CONTENT"], None),
        ];
        let plan = plan(pages, &all()).unwrap();
        assert_eq!(plan.account_count(), 3);
        assert_eq!(summary(3, &plan), "Connected 3 accounts");
        assert!(plan.missing_optional.is_empty());
    }

    #[test]
    fn a_page_in_both_lists_is_taken_once() {
        let pages = vec![
            page("1", "Acme", &["MANAGE"], None),
            page("1", "Acme", &["MANAGE"], None),
        ];
        assert_eq!(plan(pages, &all()).unwrap().pages.len(), 1);
    }

    #[test]
    fn pages_without_a_publishing_task_are_named_and_left_out() {
        let pages = vec![
            page("1", "Acme", &["MANAGE"], None),
            page("3", "Numbers Nook", &["ANALYZE"], None),
        ];
        let plan = plan(pages, &all()).unwrap();
        assert_eq!(plan.not_connectable, vec!["Numbers Nook".to_owned()]);
        assert_eq!(
            summary(1, &plan),
            "Connected 1 account · Numbers Nook can't be connected: your role on this Page doesn't allow publishing. Ask a Page admin for full or partial control."
        );
    }

    #[test]
    fn nothing_connectable_is_a_page_role_refusal_naming_the_pages() {
        let err = plan(vec![page("3", "Numbers Nook", &["ANALYZE"], None)], &all()).unwrap_err();
        assert_eq!(
            err,
            (
                AppError::PageRoleInsufficient,
                vec!["Numbers Nook".to_owned()]
            )
        );
    }

    #[test]
    fn no_page_coming_back_is_no_pages_whatever_the_reason() {
        assert_eq!(plan(vec![], &all()).unwrap_err().0, AppError::NoPages);
    }

    #[test]
    fn declined_instagram_permissions_keep_the_pages_and_say_why() {
        let mut permissions = all();
        permissions
            .granted
            .retain(|p| p != "instagram_content_publish");
        let pages = vec![page("1", "Acme Bakery", &["MANAGE"], Some("acmebakery"))];
        let plan = plan(pages, &permissions).unwrap();
        assert_eq!(plan.account_count(), 1);
        assert_eq!(
            summary(1, &plan),
            "Connected 1 account · Instagram permissions were not granted, so acmebakery was not connected"
        );
    }

    #[test]
    fn a_missing_required_permission_is_declined() {
        let mut permissions = all();
        permissions.granted.retain(|p| p != "pages_manage_posts");
        assert_eq!(
            check_required(&permissions).unwrap_err().code(),
            "permissions_declined"
        );
        assert!(check_required(&all()).is_ok());
    }

    #[test]
    fn missing_optional_permissions_are_noted() {
        let mut permissions = all();
        permissions.granted.retain(|p| p != "business_management");
        let plan = plan(vec![page("1", "A", &["MANAGE"], None)], &permissions).unwrap();
        assert_eq!(
            plan.missing_optional,
            vec!["business_management".to_owned()]
        );
    }
}

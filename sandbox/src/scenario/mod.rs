//! The sandbox's world: test users, the Pages they hold tasks on, linked Instagram accounts and
//! Business portfolios; Instagram Login accounts and Threads profiles (`logins`); and the
//! answer-shape switches. Stored as one JSON document (replaced whole by tests), so a scenario
//! is plain data that reads like the situation it describes.

pub mod logins;

use logins::{default_instagram_accounts, default_threads_profiles};
pub use logins::{InstagramExchangeShape, InstagramLogin, Switches, ThreadsProfile};
use serde::{Deserialize, Serialize};

/// The world. Fields added after the first release are serde-defaulted, so a scenario stored
/// by an older version (or sent without them) still loads: the login accounts default to the
/// default world's (send `[]` for none), the switches to the documented shapes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    /// Facebook test users; the Facebook dialog opens on the first.
    pub users: Vec<TestUser>,
    pub pages: Vec<Page>,
    #[serde(default)]
    pub businesses: Vec<Business>,
    /// Instagram Login test accounts; the Instagram dialog opens on the first.
    #[serde(default = "default_instagram_accounts")]
    pub instagram_accounts: Vec<InstagramLogin>,
    /// Threads test profiles; the Threads dialog opens on the first.
    #[serde(default = "default_threads_profiles")]
    pub threads_profiles: Vec<ThreadsProfile>,
    #[serde(default)]
    pub switches: Switches,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestUser {
    /// App-scoped user id, as Meta gives it (a string of digits).
    pub id: String,
    pub name: String,
    /// The Pages this user holds tasks on directly.
    #[serde(default)]
    pub roles: Vec<PageRole>,
    /// Business portfolios the user has a role in.
    #[serde(default)]
    pub businesses: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRole {
    pub page_id: String,
    /// `MANAGE`, `CREATE_CONTENT`, `MODERATE`, `MESSAGING`, `ADVERTISE`, `ANALYZE`.
    pub tasks: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    pub id: String,
    pub name: String,
    #[serde(default = "default_category")]
    pub category: String,
    #[serde(default)]
    pub instagram: Option<InstagramAccount>,
}

fn default_category() -> String {
    "Brand".to_owned()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstagramAccount {
    pub id: String,
    pub username: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Business {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub owned_pages: Vec<String>,
    #[serde(default)]
    pub client_pages: Vec<String>,
}

/// A Page Admin's tasks ("full control").
pub const ADMIN_TASKS: [&str; 6] = [
    "ANALYZE",
    "ADVERTISE",
    "MESSAGING",
    "MODERATE",
    "CREATE_CONTENT",
    "MANAGE",
];
/// A Page Editor's tasks ("partial control").
pub const EDITOR_TASKS: [&str; 5] = [
    "ANALYZE",
    "ADVERTISE",
    "MESSAGING",
    "MODERATE",
    "CREATE_CONTENT",
];

fn tasks(list: &[&str]) -> Vec<String> {
    list.iter().map(|t| (*t).to_owned()).collect()
}

impl Scenario {
    /// The default scenario (names fixed; tests rely on them): Alex Admin manages Acme Bakery
    /// (linked Instagram acmebakery) and Side Project → 3 accounts; Nora NoPages manages none;
    /// Eddie Editor's only Page, Numbers Nook, grants just ANALYZE; Bea Business reaches
    /// Portfolio Page only through a Business portfolio. Instagram Login offers acme.direct
    /// (Business, app-scoped id 2468013579001, professional id 17841400000000011), creator.cat
    /// (Media Creator, …002 / …012), personal.pat (Personal, …003 / …013) and acmebakery
    /// (Business, …004, professional id 17841400000000001: the account linked to Acme
    /// Bakery); Threads offers acme.threads (id 7000000000000001).
    pub fn default_world() -> Self {
        Self {
            users: vec![
                TestUser {
                    id: "10000000000000001".into(),
                    name: "Alex Admin".into(),
                    roles: vec![
                        PageRole {
                            page_id: "1111".into(),
                            tasks: tasks(&ADMIN_TASKS),
                        },
                        PageRole {
                            page_id: "2222".into(),
                            tasks: tasks(&EDITOR_TASKS),
                        },
                    ],
                    businesses: vec![],
                },
                TestUser {
                    id: "10000000000000002".into(),
                    name: "Nora NoPages".into(),
                    roles: vec![],
                    businesses: vec![],
                },
                TestUser {
                    id: "10000000000000003".into(),
                    name: "Eddie Editor".into(),
                    roles: vec![PageRole {
                        page_id: "3333".into(),
                        tasks: tasks(&["ANALYZE"]),
                    }],
                    businesses: vec![],
                },
                TestUser {
                    id: "10000000000000004".into(),
                    name: "Bea Business".into(),
                    roles: vec![],
                    businesses: vec!["9000".into()],
                },
            ],
            pages: vec![
                Page {
                    id: "1111".into(),
                    name: "Acme Bakery".into(),
                    category: "Bakery".into(),
                    instagram: Some(InstagramAccount {
                        id: "17841400000000001".into(),
                        username: "acmebakery".into(),
                        name: "Acme".into(),
                    }),
                },
                Page {
                    id: "2222".into(),
                    name: "Side Project".into(),
                    category: "Website".into(),
                    instagram: None,
                },
                Page {
                    id: "3333".into(),
                    name: "Numbers Nook".into(),
                    category: "Accountant".into(),
                    instagram: None,
                },
                Page {
                    id: "4444".into(),
                    name: "Portfolio Page".into(),
                    category: "Brand".into(),
                    instagram: None,
                },
            ],
            businesses: vec![Business {
                id: "9000".into(),
                name: "Bea's Portfolio".into(),
                owned_pages: vec!["4444".into()],
                client_pages: vec![],
            }],
            instagram_accounts: default_instagram_accounts(),
            threads_profiles: default_threads_profiles(),
            switches: Switches::default(),
        }
    }

    /// A scenario whose one user, "Scale Tester", administers `count` generated Pages (the
    /// Instagram and Threads accounts are the default world's).
    pub fn with_generated_pages(count: usize) -> Self {
        let pages: Vec<Page> = (1..=count)
            .map(|n| Page {
                id: format!("{}", 500_000 + n),
                name: format!("Generated Page {n}"),
                category: "Brand".into(),
                instagram: None,
            })
            .collect();
        let roles = pages
            .iter()
            .map(|p| PageRole {
                page_id: p.id.clone(),
                tasks: tasks(&ADMIN_TASKS),
            })
            .collect();
        Self {
            users: vec![TestUser {
                id: "10000000000000099".into(),
                name: "Scale Tester".into(),
                roles,
                businesses: vec![],
            }],
            pages,
            businesses: vec![],
            instagram_accounts: default_instagram_accounts(),
            threads_profiles: default_threads_profiles(),
            switches: Switches::default(),
        }
    }

    pub fn user(&self, id: &str) -> Option<&TestUser> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn page(&self, id: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.id == id)
    }

    /// Every Page by id, for answers that look up many (a result page of `me/accounts`).
    pub fn pages_by_id(&self) -> std::collections::HashMap<&str, &Page> {
        self.pages.iter().map(|p| (p.id.as_str(), p)).collect()
    }

    /// The Instagram Login account with app-scoped id `id`.
    pub fn instagram_account(&self, id: &str) -> Option<&InstagramLogin> {
        self.instagram_accounts.iter().find(|a| a.id == id)
    }

    /// The Threads profile with id `id`.
    pub fn threads_profile(&self, id: &str) -> Option<&ThreadsProfile> {
        self.threads_profiles.iter().find(|p| p.id == id)
    }

    /// Whether `id` is anyone's in this world: a Facebook test user, an Instagram Login
    /// account (app-scoped id) or a Threads profile.
    pub fn knows_user(&self, id: &str) -> bool {
        self.user(id).is_some()
            || self.instagram_account(id).is_some()
            || self.threads_profile(id).is_some()
    }

    /// Pages reachable through the user's Business portfolios (owned first, then client).
    pub fn business_pages<'a>(
        &'a self,
        user: &'a TestUser,
    ) -> impl Iterator<Item = (&'a Business, &'a Page)> + 'a {
        self.businesses
            .iter()
            .filter(move |b| user.businesses.contains(&b.id))
            .flat_map(move |b| {
                b.owned_pages
                    .iter()
                    .chain(b.client_pages.iter())
                    .filter_map(move |id| self.page(id).map(|p| (b, p)))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_stored_before_the_login_accounts_existed_still_loads_with_the_default_ones() {
        let old = r#"{"users":[{"id":"1","name":"Old User"}],"pages":[]}"#;
        let scenario: Scenario = serde_json::from_str(old).unwrap();
        assert_eq!(scenario.instagram_accounts, default_instagram_accounts());
        assert_eq!(scenario.threads_profiles, default_threads_profiles());
        assert_eq!(scenario.switches, Switches::default());
        assert!(scenario.knows_user("2468013579001") && scenario.knows_user("7000000000000001"));
    }
}

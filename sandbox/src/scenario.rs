//! The sandbox's world: test users, the Pages they hold tasks on, linked Instagram accounts and
//! Business portfolios. Stored as one JSON document (replaced whole by tests), so a scenario is
//! plain data that reads like the situation it describes.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    pub users: Vec<TestUser>,
    pub pages: Vec<Page>,
    #[serde(default)]
    pub businesses: Vec<Business>,
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
    /// Portfolio Page only through a Business portfolio.
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
        }
    }

    /// A scenario whose one user, "Scale Tester", administers `count` generated Pages.
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
        }
    }

    pub fn user(&self, id: &str) -> Option<&TestUser> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn page(&self, id: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.id == id)
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

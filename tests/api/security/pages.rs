//! Every page route, tried by every role, without a session and with another workspace's ids:
//! the role matrix holds for pages as it does for server functions (`doors.rs`), and no GET
//! changes anything. The table must name every route in `src/app/mod.rs`, so a new page can't
//! ship untried.

use super::doors::{fingerprint, workspace_with, Ids, ROLES};
use crate::helpers::{html_unescape, new_client, role_message};
use reqwest::header::LOCATION;

/// Who may see a page.
#[derive(Clone, Copy)]
enum Sees {
    /// Anyone, signed in or not; not part of the role sweep.
    Public,
    /// Any member of the workspace.
    Member,
    /// At least the role at this index of [`ROLES`]; below it a 403 naming the action.
    Role(usize, &'static str),
}

struct Page {
    /// The route as `src/app/mod.rs` writes it.
    route: &'static str,
    /// What is requested; `{account}` is replaced by a real id.
    path: &'static str,
    sees: Sees,
}

/// How every role message begins.
const ROLE_MESSAGE: &str = "Your role doesn't allow";

const MANAGER: usize = 1;
const ADMIN: usize = 2;
const OWNER: usize = 3;

const PAGES: &[Page] = &[
    Page {
        route: "/setup",
        path: "/setup",
        sees: Sees::Public,
    },
    Page {
        route: "/login",
        path: "/login",
        sees: Sees::Public,
    },
    Page {
        route: "/logout",
        path: "/logout",
        sees: Sees::Public,
    },
    Page {
        route: "/data-deletion/:code",
        path: "/data-deletion/NOPE1234",
        sees: Sees::Public,
    },
    Page {
        route: "/*any",
        path: "/no/such/page",
        sees: Sees::Public,
    },
    Page {
        route: "/accounts",
        path: "/accounts?status=all&q=a",
        sees: Sees::Member,
    },
    Page {
        route: "/accounts/:id",
        path: "/accounts/{account}",
        sees: Sees::Member,
    },
    Page {
        route: "/accounts/:id/disconnect",
        path: "/accounts/{account}/disconnect",
        sees: Sees::Role(MANAGER, "disconnecting accounts"),
    },
    Page {
        route: "/accounts/:id/delete",
        path: "/accounts/{account}/delete",
        sees: Sees::Role(ADMIN, "deleting accounts for good"),
    },
    Page {
        route: "/compose",
        path: "/compose",
        sees: Sees::Role(MANAGER, "publishing"),
    },
    Page {
        route: "/posts",
        path: "/posts",
        sees: Sees::Member,
    },
    Page {
        route: "/settings/integrations",
        path: "/settings/integrations",
        sees: Sees::Member,
    },
    Page {
        route: "/settings/members",
        path: "/settings/members",
        sees: Sees::Member,
    },
    Page {
        route: "/settings/account",
        path: "/settings/account",
        sees: Sees::Member,
    },
    Page {
        route: "/settings/workspace",
        path: "/settings/workspace",
        sees: Sees::Role(OWNER, "renaming the workspace"),
    },
    Page {
        route: "/settings/activity",
        path: "/settings/activity",
        sees: Sees::Role(ADMIN, "viewing the activity log"),
    },
    Page {
        route: "/workspaces/new",
        path: "/workspaces/new",
        sees: Sees::Member,
    },
];

fn path_of(page: &Page, ids: &Ids) -> String {
    page.path.replace("{account}", &ids.account)
}

fn routes_in_the_sources() -> Vec<String> {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app/mod.rs");
    let text = std::fs::read_to_string(file).unwrap();
    let mut found: Vec<String> = text
        .split("path!(\"")
        .skip(1)
        .map(|part| part.split('"').next().unwrap().to_owned())
        .collect();
    found.sort();
    found
}

#[test]
fn every_page_route_in_the_sources_is_in_this_table() {
    let mut listed: Vec<String> = PAGES.iter().map(|p| p.route.to_owned()).collect();
    listed.sort();
    assert_eq!(listed, routes_in_the_sources());
}

#[tokio::test]
async fn every_role_sees_the_pages_it_may_gets_403_and_the_role_message_on_the_others_and_no_page_changes_anything(
) {
    let mut tried = 0;
    for (rank, role) in ROLES.iter().enumerate() {
        let (app, actor, ids) = workspace_with(role).await;
        for page in PAGES {
            let path = path_of(page, &ids);
            let before = fingerprint(&app).await;
            let response = app.get_with(&actor, &path).await;
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            match page.sees {
                Sees::Public => {
                    assert!(status < 500, "{role} on {path}: {status}");
                }
                Sees::Member => {
                    assert_eq!(status, 200, "{role} on {path}");
                    assert!(
                        !html_unescape(&body).contains(ROLE_MESSAGE),
                        "{role} on {path}"
                    );
                }
                Sees::Role(minimum, _) if rank >= minimum => {
                    assert_eq!(status, 200, "{role} on {path}");
                    assert!(
                        !html_unescape(&body).contains(ROLE_MESSAGE),
                        "{role} on {path}"
                    );
                }
                Sees::Role(_, phrase) => {
                    assert_eq!(status, 403, "{role} on {path}");
                    assert!(
                        html_unescape(&body).contains(&role_message(phrase)),
                        "{role} on {path}: no role message"
                    );
                }
            }
            assert_eq!(fingerprint(&app).await, before, "{role} on GET {path}");
            tried += 1;
        }
    }
    assert_eq!(tried, ROLES.len() * PAGES.len());
}

#[tokio::test]
async fn without_a_session_every_members_page_sends_to_sign_in_and_comes_back_after() {
    let (app, _owner, ids) = workspace_with("owner").await;
    let visitor = new_client();
    for page in PAGES {
        if matches!(page.sees, Sees::Public) {
            continue;
        }
        let path = path_of(page, &ids);
        let before = fingerprint(&app).await;
        let response = app.get_with(&visitor, &path).await;
        assert!(
            response.status().is_redirection(),
            "{path}: {}",
            response.status()
        );
        let location = response.headers()[LOCATION].to_str().unwrap().to_owned();
        assert!(location.starts_with("/login"), "{path} → {location}");
        assert_eq!(fingerprint(&app).await, before, "{path}");
    }
}

/// The Owner of two workspaces, looking at the second, opens every page that names an account
/// with the first's account id: 404, and nothing about the account in the page.
#[tokio::test]
async fn every_page_given_another_workspaces_account_answers_not_found() {
    let (app, owner, ids) = workspace_with("owner").await;
    let created = app.create_workspace_with(&owner, "Elsewhere").await;
    assert!(created.status().is_redirection());
    let mut tried = 0;
    for page in PAGES.iter().filter(|p| p.path.contains("{account}")) {
        let path = path_of(page, &ids);
        let response = app.get_with(&owner, &path).await;
        assert_eq!(response.status(), 404, "{path}");
        let body = response.text().await.unwrap();
        assert!(!body.contains("Northwind Page"), "{path} shows the account");
        tried += 1;
    }
    assert_eq!(tried, 3, "the account page and both confirmations");
}

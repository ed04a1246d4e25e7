//! Every server function, tried every wrong way: from another site, with `Origin: null`, with
//! no origin at all, as a cross-site `text/plain` form, over GET, without a session, by each
//! role the matrix refuses, and with another workspace's ids. The table below must name every `#[server]` function in
//! `src/api/` (the first test reads the sources), so a new action can't ship untried.
//!
//! Each refusal is checked the conformance-suite way: the exact status (and error code), and a
//! fingerprint of every table a server function can write is the same before and after.

use crate::helpers::{call_api, spawn_app, TestApp, OWNER_EMAIL, OWNER_PASSWORD, WORKSPACE};
use crate::seeding::{seed, seed_grant, Seed};
use reqwest::header::{CONTENT_TYPE, ORIGIN, REFERER};
use reqwest::Client;
use sea_orm::{ConnectionTrait, Statement};

/// Who may call a server function.
#[derive(Clone, Copy)]
enum Needs {
    /// Anyone, signed in or not (setting up, signing in, signing out).
    Anyone,
    /// Any signed-in member of the workspace.
    SignedIn,
    /// At least the role at this index of [`ROLES`], refused below it with this action code.
    Role(usize, &'static str),
}

/// Lowest first, as `Role` orders them.
pub(super) const ROLES: [&str; 4] = ["member", "manager", "admin", "owner"];

struct Door {
    path: &'static str,
    /// A form a real user of that action might send; `{account}`, `{target}` and
    /// `{workspace}` are replaced by real ids.
    form: &'static [(&'static str, &'static str)],
    needs: Needs,
}

const MANAGER: usize = 1;
const ADMIN: usize = 2;
const OWNER: usize = 3;

const DOORS: &[Door] = &[
    Door {
        path: "/api/setup",
        form: &[
            ("workspace_name", "Mallory's"),
            ("name", "Mallory"),
            ("email", "mallory@example.com"),
            ("password", "mallory-password-1"),
        ],
        needs: Needs::Anyone,
    },
    Door {
        path: "/api/login",
        form: &[("email", OWNER_EMAIL), ("password", OWNER_PASSWORD)],
        needs: Needs::Anyone,
    },
    Door {
        path: "/api/logout",
        form: &[],
        needs: Needs::Anyone,
    },
    Door {
        path: "/api/change_password",
        form: &[
            ("current_password", "actor-password-1"),
            ("new_password", "a-new-password-1"),
        ],
        needs: Needs::SignedIn,
    },
    Door {
        path: "/api/set_time_zone",
        form: &[("time_zone", "Europe/Paris")],
        needs: Needs::SignedIn,
    },
    Door {
        path: "/api/switch_workspace",
        form: &[("workspace_id", "{workspace}")],
        needs: Needs::SignedIn,
    },
    Door {
        path: "/api/create_workspace",
        form: &[("name", "Mallory's Workspace")],
        needs: Needs::SignedIn,
    },
    Door {
        path: "/api/rename_workspace",
        form: &[("name", "Renamed")],
        needs: Needs::Role(OWNER, "renaming_workspace"),
    },
    Door {
        path: "/api/add_member",
        form: &[
            ("email", "new@example.com"),
            ("name", "New"),
            ("role", "member"),
            ("password", "new-password-1"),
        ],
        needs: Needs::Role(ADMIN, "managing_members"),
    },
    Door {
        path: "/api/change_role",
        form: &[("user_id", "{target}"), ("role", "manager")],
        needs: Needs::Role(ADMIN, "managing_members"),
    },
    Door {
        path: "/api/reset_password",
        form: &[("user_id", "{target}"), ("password", "reset-password-1")],
        needs: Needs::Role(ADMIN, "managing_members"),
    },
    Door {
        path: "/api/remove_member",
        form: &[("user_id", "{target}")],
        needs: Needs::Role(ADMIN, "managing_members"),
    },
    Door {
        path: "/api/connect_meta",
        form: &[],
        needs: Needs::Role(MANAGER, "connecting_meta_accounts"),
    },
    Door {
        path: "/api/connect_instagram",
        form: &[],
        needs: Needs::Role(MANAGER, "connecting_meta_accounts"),
    },
    Door {
        path: "/api/connect_threads",
        form: &[],
        needs: Needs::Role(MANAGER, "connecting_meta_accounts"),
    },
    Door {
        path: "/api/reconnect_account",
        form: &[("account_id", "{account}"), ("return_to", "/accounts")],
        needs: Needs::Role(MANAGER, "connecting_meta_accounts"),
    },
    Door {
        path: "/api/disconnect_account",
        form: &[("account_id", "{account}"), ("return_to", "/accounts")],
        needs: Needs::Role(MANAGER, "disconnecting_accounts"),
    },
    Door {
        path: "/api/delete_account",
        form: &[("account_id", "{account}")],
        needs: Needs::Role(ADMIN, "deleting_accounts"),
    },
    Door {
        path: "/api/publish_post",
        form: &[
            ("message", "Hello"),
            ("image_url", ""),
            ("accounts[]", "{account}"),
            ("submission", "7f1c2e10-0000-4000-8000-000000000001"),
        ],
        needs: Needs::Role(MANAGER, "publishing"),
    },
    Door {
        path: "/api/requeue_post",
        form: &[("post_id", "1")],
        needs: Needs::Role(MANAGER, "publishing"),
    },
    Door {
        path: "/api/requeue_account",
        form: &[("account_id", "{account}")],
        needs: Needs::Role(MANAGER, "publishing"),
    },
];

/// A set-up workspace with one active Page, a target Member and, unless `role` is `owner`,
/// an actor of that role; returns the actor's signed-in browser and the ids the forms need.
pub(super) async fn workspace_with(role: &str) -> (TestApp, Client, Ids) {
    let app = spawn_app().await;
    app.setup().await;
    let workspace = app.workspace_id(WORKSPACE).await;
    let grant = seed_grant(&app, workspace, 30).await;
    let account = seed(&app, workspace, grant, Seed::page("Northwind Page")).await;
    app.add_member("tina@example.com", "Tina", "member", "target-password-1")
        .await;
    let actor = match role {
        "owner" => app.signed_in(OWNER_EMAIL, OWNER_PASSWORD).await,
        _ => {
            let email = format!("{role}@example.com");
            app.add_member(&email, "Actor", role, "actor-password-1")
                .await;
            app.signed_in(&email, "actor-password-1").await
        }
    };
    let ids = Ids {
        account: account.to_string(),
        target: app.user_id("tina@example.com").await.to_string(),
        workspace: workspace.to_string(),
    };
    (app, actor, ids)
}

pub(super) struct Ids {
    pub(super) account: String,
    pub(super) target: String,
    pub(super) workspace: String,
}

fn form_of(door: &Door, ids: &Ids) -> Vec<(&'static str, String)> {
    door.form
        .iter()
        .map(|(name, value)| {
            let value = value
                .replace("{account}", &ids.account)
                .replace("{target}", &ids.target)
                .replace("{workspace}", &ids.workspace);
            (*name, value)
        })
        .collect()
}

/// Everything a server function can change, as one comparable text: row counts of every table
/// the app writes (sessions and sign-in throttles aside: reading pages touches them), plus the
/// columns the actions update in place.
pub(super) async fn fingerprint(app: &TestApp) -> String {
    let mut out = String::new();
    for table in [
        "workspaces",
        "users",
        "memberships",
        "grants",
        "accounts",
        "posts",
        "audit_events",
        "oauth_states",
        "revocations",
        "data_deletion_requests",
    ] {
        out += &format!("{table}={};", app.count(table).await);
    }
    for query in [
        "SELECT name AS v FROM workspaces ORDER BY id",
        "SELECT email || ':' || password_hash || ':' || time_zone AS v FROM users ORDER BY id",
        "SELECT CAST(user_id AS TEXT) || ':' || role AS v FROM memberships ORDER BY id",
        "SELECT status || ':' || COALESCE(token_ciphertext, '-') AS v FROM accounts ORDER BY id",
        "SELECT status AS v FROM posts ORDER BY id",
    ] {
        let backend = app.db.get_database_backend();
        for row in app
            .db
            .query_all_raw(Statement::from_string(backend, query))
            .await
            .unwrap()
        {
            out += &row.try_get::<String>("", "v").unwrap();
            out.push(';');
        }
    }
    out
}

fn api_endpoints_in_the_sources() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for part in text.split("endpoint = \"").skip(1) {
            let name = part.split('"').next().unwrap();
            found.push(format!("/api/{name}"));
        }
    }
    found.sort();
    found
}

#[test]
fn every_server_function_in_the_sources_is_in_this_table() {
    let mut listed: Vec<String> = DOORS.iter().map(|d| d.path.to_owned()).collect();
    listed.sort();
    assert_eq!(listed, api_endpoints_in_the_sources());
}

/// The ways a state-changing request can arrive from somewhere other than our own pages.
fn foreign_posts<'a>(
    client: &'a Client,
    app: &'a TestApp,
    door: &Door,
    form: &'a [(&'static str, String)],
) -> Vec<(&'static str, reqwest::RequestBuilder)> {
    let url = app.url(door.path);
    let lookalike = format!("{}.evil.example", app.address);
    let plain_body = form
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("\n");
    vec![
        (
            "another origin",
            client
                .post(&url)
                .header(ORIGIN, "https://evil.example")
                .form(form),
        ),
        (
            "Origin: null",
            client.post(&url).header(ORIGIN, "null").form(form),
        ),
        ("neither Origin nor Referer", client.post(&url).form(form)),
        (
            "only a Referer from another site",
            client
                .post(&url)
                .header(REFERER, "https://evil.example/accounts")
                .form(form),
        ),
        (
            "an origin that starts with ours",
            client.post(&url).header(ORIGIN, lookalike).form(form),
        ),
        (
            "a cross-site text/plain form",
            client
                .post(&url)
                .header(ORIGIN, "https://evil.example")
                .header(CONTENT_TYPE, "text/plain")
                .body(plain_body),
        ),
    ]
}

#[tokio::test]
async fn every_server_function_refuses_each_foreign_origin_with_403_and_changes_nothing() {
    let (app, owner, ids) = workspace_with("owner").await;
    let mut tried = 0;
    for door in DOORS {
        let form = form_of(door, &ids);
        for (how, request) in foreign_posts(&owner, &app, door, &form) {
            let before = fingerprint(&app).await;
            let status = request.send().await.unwrap().status();
            assert_eq!(status, 403, "{} from {how}", door.path);
            assert_eq!(fingerprint(&app).await, before, "{} from {how}", door.path);
            tried += 1;
        }
    }
    assert_eq!(tried, DOORS.len() * 6);
    // The Owner's session survived all of it.
    assert_eq!(app.get_with(&owner, "/accounts").await.status(), 200);
}

#[tokio::test]
async fn no_server_function_does_anything_over_get() {
    let (app, owner, ids) = workspace_with("owner").await;
    for door in DOORS {
        let form = form_of(door, &ids);
        let before = fingerprint(&app).await;
        let response = owner
            .get(app.url(door.path))
            .header(ORIGIN, &app.address)
            .query(&form)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        assert!(
            (400..500).contains(&status),
            "GET {} answered {status}",
            door.path
        );
        assert_eq!(fingerprint(&app).await, before, "GET {}", door.path);
    }
    assert_eq!(app.get_with(&owner, "/accounts").await.status(), 200);
}

#[tokio::test]
async fn without_a_session_every_action_but_signing_in_asks_to_sign_in_and_changes_nothing() {
    let (app, _owner, ids) = workspace_with("owner").await;
    let visitor = crate::helpers::new_client();
    for door in DOORS {
        if matches!(door.needs, Needs::Anyone) {
            continue;
        }
        let form = form_of(door, &ids);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let before = fingerprint(&app).await;
        let response = visitor
            .post(app.url(door.path))
            .header(ORIGIN, &app.address)
            .form(&pairs)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        assert_eq!(status, 401, "{} without a session: {body}", door.path);
        assert!(
            body.contains("Please sign in to continue."),
            "{}: {body}",
            door.path
        );
        assert_eq!(fingerprint(&app).await, before, "{}", door.path);
    }
}

/// The refusals run first: an allowed action may start background work (a disconnect wakes
/// the revocation relay) that would change the fingerprint of a later refusal.
#[tokio::test]
async fn every_role_below_an_actions_minimum_gets_the_role_message_and_changes_nothing() {
    for (rank, role) in ROLES.iter().enumerate() {
        let (app, actor, ids) = workspace_with(role).await;
        let with_role = |door: &&Door| matches!(door.needs, Needs::Role(..));
        let (refused, allowed): (Vec<&Door>, Vec<&Door>) = DOORS
            .iter()
            .filter(with_role)
            .partition(|door| matches!(door.needs, Needs::Role(minimum, _) if rank < minimum));
        for door in refused {
            let Needs::Role(_, action) = door.needs else {
                continue;
            };
            let form = form_of(door, &ids);
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let before = fingerprint(&app).await;
            let (status, body) = call_api(&app, &actor, door.path, &pairs).await;
            assert_eq!(status, 403, "{role} on {}: {body}", door.path);
            assert_eq!(body["code"], "role_forbidden", "{role} on {}", door.path);
            assert_eq!(body["action"], action, "{role} on {}", door.path);
            assert_eq!(fingerprint(&app).await, before, "{role} on {}", door.path);
        }
        for door in allowed {
            let form = form_of(door, &ids);
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (_, body) = call_api(&app, &actor, door.path, &pairs).await;
            assert_ne!(body["code"], "role_forbidden", "{role} on {}", door.path);
        }
    }
}

/// The Owner of two workspaces, looking at the second, sends every action naming an account or
/// a member the ids of the first: each answers 404 and nothing changes in either workspace
/// (requirement 18: queries are scoped to the session's workspace, never to an id sent).
#[tokio::test]
async fn every_action_given_another_workspaces_ids_answers_not_found_and_changes_nothing() {
    let (app, owner, ids) = workspace_with("owner").await;
    let created = app.create_workspace_with(&owner, "Elsewhere").await;
    assert!(created.status().is_redirection());
    let naming_ids = DOORS.iter().filter(|door| {
        door.form
            .iter()
            .any(|(_, value)| value.contains("{account}") || value.contains("{target}"))
    });
    let mut tried = 0;
    for door in naming_ids {
        let form = form_of(door, &ids);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let before = fingerprint(&app).await;
        let (status, body) = call_api(&app, &owner, door.path, &pairs).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (404, Some("not_found")),
            "{}: {body}",
            door.path
        );
        assert_eq!(fingerprint(&app).await, before, "{}", door.path);
        tried += 1;
    }
    assert!(tried >= 8, "{tried} actions name an id");
}

//! The Facebook Login dialog (`/sandbox/facebook/{version}/dialog/oauth` ↔ www.facebook.com):
//! pick a test user, tick the Pages to share and the permissions to grant, then **Continue**
//! (→ the app's callback with `code` and `state`) or **Cancel** (→ Meta's denial parameters).
//! It says plainly that it is the Switchboard sandbox, and it redirects only to this app's
//! registered callback URL.

use super::scenario::Scenario;
use super::Sandbox;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use std::collections::HashMap;

pub fn routes() -> Router<Sandbox> {
    Router::new().route("/facebook/{version}/dialog/oauth", get(show).post(decide))
}

/// The request parameters the dialog carries from screen to screen.
const CARRIED: &[&str] = &[
    "client_id",
    "redirect_uri",
    "state",
    "scope",
    "response_type",
    "auth_type",
    "code_challenge",
    "code_challenge_method",
];

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

/// A page of the sandbox, labelled as such.
pub fn sandbox_page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} · Switchboard sandbox</title>\
         <link rel=\"stylesheet\" href=\"/style/main.css\"></head><body><main class=\"page narrow sandbox\">\
         <p class=\"flash\" role=\"note\">This is the Switchboard sandbox, a local stand-in for Meta. It is not Facebook, \
         and nothing here reaches Meta.</p>{body}</main></body></html>",
        title = escape(title)
    )
}

/// A refusal shown in the dialog itself (Meta never redirects to an unregistered URI).
fn refuse(title: &str, message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Html(sandbox_page(
            title,
            &format!(
                "<h1>{}</h1><p role=\"alert\">{}</p>",
                escape(title),
                escape(message)
            ),
        )),
    )
        .into_response()
}

/// Scope names that belong to another product's login and are refused here (PostHog #86748).
fn foreign_scopes(scope: &str) -> Vec<&str> {
    scope_list(scope)
        .into_iter()
        .filter(|s| s.starts_with("instagram_business_") || s.starts_with("threads_"))
        .collect()
}

fn scope_list(scope: &str) -> Vec<&str> {
    scope
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Checks the app, redirect URI, scopes and PKCE method; `Err` is the page to show.
async fn validate(sandbox: &Sandbox, params: &HashMap<String, String>) -> Result<(), Response> {
    let apps = sandbox.apps().await.map_err(|_| {
        refuse(
            "Sandbox unavailable",
            "The sandbox's database did not answer.",
        )
    })?;
    let get = |k: &str| params.get(k).map(String::as_str).unwrap_or_default();
    if get("client_id") != apps.facebook.app_id {
        return Err(refuse(
            "Invalid App ID",
            "The provided app ID does not look like a valid app ID.",
        ));
    }
    if get("redirect_uri") != sandbox.callback_url("meta") {
        return Err(refuse(
            "URL blocked",
            "This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings.",
        ));
    }
    let foreign = foreign_scopes(get("scope"));
    if !foreign.is_empty() {
        return Err(refuse(
            "Invalid Scopes",
            &format!("Invalid Scopes: {}.", foreign.join(", ")),
        ));
    }
    let method = get("code_challenge_method");
    if !get("code_challenge").is_empty() && !method.is_empty() && method != "S256" {
        return Err(refuse(
            "Invalid PKCE method",
            "code_challenge_method must be S256.",
        ));
    }
    Ok(())
}

fn hidden_fields(params: &HashMap<String, String>) -> String {
    CARRIED
        .iter()
        .filter_map(|k| {
            params.get(*k).map(|v| {
                format!(
                    "<input type=\"hidden\" name=\"{k}\" value=\"{}\">",
                    escape(v)
                )
            })
        })
        .collect()
}

/// The Pages a user can share: direct roles, plus portfolio Pages when `business_management`
/// is requested.
fn offerable_pages<'a>(
    scenario: &'a Scenario,
    user_id: &str,
    scope: &str,
) -> Vec<(&'a str, &'a str)> {
    let Some(user) = scenario.user(user_id) else {
        return Vec::new();
    };
    let mut pages: Vec<(&str, &str)> = user
        .roles
        .iter()
        .filter_map(|r| scenario.page(&r.page_id))
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    if scope_list(scope).contains(&"business_management") {
        for (_, page) in scenario.business_pages(user) {
            if !pages.iter().any(|(id, _)| *id == page.id) {
                pages.push((page.id.as_str(), page.name.as_str()));
            }
        }
    }
    pages
}

async fn show(
    State(sandbox): State<Sandbox>,
    Path(_version): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    if let Err(page) = validate(&sandbox, &params).await {
        return page;
    }
    let Ok(scenario) = sandbox.scenario().await else {
        return refuse(
            "Sandbox unavailable",
            "The sandbox's database did not answer.",
        );
    };
    let hidden = hidden_fields(&params);
    let cancel = "<button type=\"submit\" name=\"decision\" value=\"cancel\" class=\"secondary\">Cancel</button>";
    let Some(user) = params.get("sandbox_user").and_then(|id| scenario.user(id)) else {
        let users: String = scenario
            .users
            .iter()
            .map(|u| format!("<label class=\"choice\"><input type=\"radio\" name=\"sandbox_user\" value=\"{}\" required> {}</label>", escape(&u.id), escape(&u.name)))
            .collect();
        let body = format!(
            "<h1>Log in to Facebook (sandbox)</h1><p>Choose the test user to continue as.</p>\
             <form method=\"get\">{hidden}{users}<button type=\"submit\">Next</button></form>\
             <form method=\"post\">{hidden}{cancel}</form>"
        );
        return Html(sandbox_page("Choose a test user", &body)).into_response();
    };
    let scope = params.get("scope").cloned().unwrap_or_default();
    let previously_declined = match sandbox.apps().await {
        Ok(apps) => sandbox
            .grant(&apps.facebook.app_id, &user.id)
            .await
            .ok()
            .flatten()
            .map(|g| super::issued::list(&g.declined))
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    let rerequest = params.get("auth_type").is_some_and(|t| t == "rerequest");
    let permissions: String = scope_list(&scope)
        .into_iter()
        .filter(|p| rerequest || !previously_declined.iter().any(|d| d == p))
        .map(|p| format!("<label class=\"choice\"><input type=\"checkbox\" name=\"permission\" value=\"{0}\" checked> {0}</label>", escape(p)))
        .collect();
    let pages: String = offerable_pages(&scenario, &user.id, &scope)
        .into_iter()
        .map(|(id, name)| format!("<label class=\"choice\"><input type=\"checkbox\" name=\"page\" value=\"{}\" checked> {}</label>", escape(id), escape(name)))
        .collect();
    let pages = if pages.is_empty() {
        "<p class=\"muted\">This user manages no Pages.</p>".to_owned()
    } else {
        pages
    };
    let body = format!(
        "<h1>Continue as {name}?</h1><p>Switchboard is requesting access to your Pages.</p>\
         <form method=\"post\">{hidden}<input type=\"hidden\" name=\"sandbox_user\" value=\"{id}\">\
         <fieldset><legend>Pages to share</legend>{pages}</fieldset>\
         <fieldset><legend>Permissions</legend>{permissions}</fieldset>\
         <button type=\"submit\" name=\"decision\" value=\"continue\">Continue</button> {cancel}</form>",
        name = escape(&user.name),
        id = escape(&user.id),
    );
    Html(sandbox_page("Review access", &body)).into_response()
}

/// Appends query parameters to the (already validated) redirect URI.
fn redirect_with(base: &str, pairs: &[(&str, &str)]) -> Response {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        query.append_pair(key, value);
    }
    let separator = if base.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{base}{separator}{}", query.finish())).into_response()
}

async fn decide(
    State(sandbox): State<Sandbox>,
    Path(_version): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let mut params = HashMap::new();
    let mut ticked_pages = Vec::new();
    let mut ticked_permissions = Vec::new();
    for (key, value) in fields {
        match key.as_str() {
            "page" => ticked_pages.push(value),
            "permission" => ticked_permissions.push(value),
            _ => {
                params.insert(key, value);
            }
        }
    }
    if let Err(page) = validate(&sandbox, &params).await {
        return page;
    }
    let get = |k: &str| params.get(k).cloned().unwrap_or_default();
    let (redirect_uri, state) = (get("redirect_uri"), get("state"));
    if get("decision") != "continue" {
        return redirect_with(
            &redirect_uri,
            &[
                ("error", "access_denied"),
                ("error_code", "200"),
                ("error_description", "Permissions error"),
                ("error_reason", "user_denied"),
                ("state", &state),
            ],
        );
    }
    let (Ok(scenario), Ok(apps)) = (sandbox.scenario().await, sandbox.apps().await) else {
        return refuse(
            "Sandbox unavailable",
            "The sandbox's database did not answer.",
        );
    };
    let user_id = get("sandbox_user");
    if scenario.user(&user_id).is_none() {
        return refuse(
            "Unknown test user",
            "Choose one of the sandbox's test users.",
        );
    }
    let scope = get("scope");
    let requested = scope_list(&scope);
    let mut granted: Vec<String> = requested
        .iter()
        .filter(|p| ticked_permissions.iter().any(|t| t == *p))
        .map(|p| (*p).to_owned())
        .collect();
    if !granted.iter().any(|p| p == "public_profile") {
        granted.push("public_profile".to_owned());
    }
    let declined: Vec<String> = requested
        .iter()
        .filter(|p| !granted.iter().any(|g| g == *p))
        .map(|p| (*p).to_owned())
        .collect();
    let offerable = offerable_pages(&scenario, &user_id, &scope);
    let pages: Vec<String> = offerable
        .iter()
        .filter(|(id, _)| ticked_pages.iter().any(|t| t == id))
        .map(|(id, _)| (*id).to_owned())
        .collect();
    let challenge = params
        .get("code_challenge")
        .filter(|c| !c.is_empty())
        .map(String::as_str);
    let saved = sandbox
        .save_grant(&apps.facebook.app_id, &user_id, &granted, &declined, &pages)
        .await;
    let code = match saved {
        Ok(()) => {
            sandbox
                .issue_code(&apps.facebook.app_id, &user_id, &redirect_uri, challenge)
                .await
        }
        Err(err) => Err(err),
    };
    match code {
        Ok(code) => redirect_with(&redirect_uri, &[("code", &code), ("state", &state)]),
        Err(_) => refuse(
            "Sandbox unavailable",
            "The sandbox's database did not answer.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instagram_and_threads_scope_names_are_foreign_to_facebook_login() {
        assert_eq!(
            foreign_scopes("pages_show_list,instagram_business_basic threads_basic"),
            ["instagram_business_basic", "threads_basic"]
        );
        assert!(foreign_scopes("pages_show_list,instagram_basic").is_empty());
    }

    #[test]
    fn the_dialog_escapes_what_it_echoes() {
        assert_eq!(escape("\"><script>"), "&quot;&gt;&lt;script&gt;");
    }
}

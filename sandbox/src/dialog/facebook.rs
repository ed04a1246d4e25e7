//! The Facebook Login dialog (`/sandbox/facebook/{version}/dialog/oauth` ↔ www.facebook.com):
//! the consent screen of a test user — the Pages to share and the permissions to grant, all
//! ticked — then **Continue** (→ `code` and `state`) or **Cancel** (→ Meta's denial
//! parameters). It redirects only to `/oauth/meta/callback`, refuses Instagram-Login and
//! Threads scope names, re-offers declined permissions only with `auth_type=rerequest`, and
//! takes a PKCE challenge (S256).

use super::screens::{self, Consent};
use super::{
    invalid_app, invalid_scopes, redirect_with, refuse, scope_list, unavailable, url_blocked,
    Submitted, CHOOSE_PARAM, USER_PARAM,
};
use crate::scenario::Scenario;
use crate::Sandbox;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form;
use std::collections::HashMap;

/// Scope names that belong to another product's login and are refused here (PostHog #86748).
fn foreign_scopes(scope: &str) -> Vec<&str> {
    scope_list(scope)
        .into_iter()
        .filter(|s| s.starts_with("instagram_business_") || s.starts_with("threads_"))
        .collect()
}

/// Checks the app, redirect URI, scopes and PKCE method; `Err` is the page to show.
async fn validate(sandbox: &Sandbox, params: &HashMap<String, String>) -> Result<(), Response> {
    let apps = sandbox.apps().await.map_err(|_| unavailable())?;
    let get = |k: &str| params.get(k).map(String::as_str).unwrap_or_default();
    if get("client_id") != apps.facebook.app_id {
        return Err(invalid_app());
    }
    if get("redirect_uri") != sandbox.callback_url("meta") {
        return Err(url_blocked());
    }
    let foreign = foreign_scopes(get("scope"));
    if !foreign.is_empty() {
        return Err(invalid_scopes(&foreign));
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

/// `GET`: the consent screen of the first test user (or of `sandbox_user`), or the chooser.
pub async fn show(
    State(sandbox): State<Sandbox>,
    Path(_version): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    if let Err(page) = validate(&sandbox, &params).await {
        return page;
    }
    let (Ok(scenario), Ok(apps)) = (sandbox.scenario().await, sandbox.apps().await) else {
        return unavailable();
    };
    let chosen = match params.get(USER_PARAM) {
        Some(id) => scenario.user(id),
        None => scenario.users.first(),
    };
    let Some(user) = chosen.filter(|_| !params.contains_key(CHOOSE_PARAM)) else {
        let people: Vec<(&str, String)> = scenario
            .users
            .iter()
            .map(|u| (u.id.as_str(), u.name.clone()))
            .collect();
        return screens::chooser(&params, "Facebook", &people);
    };
    let scope = params.get("scope").cloned().unwrap_or_default();
    let previously_declined = match sandbox.grant(&apps.facebook.app_id, &user.id).await {
        Ok(grant) => grant
            .map(|g| crate::issued::list(&g.declined))
            .unwrap_or_default(),
        Err(_) => return unavailable(),
    };
    let rerequest = params.get("auth_type").is_some_and(|t| t == "rerequest");
    let permissions: Vec<&str> = scope_list(&scope)
        .into_iter()
        .filter(|p| rerequest || !previously_declined.iter().any(|d| d == p))
        .collect();
    let pages = offerable_pages(&scenario, &user.id, &scope);
    let pages = if pages.is_empty() {
        "<p class=\"muted\">This user manages no Pages.</p>".to_owned()
    } else {
        screens::checkboxes("page", pages)
    };
    screens::consent(Consent {
        params: &params,
        user_id: &user.id,
        who: &user.name,
        lead: "Switchboard is requesting access to your Pages.",
        before_permissions: format!("<fieldset><legend>Pages to share</legend>{pages}</fieldset>"),
        permissions,
    })
}

/// `POST`: Continue (grant, code, back to the app) or Cancel (Meta's denial parameters).
pub async fn decide(
    State(sandbox): State<Sandbox>,
    Path(_version): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let submitted = Submitted::from(fields);
    if let Err(page) = validate(&sandbox, &submitted.params).await {
        return page;
    }
    let (redirect_uri, state) = (submitted.get("redirect_uri"), submitted.get("state"));
    if submitted.get("decision") != "continue" {
        return redirect_with(
            &redirect_uri,
            &[
                ("error", "access_denied"),
                ("error_code", "200"),
                ("error_description", "Permissions error"),
                ("error_reason", "user_denied"),
                ("state", &state),
            ],
            "",
        );
    }
    let (Ok(scenario), Ok(apps)) = (sandbox.scenario().await, sandbox.apps().await) else {
        return unavailable();
    };
    let user_id = submitted.get(USER_PARAM);
    if scenario.user(&user_id).is_none() {
        return refuse(
            "Unknown test user",
            "Choose one of the sandbox's test users.",
        );
    }
    let (mut granted, mut declined) = submitted.decisions();
    // public_profile can't be declined at Meta.
    declined.retain(|p| p != "public_profile");
    if !granted.iter().any(|p| p == "public_profile") {
        granted.push("public_profile".to_owned());
    }
    let scope = submitted.get("scope");
    let pages: Vec<String> = offerable_pages(&scenario, &user_id, &scope)
        .iter()
        .filter(|(id, _)| submitted.pages.iter().any(|t| t == id))
        .map(|(id, _)| (*id).to_owned())
        .collect();
    let challenge = submitted
        .params
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
        Ok(code) => redirect_with(&redirect_uri, &[("code", &code), ("state", &state)], ""),
        Err(_) => unavailable(),
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
}

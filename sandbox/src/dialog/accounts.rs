//! The Instagram Login (`/sandbox/instagram/oauth/authorize` ↔ www.instagram.com/oauth/authorize)
//! and Threads (`/sandbox/threads/oauth/authorize` ↔ threads.net/oauth/authorize) dialogs, one
//! implementation over [`AccountLogin`]: the consent screen of a test account with the
//! requested permissions ticked, then **Continue** (→ `{callback}?code=…&state=…#_`) or
//! **Cancel** (→ `error=access_denied&error_reason=user_denied&error_description=The+user+denied+your+request`).
//!
//! Each takes only its own app id, its own callback (`/oauth/instagram/callback`,
//! `/oauth/threads/callback`, byte for byte) and its own scope names (`instagram_business_*`,
//! `threads_*`); `enable_fb_login` and `force_authentication` are accepted and ignored. A
//! Personal Instagram account can be chosen and authorized: what Meta does then is
//! unconfirmed, and the app checks `account_type` itself (docs/meta-api.md §6).

use super::screens::{self, Consent};
use super::{
    invalid_app, invalid_scopes, redirect_with, refuse, scope_list, unavailable, url_blocked,
    Submitted, CHOOSE_PARAM, USER_PARAM,
};
use crate::account_login::AccountLogin;
use crate::Sandbox;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Form;
use std::collections::HashMap;

/// Instagram and Threads append this fragment to the success redirect (docs/meta-api.md §1).
const FRAGMENT: &str = "#_";

/// Checks the app, redirect URI, response type and scopes; `Err` is the page to show.
async fn validate(
    login: AccountLogin,
    sandbox: &Sandbox,
    params: &HashMap<String, String>,
) -> Result<(), Response> {
    let apps = sandbox.apps().await.map_err(|_| unavailable())?;
    let get = |k: &str| params.get(k).map(String::as_str).unwrap_or_default();
    if get("client_id") != login.app(&apps).app_id {
        return Err(invalid_app());
    }
    if get("redirect_uri") != sandbox.callback_url(login.provider()) {
        return Err(url_blocked());
    }
    // Only the code flow exists for these logins; a client that leaves the parameter out is
    // given the benefit of the doubt.
    if params.get("response_type").is_some_and(|t| t != "code") {
        return Err(refuse(
            "Unsupported response type",
            "response_type must be code.",
        ));
    }
    let foreign = login.foreign_scopes(&scope_list(get("scope")));
    if !foreign.is_empty() {
        return Err(invalid_scopes(&foreign));
    }
    Ok(())
}

async fn show(login: AccountLogin, sandbox: Sandbox, params: HashMap<String, String>) -> Response {
    if let Err(page) = validate(login, &sandbox, &params).await {
        return page;
    }
    let Ok(scenario) = sandbox.scenario().await else {
        return unavailable();
    };
    let accounts = login.accounts(&scenario);
    let chosen = match params.get(USER_PARAM) {
        Some(id) => accounts.iter().find(|a| a.id == id),
        None => accounts.first(),
    };
    let Some(account) = chosen.filter(|_| !params.contains_key(CHOOSE_PARAM)) else {
        let people: Vec<(&str, String)> = accounts
            .iter()
            .map(|a| (a.id, format!("{} ({})", a.username, a.name)))
            .collect();
        return screens::chooser(&params, login.label(), &people);
    };
    let scope = params.get("scope").cloned().unwrap_or_default();
    let lead = format!(
        "Switchboard is requesting access to your {} account.",
        login.label()
    );
    screens::consent(Consent {
        params: &params,
        user_id: account.id,
        who: account.username,
        lead: &lead,
        before_permissions: String::new(),
        permissions: scope_list(&scope),
    })
}

async fn decide(login: AccountLogin, sandbox: Sandbox, fields: Vec<(String, String)>) -> Response {
    let submitted = Submitted::from(fields);
    if let Err(page) = validate(login, &sandbox, &submitted.params).await {
        return page;
    }
    let (redirect_uri, state) = (submitted.get("redirect_uri"), submitted.get("state"));
    if submitted.get("decision") != "continue" {
        return redirect_with(
            &redirect_uri,
            &[
                ("error", "access_denied"),
                ("error_reason", "user_denied"),
                ("error_description", "The user denied your request"),
                ("state", &state),
            ],
            "",
        );
    }
    let (Ok(scenario), Ok(apps)) = (sandbox.scenario().await, sandbox.apps().await) else {
        return unavailable();
    };
    let account_id = submitted.get(USER_PARAM);
    if !login.accounts(&scenario).iter().any(|a| a.id == account_id) {
        return refuse(
            "Unknown test account",
            &format!(
                "Choose one of the sandbox's {} test accounts.",
                login.label()
            ),
        );
    }
    let (granted, declined) = submitted.decisions();
    let app_id = &login.app(&apps).app_id;
    let code = match sandbox
        .save_grant(app_id, &account_id, &granted, &declined, &[])
        .await
    {
        Ok(()) => {
            sandbox
                .issue_code(app_id, &account_id, &redirect_uri, None)
                .await
        }
        Err(err) => Err(err),
    };
    match code {
        Ok(code) => redirect_with(
            &redirect_uri,
            &[("code", &code), ("state", &state)],
            FRAGMENT,
        ),
        Err(_) => unavailable(),
    }
}

/// `GET /instagram/oauth/authorize`.
pub async fn show_instagram(
    State(sandbox): State<Sandbox>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    show(AccountLogin::Instagram, sandbox, params).await
}

/// `POST /instagram/oauth/authorize`.
pub async fn decide_instagram(
    State(sandbox): State<Sandbox>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    decide(AccountLogin::Instagram, sandbox, fields).await
}

/// `GET /threads/oauth/authorize`.
pub async fn show_threads(
    State(sandbox): State<Sandbox>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    show(AccountLogin::Threads, sandbox, params).await
}

/// `POST /threads/oauth/authorize`.
pub async fn decide_threads(
    State(sandbox): State<Sandbox>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    decide(AccountLogin::Threads, sandbox, fields).await
}

//! The consent dialogs of the three logins, each at its production path under `/sandbox`:
//! Facebook Login (`/facebook/{version}/dialog/oauth` ↔ www.facebook.com, `facebook`),
//! Instagram Login (`/instagram/oauth/authorize` ↔ www.instagram.com) and Threads
//! (`/threads/oauth/authorize` ↔ threads.net), both in `accounts`.
//!
//! Each opens straight on the consent screen of the scenario's first test user or account
//! ("Continue as …"), with a "Not you?" link to a chooser listing everyone (`screens`); then
//! **Continue** (→ the app's callback with `code` and `state`) or **Cancel** (→ Meta's denial
//! parameters), in one plain form that works without JavaScript. The pages say plainly that
//! they are the Switchboard sandbox, and redirect only to this app's registered callbacks.

pub mod accounts;
pub mod facebook;
mod screens;

use super::Sandbox;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;

/// The three dialogs, GET (the screens) and POST (the decision).
pub fn routes() -> Router<Sandbox> {
    Router::new()
        .route(
            "/facebook/{version}/dialog/oauth",
            get(facebook::show).post(facebook::decide),
        )
        .route(
            "/instagram/oauth/authorize",
            get(accounts::show_instagram).post(accounts::decide_instagram),
        )
        .route(
            "/threads/oauth/authorize",
            get(accounts::show_threads).post(accounts::decide_threads),
        )
}

/// The request parameters the dialogs carry from screen to screen (the union of the three
/// logins'; each reads the ones it knows).
const CARRIED: &[&str] = &[
    "client_id",
    "redirect_uri",
    "state",
    "scope",
    "response_type",
    "auth_type",
    "code_challenge",
    "code_challenge_method",
    "enable_fb_login",
    "force_authentication",
];

/// The query parameter that names the test user or account to continue as.
pub const USER_PARAM: &str = "sandbox_user";
/// The query parameter that opens the chooser ("Not you?").
pub const CHOOSE_PARAM: &str = "sandbox_choose";

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
         Instagram or Threads, and nothing here reaches Meta.</p>{body}</main></body></html>",
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

/// The page shown when the sandbox's own database fails.
fn unavailable() -> Response {
    refuse(
        "Sandbox unavailable",
        "The sandbox's database did not answer.",
    )
}

/// The refusal for a client id that is not the login's app.
fn invalid_app() -> Response {
    refuse(
        "Invalid App ID",
        "The provided app ID does not look like a valid app ID.",
    )
}

/// The refusal for a redirect URI that is not the app's registered callback.
fn url_blocked() -> Response {
    refuse(
        "URL blocked",
        "This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings.",
    )
}

/// The refusal for scope names of another login (PostHog #86748).
fn invalid_scopes(foreign: &[&str]) -> Response {
    refuse(
        "Invalid Scopes",
        &format!("Invalid Scopes: {}.", foreign.join(", ")),
    )
}

/// The requested scope names, in order (Meta takes commas; spaces are tolerated).
fn scope_list(scope: &str) -> Vec<&str> {
    scope
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The carried parameters as hidden fields of the consent form.
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

/// A link back to the same dialog (relative: only the query changes) carrying the request's
/// parameters plus `extra`. Returned unescaped; escape it into an attribute.
fn self_link(params: &HashMap<String, String>, extra: (&str, &str)) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for key in CARRIED {
        if let Some(value) = params.get(*key) {
            query.append_pair(key, value);
        }
    }
    query.append_pair(extra.0, extra.1);
    format!("?{}", query.finish())
}

/// Appends query parameters (and a fragment, Instagram's and Threads' `#_`) to the already
/// validated redirect URI.
fn redirect_with(base: &str, pairs: &[(&str, &str)], fragment: &str) -> Response {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        query.append_pair(key, value);
    }
    let separator = if base.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{base}{separator}{}{fragment}", query.finish())).into_response()
}

/// A submitted consent form, split into the carried parameters and the repeated fields.
struct Submitted {
    params: HashMap<String, String>,
    pages: Vec<String>,
    permissions: Vec<String>,
}

impl Submitted {
    fn from(fields: Vec<(String, String)>) -> Self {
        let mut submitted = Submitted {
            params: HashMap::new(),
            pages: Vec::new(),
            permissions: Vec::new(),
        };
        for (key, value) in fields {
            match key.as_str() {
                "page" => submitted.pages.push(value),
                "permission" => submitted.permissions.push(value),
                _ => {
                    submitted.params.insert(key, value);
                }
            }
        }
        submitted
    }

    fn get(&self, key: &str) -> String {
        self.params.get(key).cloned().unwrap_or_default()
    }

    /// The requested permissions split into (ticked, unticked), in the requested order.
    fn decisions(&self) -> (Vec<String>, Vec<String>) {
        let scope = self.get("scope");
        let (granted, declined): (Vec<&str>, Vec<&str>) = scope_list(&scope)
            .into_iter()
            .partition(|p| self.permissions.iter().any(|t| t == p));
        let owned = |list: Vec<&str>| list.into_iter().map(str::to_owned).collect();
        (owned(granted), owned(declined))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dialog_escapes_what_it_echoes() {
        assert_eq!(escape("\"><script>"), "&quot;&gt;&lt;script&gt;");
    }

    #[test]
    fn unticked_permissions_are_declined_in_the_order_they_were_requested() {
        let submitted = Submitted::from(vec![
            ("scope".into(), "a,b,c".into()),
            ("permission".into(), "c".into()),
            ("permission".into(), "a".into()),
            ("permission".into(), "not-requested".into()),
        ]);
        assert_eq!(
            submitted.decisions(),
            (vec!["a".to_owned(), "c".to_owned()], vec!["b".to_owned()])
        );
    }

    #[test]
    fn a_link_back_carries_the_request_and_nothing_else() {
        let params = HashMap::from([
            ("client_id".to_owned(), "1".to_owned()),
            ("sandbox_user".to_owned(), "9".to_owned()),
            ("state".to_owned(), "a b&c".to_owned()),
        ]);
        assert_eq!(
            self_link(&params, (CHOOSE_PARAM, "1")),
            "?client_id=1&state=a+b%26c&sandbox_choose=1"
        );
    }
}

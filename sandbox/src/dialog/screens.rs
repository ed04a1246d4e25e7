//! The two screens every dialog shows: the consent screen of one test user or account
//! ("Continue as …", one plain form with Continue and Cancel, and a "Not you?" link), and the
//! chooser that lists everyone. Everything echoed is escaped here.

use super::{escape, hidden_fields, sandbox_page, self_link, CHOOSE_PARAM, USER_PARAM};
use axum::response::{Html, IntoResponse, Response};
use std::collections::HashMap;

/// What a consent screen shows.
pub(super) struct Consent<'a> {
    /// The request's parameters (carried into the form and the "Not you?" link).
    pub params: &'a HashMap<String, String>,
    /// Whose screen it is (posted back as `sandbox_user`).
    pub user_id: &'a str,
    /// "Continue as {who}".
    pub who: &'a str,
    /// One sentence under the heading.
    pub lead: &'a str,
    /// Extra fieldsets before the permissions (the Facebook dialog's Pages), already HTML.
    pub before_permissions: String,
    /// The permissions offered, each a ticked checkbox.
    pub permissions: Vec<&'a str>,
}

/// Ticked checkboxes named `name`, one per value, labelled by `label`.
pub(super) fn checkboxes<'a>(
    name: &str,
    items: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> String {
    items
        .into_iter()
        .map(|(value, label)| {
            format!(
                "<label class=\"choice\"><input type=\"checkbox\" name=\"{name}\" value=\"{}\" checked> {}</label>",
                escape(value),
                escape(label)
            )
        })
        .collect()
}

/// The consent screen.
pub(super) fn consent(screen: Consent<'_>) -> Response {
    let permissions = if screen.permissions.is_empty() {
        "<p class=\"muted\">No permissions were requested.</p>".to_owned()
    } else {
        checkboxes("permission", screen.permissions.iter().map(|p| (*p, *p)))
    };
    let not_you = self_link(screen.params, (CHOOSE_PARAM, "1"));
    let body = format!(
        "<h1>Continue as {who}</h1><p>{lead}</p>\
         <form method=\"post\">{hidden}<input type=\"hidden\" name=\"{USER_PARAM}\" value=\"{id}\">\
         {before}<fieldset><legend>Permissions</legend>{permissions}</fieldset>\
         <button type=\"submit\" name=\"decision\" value=\"continue\">Continue</button> \
         <button type=\"submit\" name=\"decision\" value=\"cancel\" class=\"secondary\">Cancel</button></form>\
         <p><a href=\"{not_you}\">Not you?</a></p>",
        who = escape(screen.who),
        lead = escape(screen.lead),
        hidden = hidden_fields(screen.params),
        id = escape(screen.user_id),
        before = screen.before_permissions,
        not_you = escape(&not_you),
    );
    Html(sandbox_page("Review access", &body)).into_response()
}

/// The chooser: every test user or account as a link that opens its consent screen.
/// `people` are (id, label) pairs.
pub(super) fn chooser(
    params: &HashMap<String, String>,
    product: &str,
    people: &[(&str, String)],
) -> Response {
    let links: String = people
        .iter()
        .map(|(id, label)| {
            format!(
                "<li><a href=\"{}\">{}</a></li>",
                escape(&self_link(params, (USER_PARAM, id))),
                escape(label)
            )
        })
        .collect();
    let list = if links.is_empty() {
        "<p class=\"muted\">The scenario has no test accounts for this login.</p>".to_owned()
    } else {
        format!("<ul class=\"choices\">{links}</ul>")
    };
    let body = format!(
        "<h1>Log in to {product} (sandbox)</h1><p>Choose the test account to continue as.</p>{list}",
        product = escape(product)
    );
    Html(sandbox_page("Choose a test account", &body)).into_response()
}

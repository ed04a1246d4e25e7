//! `GET /sandbox`: what the sandbox is, its app ids, and links that open its Facebook Login,
//! Instagram Login and Threads dialogs the way the app will — so a person trying Switchboard
//! can click through them.

use super::dialog::{escape, sandbox_page};
use super::{Sandbox, DEFAULT_GRAPH_VERSION};
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};

/// The permissions Switchboard asks for when connecting Pages (docs/product.md → Connecting).
pub const DEMO_SCOPE: &str =
    "pages_show_list,pages_manage_posts,pages_read_engagement,pages_manage_engagement,business_management,instagram_basic,instagram_content_publish";
/// The permissions of the Instagram Login demo link.
pub const INSTAGRAM_DEMO_SCOPE: &str =
    "instagram_business_basic,instagram_business_content_publish";
/// The permissions of the Threads demo link.
pub const THREADS_DEMO_SCOPE: &str = "threads_basic,threads_content_publish";

/// A dialog link: `path` with the app, callback, demo state and scope.
fn dialog_link(path: &str, app_id: &str, callback: &str, scope: &str) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query
        .append_pair("client_id", app_id)
        .append_pair("redirect_uri", callback)
        .append_pair("state", "sandbox-demo")
        .append_pair("response_type", "code")
        .append_pair("scope", scope);
    format!("{path}?{}", query.finish())
}

pub async fn index(State(sandbox): State<Sandbox>) -> Response {
    let Ok(apps) = sandbox.apps().await else {
        return Html(sandbox_page(
            "Sandbox unavailable",
            "<p role=\"alert\">The sandbox's database did not answer.</p>",
        ))
        .into_response();
    };
    let dialog = dialog_link(
        &format!("/sandbox/facebook/{DEFAULT_GRAPH_VERSION}/dialog/oauth"),
        &apps.facebook.app_id,
        &sandbox.callback_url("meta"),
        DEMO_SCOPE,
    );
    let instagram = dialog_link(
        "/sandbox/instagram/oauth/authorize",
        &apps.instagram.app_id,
        &sandbox.callback_url("instagram"),
        INSTAGRAM_DEMO_SCOPE,
    );
    let threads = dialog_link(
        "/sandbox/threads/oauth/authorize",
        &apps.threads.app_id,
        &sandbox.callback_url("threads"),
        THREADS_DEMO_SCOPE,
    );
    let body = format!(
        "<h1>Meta sandbox</h1>\
         <p>Switchboard runs without Meta app credentials, so this built-in stand-in plays Facebook Login and the \
         Graph API, Instagram Login and Threads. It behaves the way Meta documents: the same paths, \
         parameters, JSON shapes, errors and token lifetimes.</p>\
         <table class=\"table\"><thead><tr><th>Product</th><th>App ID</th></tr></thead><tbody>\
         <tr><td>Facebook Login</td><td>{fb}</td></tr><tr><td>Instagram Login</td><td>{ig}</td></tr>\
         <tr><td>Threads</td><td>{th}</td></tr></tbody></table>\
         <p><a href=\"{dialog}\">Open the Facebook Login dialog</a> as Switchboard would.</p>\
         <p><a href=\"{instagram}\">Open the Instagram Login dialog</a></p>\
         <p><a href=\"{threads}\">Open the Threads dialog</a></p>",
        fb = escape(&apps.facebook.app_id),
        ig = escape(&apps.instagram.app_id),
        th = escape(&apps.threads.app_id),
        dialog = escape(&dialog),
        instagram = escape(&instagram),
        threads = escape(&threads),
    );
    Html(sandbox_page("Meta sandbox", &body)).into_response()
}

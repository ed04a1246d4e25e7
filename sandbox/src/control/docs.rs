//! The control API's own documentation page.

use crate::dialog::{escape, sandbox_page};
use axum::response::Html;

pub(super) async fn documentation() -> Html<String> {
    let rows = [
        ("GET", "/sandbox/_control/apps", "the three app credential pairs: {\"facebook\":{\"app_id\",\"app_secret\"},\"instagram\":…,\"threads\":…}"),
        ("GET", "/sandbox/_control/scenario", "the current scenario (users, pages, businesses, instagram_accounts, threads_profiles, switches)"),
        ("PUT", "/sandbox/_control/scenario", "replace the scenario (JSON body; every role must name a known Page; instagram_accounts and threads_profiles default to the default world's, switches.instagram_exchange_shape to \"data\" — or \"flat\")"),
        ("POST", "/sandbox/_control/scenario/reset", "back to the default scenario"),
        ("GET", "/sandbox/_control/clock", "{\"offset_seconds\", \"now\"}"),
        ("POST", "/sandbox/_control/clock", "{\"seconds\": N}: move the sandbox clock — and the app's — forward"),
        ("POST", "/sandbox/_control/users/{id}/invalidate", "{\"subcode\": 458|459|460|463|464|467|492}: invalidate the user's tokens, of every app (the id of a Facebook test user, an Instagram Login account or a Threads profile)"),
        ("POST", "/sandbox/_control/users/{id}/pages", "{\"page\": {\"id\",\"name\"}, \"tasks\": […]}: give the user a (new) Page"),
        ("PUT", "/sandbox/_control/users/{id}/pages/{page}/tasks", "{\"tasks\": […]}: change the user's tasks; [] removes the role"),
        ("POST", "/sandbox/_control/users/{id}/permissions/{permission}/revoke", "revoke one permission the user granted the Facebook app (it becomes declined)"),
        ("POST", "/sandbox/_control/failures", "{\"path\": \"*/oauth/access_token\", \"times\": 1, \"failure\": {\"kind\": …}}: the next N calls whose path under /sandbox matches (* = anything) fail. Kinds: http_500; timeout {seconds}; late {seconds}: the real call is carried out (a post is published) but its answer is held back that long; malformed_json; html; oversized {bytes}; graph_error {code, subcode, minutes} (rate-limit codes 4, 17, 32, 341, 613, 80001, 80002 carry usage headers at 100 % and estimated_time_to_regain_access = minutes); usage {percent}: the real answer with usage headers at that percentage"),
        ("GET", "/sandbox/_control/failures", "the plans with failures left"),
        ("GET|PUT", "/sandbox/_control/app_settings", "{\"require_appsecret_proof\": true|false}: the Facebook app's \"Require App Secret\" setting; when on, user and Page tokens without appsecret_proof are refused (GraphMethodException, code 100)"),
        ("DELETE", "/sandbox/_control/failures", "remove every plan"),
        ("GET", "/sandbox/_control/calls?path=&method=&product=", "{\"data\": [{at, method, path, product, token_fingerprint, code_fingerprint, status}]}: every call received, oldest first; fingerprints are the first 16 hex digits of SHA-256 of the token or code sent"),
        ("DELETE", "/sandbox/_control/calls", "clear the call log"),
        ("POST", "/sandbox/_control/signed_requests", "{\"product\": \"facebook\"|\"instagram\"|\"threads\", \"callback\": \"deauthorize\"|\"data_deletion\", \"user_id\", \"forged\": false, \"deliver\": false}: a signed_request signed with that product's secret (forged: with another); deliver POSTs it to this app's /webhooks/{meta|instagram|threads}/{deauthorize|data-deletion} and reports {url, status, body}"),
    ]
    .iter()
    .map(|(method, path, what)| format!("<tr><td>{method}</td><td><code>{}</code></td><td>{}</td></tr>", escape(path), escape(what)))
    .collect::<String>();
    Html(sandbox_page(
        "Sandbox control API",
        &format!(
            "<h1>Sandbox control API</h1><p>JSON over HTTP, for loopback clients only.</p>\
             <table class=\"table\"><thead><tr><th>Method</th><th>Path</th><th>Does</th></tr></thead><tbody>{rows}</tbody></table>"
        ),
    ))
}

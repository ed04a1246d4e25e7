//! Settings → Integrations (`/settings/integrations`): one row per connection (name, platform,
//! status, connected by, when) and the connect buttons; the welcome panel while there is none.
//! Errors from the OAuth callback arrive here as `?error=<code>`.

use crate::api::views::{ConnectionRow, CurrentUser};
use crate::app::components::connect::{ConnectButtons, ConnectError};
use crate::app::components::connections::WithConnections;
use crate::app::components::layout::AppLayout;
use crate::app::format::local_time;
use crate::app::request::flash;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn IntegrationsPage() -> impl IntoView {
    // A Page-role or duplicate error names names; its text travels in the flash, not the URL.
    let named_error = matches!(
        use_query_map().get_untracked().get("error").as_deref(),
        Some("page_role_insufficient" | "already_connected")
    );
    let detail = if named_error { flash() } else { None };
    view! {
        <AppLayout title="Integrations" hide_flash=named_error>
            <ConnectError detail=detail/>
            <WithConnections view=connections_view/>
        </AppLayout>
    }
}

/// Connections shown at a time.
const PER_PAGE: usize = 50;

fn connections_view(rows: Vec<ConnectionRow>, viewer: CurrentUser) -> AnyView {
    let pages = rows.len().div_ceil(PER_PAGE).max(1);
    let page = use_query_map()
        .get_untracked()
        .get("page")
        .and_then(|p| p.trim().parse::<usize>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
        .min(pages);
    let shown: Vec<ConnectionRow> = rows
        .into_iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .collect();
    let link = |to: usize, text: &'static str, rel: &'static str| {
        view! { <a href=format!("/settings/integrations?page={to}") rel=rel>{text}</a> }
    };
    let previous = (page > 1).then(|| link(page - 1, "Previous", "prev"));
    let next = (page < pages).then(|| link(page + 1, "Next", "next"));
    let paging = (pages > 1).then(|| {
        view! {
            <nav class="pages" aria-label="Pages">
                {previous}<span>{format!("Page {page} of {pages}")}</span>{next}
            </nav>
        }
    });
    view! {
        <ConnectButtons meta_label="Connect Meta"/>
        <ConnectionsTable rows=shown zone=viewer.time_zone/>
        {paging}
    }
    .into_any()
}

#[component]
fn ConnectionsTable(rows: Vec<ConnectionRow>, zone: String) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|row| {
            let status = match &row.status_reason {
                Some(reason) => format!("{} — {reason}", row.status.label()),
                None => row.status.label().to_owned(),
            };
            view! {
                <tr>
                    <td><a href=format!("/accounts/{}", row.id)>{row.name}</a></td>
                    <td>{row.platform.label()}</td>
                    <td>{status}</td>
                    <td>{row.connected_by}</td>
                    <td>{local_time(row.connected_at, &zone)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>"Connections"</h2>
        <table class="table connections">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Platform"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Connected by"</th>
                    <th scope="col">"Connected"</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
    }
}

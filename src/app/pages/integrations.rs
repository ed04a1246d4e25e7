//! Settings → Integrations (`/settings/integrations`): one row per connection (name, platform,
//! status, connected by, when) with **Disconnect** (and **Reconnect** where it needs
//! reauthorization), the connect buttons, and the **Disconnected profiles** with **Reconnect**
//! and, for Owners and Admins, **Delete**; the welcome panel while there is none. Errors from
//! the OAuth callback arrive here as `?error=<code>`; while Meta's backoff is in force a notice
//! says until when.

use crate::api::views::{ConnectionRow, ConnectionsPage, CurrentUser, DISCONNECTED_SHOWN};
use crate::app::components::account_actions::{
    AccountActions, ActionsError, DeleteButton, DisconnectButton, ReconnectButton,
};
use crate::app::components::backoff_notice::BackoffNotice;
use crate::app::components::connect::{ConnectButtons, ConnectError};
use crate::app::components::connections::WithConnections;
use crate::app::components::layout::AppLayout;
use crate::app::components::pager::Pager;
use crate::app::components::platform::PlatformName;
use crate::app::components::status_badge::StatusBadge;
use crate::app::components::table_frame::TableFrame;
use crate::app::components::welcome::WelcomePanel;
use crate::app::format::local_time;
use crate::app::request::flash;
use crate::domain::policy::{allows, Permission};
use crate::domain::AccountStatus;
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
            <BackoffNotice/>
            <ConnectError detail=detail/>
            <WithConnections view=connections_view/>
        </AppLayout>
    }
}

const HERE: &str = "/settings/integrations";

fn connections_view(listed: ConnectionsPage, viewer: CurrentUser) -> AnyView {
    let actions = AccountActions::new();
    let may_delete = allows(viewer.role, Permission::DeleteAccounts);
    let ConnectionsPage {
        live: shown,
        page,
        pages,
        disconnected,
        disconnected_total,
    } = listed;
    let paging = view! { <Pager path=HERE page=page pages=pages/> };
    // Only disconnected profiles left: the welcome panel, with them below it.
    let connected = match shown.is_empty() {
        true => view! { <WelcomePanel/> }.into_any(),
        false => view! {
            <ConnectButtons meta_label="Connect Meta"/>
            <ConnectionsTable rows=shown zone=viewer.time_zone.clone() actions=actions/>
        }
        .into_any(),
    };
    view! {
        <ActionsError actions=actions/>
        {connected}
        {paging}
        <DisconnectedProfiles rows=disconnected total=disconnected_total zone=viewer.time_zone actions=actions may_delete=may_delete/>
    }
    .into_any()
}

#[component]
fn ConnectionsTable(
    rows: Vec<ConnectionRow>,
    zone: String,
    actions: AccountActions,
) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|row| {
            let reconnect = (row.status == AccountStatus::NeedsReauth).then(|| {
                view! { <ReconnectButton actions=actions account_id=row.id return_to=HERE.to_owned()/> }
            });
            view! {
                <tr>
                    <td><a href=format!("/accounts/{}", row.id)>{row.name}</a></td>
                    <td><PlatformName platform=row.platform/></td>
                    <td><StatusBadge status=row.status reason=row.status_reason.clone()/></td>
                    <td>{row.connected_by}</td>
                    <td>{local_time(row.connected_at, &zone)}</td>
                    <td class="row-actions">
                        {reconnect}
                        <DisconnectButton account_id=row.id return_to=HERE.to_owned()/>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>"Connections"</h2>
        <TableFrame label="Connections list">
        <table class="table connections">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Platform"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Connected by"</th>
                    <th scope="col">"Connected"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
        </TableFrame>
    }
}

/// **Disconnected profiles**: accounts disconnected on purpose, each with **Reconnect** and,
/// for Owners and Admins, **Delete**.
#[component]
fn DisconnectedProfiles(
    rows: Vec<ConnectionRow>,
    total: u64,
    zone: String,
    actions: AccountActions,
    may_delete: bool,
) -> impl IntoView {
    let more = (total > DISCONNECTED_SHOWN).then(|| {
        view! {
            <p class="muted">
                {format!("Showing {DISCONNECTED_SHOWN} of {total}. ")}
                <a href="/accounts?status=disconnected">"See them all in Accounts"</a>
            </p>
        }
    });
    let items = rows
        .into_iter()
        .map(|row| {
            let delete = may_delete
                .then(|| view! { <DeleteButton account_id=row.id return_to=HERE.to_owned()/> });
            view! {
                <tr>
                    <td><a href=format!("/accounts/{}", row.id)>{row.name}</a></td>
                    <td><PlatformName platform=row.platform/></td>
                    <td>{row.connected_by}</td>
                    <td>{local_time(row.connected_at, &zone)}</td>
                    <td class="row-actions">
                        <ReconnectButton actions=actions account_id=row.id return_to=HERE.to_owned()/>
                        {delete}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let body = match total {
        0 => view! { <p class="muted">"No disconnected profiles."</p> }.into_any(),
        _ => view! {
            <TableFrame label="Disconnected accounts list">
            <table class="table disconnected">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Platform"</th>
                        <th scope="col">"Connected by"</th>
                        <th scope="col">"Connected"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>{items}</tbody>
            </table>
            </TableFrame>
        }
        .into_any(),
    };
    view! {
        <section aria-labelledby="disconnected-title">
            <h2 id="disconnected-title">"Disconnected profiles"</h2>
            {body}
            {more}
        </section>
    }
}

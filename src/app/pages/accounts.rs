//! The accounts list (`/accounts`): the welcome panel until an account is connected, then the
//! accounts with their platform, username and status. (Filters, search, token expiry and
//! usage columns come with the accounts-list work.)

use crate::api::views::{ConnectionRow, CurrentUser};
use crate::app::components::connections::WithConnections;
use crate::app::components::layout::AppLayout;
use leptos::prelude::*;

#[component]
pub fn AccountsPage() -> impl IntoView {
    view! {
        <AppLayout title="Accounts">
            <WithConnections view=accounts_table/>
        </AppLayout>
    }
}

fn accounts_table(rows: Vec<ConnectionRow>, _viewer: CurrentUser) -> AnyView {
    let body = rows
        .into_iter()
        .map(|row| {
            view! {
                <tr>
                    <td>{row.name}</td>
                    <td>{row.platform.label()}</td>
                    <td>{row.username.unwrap_or_default()}</td>
                    <td>{row.status.label()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table accounts">
            <thead>
                <tr>
                    <th scope="col">"Account Name"</th>
                    <th scope="col">"Platform"</th>
                    <th scope="col">"Username"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
    }
    .into_any()
}

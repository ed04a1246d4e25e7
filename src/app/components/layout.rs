//! The signed-in page frame: header (workspace name, navigation, Sign out), flash message and
//! the page's content.

use crate::api::auth::Logout;
use crate::app::request::{current_user, flash};
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn AppLayout(title: &'static str, children: Children) -> impl IntoView {
    let user = current_user();
    let logout = ServerAction::<Logout>::new();
    let workspace_name = user
        .as_ref()
        .map(|u| u.workspace.name.clone())
        .unwrap_or_default();
    let person = user.as_ref().map(|u| u.name.clone()).unwrap_or_default();
    view! {
        <header class="topbar">
            <a class="brand" href="/accounts">"Switchboard"</a>
            <span class="workspace-name">{workspace_name}</span>
            <nav aria-label="Main">
                <a href="/accounts">"Accounts"</a>
                <span class="nav-group">"Settings"</span>
                <a href="/settings/integrations">"Integrations"</a>
                <a href="/settings/members">"Members"</a>
            </nav>
            <span class="person">{person}</span>
            <ActionForm action=logout attr:class="inline">
                <button type="submit">"Sign out"</button>
            </ActionForm>
        </header>
        <main class="page">
            {flash().map(|message| view! { <p class="flash" role="status">{message}</p> })}
            <h1>{title}</h1>
            {children()}
        </main>
    }
}

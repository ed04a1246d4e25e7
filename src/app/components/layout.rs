//! The signed-in page frame: header (workspace name and switcher, navigation, Sign out), flash
//! message and the page's content. Administrative links appear only for roles that may use them.

use crate::api::auth::Logout;
use crate::api::workspaces::SwitchWorkspace;
use crate::app::components::form_error::FormError;
use crate::app::request::{current_user, flash};
use crate::domain::policy::{allows, Permission};
use crate::domain::Role;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// `hide_flash`: the page shows the flash itself (a connect error that names Pages).
#[component]
pub fn AppLayout(
    title: &'static str,
    #[prop(optional)] hide_flash: bool,
    children: Children,
) -> impl IntoView {
    let user = current_user();
    let logout = ServerAction::<Logout>::new();
    let switch = ServerAction::<SwitchWorkspace>::new();
    let role = user.as_ref().map(|u| u.role).unwrap_or(Role::Member);
    let workspace_name = user
        .as_ref()
        .map(|u| u.workspace.name.clone())
        .unwrap_or_default();
    let person = user.as_ref().map(|u| u.name.clone()).unwrap_or_default();
    let current_id = user.as_ref().map(|u| u.workspace.id).unwrap_or_default();
    let others = user
        .as_ref()
        .map(|u| u.workspaces.clone())
        .unwrap_or_default();
    let switcher = (others.len() > 1).then(|| {
        let options = others
            .into_iter()
            .map(|w| view! { <option value=w.id.to_string() selected=w.id == current_id>{w.name}</option> })
            .collect_view();
        view! {
            <ActionForm action=switch attr:class="switcher">
                <label class="visually-hidden" for="workspace-switcher">"Workspace"</label>
                <select id="workspace-switcher" name="workspace_id">{options}</select>
                <button type="submit">"Switch"</button>
            </ActionForm>
        }
    });
    view! {
        <header class="topbar">
            <a class="brand" href="/accounts">"Switchboard"</a>
            <span class="workspace-name">{workspace_name}</span>
            {switcher}
            <a class="new-workspace" href="/workspaces/new">"New workspace"</a>
            <nav aria-label="Main">
                <a href="/accounts">"Accounts"</a>
                {allows(role, Permission::Publish).then(|| view! { <a href="/compose">"Compose"</a> })}
                <a href="/posts">"Posts"</a>
                <span class="nav-group">"Settings"</span>
                <a href="/settings/integrations">"Integrations"</a>
                <a href="/settings/members">"Members"</a>
                {allows(role, Permission::RenameWorkspace).then(|| view! { <a href="/settings/workspace">"Workspace"</a> })}
                {allows(role, Permission::ViewActivity).then(|| view! { <a href="/settings/activity">"Activity"</a> })}
                <a href="/settings/account">"Your account"</a>
            </nav>
            <span class="person">{person}</span>
            <ActionForm action=logout attr:class="inline">
                <button type="submit">"Sign out"</button>
            </ActionForm>
        </header>
        <main class="page">
            {flash().filter(|_| !hide_flash).map(|message| view! { <p class="flash" role="status">{message}</p> })}
            <FormError error=switch.value().get_untracked().and_then(Result::err)/>
            <h1>{title}</h1>
            {children()}
        </main>
    }
}

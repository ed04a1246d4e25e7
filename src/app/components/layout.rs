//! The page frames. [`AppLayout`] is the signed-in frame: a skip link, the header (brand,
//! workspace name or switcher with New workspace beside it, navigation, Sign out), the flash message, the
//! page's content in `<main id="main">` and a footer naming who is signed in. Administrative
//! links appear only for roles that may use them. [`PublicLayout`] frames the pages anyone may
//! see (sign-in, first run, 404, data-deletion status) with the same landmarks.
//!
//! On a phone the navigation collapses into a `<details>` "Menu", which opens and closes
//! without JavaScript; on wider screens the stylesheet shows its content in one line and hides
//! the summary (see style/main.css → Header).

use crate::api::auth::Logout;
use crate::api::workspaces::SwitchWorkspace;
use crate::app::components::form_error::FormError;
use crate::app::request::{current_path, current_user, flash};
use crate::domain::policy::{allows, Permission};
use crate::domain::Role;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// A navigation link, marked `aria-current="page"` on its own page and the pages under it.
fn nav_link(here: &str, href: &'static str, label: &'static str) -> impl IntoView {
    let current = here == href || here.starts_with(&format!("{href}/"));
    view! { <li><a href=href aria-current=current.then_some("page")>{label}</a></li> }
}

#[component]
fn SkipLink() -> impl IntoView {
    view! { <a class="skip-link" href="#main">"Skip to content"</a> }
}

#[component]
fn Brand(#[prop(optional)] link: bool) -> impl IntoView {
    let inner = || {
        view! {
            <img src="/favicon.svg" alt="" width="24" height="24"/>
            <span class="brand-name">"Switchboard"</span>
        }
    };
    match link {
        true => view! { <a class="brand" href="/accounts">{inner()}</a> }.into_any(),
        false => view! { <span class="brand">{inner()}</span> }.into_any(),
    }
}

/// The navigation: the day-to-day pages, then Settings. Links a role may not use are left out.
fn main_nav(here: &str, role: Role) -> AnyView {
    let link = |href: &'static str, label: &'static str| nav_link(here, href, label);
    view! {
        <nav aria-label="Main">
            <ul class="nav-list">
                {link("/accounts", "Accounts")}
                {allows(role, Permission::Publish).then(|| link("/compose", "Compose"))}
                {link("/posts", "Posts")}
            </ul>
            <span class="nav-group" id="nav-settings">"Settings"</span>
            <ul class="nav-list" aria-labelledby="nav-settings">
                {link("/settings/integrations", "Integrations")}
                {link("/settings/members", "Members")}
                {allows(role, Permission::RenameWorkspace).then(|| link("/settings/workspace", "Workspace"))}
                {allows(role, Permission::ViewActivity).then(|| link("/settings/activity", "Activity"))}
                {link("/settings/account", "Your account")}
            </ul>
        </nav>
    }
    .into_any()
}

/// `hide_flash`: the page shows the flash itself (a connect error that names Pages).
#[component]
pub fn AppLayout(
    title: &'static str,
    #[prop(optional)] hide_flash: bool,
    children: Children,
) -> impl IntoView {
    let user = current_user();
    let here = current_path();
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
    // With several workspaces the switcher's select shows the current one's name.
    let workspace = match others.len() > 1 {
        true => {
            let options = others
                .into_iter()
                .map(|w| view! { <option value=w.id.to_string() selected=w.id == current_id>{w.name}</option> })
                .collect_view();
            view! {
                <ActionForm action=switch attr:class="switcher">
                    <label class="visually-hidden" for="workspace-switcher">"Workspace"</label>
                    <select id="workspace-switcher" name="workspace_id">{options}</select>
                    <button type="submit" class="quiet">"Switch"</button>
                </ActionForm>
            }
            .into_any()
        }
        false => view! { <span class="workspace-name">{workspace_name}</span> }.into_any(),
    };
    let header = view! {
        <header class="topbar">
            <Brand link=true/>
            <div class="workspace">
                {workspace}
                // Beside the switcher, as docs/product.md places it; the "+" is for the eye.
                <a class="new-workspace" href="/workspaces/new" title="New workspace">
                    <span aria-hidden="true">"+"</span>
                    <span class="visually-hidden">"New workspace"</span>
                </a>
            </div>
            <details class="menu">
                <summary>"Menu"</summary>
                <div class="menu-panel">
                    {main_nav(&here, role)}
                    <div class="session">
                        <ActionForm action=logout attr:class="inline">
                            <button type="submit" class="quiet">"Sign out"</button>
                        </ActionForm>
                    </div>
                </div>
            </details>
        </header>
    }
    .into_any();
    view! {
        <SkipLink/>
        {header}
        <main id="main" class="page" tabindex="-1">
            {flash().filter(|_| !hide_flash).map(|message| view! {
                <p class="flash" role="status" aria-live="polite">{message}</p>
            })}
            <FormError error=switch.value().get_untracked().and_then(Result::err)/>
            <h1>{title}</h1>
            {children()}
        </main>
        <footer class="footer">
            <p>"Signed in as " <span class="person">{person}</span></p>
        </footer>
    }
}

/// The frame of the public pages, each a single narrow column.
#[component]
pub fn PublicLayout(children: Children) -> impl IntoView {
    view! {
        <SkipLink/>
        <header class="topbar public">
            <Brand/>
        </header>
        <main id="main" class="page narrow" tabindex="-1">
            {children()}
        </main>
        <footer class="footer">
            <p>"Switchboard keeps your team's social accounts connected."</p>
        </footer>
    }
}

//! The Leptos UI, rendered on the server only: the HTML shell, the router and the pages. Pages
//! read the request (signed-in user, flash, query) from context and never touch the database
//! directly: they call services through the state, or post forms to `api` server functions.

pub mod components;
pub mod format;
pub mod pages;
pub mod request;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use pages::{
    account::AccountPage,
    account_detail::AccountDetailPage,
    accounts::AccountsPage,
    activity::ActivityPage,
    compose::ComposePage,
    confirm::{DeleteConfirmPage, DisconnectConfirmPage},
    data_deletion::DataDeletionPage,
    integrations::IntegrationsPage,
    login::LoginPage,
    logout::LogoutPage,
    members::MembersPage,
    new_workspace::NewWorkspacePage,
    not_found::NotFound,
    posts::PostsPage,
    setup::SetupPage,
    workspace::WorkspacePage,
};

/// The whole document. No hydration scripts: every page works without JavaScript. `/app.js`
/// only adds conveniences (auto-submitting filters, ticking relative times, offering the
/// browser's time zone); it is a file, as the CSP (`script-src 'self'`) requires.
pub fn shell(_options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <title>{page_title(&request::current_path())}</title>
                <link rel="stylesheet" href="/style/main.css"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <script type="module" src="/app.js"></script>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The document's title, naming the page first ("Members · Switchboard") so tabs, history and
/// screen readers tell pages apart (WCAG 2.4.2). Unknown paths get the plain name.
fn page_title(path: &str) -> String {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let page = match segments.as_slice() {
        ["setup"] => "Set up",
        ["login"] => "Sign in",
        ["logout"] => "Sign out",
        ["accounts"] => "Accounts",
        ["accounts", _] => "Account",
        ["accounts", _, "disconnect"] => "Disconnect",
        ["accounts", _, "delete"] => "Delete",
        ["compose"] => "Compose",
        ["posts"] => "Posts",
        ["settings", "integrations"] => "Integrations",
        ["settings", "members"] => "Members",
        ["settings", "account"] => "Your account",
        ["settings", "workspace"] => "Workspace",
        ["settings", "activity"] => "Activity",
        ["workspaces", "new"] => "New workspace",
        ["data-deletion", _] => "Data deletion request",
        _ => return "Switchboard".to_owned(),
    };
    format!("{page} · Switchboard")
}

/// Routes render with `SsrMode::Async`: the page is sent once every query has finished, so
/// nothing depends on streaming scripts.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/setup") view=SetupPage ssr=SsrMode::Async/>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/logout") view=LogoutPage ssr=SsrMode::Async/>
                <Route path=path!("/accounts") view=AccountsPage ssr=SsrMode::Async/>
                <Route path=path!("/accounts/:id") view=AccountDetailPage ssr=SsrMode::Async/>
                <Route path=path!("/accounts/:id/disconnect") view=DisconnectConfirmPage ssr=SsrMode::Async/>
                <Route path=path!("/accounts/:id/delete") view=DeleteConfirmPage ssr=SsrMode::Async/>
                <Route path=path!("/compose") view=ComposePage ssr=SsrMode::Async/>
                <Route path=path!("/posts") view=PostsPage ssr=SsrMode::Async/>
                <Route path=path!("/settings/integrations") view=IntegrationsPage ssr=SsrMode::Async/>
                <Route path=path!("/settings/members") view=MembersPage ssr=SsrMode::Async/>
                <Route path=path!("/settings/account") view=AccountPage ssr=SsrMode::Async/>
                <Route path=path!("/settings/workspace") view=WorkspacePage ssr=SsrMode::Async/>
                <Route path=path!("/settings/activity") view=ActivityPage ssr=SsrMode::Async/>
                <Route path=path!("/workspaces/new") view=NewWorkspacePage ssr=SsrMode::Async/>
                <Route path=path!("/data-deletion/:code") view=DataDeletionPage ssr=SsrMode::Async/>
                <Route path=path!("/*any") view=NotFound ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

#[cfg(test)]
mod tests {
    use super::page_title;

    #[test]
    fn every_page_title_names_its_page_before_the_product() {
        assert_eq!(page_title("/accounts"), "Accounts · Switchboard");
        assert_eq!(page_title("/accounts/12"), "Account · Switchboard");
        assert_eq!(
            page_title("/accounts/12/disconnect"),
            "Disconnect · Switchboard"
        );
        assert_eq!(page_title("/settings/members"), "Members · Switchboard");
        assert_eq!(page_title("/no/such/page"), "Switchboard");
    }
}

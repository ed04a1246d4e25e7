//! One page of the workspace's connections (the `page` query parameter), loaded once for a
//! page: the welcome panel while there are none, otherwise whatever the page renders from them.

use crate::api::queries;
use crate::api::views::{ConnectionsPage, CurrentUser};
use crate::app::components::welcome::WelcomePanel;
use crate::app::request::current_user;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Renders `view` with the connections and the viewer, or the welcome panel when there are none.
#[component]
pub fn WithConnections(view: fn(ConnectionsPage, CurrentUser) -> AnyView) -> impl IntoView {
    // Anything but a whole number is the first page; past the last, the last.
    let page = use_query_map()
        .get_untracked()
        .get("page")
        .and_then(|p| p.trim().parse::<u64>().ok())
        .unwrap_or(1);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Some(user) = current_user() else {
                    return view! { <p>"Please sign in to continue."</p> }.into_any();
                };
                match queries::connections(page).await {
                    Ok(listed) if listed.is_empty() => view! { <WelcomePanel/> }.into_any(),
                    Ok(listed) => view(listed, user),
                    Err(err) => {
                        view! { <p class="form-error" role="alert">{err.message()}</p> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

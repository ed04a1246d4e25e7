//! The workspace's connections, loaded once for a page: the welcome panel while there are
//! none, otherwise whatever the page renders from them.

use crate::api::queries;
use crate::api::views::{ConnectionRow, CurrentUser};
use crate::app::components::welcome::WelcomePanel;
use crate::app::request::current_user;
use leptos::prelude::*;

/// Renders `view` with the connections and the viewer, or the welcome panel when there are none.
#[component]
pub fn WithConnections(view: fn(Vec<ConnectionRow>, CurrentUser) -> AnyView) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Some(user) = current_user() else {
                    return view! { <p>"Please sign in to continue."</p> }.into_any();
                };
                match queries::connections().await {
                    Ok(rows) if rows.is_empty() => view! { <WelcomePanel/> }.into_any(),
                    Ok(rows) => view(rows, user),
                    Err(err) => {
                        view! { <p class="form-error" role="alert">{err.message()}</p> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

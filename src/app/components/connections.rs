//! The workspace's connections, loaded once for a page: the welcome panel while there are
//! none, otherwise whatever the page renders from them.

use crate::app::components::welcome::WelcomePanel;
use crate::app::request::{app_state, current_user};
use crate::error::AppError;
use crate::server::auth::current::CurrentUser;
use crate::server::services::connections::{self, ConnectionRow};
use leptos::prelude::*;

/// Renders `view` with the connections and the viewer, or the welcome panel when there are none.
#[component]
pub fn WithConnections(view: fn(Vec<ConnectionRow>, CurrentUser) -> AnyView) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let (Some(state), Some(user)) = (app_state(), current_user()) else {
                    return view! { <p>"Please sign in to continue."</p> }.into_any();
                };
                match connections::connections(&state.db, user.workspace.id).await {
                    Ok(rows) if rows.is_empty() => view! { <WelcomePanel/> }.into_any(),
                    Ok(rows) => view(rows, user),
                    Err(err) => {
                        let err = AppError::from(err);
                        view! { <p class="form-error" role="alert">{err.message()}</p> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

//! Settings → Members (`/settings/members`): the workspace's members and their roles.

use crate::app::components::layout::AppLayout;
use crate::app::request::{app_state, current_user};
use crate::server::services::members;
use leptos::prelude::*;

#[component]
pub fn MembersPage() -> impl IntoView {
    view! {
        <AppLayout title="Members">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let (Some(state), Some(user)) = (app_state(), current_user()) else {
                        return view! { <p>"Please sign in to continue."</p> }.into_any();
                    };
                    match members::list(&state.db, user.workspace.id).await {
                        Ok(rows) => view! {
                            <table class="table">
                                <thead><tr><th>"Name"</th><th>"Email"</th><th>"Role"</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|m| view! {
                                        <tr><td>{m.name}</td><td>{m.email}</td><td>{m.role.label()}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(err) => view! { <p class="form-error" role="alert">{err.message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

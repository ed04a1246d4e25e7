//! New workspace (`/workspaces/new`): anyone signed in may create one and becomes its Owner.

use crate::api::workspaces::CreateWorkspace;
use crate::app::components::form_error::FormError;
use crate::app::components::layout::AppLayout;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn NewWorkspacePage() -> impl IntoView {
    let action = ServerAction::<CreateWorkspace>::new();
    view! {
        <AppLayout title="New workspace">
            <p class="muted">"You'll be its Owner; switch between your workspaces from the header."</p>
            <FormError error=action.value().get_untracked().and_then(Result::err)/>
            <ActionForm action=action>
                <label>"Workspace name"<input type="text" name="name" required maxlength="100"/></label>
                <button type="submit">"Create workspace"</button>
            </ActionForm>
        </AppLayout>
    }
}

//! Workspace settings (`/settings/workspace`, Owner): rename the workspace.

use crate::api::workspaces::RenameWorkspace;
use crate::app::components::forbidden::Forbidden;
use crate::app::components::form_error::FormError;
use crate::app::components::layout::AppLayout;
use crate::app::request::current_user;
use crate::domain::policy::{authorize, Permission};
use crate::domain::Role;
use crate::error::AppError;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn WorkspacePage() -> impl IntoView {
    let action = ServerAction::<RenameWorkspace>::new();
    let user = current_user();
    let role = user.as_ref().map(|u| u.role).unwrap_or(Role::Member);
    let name = user.map(|u| u.workspace.name).unwrap_or_default();
    let body = match authorize(role, Permission::RenameWorkspace) {
        Err(refused) => view! { <Forbidden error=AppError::from(refused)/> }.into_any(),
        Ok(()) => view! {
            <FormError error=action.value().get_untracked().and_then(Result::err)/>
            <ActionForm action=action>
                <label>"Workspace name"<input type="text" name="name" required maxlength="100" value=name/></label>
                <button type="submit">"Rename workspace"</button>
            </ActionForm>
        }
        .into_any(),
    };
    view! { <AppLayout title="Workspace">{body}</AppLayout> }
}

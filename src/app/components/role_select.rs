//! A **Role** select offering the roles the viewer may hand out (Owners may make Owners).

use crate::domain::policy::{allows, Permission};
use crate::domain::Role;
use leptos::prelude::*;

#[component]
pub fn RoleSelect(
    viewer: Role,
    selected: Role,
    #[prop(optional)] id: Option<String>,
) -> impl IntoView {
    let options = Role::ALL
        .into_iter()
        .filter(|role| *role != Role::Owner || allows(viewer, Permission::ManageOwners) || selected == Role::Owner)
        .map(|role| view! { <option value=role.as_str() selected=role == selected>{role.label()}</option> })
        .collect_view();
    view! { <select name="role" id=id>{options}</select> }
}

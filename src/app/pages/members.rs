//! Settings → Members (`/settings/members`): members and roles for everyone to see; the
//! controls (Role + Save, Reset password, Remove, Add member) only for Owners and Admins. The
//! server checks every action either way.

use crate::api::members::{AddMember, ChangeRole, RemoveMember, ResetPassword};
use crate::api::queries;
use crate::api::views::MemberRow;
use crate::app::components::form_error::FormError;
use crate::app::components::layout::AppLayout;
use crate::app::components::role_select::RoleSelect;
use crate::app::components::table_frame::TableFrame;
use crate::app::request::current_user;
use crate::domain::policy::{allows, Permission};
use crate::domain::Role;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn MembersPage() -> impl IntoView {
    let add = ServerAction::<AddMember>::new();
    let change = ServerAction::<ChangeRole>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let errors = [
        add.value().get_untracked().and_then(Result::err),
        change.value().get_untracked().and_then(Result::err),
        reset.value().get_untracked().and_then(Result::err),
        remove.value().get_untracked().and_then(Result::err),
    ];
    view! {
        <AppLayout title="Members">
            {errors.into_iter().map(|error| view! { <FormError error=error/> }).collect_view()}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let Some(user) = current_user() else {
                        return view! { <p>"Please sign in to continue."</p> }.into_any();
                    };
                    let manage = allows(user.role, Permission::ManageMembers);
                    match queries::members().await {
                        Ok(rows) => view! {
                            <MembersTable rows=rows viewer=user.role viewer_id=user.user_id manage=manage
                                change=change reset=reset remove=remove/>
                            {manage.then(|| view! { <AddMemberForm viewer=user.role action=add/> })}
                        }.into_any(),
                        Err(err) => view! { <p class="form-error" role="alert">{err.message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn MembersTable(
    rows: Vec<MemberRow>,
    viewer: Role,
    viewer_id: i64,
    manage: bool,
    change: ServerAction<ChangeRole>,
    reset: ServerAction<ResetPassword>,
    remove: ServerAction<RemoveMember>,
) -> impl IntoView {
    let rows = rows
        .into_iter()
        .map(|member| {
            let id = member.user_id.to_string();
            let is_self = member.user_id == viewer_id;
            let controls = (manage && !is_self).then(|| {
                let (id1, id2, id3) = (id.clone(), id.clone(), id.clone());
                let select_id = format!("role-{id}");
                view! {
                    <td class="controls">
                        <ActionForm action=change attr:class="row-form">
                            <input type="hidden" name="user_id" value=id1/>
                            <label for=select_id.clone()>"Role"</label>
                            <RoleSelect viewer=viewer selected=member.role id=select_id/>
                            <button type="submit">"Save"</button>
                        </ActionForm>
                        <ActionForm action=reset attr:class="row-form">
                            <input type="hidden" name="user_id" value=id2/>
                            <label>"New password"
                                <input type="password" name="password" minlength="8" maxlength="128" autocomplete="new-password"/>
                            </label>
                            <button type="submit">"Reset password"</button>
                        </ActionForm>
                        <ActionForm action=remove attr:class="row-form">
                            <input type="hidden" name="user_id" value=id3/>
                            <button type="submit" class="danger">"Remove"</button>
                        </ActionForm>
                    </td>
                }
            });
            let placeholder = (manage && is_self).then(|| view! { <td class="muted">"You"</td> });
            let row_key = member.email.clone();
            view! {
                <tr data-member=row_key>
                    <td>{member.name}</td>
                    <td>{member.email}</td>
                    <td>{member.role.label()}</td>
                    {controls}
                    {placeholder}
                </tr>
            }
        })
        .collect_view();
    view! {
        <TableFrame label="Members list">
        <table class="table members">
            <thead>
                <tr>
                    <th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Role"</th>
                    {manage.then(|| view! { <th scope="col">"Manage"</th> })}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        </TableFrame>
    }
}

#[component]
fn AddMemberForm(viewer: Role, action: ServerAction<AddMember>) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Add member"</h2>
            <p class="muted">
                "Someone who already has a Switchboard account is added with their own password; "
                "the password below is used only for a new account."
            </p>
            <ActionForm action=action>
                <label>"Email"<input type="email" name="email" required maxlength="254"/></label>
                <label>"Name"<input type="text" name="name" required maxlength="100"/></label>
                <label for="new-member-role">"Role"</label>
                <RoleSelect viewer=viewer selected=Role::Member id="new-member-role".to_owned()/>
                <label>"Password"<input type="password" name="password" maxlength="128" autocomplete="new-password"/></label>
                <button type="submit">"Add member"</button>
            </ActionForm>
        </section>
    }
}

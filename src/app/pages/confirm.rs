//! The confirmation steps (docs/product.md → Names and wording → disconnect): plain pages that
//! work without JavaScript, naming what goes with the account, with **Yes, disconnect** (or
//! **Yes, delete**) and **Cancel**. `?from=` is the page to return to. A role that may not go
//! ahead sees the role message instead of the button; the server checks again anyway.

use crate::api::connections::{DeleteAccount, DisconnectAccount};
use crate::api::queries;
use crate::api::views::{ConfirmView, Subject};
use crate::app::components::form_error::FormError;
use crate::app::components::layout::AppLayout;
use crate::app::request::set_status;
use crate::domain::policy::Permission;
use crate::domain::return_to::safe_return_to;
use crate::domain::{AccountStatus, Provider};
use crate::error::AppError;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

const INTEGRATIONS: &str = "/settings/integrations";

/// `?from=` when it is one of the app's pages — judged by the same resolver as sign-in's
/// `?next=` and the server function's `return_to`, so Cancel can't lead off the site.
fn return_to() -> String {
    use_query_map()
        .get_untracked()
        .get("from")
        .and_then(|from| safe_return_to(&from))
        .filter(|path| path.len() <= 512)
        .unwrap_or_else(|| INTEGRATIONS.to_owned())
}

/// Loads the account for `permission`, then renders `body`.
fn confirmation(permission: Permission, body: fn(ConfirmView, String) -> AnyView) -> impl IntoView {
    let id = use_params_map()
        .get_untracked()
        .get("id")
        .unwrap_or_default();
    let from = return_to();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let (id, from) = (id.clone(), from.clone());
                Suspend::new(async move {
                    match queries::confirm(&id, permission).await {
                        Ok(view) => body(view, from),
                        Err(err) => {
                            if err == AppError::NotFound {
                                set_status(http::StatusCode::NOT_FOUND);
                            }
                            view! { <p class="form-error" role="alert">{err.message()}</p> }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn DisconnectConfirmPage() -> impl IntoView {
    view! {
        <AppLayout title="Disconnect">
            {confirmation(Permission::DisconnectAccounts, disconnect_view)}
        </AppLayout>
    }
}

#[component]
pub fn DeleteConfirmPage() -> impl IntoView {
    view! {
        <AppLayout title="Delete">
            {confirmation(Permission::DeleteAccounts, delete_view)}
        </AppLayout>
    }
}

/// What happens at Meta, in the product's words.
fn at_meta(subject: &Subject) -> AnyView {
    match subject.provider {
        Provider::Facebook => view! {
            <p>"Switchboard also removes its access on Facebook once no other connected account \
                uses the same Facebook login."</p>
        }
        .into_any(),
        Provider::Instagram => view! {
            <p>"Instagram offers no way for Switchboard to remove its own access. To remove it on \
                Instagram too, go to "
                <a href="https://www.instagram.com/accounts/manage_access/" rel="noreferrer">
                    "instagram.com/accounts/manage_access"
                </a>"."</p>
        }
        .into_any(),
        Provider::Threads => view! {
            <p>"Threads offers no way for Switchboard to remove its own access. To remove it on \
                Threads too, go to Threads → Settings → Account → Website permissions."</p>
        }
        .into_any(),
    }
}

/// The role message in place of the button, with the 403 every refused page answers (the
/// subject and Cancel stay, so the person knows what they can't do and whom to ask).
fn refused(permission: Permission) -> AnyView {
    set_status(http::StatusCode::FORBIDDEN);
    let message = AppError::RoleForbidden { action: permission }.message();
    view! { <p class="form-error" role="alert">{message}</p> }.into_any()
}

fn disconnect_view(view: ConfirmView, from: String) -> AnyView {
    let ConfirmView { subject, allowed } = view;
    let action = ServerAction::<DisconnectAccount>::new();
    let error = action.value().get_untracked().and_then(Result::err);
    if subject.status == AccountStatus::Disconnected {
        return view! {
            <h2>{subject.name.clone()}</h2>
            <p>{format!("{} is already disconnected.", subject.name)}</p>
            <p><a href=from>"Back"</a></p>
        }
        .into_any();
    }
    let described = subject.described();
    let back = from.clone();
    let go = match allowed {
        true => view! {
            <ActionForm action=action attr:class="inline">
                <input type="hidden" name="account_id" value=subject.id.to_string()/>
                <input type="hidden" name="return_to" value=back/>
                <button type="submit" class="danger">"Yes, disconnect"</button>
            </ActionForm>
        }
        .into_any(),
        false => refused(Permission::DisconnectAccounts),
    };
    view! {
        <section class="card confirm" aria-labelledby="confirm-title">
        <h2 id="confirm-title">{format!("Disconnect {}?", subject.name)}</h2>
        <FormError error=error/>
        <p class="confirm-subject">{format!("This disconnects {described}.")}</p>
        <p>"Its tokens are destroyed at once and it leaves the active lists. It stays under \
            Disconnected profiles on Integrations, where it can be reconnected."</p>
        {at_meta(&subject)}
        <div class="confirm-buttons">
            {go}
            <a class="button secondary" href=from>"Cancel"</a>
        </div>
        </section>
    }
    .into_any()
}

fn linked_note(subject: &Subject) -> &'static str {
    match subject.platform {
        crate::domain::Platform::FacebookPage => {
            " and the disconnected Instagram accounts linked through it"
        }
        _ => "",
    }
}

fn delete_view(view: ConfirmView, from: String) -> AnyView {
    let ConfirmView { subject, allowed } = view;
    let action = ServerAction::<DeleteAccount>::new();
    let error = action.value().get_untracked().and_then(Result::err);
    let go = match (allowed, subject.status) {
        (false, _) => refused(Permission::DeleteAccounts),
        (true, AccountStatus::Disconnected) => view! {
            <ActionForm action=action attr:class="inline">
                <input type="hidden" name="account_id" value=subject.id.to_string()/>
                <button type="submit" class="danger">"Yes, delete"</button>
            </ActionForm>
        }
        .into_any(),
        (true, _) => view! {
            <p class="form-error" role="alert">{AppError::NotDisconnected.message()}</p>
        }
        .into_any(),
    };
    view! {
        <section class="card confirm" aria-labelledby="confirm-title">
        <h2 id="confirm-title">{format!("Delete {} for good?", subject.name)}</h2>
        <FormError error=error/>
        <p class="confirm-subject">{format!("This deletes {} from Switchboard for good, with its posts{}.", subject.name, linked_note(&subject))}</p>
        <p>"The activity log keeps a record. To use it again, connect it again."</p>
        <div class="confirm-buttons">
            {go}
            <a class="button secondary" href=from>"Cancel"</a>
        </div>
        </section>
    }
    .into_any()
}

//! The buttons that fix or end a connection: **Reconnect** (a form posting to the server
//! function, which sends the browser to Meta), **Disconnect** and **Delete** (links, as
//! buttons, to their confirmation pages, which work without JavaScript). Reconnect and
//! Disconnect are shown to every role — the server answers a role that may not use them with
//! the role message; Delete only to Owners and Admins. One [`AccountActions`] per page holds
//! the Reconnect action, so its error shows once at the top however many rows carry the button.

use crate::api::connections::ReconnectAccount;
use crate::app::components::form_error::FormError;
use crate::error::AppError;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The page's Reconnect action.
#[derive(Clone, Copy)]
pub struct AccountActions {
    reconnect: ServerAction<ReconnectAccount>,
}

impl AccountActions {
    pub fn new() -> Self {
        Self {
            reconnect: ServerAction::<ReconnectAccount>::new(),
        }
    }

    /// The last Reconnect's error, shown where the page puts [`ActionsError`].
    fn error(&self) -> Option<AppError> {
        self.reconnect.value().get_untracked().and_then(Result::err)
    }
}

impl Default for AccountActions {
    fn default() -> Self {
        Self::new()
    }
}

/// The error of the page's last Reconnect, if any.
#[component]
pub fn ActionsError(actions: AccountActions) -> impl IntoView {
    view! { <FormError error=actions.error()/> }
}

/// **Reconnect** for `account_id`, coming back to `return_to`. `through` names the Page an
/// Instagram account linked through a Page is reconnected by.
#[component]
pub fn ReconnectButton(
    actions: AccountActions,
    account_id: i64,
    return_to: String,
    #[prop(default = None)] through: Option<String>,
) -> impl IntoView {
    let hint = through.map(|page| {
        let id = format!("reconnect-through-{account_id}");
        (
            id.clone(),
            view! { <span id=id class="hint">{format!("Reconnects through its Page, {page}.")}</span> },
        )
    });
    let described = hint.as_ref().map(|(id, _)| id.clone());
    view! {
        <ActionForm action=actions.reconnect attr:class="inline">
            <input type="hidden" name="account_id" value=account_id.to_string()/>
            <input type="hidden" name="return_to" value=return_to/>
            <button type="submit" aria-describedby=described>"Reconnect"</button>
        </ActionForm>
        {hint.map(|(_, view)| view)}
    }
}

/// A button that opens a confirmation page (a GET form: nothing changes until it is confirmed).
#[component]
fn ConfirmLink(
    account_id: i64,
    step: &'static str,
    label: &'static str,
    return_to: String,
) -> impl IntoView {
    view! {
        <form method="get" action=format!("/accounts/{account_id}/{step}") class="inline">
            <input type="hidden" name="from" value=return_to/>
            <button type="submit" class="secondary">{label}</button>
        </form>
    }
}

/// **Disconnect**: to its confirmation page.
#[component]
pub fn DisconnectButton(account_id: i64, return_to: String) -> impl IntoView {
    view! { <ConfirmLink account_id=account_id step="disconnect" label="Disconnect" return_to=return_to/> }
}

/// **Delete** (for good): to its confirmation page.
#[component]
pub fn DeleteButton(account_id: i64, return_to: String) -> impl IntoView {
    view! { <ConfirmLink account_id=account_id step="delete" label="Delete" return_to=return_to/> }
}

//! The connect buttons and the connect error. The buttons are shown to every role (people
//! should know the action exists; the server answers a Member with the role message); Connect
//! Instagram and Connect Threads are disabled until their flows are configured.

use crate::api::connect::ConnectMeta;
use crate::app::components::form_error::FormError;
use crate::error::AppError;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// **Connect Meta** (or **Connect Meta Account** on the welcome panel), then the disabled
/// Instagram and Threads buttons.
#[component]
pub fn ConnectButtons(meta_label: &'static str) -> impl IntoView {
    let connect = ServerAction::<ConnectMeta>::new();
    view! {
        <FormError error=connect.value().get_untracked().and_then(Result::err)/>
        <div class="connect-buttons">
            <ActionForm action=connect attr:class="inline">
                <button type="submit">{meta_label}</button>
            </ActionForm>
            <button type="button" class="secondary" disabled=true aria-describedby="not-configured">
                "Connect Instagram"
            </button>
            <button type="button" class="secondary" disabled=true aria-describedby="not-configured">
                "Connect Threads"
            </button>
            <span id="not-configured" class="hint">"Instagram and Threads: Not configured: see the README."</span>
        </div>
    }
}

/// The error a connection came back with (`?error=<code>`), with what to do next. Only our own
/// connect codes are shown; anything else in the URL is ignored. `detail` (the Page names of
/// `page_role_insufficient`, from the session) replaces the generic wording.
#[component]
pub fn ConnectError(detail: Option<String>) -> impl IntoView {
    let query = use_query_map().get_untracked();
    let error = query
        .get("error")
        .and_then(|code| AppError::from_connect_code(&code, query.get("provider").as_deref()));
    error.map(|error| {
        let message = match (&error, detail) {
            (AppError::PageRoleInsufficient, Some(named)) => named,
            _ => error.message(),
        };
        view! {
            <div class="connect-error" role="alert" data-code=error.code()>
                <p class="form-error">{message}</p>
                {error.next_step().map(|step| view! { <p class="hint">{step}</p> })}
            </div>
        }
    })
}

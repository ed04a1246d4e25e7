//! The connect buttons and the connect error. The buttons are shown to every role (people
//! should know the action exists; the server answers a Member with the role message); Connect
//! Instagram and Connect Threads are disabled, with "Not configured: see the README", when
//! their own apps are not configured (a real deployment that sets only the Facebook app).

use crate::api::connect::{ConnectInstagram, ConnectMeta, ConnectThreads};
use crate::api::queries;
use crate::app::components::form_error::FormError;
use crate::error::AppError;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// **Connect Meta** (or **Connect Meta Account** on the welcome panel), **Connect Instagram**
/// and **Connect Threads**.
#[component]
pub fn ConnectButtons(meta_label: &'static str) -> impl IntoView {
    let meta = ServerAction::<ConnectMeta>::new();
    let instagram = ServerAction::<ConnectInstagram>::new();
    let threads = ServerAction::<ConnectThreads>::new();
    let options = queries::connect_options();
    let error = meta
        .value()
        .get_untracked()
        .and_then(Result::err)
        .or_else(|| instagram.value().get_untracked().and_then(Result::err))
        .or_else(|| threads.value().get_untracked().and_then(Result::err));
    let disabled = |label: &'static str| {
        view! {
            <button type="button" class="secondary" disabled=true aria-describedby="not-configured">
                {label}
            </button>
        }
    };
    let instagram_button = match options.instagram {
        true => view! {
            <ActionForm action=instagram attr:class="inline">
                <button type="submit">"Connect Instagram"</button>
            </ActionForm>
        }
        .into_any(),
        false => disabled("Connect Instagram").into_any(),
    };
    let threads_button = match options.threads {
        true => view! {
            <ActionForm action=threads attr:class="inline">
                <button type="submit">"Connect Threads"</button>
            </ActionForm>
        }
        .into_any(),
        false => disabled("Connect Threads").into_any(),
    };
    let unconfigured = match (options.instagram, options.threads) {
        (true, true) => None,
        (false, false) => Some("Instagram and Threads"),
        (false, true) => Some("Instagram"),
        (true, false) => Some("Threads"),
    };
    view! {
        <FormError error=error/>
        <div class="connect-buttons">
            <ActionForm action=meta attr:class="inline">
                <button type="submit">{meta_label}</button>
            </ActionForm>
            {instagram_button}
            {threads_button}
            {unconfigured.map(|names| view! {
                <span id="not-configured" class="hint">{format!("{names}: Not configured: see the README.")}</span>
            })}
        </div>
    }
}

/// The error a connection came back with (`?error=<code>`, and `?provider=` for Instagram and
/// Threads), with what to do next. Only our own connect codes are shown; anything else in the
/// URL is ignored. `detail` (the names of `page_role_insufficient` or `already_connected`, from
/// the session) replaces the generic wording.
#[component]
pub fn ConnectError(detail: Option<String>) -> impl IntoView {
    let query = use_query_map().get_untracked();
    let error = query
        .get("error")
        .and_then(|code| AppError::from_connect_code(&code, query.get("provider").as_deref()));
    error.map(|error| {
        let message = match (&error, detail) {
            (AppError::PageRoleInsufficient | AppError::AlreadyConnected, Some(named)) => named,
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

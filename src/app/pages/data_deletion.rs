//! The status page of one data-deletion request (`/data-deletion/{confirmation_code}`): the
//! address Switchboard gives Meta, which Meta shows the person who asked. Public (no sign-in),
//! and it shows that one request only: its code, its status, when and how many connected
//! accounts went. An unknown or malformed code is a 404 saying so.

use crate::api::queries;
use crate::api::views::DataDeletionStatus;
use crate::app::components::layout::PublicLayout;
use crate::app::format::{iso_time, local_time};
use crate::app::request::set_status;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn DataDeletionPage() -> impl IntoView {
    let code = use_params_map()
        .get_untracked()
        .get("code")
        .unwrap_or_default();
    view! {
        <PublicLayout>
            <Suspense fallback=|| ()>
                {move || {
                    let code = code.clone();
                    Suspend::new(async move {
                        match queries::data_deletion(&code).await {
                            Ok(request) => status_view(request),
                            Err(err) => {
                                let title = if err == AppError::DataDeletionNotFound {
                                    set_status(http::StatusCode::NOT_FOUND);
                                    "Data deletion request not found"
                                } else {
                                    set_status(http::StatusCode::INTERNAL_SERVER_ERROR);
                                    "Data deletion request"
                                };
                                view! {
                                    <h1>{title}</h1>
                                    <p class="form-error" role="alert">{err.message()}</p>
                                }
                                .into_any()
                            }
                        }
                    })
                }}
            </Suspense>
        </PublicLayout>
    }
}

fn status_view(request: DataDeletionStatus) -> AnyView {
    let when = local_time(request.completed_at, "UTC");
    let accounts = match request.accounts_deleted {
        0 => "Switchboard held no connected accounts for this Meta user, so there was nothing to delete.".to_owned(),
        1 => "Switchboard deleted 1 connected account for this Meta user.".to_owned(),
        n => format!("Switchboard deleted {n} connected accounts for this Meta user."),
    };
    // One text node each, so the sentence reads (and is found) as written.
    let sentence = format!(
        "Data deletion request {}: {} on ",
        request.confirmation_code, request.status
    );
    view! {
        <h1>"Data deletion request"</h1>
        <p class="data-deletion" role="status">
            {sentence}<time datetime=iso_time(request.completed_at)>{when}</time>"."
        </p>
        <p>{accounts}</p>
        <p class="muted">"Their connected accounts, tokens and posts are gone from every workspace. Switchboard keeps only this record: the code, the date and the count."</p>
    }
    .into_any()
}

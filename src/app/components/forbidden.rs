//! What a page shows to a role that may not see it: the role message, with a 403 status.

use crate::app::request::set_status;
use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn Forbidden(error: AppError) -> impl IntoView {
    set_status(http::StatusCode::FORBIDDEN);
    view! { <p class="form-error" role="alert">{error.message()}</p> }
}

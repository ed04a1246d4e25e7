//! Shows the error of a form's last submission: the same view with JavaScript (the action's
//! value) and without (leptos_axum redirects back with the error, which the action starts with).

use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn FormError(error: Option<AppError>) -> impl IntoView {
    error.map(|error| {
        view! { <p class="form-error" role="alert" data-code=error.code()>{error.message()}</p> }
    })
}

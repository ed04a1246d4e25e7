//! What a page may know about its request: the signed-in user, the flash, the shared state.
//! All read from the request parts leptos_axum puts in context.

use crate::server::auth::current::{CurrentUser, Flash};
use crate::server::state::AppState;
use leptos::prelude::*;

fn parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// The signed-in user (the guard guarantees one on every non-public page).
pub fn current_user() -> Option<CurrentUser> {
    parts().and_then(|p| p.extensions.get::<CurrentUser>().cloned())
}

/// The one-shot message left by the previous action, if any.
pub fn flash() -> Option<String> {
    parts().and_then(|p| p.extensions.get::<Flash>().map(|f| f.0.clone()))
}

/// The shared state, for pages that read through services.
pub fn app_state() -> Option<AppState> {
    use_context::<AppState>()
}

/// Sets the response status of the page being rendered.
pub fn set_status(status: http::StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

//! What a page may know about its request: the signed-in user and the flash, read from the
//! request parts leptos_axum puts in context. Anything else a page shows comes from
//! `api::queries`.

use crate::api::views::{CurrentUser, Flash};
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

/// Sets the response status of the page being rendered.
pub fn set_status(status: http::StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

/// The path of the page being rendered (`/settings/members`), for marking the current page.
pub fn current_path() -> String {
    parts().map(|p| p.uri.path().to_owned()).unwrap_or_default()
}

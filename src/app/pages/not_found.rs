//! The friendly 404 page, with a real 404 status.

use crate::app::components::layout::PublicLayout;
use crate::app::request::set_status;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(http::StatusCode::NOT_FOUND);
    view! {
        <PublicLayout>
            <h1>"Page not found"</h1>
            <p>"We couldn't find that page. It may have moved, or the link may be incomplete."</p>
            <p><a href="/accounts">"Go to your accounts"</a></p>
        </PublicLayout>
    }
}

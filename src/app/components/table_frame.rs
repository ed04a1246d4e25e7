//! The frame every wide table sits in.

use leptos::prelude::*;

/// A scrolling frame for a wide table: on a phone the table scrolls sideways inside it instead
/// of widening the page. Focusable, so keyboard users can scroll it too; named, so that stop
/// makes sense to a screen reader.
#[component]
pub fn TableFrame(label: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="table-frame" role="region" aria-label=label tabindex="0">
            {children()}
        </div>
    }
}

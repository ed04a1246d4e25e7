//! The welcome panel shown while a workspace has no connected accounts.

use leptos::prelude::*;

#[component]
pub fn WelcomePanel() -> impl IntoView {
    view! {
        <section class="welcome" aria-labelledby="welcome-title">
            <h2 id="welcome-title">"Welcome to Switchboard"</h2>
            <p>
                "No accounts are connected to this workspace yet. Connect your Facebook Pages, "
                "Instagram professional accounts and Threads profiles to see them here, with "
                "their status and token expiry, and to publish to them."
            </p>
        </section>
    }
}

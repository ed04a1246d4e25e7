//! The welcome panel shown while a workspace has no connected accounts, with **Connect Meta
//! Account**.

use crate::app::components::connect::ConnectButtons;
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
            <ConnectButtons meta_label="Connect Meta Account"/>
        </section>
    }
}

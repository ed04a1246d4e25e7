//! The accounts list (`/accounts`). Until accounts can be connected it shows the welcome panel.

use crate::app::components::layout::AppLayout;
use crate::app::components::welcome::WelcomePanel;
use leptos::prelude::*;

#[component]
pub fn AccountsPage() -> impl IntoView {
    view! {
        <AppLayout title="Accounts">
            <WelcomePanel/>
        </AppLayout>
    }
}

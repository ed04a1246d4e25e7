//! Settings → Integrations (`/settings/integrations`): connections and the connect buttons.
//! Until accounts can be connected it shows the welcome panel.

use crate::app::components::layout::AppLayout;
use crate::app::components::welcome::WelcomePanel;
use leptos::prelude::*;

#[component]
pub fn IntegrationsPage() -> impl IntoView {
    view! {
        <AppLayout title="Integrations">
            <WelcomePanel/>
        </AppLayout>
    }
}

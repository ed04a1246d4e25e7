//! `/logout`: signing out is a POST (no state changes over GET), so this page offers the
//! button, or says you're already signed out.

use crate::api::auth::Logout;
use crate::app::components::layout::PublicLayout;
use crate::app::request::current_user;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn LogoutPage() -> impl IntoView {
    let action = ServerAction::<Logout>::new();
    let signed_in = current_user().is_some();
    view! {
        <PublicLayout>
            <h1>"Sign out"</h1>
            {if signed_in {
                view! {
                    <p>"Sign out of Switchboard on this browser?"</p>
                    <ActionForm action=action>
                        <button type="submit">"Sign out"</button>
                    </ActionForm>
                }
                .into_any()
            } else {
                view! {
                    <p>"You're signed out."</p>
                    <p><a href="/login">"Sign in"</a></p>
                }
                .into_any()
            }}
        </PublicLayout>
    }
}

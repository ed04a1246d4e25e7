//! Sign in (`/login`). Carries `?next=` through the form so people land where they were going.

use crate::api::auth::Login;
use crate::app::components::form_error::FormError;
use crate::app::components::layout::PublicLayout;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let query = use_query_map().get_untracked();
    let next = query.get("next").unwrap_or_default();
    let signed_out = query.get("signed_out").is_some();
    view! {
        <PublicLayout>
            <h1>"Sign in to Switchboard"</h1>
            {signed_out.then(|| view! { <p class="flash" role="status" aria-live="polite">"You're signed out."</p> })}
            <FormError error=action.value().get_untracked().and_then(Result::err)/>
            <ActionForm action=action>
                <input type="hidden" name="next" value=next/>
                <label>"Email"
                    <input type="email" name="email" required maxlength="254" autocomplete="username"/>
                </label>
                <label>"Password"
                    <input type="password" name="password" required maxlength="128" autocomplete="current-password"/>
                </label>
                <button type="submit">"Sign in"</button>
            </ActionForm>
        </PublicLayout>
    }
}

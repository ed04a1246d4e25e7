//! Your account (`/settings/account`): change your password (current one required; your other
//! sessions end) and your time zone (default UTC).

use crate::api::account::{ChangePassword, SetTimeZone};
use crate::app::components::form_error::FormError;
use crate::app::components::layout::AppLayout;
use crate::app::request::current_user;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    let password = ServerAction::<ChangePassword>::new();
    let zone = ServerAction::<SetTimeZone>::new();
    let current_zone = current_user()
        .map(|u| u.time_zone)
        .unwrap_or_else(|| "UTC".to_owned());
    let zones = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| {
            let name = tz.name();
            view! { <option value=name selected=name == current_zone>{name}</option> }
        })
        .collect_view();
    view! {
        <AppLayout title="Your account">
            <section class="card">
                <h2>"Password"</h2>
                <FormError error=password.value().get_untracked().and_then(Result::err)/>
                <ActionForm action=password>
                    <label>"Current password"
                        <input type="password" name="current_password" required maxlength="128" autocomplete="current-password"/>
                    </label>
                    <label>"New password"
                        <input type="password" name="new_password" required minlength="8" maxlength="128" autocomplete="new-password"/>
                    </label>
                    <button type="submit">"Change password"</button>
                </ActionForm>
            </section>
            <section class="card">
                <h2>"Time zone"</h2>
                <p class="muted">"Times in Switchboard are shown in this zone."</p>
                <FormError error=zone.value().get_untracked().and_then(Result::err)/>
                <ActionForm action=zone>
                    <label>"Time zone"<select name="time_zone" id="time-zone" data-browser-zone="">{zones}</select></label>
                    <button type="submit">"Save time zone"</button>
                </ActionForm>
            </section>
        </AppLayout>
    }
}

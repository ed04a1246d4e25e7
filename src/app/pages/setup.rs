//! First run (`/setup`): create the first workspace and its Owner. Answers 404 once done.

use crate::api::auth::Setup;
use crate::api::queries;
use crate::app::components::form_error::FormError;
use crate::app::components::layout::PublicLayout;
use crate::app::pages::not_found::NotFound;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[component]
pub fn SetupPage() -> impl IntoView {
    let action = ServerAction::<Setup>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                if !queries::setup_needed().await {
                    return view! { <NotFound/> }.into_any();
                }
                view! {
                    <PublicLayout>
                        <h1>"Set up Switchboard"</h1>
                        <p>"Create your workspace and the owner account you'll sign in with."</p>
                        <FormError error=action.value().get_untracked().and_then(Result::err)/>
                        <ActionForm action=action>
                            <label>"Workspace name"
                                <input type="text" name="workspace_name" required maxlength="100" autocomplete="organization"/>
                            </label>
                            <label>"Your name"
                                <input type="text" name="name" required maxlength="100" autocomplete="name"/>
                            </label>
                            <label>"Email"
                                <input type="email" name="email" required maxlength="254" autocomplete="email"/>
                            </label>
                            <label>"Password"
                                <input type="password" name="password" required minlength="8" maxlength="128" autocomplete="new-password"/>
                            </label>
                            <button type="submit">"Create workspace"</button>
                        </ActionForm>
                    </PublicLayout>
                }
                .into_any()
            })}
        </Suspense>
    }
}

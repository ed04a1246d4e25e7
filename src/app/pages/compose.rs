//! Compose (`/compose`, Owner, Admin, Manager): **Message**, **Image URL**, one checkbox per
//! Active account labelled with its name, **Publish**. It works without JavaScript: the
//! checkboxes are named `accounts[]` (see `api::publishing`), a hidden submission key makes a
//! second submit post nothing, and a refused form comes back as it was typed. Instagram needs
//! an image and Threads takes 500 characters; the counts against each limit are shown.

use crate::api::publishing::PublishPost;
use crate::api::queries;
use crate::api::views::{ComposeAccount, ComposeView};
use crate::app::components::backoff_notice::BackoffNotice;
use crate::app::components::forbidden::Forbidden;
use crate::app::components::form_error::FormError;
use crate::app::components::layout::AppLayout;
use crate::domain::policy::Permission;
use crate::error::AppError;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ComposePage() -> impl IntoView {
    let publish = ServerAction::<PublishPost>::new();
    let error = publish.value().get_untracked().and_then(Result::err);
    // Back from a refused form: with its error (`__err`), or at its limit (`kept`).
    let query = use_query_map().get_untracked();
    let show_kept = query.get("__err").is_some() || query.get("kept").is_some();
    view! {
        <AppLayout title="Compose">
            <BackoffNotice/>
            <FormError error=error/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match queries::compose(show_kept).await {
                        Ok(view) if !view.may_publish => view! {
                            <Forbidden error=AppError::RoleForbidden { action: Permission::Publish }/>
                        }.into_any(),
                        Ok(view) => view! { <ComposeForm view=view action=publish/> }.into_any(),
                        Err(err) => view! { <p class="form-error" role="alert">{err.message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn ComposeForm(view: ComposeView, action: ServerAction<PublishPost>) -> impl IntoView {
    if view.accounts.is_empty() {
        return view! {
            <p class="empty">
                "No Active account to publish to yet. "
                <a href="/settings/integrations">"Connect an account"</a>
                " or reconnect one that needs reauthorization."
            </p>
        }
        .into_any();
    }
    let kept = view.kept.unwrap_or_default();
    let ticked = kept.accounts.clone();
    let boxes = view
        .accounts
        .into_iter()
        .map(|account| {
            let checked = ticked.contains(&account.id);
            view! { <AccountBox account=account checked=checked/> }
        })
        .collect_view();
    view! {
        <ActionForm action=action attr:class="compose">
            <input type="hidden" name="submission" value=view.submission/>
            <label for="compose-message">"Message"</label>
            <textarea id="compose-message" name="message" rows="6" maxlength="63206"
                aria-describedby="compose-message-hint">{kept.message}</textarea>
            <p id="compose-message-hint" class="hint">"Threads posts take up to 500 characters, Instagram captions up to 2,200."</p>
            <label for="compose-image">"Image URL"</label>
            <input id="compose-image" type="url" name="image_url" value=kept.image_url maxlength="2048"
                placeholder="https://example.com/photo.jpg" aria-describedby="compose-image-hint"/>
            <p id="compose-image-hint" class="hint">"Instagram posts need an image (JPEG)."</p>
            <fieldset class="compose-accounts">
                <legend>"Publish to"</legend>
                {boxes}
            </fieldset>
            <button type="submit">"Publish"</button>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn AccountBox(account: ComposeAccount, checked: bool) -> impl IntoView {
    let id = format!("compose-account-{}", account.id);
    let count = match account.limit {
        Some(limit) => format!("{} / {limit} today", account.posts_today),
        None => format!("{} today", account.posts_today),
    };
    view! {
        <div class="check">
            <input type="checkbox" id=id.clone() name="accounts[]" value=account.id.to_string() checked=checked/>
            <label for=id>{account.name}</label>
            <span class="hint">{format!("{} · {count}", account.platform.label())}</span>
        </div>
    }
}

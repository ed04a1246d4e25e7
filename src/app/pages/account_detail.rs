//! One account (`/accounts/{id}`): every field; an Instagram account's **Parent Facebook Page**
//! (a link), a Facebook Page's **Linked Instagram Accounts**; the scopes granted and declined,
//! the consent time, who connected it and through which grant, the status with its reason, and
//! the token and data-access expiry. Another workspace's id, or a malformed one, is "not found".

use crate::api::queries;
use crate::api::views::{AccountView, LinkedAccount};
use crate::app::components::account_actions::{
    AccountActions, ActionsError, DeleteButton, DisconnectButton, ReconnectButton,
};
use crate::app::components::layout::AppLayout;
use crate::app::components::platform::{PlatformIcon, PlatformName};
use crate::app::components::status_badge::StatusBadge;
use crate::app::format::{days_left, local_time};
use crate::app::request::{current_user, set_status};
use crate::domain::policy::{allows, Permission};
use crate::domain::{AccountStatus, Platform, Provider};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AccountDetailPage() -> impl IntoView {
    let id = use_params_map()
        .get_untracked()
        .get("id")
        .unwrap_or_default();
    view! {
        <AppLayout title="Account">
            <Suspense fallback=|| ()>
                {move || {
                    let id = id.clone();
                    Suspend::new(async move {
                        match queries::account(&id).await {
                            Ok(view) => detail_view(view),
                            Err(err) => {
                                if err == AppError::NotFound {
                                    set_status(http::StatusCode::NOT_FOUND);
                                }
                                view! { <p class="form-error" role="alert">{err.message()}</p> }
                                    .into_any()
                            }
                        }
                    })
                }}
            </Suspense>
        </AppLayout>
    }
}

fn names(list: &[String]) -> String {
    if list.is_empty() {
        "None".to_owned()
    } else {
        list.join(", ")
    }
}

fn link(account: LinkedAccount) -> impl IntoView {
    let href = format!("/accounts/{}", account.id);
    view! { <a href=href>{account.name}</a> }
}

/// **Reconnect** and **Disconnect** in the header (every role sees them); on a Disconnected
/// account, Reconnect and — for Owners and Admins — **Delete**.
fn header_actions(account: &crate::api::views::AccountDetail) -> AnyView {
    let actions = AccountActions::new();
    let here = format!("/accounts/{}", account.id);
    let through = account.parent.as_ref().map(|page| page.name.clone());
    let may_delete = current_user().is_some_and(|u| allows(u.role, Permission::DeleteAccounts));
    let end = match account.status {
        AccountStatus::Disconnected => may_delete.then(|| {
            view! { <DeleteButton account_id=account.id return_to=here.clone()/> }.into_any()
        }),
        _ => Some(
            view! { <DisconnectButton account_id=account.id return_to=here.clone()/> }.into_any(),
        ),
    };
    view! {
        <div class="header-actions">
            <ActionsError actions=actions/>
            <ReconnectButton actions=actions account_id=account.id return_to=here.clone() through=through/>
            {end}
        </div>
    }
    .into_any()
}

/// For Owners and Admins (who may read the activity log): the link to this account's own
/// history there.
fn history_link(account_id: i64) -> Option<impl IntoView> {
    let may_view = current_user().is_some_and(|u| allows(u.role, Permission::ViewActivity));
    may_view.then(|| {
        let href = format!("/settings/activity?account={account_id}");
        view! { <p><a href=href>"This account's activity"</a></p> }
    })
}

/// **Permissions at Meta**: what the last check of the Facebook grant found, each missing
/// piece with its fix. Instagram Login and Threads accounts have no such check to show.
fn diagnostics_view(account: &crate::api::views::AccountDetail, zone: &str) -> Option<AnyView> {
    let through_facebook = account
        .grant
        .as_ref()
        .is_some_and(|(provider, _)| *provider == Provider::Facebook);
    if !through_facebook {
        return None;
    }
    let body = match &account.diagnostics {
        None => view! {
            <p class="muted">"Not checked with Meta yet: the maintenance sweep checks every Facebook login."</p>
        }
        .into_any(),
        Some(found) => {
            let permissions = match found.missing_required.as_slice() {
                [] => "Every required permission is granted.".to_owned(),
                missing => format!(
                    "Missing: {}. Reconnect and leave every permission ticked.",
                    missing.join(", ")
                ),
            };
            let what = match account.platform {
                Platform::FacebookPage => "This Page",
                _ => "This Instagram account",
            };
            let shared = found.shared.map(|shared| match shared {
                true => format!("{what} is among those shared with Switchboard."),
                false => format!(
                    "{what} was not shared in the latest authorization. Reconnect and tick it on Facebook's screen."
                ),
            });
            let valid = match found.valid {
                true => "The Facebook login is valid.",
                false => "Meta no longer accepts this Facebook login. Reconnect to renew it.",
            };
            view! {
                <p>{format!("Last checked with Meta: {}.", local_time(found.checked_at, zone))}</p>
                <ul>
                    <li>{valid}</li>
                    <li>{permissions}</li>
                    {shared.map(|text| view! { <li>{text}</li> })}
                </ul>
            }
            .into_any()
        }
    };
    Some(
        view! {
            <section aria-labelledby="diagnostics-title">
                <h2 id="diagnostics-title">"Permissions at Meta"</h2>
                {body}
                {tasks_view(account)}
            </section>
        }
        .into_any(),
    )
}

/// A Page's tasks for the Facebook user whose login connected it. Re-authorizing a Page needs its admin
/// (`MANAGE`), as the help articles say, so an editor is told whom to ask.
fn tasks_view(account: &crate::api::views::AccountDetail) -> Option<AnyView> {
    if account.platform != Platform::FacebookPage || account.page_tasks.is_empty() {
        return None;
    }
    let person = account
        .grant
        .as_ref()
        .map(|(_, person)| person.clone())
        .unwrap_or_else(|| "The Facebook user".to_owned());
    let tasks = format!(
        "{person}'s tasks on this Page: {}.",
        account.page_tasks.join(", ")
    );
    let admin = account.page_tasks.iter().any(|t| t == "MANAGE");
    let advice = (!admin).then(|| {
        view! {
            <li>"They connected it as an editor (CREATE_CONTENT), which can publish. Re-authorizing \
                it needs a Page admin (MANAGE): ask one for full control, or to reconnect it."</li>
        }
    });
    Some(view! { <ul><li>{tasks}</li>{advice}</ul> }.into_any())
}

fn detail_view(view: AccountView) -> AnyView {
    let AccountView {
        account,
        now,
        time_zone,
    } = view;
    let when = |at: Option<i64>| {
        at.map(|t| local_time(t, &time_zone))
            .unwrap_or_else(|| "—".to_owned())
    };
    let expiry = account
        .token_expires_at
        .map(|at| format!("{} ({})", days_left(now, at), local_time(at, &time_zone)))
        .unwrap_or_else(|| "Never expires".to_owned());
    let grant = account
        .grant
        .clone()
        .map(|(provider, person)| format!("{} login of {person}", provider.label()))
        .unwrap_or_else(|| "—".to_owned());
    let parent = account.parent.clone().map(|page| {
        view! {
            <dt>"Parent Facebook Page"</dt>
            <dd>{link(page)}</dd>
        }
    });
    let linked = (account.platform == Platform::FacebookPage).then(|| {
        let items = account
            .linked
            .clone()
            .into_iter()
            .map(|ig| view! { <li>{link(ig)}</li> })
            .collect_view();
        let none = account
            .linked
            .is_empty()
            .then(|| view! { <p class="muted">"No Instagram account is linked to this Page."</p> });
        view! {
            <section aria-labelledby="linked-title">
                <h2 id="linked-title">"Linked Instagram Accounts"</h2>
                <ul>{items}</ul>
                {none}
            </section>
        }
    });
    view! {
        <header class="detail-header">
            <h2><PlatformIcon platform=account.platform/>{account.name.clone()}</h2>
            {header_actions(&account)}
        </header>
        <dl class="details card">
            <dt>"Platform"</dt><dd><PlatformName platform=account.platform/></dd>
            <dt>"Username"</dt><dd>{account.username.clone().unwrap_or_else(|| "—".to_owned())}</dd>
            <dt>"Account ID at Meta"</dt><dd>{account.external_id.clone()}</dd>
            <dt>"Status"</dt><dd><StatusBadge status=account.status reason=account.status_reason.clone()/></dd>
            {parent}
            <dt>"Token Expiry"</dt><dd>{expiry}</dd>
            <dt>"Data access expires"</dt><dd>{when(account.data_access_expires_at)}</dd>
            <dt>"Scopes granted"</dt><dd>{names(&account.scopes_granted)}</dd>
            <dt>"Scopes declined"</dt><dd>{names(&account.scopes_declined)}</dd>
            <dt>"Optional permissions missing"</dt><dd>{names(&account.missing_scopes)}</dd>
            <dt>"Consent given"</dt><dd>{when(account.consented_at)}</dd>
            <dt>"Connected by"</dt><dd>{account.connected_by.clone()}</dd>
            <dt>"Connected"</dt><dd>{when(Some(account.connected_at))}</dd>
            <dt>"Grant"</dt><dd>{grant}</dd>
            <dt>"Last Used"</dt><dd>{account.last_used_at.map(|t| local_time(t, &time_zone)).unwrap_or_else(|| "Never".to_owned())}</dd>
        </dl>
        {linked}
        {diagnostics_view(&account, &time_zone)}
        {history_link(account.id)}
        <p><a href="/accounts">"Back to Accounts"</a></p>
    }
    .into_any()
}

//! The activity log (`/settings/activity`, Owner and Admin): newest first, filtered by person,
//! kind, platform and account through the URL (`?person=&kind=&platform=&account=&page=`), 50 to
//! a page. An account's page links here with `?account=` for its own history. Works without
//! JavaScript.

use crate::api::queries;
use crate::api::views::{ActivityFilter, ActivityPage, ActivityView, AuditKind, MemberRow};
use crate::app::components::forbidden::Forbidden;
use crate::app::components::layout::AppLayout;
use crate::app::components::table_frame::TableFrame;
use crate::app::format::local_time;
use crate::app::request::current_user;
use crate::domain::account_filter::PlatformFilter;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ActivityPage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let filter = ActivityFilter::from_query(
        query.get("person").as_deref(),
        query.get("kind").as_deref(),
        query.get("page").as_deref(),
    )
    .about(
        query.get("account").as_deref(),
        query.get("platform").as_deref(),
    );
    view! {
        <AppLayout title="Activity">
            <Suspense fallback=|| ()>
                {move || {
                    let filter = filter.clone();
                    Suspend::new(async move {
                        let Some(user) = current_user() else {
                            return view! { <p>"Please sign in to continue."</p> }.into_any();
                        };
                        let ActivityView { page, people } = match queries::activity(&filter).await {
                            Ok(view) => view,
                            Err(error @ crate::error::AppError::RoleForbidden { .. }) => {
                                return view! { <Forbidden error=error/> }.into_any();
                            }
                            Err(error) => {
                                return view! { <p class="form-error" role="alert">{error.message()}</p> }.into_any();
                            }
                        };
                        let about = filter.account.map(|_| {
                            let name = page.account_name.clone().unwrap_or_else(|| "an account not in this workspace".to_owned());
                            view! { <p class="notice">"Showing the history of " <strong>{name}</strong> " · " <a href="/settings/activity">"Show all activity"</a></p> }
                        });
                        view! {
                            {about}
                            <Filters people=people filter=filter.clone()/>
                            <Log page=page zone=user.time_zone.clone() filter=filter/>
                        }
                        .into_any()
                    })
                }}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn Filters(people: Vec<MemberRow>, filter: ActivityFilter) -> impl IntoView {
    let people = people
        .into_iter()
        .map(|p| view! { <option value=p.user_id.to_string() selected=filter.person == Some(p.user_id)>{p.name}</option> })
        .collect_view();
    let kinds = AuditKind::ALL
        .into_iter()
        .map(|k| view! { <option value=k.as_str() selected=filter.kind == Some(k)>{k.label()}</option> })
        .collect_view();
    let platforms = PlatformFilter::ALL
        .into_iter()
        .map(|p| view! { <option value=p.as_str() selected=filter.platform == p>{p.label()}</option> })
        .collect_view();
    let account = filter
        .account
        .map(|id| view! { <input type="hidden" name="account" value=id.to_string()/> });
    view! {
        <form method="get" action="/settings/activity" class="filters">
            {account}
            <label class="field">"Person"<select name="person" data-autosubmit=""><option value="">"Everyone"</option>{people}</select></label>
            <label class="field">"Kind"<select name="kind" data-autosubmit=""><option value="">"All kinds"</option>{kinds}</select></label>
            <label class="field">"Platform"<select name="platform" data-autosubmit="">{platforms}</select></label>
            <button type="submit">"Apply"</button>
        </form>
    }
}

/// The link to another page of the same filtered view.
fn page_link(filter: &ActivityFilter, page: u64) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if let Some(person) = filter.person {
        query.append_pair("person", &person.to_string());
    }
    if let Some(kind) = filter.kind {
        query.append_pair("kind", kind.as_str());
    }
    if filter.platform != PlatformFilter::All {
        query.append_pair("platform", filter.platform.as_str());
    }
    if let Some(account) = filter.account {
        query.append_pair("account", &account.to_string());
    }
    query.append_pair("page", &page.to_string());
    format!("/settings/activity?{}", query.finish())
}

#[component]
fn Log(page: ActivityPage, zone: String, filter: ActivityFilter) -> impl IntoView {
    if page.rows.is_empty() {
        return view! {
            <div class="empty">
                <p>"No activity matches these filters."</p>
                <p><a href="/settings/activity">"Show all activity"</a>" or choose another person, kind or platform."</p>
            </div>
        }
        .into_any();
    }
    let rows = page
        .rows
        .into_iter()
        .map(|row| {
            let when = local_time(row.at, &zone);
            let who = row.actor.unwrap_or_else(|| {
                row.kind.map_or("Command line", AuditKind::actor_without_user).to_owned()
            });
            let what = row.kind.map(|k| k.label().to_owned()).unwrap_or(row.kind_raw);
            view! { <tr><td>{when}</td><td>{who}</td><td>{what}</td><td>{row.subject}</td><td class="detail">{row.detail}</td></tr> }
        })
        .collect_view();
    let previous = (filter.page > 1)
        .then(|| view! { <a href=page_link(&filter, filter.page - 1)>"Newer"</a> });
    let next = page
        .has_next
        .then(|| view! { <a href=page_link(&filter, filter.page + 1)>"Older"</a> });
    view! {
        <TableFrame label="Activity list">
        <table class="table activity">
            <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"On"</th><th scope="col">"Details"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        </TableFrame>
        <nav class="pager" aria-label="Pages">{previous}<span>"Page " {filter.page}</span>{next}</nav>
    }
    .into_any()
}

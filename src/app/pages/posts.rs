//! Posts (`/posts`): every post of the workspace, newest first, fifty to a page — account,
//! message, status (**Published** with Meta's id, **Failed** with the reason, **Queued** with
//! its next try) and time in the viewer's zone. A failed post whose account is Active again
//! offers **Re-queue**, and **Re-queue all** takes every failed post of an account picked from
//! a list (Owner, Admin, Manager; the server checks).

use crate::api::publishing::{RequeueAccount as RequeueAll, RequeuePost};
use crate::api::queries;
use crate::api::views::{PostRow, PostsView, RequeueAccount};
use crate::app::components::form_error::FormError;
use crate::app::components::layout::AppLayout;
use crate::app::components::pager::Pager;
use crate::app::components::table_frame::TableFrame;
use crate::app::format::{iso_time, local_time};
use crate::domain::PostStatus;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PostsPage() -> impl IntoView {
    let requeue = ServerAction::<RequeuePost>::new();
    let requeue_all = ServerAction::<RequeueAll>::new();
    let errors = [
        requeue.value().get_untracked().and_then(Result::err),
        requeue_all.value().get_untracked().and_then(Result::err),
    ];
    let page = use_query_map().get_untracked().get("page");
    view! {
        <AppLayout title="Posts">
            {errors.into_iter().map(|error| view! { <FormError error=error/> }).collect_view()}
            <Suspense fallback=|| ()>
                {move || {
                    let page = page.clone();
                    Suspend::new(async move {
                        match queries::posts(page.as_deref()).await {
                            Ok(view) => view! {
                                <PostsList view=view requeue=requeue requeue_all=requeue_all/>
                            }.into_any(),
                            Err(err) => view! { <p class="form-error" role="alert">{err.message()}</p> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </AppLayout>
    }
}

#[component]
fn PostsList(
    view: PostsView,
    requeue: ServerAction<RequeuePost>,
    requeue_all: ServerAction<RequeueAll>,
) -> impl IntoView {
    let pages = view.page.pages();
    let page = view.page.page;
    if view.page.rows.is_empty() {
        return view! {
            <p class="empty">
                "No posts yet. "
                <a href="/compose">"Compose one"</a>
                " to publish to your connected accounts."
            </p>
        }
        .into_any();
    }
    let may = view.may_publish;
    let accounts = (may && !view.page.requeue.is_empty())
        .then(|| view! { <RequeueAllForm accounts=view.page.requeue action=requeue_all/> });
    let zone = view.time_zone;
    let rows = view
        .page
        .rows
        .into_iter()
        .map(|row| view! { <PostLine row=row zone=zone.clone() may_publish=may action=requeue/> })
        .collect_view();
    view! {
        {accounts}
        <TableFrame label="Posts list">
        <table class="table posts">
            <thead>
                <tr>
                    <th scope="col">"Account"</th>
                    <th scope="col">"Message"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Time"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        </TableFrame>
        <Pager path="/posts" page=page pages=pages/>
    }
    .into_any()
}

/// One **Re-queue all** form for every account with failed posts, the account picked from a
/// list: a workspace of thousands can have hundreds of such accounts, and a form each made
/// most of the page's weight (README → Benchmarks).
#[component]
fn RequeueAllForm(
    accounts: Vec<RequeueAccount>,
    action: ServerAction<RequeueAll>,
) -> impl IntoView {
    let options = accounts
        .into_iter()
        .map(|account| {
            let label = match account.failed {
                1 => format!("{}: 1 failed post", account.name),
                n => format!("{}: {n} failed posts", account.name),
            };
            view! { <option value=account.id.to_string()>{label}</option> }
        })
        .collect_view();
    view! {
        <section class="requeue" aria-labelledby="requeue-heading">
            <h2 id="requeue-heading">"Failed posts to re-queue"</h2>
            <ActionForm action=action attr:class="inline">
                <label for="requeue-account">"Account"</label>" "
                <select id="requeue-account" name="account_id">{options}</select>" "
                <button type="submit">"Re-queue all"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn PostLine(
    row: PostRow,
    zone: String,
    may_publish: bool,
    action: ServerAction<RequeuePost>,
) -> impl IntoView {
    let platform = row.platform.map(|p| p.label()).unwrap_or_default();
    let status = match row.status {
        PostStatus::Published => view! {
            <span class="badge ok">"Published"</span>
            {row.meta_post_id.map(|id| view! { <span class="hint">{format!(" · Meta id {id}")}</span> })}
        }
        .into_any(),
        PostStatus::Failed => view! {
            <span class="badge danger">"Failed"</span>
            <span class="reason">{format!(" — {}", row.failure.unwrap_or_default())}</span>
        }
        .into_any(),
        PostStatus::Queued | PostStatus::Publishing => view! {
            <span class="badge warning">"Queued"</span>
            <span class="hint">{format!(" · next try {}", local_time(row.next_attempt_at, &zone))}</span>
        }
        .into_any(),
    };
    let at = row.published_at.unwrap_or(row.created_at);
    let requeue =
        (may_publish && row.status == PostStatus::Failed && row.account_active).then(|| {
            view! {
                <ActionForm action=action attr:class="inline">
                    <input type="hidden" name="post_id" value=row.id.to_string()/>
                    <button type="submit">"Re-queue"</button>
                </ActionForm>
            }
        });
    let image = row
        .image_url
        .map(|url| view! { <span class="hint">{format!(" · image {url}")}</span> });
    view! {
        <tr data-post=row.id.to_string()>
            <td><a href=format!("/accounts/{}", row.account_id)>{row.account_name}</a><br/><span class="hint">{platform}</span></td>
            <td>{row.excerpt}{image}</td>
            <td>{status}</td>
            <td><time datetime=iso_time(at)>{local_time(at, &zone)}</time></td>
            <td>{requeue}</td>
        </tr>
    }
}

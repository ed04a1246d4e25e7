//! The accounts list (`/accounts`): the welcome panel until an account is connected, then a
//! banner counting what needs attention, the filters, and one page (50 rows) of the view with
//! **Account Name**, **Platform**, **Username**, **Status**, **Token Expiry**, **Posts Today**
//! and **Last Used** (docs/product.md → Names and wording). The view lives in the URL. While
//! Meta's backoff is in force a notice says until when.

use crate::api::queries;
use crate::api::views::{
    AccountFilter, AccountRow, AccountsView, Attention, SortKey, StatusFilter,
};
use crate::app::components::account_actions::{AccountActions, ActionsError, ReconnectButton};
use crate::app::components::account_filters::{
    filter_from_url, href, FilterForm, PageLinks, SortHeader,
};
use crate::app::components::backoff_notice::BackoffNotice;
use crate::app::components::layout::AppLayout;
use crate::app::components::platform::PlatformName;
use crate::app::components::status_badge::{ExpiringBadge, StatusBadge};
use crate::app::components::table_frame::TableFrame;
use crate::app::components::welcome::WelcomePanel;
use crate::app::format::{days_left, iso_time, local_time, time_ago};
use crate::domain::account_filter::PAGE_SIZE;
use crate::domain::{AccountStatus, Platform};
use leptos::prelude::*;

#[component]
pub fn AccountsPage() -> impl IntoView {
    let filter = filter_from_url();
    view! {
        <AppLayout title="Accounts">
            <BackoffNotice/>
            <Suspense fallback=|| ()>
                {move || {
                    let filter = filter.clone();
                    Suspend::new(async move {
                        match queries::accounts(filter).await {
                            Ok(view) if !view.attention.any_accounts => {
                                view! { <WelcomePanel/> }.into_any()
                            }
                            Ok(view) => accounts_view(view),
                            Err(err) => view! {
                                <p class="form-error" role="alert">{err.message()}</p>
                            }
                            .into_any(),
                        }
                    })
                }}
            </Suspense>
        </AppLayout>
    }
}

fn accounts_view(view: AccountsView) -> AnyView {
    let AccountsView {
        page,
        attention,
        filter,
        now,
        instagram_daily_limit,
        refresh_window,
        time_zone,
    } = view;
    let actions = AccountActions::new();
    let columns = Columns {
        now,
        limit: instagram_daily_limit,
        window: refresh_window,
        zone: time_zone,
        actions,
        here: href(&filter),
    };
    let no_rows = page.rows.is_empty();
    let rows = page
        .rows
        .into_iter()
        .map(|row| account_row(row, &columns))
        .collect_view();
    let empty = no_rows.then(|| {
        let (text, next) = if filter.page > 1 {
            (
                "No accounts on this page: it is past the end of this view.",
                "Go to the first page",
            )
        } else {
            ("No accounts match this view.", "Show every account")
        };
        // The next step: the first page of this view, or every account whatever its status.
        let target = match filter.page > 1 {
            true => href(&filter.on_page(1)),
            false => href(&AccountFilter {
                status: StatusFilter::All,
                page: 1,
                ..AccountFilter::default()
            }),
        };
        view! {
            <div class="empty">
                <p>{text}</p>
                <p><a href=target>{next}</a>" or change the filters above."</p>
            </div>
        }
    });
    let header = |key: SortKey, label: &'static str| {
        view! { <SortHeader filter=filter.clone() key=key label=label/> }
    };
    let head = view! {
        <tr>
            {header(SortKey::Name, "Account Name")}
            {header(SortKey::Platform, "Platform")}
            <th scope="col">"Username"</th>
            {header(SortKey::Status, "Status")}
            {header(SortKey::Expiry, "Token Expiry")}
            <th scope="col">"Posts Today"</th>
            {header(SortKey::LastUsed, "Last Used")}
        </tr>
    };
    view! {
        <AttentionBanner attention=attention/>
        <ActionsError actions=actions/>
        <FilterForm filter=filter.clone()/>
        <TableFrame label="Accounts list">
        <table class="table accounts">
            <thead>{head}</thead>
            <tbody>{rows}</tbody>
        </table>
        </TableFrame>
        {empty}
        <PageLinks filter=filter total=page.total page_size=PAGE_SIZE/>
    }
    .into_any()
}

/// "2 accounts need reauthorization · 3 accounts expire soon", each a link to its view.
#[component]
fn AttentionBanner(attention: Attention) -> impl IntoView {
    let link = |status: StatusFilter, text: String| {
        let target = href(&AccountFilter {
            status,
            page: 1,
            ..AccountFilter::default()
        });
        view! { <a href=target>{text}</a> }
    };
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let needs = (attention.needs_reauth > 0).then(|| {
        link(
            StatusFilter::NeedsReauth,
            plural(
                attention.needs_reauth,
                "account needs reauthorization",
                "accounts need reauthorization",
            ),
        )
    });
    let expiring = (attention.expiring > 0).then(|| {
        link(
            StatusFilter::Expiring,
            plural(
                attention.expiring,
                "account expires soon",
                "accounts expire soon",
            ),
        )
    });
    let separator = (needs.is_some() && expiring.is_some()).then_some(" · ");
    (needs.is_some() || expiring.is_some()).then(|| {
        view! {
            <aside class="attention" aria-label="Needs attention">
                <p>{needs}{separator}{expiring}</p>
            </aside>
        }
    })
}

/// What every row's figures are computed with.
struct Columns {
    now: i64,
    limit: u32,
    window: i64,
    zone: String,
    /// Reconnect on Needs Reauthorization rows, returning to this view.
    actions: AccountActions,
    here: String,
}

fn account_row(row: AccountRow, columns: &Columns) -> impl IntoView {
    let Columns {
        now,
        limit,
        window,
        ref zone,
        actions,
        ref here,
    } = *columns;
    let reconnect = (row.status == AccountStatus::NeedsReauth).then(|| {
        view! { <ReconnectButton actions=actions account_id=row.id return_to=here.clone()/> }
    });
    let detail = format!("/accounts/{}", row.id);
    let expiry = row.token_expires_at.map(|at| days_left(now, at));
    // Facebook tokens can't be renewed by Switchboard: warn ahead (docs/product.md → Statuses).
    let warning = (row.status == AccountStatus::Active && row.through_facebook)
        .then_some(row.token_expires_at)
        .flatten()
        .filter(|at| *at > now)
        .and_then(|at| {
            let days = (at - now) / 86_400;
            (at - now <= window).then(|| view! { <ExpiringBadge days=days/> })
        });
    let posts = match row.platform {
        Platform::InstagramBusiness | Platform::InstagramCreator => {
            let limit = row
                .quota_total
                .filter(|total| *total > 0)
                .map_or(limit.to_string(), |total| total.to_string());
            format!("{} / {limit}", row.posts_today)
        }
        _ => row.posts_today.to_string(),
    };
    let last_used = match row.last_used_at {
        Some(at) => view! {
            <time datetime=iso_time(at) title=local_time(at, zone) data-relative=now.to_string()>
                {time_ago(now, at)}
            </time>
        }
        .into_any(),
        None => "Never".into_any(),
    };
    view! {
        <tr>
            <td><a href=detail>{row.name}</a></td>
            <td><PlatformName platform=row.platform/></td>
            <td>{row.username.unwrap_or_default()}</td>
            <td><StatusBadge status=row.status reason=row.status_reason.clone()/>{reconnect}</td>
            <td>{expiry.unwrap_or_else(|| "—".to_owned())}" "{warning}</td>
            <td>{posts}</td>
            <td>{last_used}</td>
        </tr>
    }
}

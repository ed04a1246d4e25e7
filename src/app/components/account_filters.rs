//! The accounts list's controls, all plain HTML so they work without JavaScript: the filter
//! form (a GET form: Status, Platform, Search, **Apply**), sortable column headers (links that
//! sort ascending, then descending) and the page links. Every link is the current view with one
//! thing changed, so views stay bookmarkable.

use crate::api::views::{AccountFilter, PlatformFilter, SortKey, StatusFilter};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The view in the URL; what can't be read takes its default.
pub fn filter_from_url() -> AccountFilter {
    let query = use_query_map().get_untracked();
    let pairs: Vec<(&str, String)> = ["status", "platform", "q", "sort", "page"]
        .into_iter()
        .filter_map(|key| query.get(key).map(|value| (key, value)))
        .collect();
    AccountFilter::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
}

/// `/accounts` with `filter`'s query.
pub fn href(filter: &AccountFilter) -> String {
    match filter.to_query() {
        query if query.is_empty() => "/accounts".to_owned(),
        query => format!("/accounts?{query}"),
    }
}

#[component]
pub fn FilterForm(filter: AccountFilter) -> impl IntoView {
    let statuses = StatusFilter::ALL
        .into_iter()
        .map(
            |s| view! { <option value=s.as_str() selected=s == filter.status>{s.label()}</option> },
        )
        .collect_view();
    let platforms = PlatformFilter::ALL
        .into_iter()
        .map(|p| view! { <option value=p.as_str() selected=p == filter.platform>{p.label()}</option> })
        .collect_view();
    let sort = filter.sort.as_param();
    view! {
        <form method="get" action="/accounts" class="filters" role="search" aria-label="Filter accounts">
            <div class="field">
                <label for="filter-status">"Status"</label>
                <select id="filter-status" name="status" data-autosubmit="">{statuses}</select>
            </div>
            <div class="field">
                <label for="filter-platform">"Platform"</label>
                <select id="filter-platform" name="platform" data-autosubmit="">{platforms}</select>
            </div>
            <div class="field grow">
                <label for="filter-q">"Search"</label>
                <input id="filter-q" type="search" name="q" value=filter.q.clone() maxlength="100"/>
            </div>
            <input type="hidden" name="sort" value=sort/>
            <button type="submit">"Apply"</button>
        </form>
    }
}

/// A column header that sorts by `key`.
#[component]
pub fn SortHeader(filter: AccountFilter, key: SortKey, label: &'static str) -> impl IntoView {
    let current = filter.sort.key == key;
    let aria = match (current, filter.sort.descending) {
        (false, _) => "none",
        (true, false) => "ascending",
        (true, true) => "descending",
    };
    // The arrow is for the eye; `aria-sort` says the same to a screen reader.
    let arrow = match (current, filter.sort.descending) {
        (false, _) => "",
        (true, false) => "▲",
        (true, true) => "▼",
    };
    let link = href(&filter.sorted_by(key));
    view! {
        <th scope="col" aria-sort=aria>
            <a href=link>{label}<span class="sort-arrow" aria-hidden="true">{arrow}</span></a>
        </th>
    }
}

/// "Page 2 of 7", with Previous and Next links where there are such pages.
#[component]
pub fn PageLinks(filter: AccountFilter, total: u64, page_size: u64) -> impl IntoView {
    let pages = total.div_ceil(page_size).max(1);
    let page = filter.page;
    let previous = (page > 1).then(|| {
        let link = href(&filter.on_page((page - 1).min(pages)));
        view! { <a href=link rel="prev">"Previous"</a> }
    });
    let next = (page < pages).then(|| {
        let link = href(&filter.on_page(page + 1));
        view! { <a href=link rel="next">"Next"</a> }
    });
    let first = (page > pages).then(|| {
        let link = href(&filter.on_page(1));
        view! { <a href=link>"First page"</a> }
    });
    let noun = if total == 1 { "account" } else { "accounts" };
    view! {
        <nav class="pages" aria-label="Pages">
            {previous}
            <span>{format!("Page {page} of {pages} · {total} {noun}")}</span>
            {next}
            {first}
        </nav>
    }
}

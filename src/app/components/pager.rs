//! "Previous · Page N of M · Next" under a long list, as plain links (`{path}?page=N`).

use leptos::prelude::*;

#[component]
pub fn Pager(path: &'static str, page: u64, pages: u64) -> impl IntoView {
    let link = move |to: u64, text: &'static str, rel: &'static str| {
        view! { <a href=format!("{path}?page={to}") rel=rel>{text}</a> }
    };
    let previous = (page > 1).then(|| link(page - 1, "Previous", "prev"));
    let next = (page < pages).then(|| link(page + 1, "Next", "next"));
    (pages > 1).then(|| {
        view! {
            <nav class="pages" aria-label="Pages">
                {previous}<span>{format!("Page {page} of {pages}")}</span>{next}
            </nav>
        }
    })
}

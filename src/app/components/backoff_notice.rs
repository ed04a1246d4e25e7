//! "Meta rate limit reached — retrying after 14:05 (UTC)": shown on Accounts and Integrations
//! while a Meta backoff is in force (docs/product.md → Names and wording), so a connect that
//! fails, or work that waits, is explained instead of looking broken. The time is in the
//! viewer's zone.

use crate::api::queries;
use crate::app::format::clock_time;
use leptos::prelude::*;

#[component]
pub fn BackoffNotice() -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                queries::meta_backoff().await.map(|notice| {
                    let text = format!(
                        "Meta rate limit reached — retrying after {}",
                        clock_time(notice.until, &notice.time_zone)
                    );
                    view! { <p class="notice rate-limit" role="status">{text}</p> }
                })
            })}
        </Suspense>
    }
}

//! An account's status as a badge: colour for a quick scan, the product's wording for everyone,
//! and a shape (drawn by the stylesheet) so the difference never rests on colour alone. Needs
//! Reauthorization always comes with its reason.

use crate::domain::AccountStatus;
use leptos::prelude::*;

#[component]
pub fn StatusBadge(
    status: AccountStatus,
    #[prop(default = None)] reason: Option<String>,
) -> impl IntoView {
    let class = format!("badge status-{}", status.as_str());
    let reason = reason.map(|reason| view! { <span class="reason">{reason}</span> });
    view! { <span class=class>{status.label()}</span>" "{reason} }
}

/// The warning of an Active account whose Facebook login expires within the refresh window
/// (docs/product.md → Statuses: "Expiring soon" is a view, not a status).
#[component]
pub fn ExpiringBadge(days: i64) -> impl IntoView {
    view! {
        <span class="badge status-expiring">
            {format!("Expires in {days} days — reconnect to renew")}
        </span>
    }
}

//! Platform names with their icons. The icons are small original SVGs kept in `public/icons/`
//! and inlined into the page, so they cost no request and no route. They are decorative
//! (`aria-hidden`): the platform's name is always written beside them, so colour and shape
//! never carry meaning alone.

use crate::domain::Platform;
use leptos::prelude::*;

const FACEBOOK: &str = include_str!("../../../public/icons/facebook.svg");
const INSTAGRAM: &str = include_str!("../../../public/icons/instagram.svg");
const THREADS: &str = include_str!("../../../public/icons/threads.svg");

/// The SVG markup of `platform`'s icon (our own files, never user input).
fn icon(platform: Platform) -> &'static str {
    match platform {
        Platform::FacebookPage => FACEBOOK,
        Platform::InstagramBusiness | Platform::InstagramCreator => INSTAGRAM,
        Platform::Threads => THREADS,
    }
}

/// The icon alone, for places that name the platform in their own words.
#[component]
pub fn PlatformIcon(platform: Platform) -> impl IntoView {
    view! { <span class="platform-icon" inner_html=icon(platform)></span> }
}

/// Icon and label ("Facebook Page"), as the Platform column shows them.
#[component]
pub fn PlatformName(platform: Platform) -> impl IntoView {
    view! {
        <span class="platform">
            <PlatformIcon platform=platform/>
            {platform.label()}
        </span>
    }
}

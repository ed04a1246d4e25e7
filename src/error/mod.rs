//! `AppError`: every outcome a user can be told about, each defined once in the table below —
//! variant and parameters, stable snake_case code, HTTP status, message (wording from the
//! product's help articles) and, for the connect errors, what to do next.
//!
//! Errors travel to the browser as their code plus bounded parameters (numbers and enum
//! values), never as free text: a no-JavaScript form error comes back in the URL, so anything
//! that could be put there by someone else must only be able to select one of our messages.

mod convert;
mod macros;
mod params;
#[cfg(test)]
mod tests;

pub use crate::domain::Field;
pub use params::{Grantor, Minutes};

use crate::domain::policy::Permission;
use crate::domain::Provider;
use macros::app_errors;

app_errors! {
    IncorrectCredentials => "incorrect_credentials", 401, "Incorrect email or password.";
    /// Too many password checks waiting already: refused at once rather than queued.
    Busy => "busy", 503, "Switchboard is busy right now. Try again in a moment.";
    TooManyAttempts { minutes: Minutes } => "too_many_attempts", 429,
        "Too many sign-in attempts. Try again in {minutes}.";
    FieldRequired { field: Field } => "field_required", 400, "{field} is required.";
    FieldTooLong { field: Field, max: u32 } => "field_too_long", 400,
        "{field} must be at most {max} characters.";
    EmailInvalid => "email_invalid", 400, "Enter a valid email address, like name@example.com.";
    PasswordTooShort { min: u32 } => "password_too_short", 400,
        "Password must be at least {min} characters.";
    SetupAlreadyDone => "setup_already_done", 404,
        "Switchboard is already set up. Sign in instead.";
    SignInRequired => "sign_in_required", 401, "Please sign in to continue.";
    NoWorkspace => "no_workspace", 403,
        "Your account isn't a member of any workspace. Ask a workspace owner to add you.";
    RoleForbidden { action: Permission } => "role_forbidden", 403,
        "Your role doesn't allow {action}. Ask a workspace owner or admin, or have your role updated.";
    OwnRole => "own_role", 403, "You can't change your own role.";
    LastOwner => "last_owner", 403,
        "A workspace always keeps at least one Owner, so the last Owner can't leave, be removed or lose the role.";
    ResetOtherWorkspaces => "reset_other_workspaces", 403,
        "This person also belongs to other workspaces; they can change their password themselves.";
    ResetAboveRole => "reset_above_role", 403,
        "You can't reset the password of someone whose role is above yours.";
    ResetOwnPassword => "reset_own_password", 400, "To change your own password, use Your account.";
    AlreadyMember => "already_member", 409, "That person is already a member of this workspace.";
    RoleInvalid => "role_invalid", 400, "Choose a role: Owner, Admin, Manager or Member.";
    CurrentPasswordWrong => "current_password_wrong", 400, "Your current password is incorrect.";
    TimeZoneInvalid => "time_zone_invalid", 400, "Choose a time zone from the list.";
    NotFound => "not_found", 404, "We couldn't find that page.";
    BadRequest => "bad_request", 400, "The form couldn't be read. Reload the page and try again.";
    /// The database doesn't answer (an outage, a restart): nothing was changed.
    DatabaseUnavailable => "database_unavailable", 503,
        "Switchboard can't reach its database right now. Nothing was changed; try again in a moment.";
    Internal => "internal", 500,
        "Something went wrong on our side. Please try again; if it keeps happening, tell your administrator.";
    // Connecting: the errors a connection can end with, each with its next step.
    StateInvalid => "state_invalid", 400, "Security check failed. Please try connecting again.",
        next: "The link back from Meta didn't match a connection started here. Start again with Connect Meta.";
    StateExpired => "state_expired", 400, "The connection link expired.",
        next: "Connections must be finished within 10 minutes. Start again with Connect Meta.";
    SessionChanged => "session_changed", 403, "Your session changed during the connection.",
        next: "You signed in as someone else, or switched workspace, while connecting. Start again from this workspace.";
    PermissionsDeclined { provider: Provider } => "permissions_declined", 400,
        "You declined the permissions {provider} requested.",
        next: "Switchboard needs those permissions to list and publish to your Pages. Connect again and allow them.";
    NoPages => "no_pages", 400,
        "Your Facebook account doesn't manage any Pages yet. If it does, connect again and select the Pages you want to use.",
        next: "On Facebook's screen, tick the Pages Switchboard should publish to. No Page yet? Create one, or ask a Page admin to give you full or partial control of one.";
    PageRoleInsufficient => "page_role_insufficient", 400,
        "Your Pages can't be connected: your role on this Page doesn't allow publishing. Ask a Page admin for full or partial control.",
        next: "Ask a Page admin to give you full control (admin) or partial control (editor) of the Page, then connect again.";
    ProviderUnavailable { provider: Provider } => "provider_unavailable", 502,
        "{provider} is temporarily unavailable.",
        next: "Nothing was saved. Wait a few minutes and connect again.";
    NetworkError { provider: Provider } => "network_error", 502, "Network error reaching {provider}.",
        next: "Nothing was saved. Check that this server can reach Meta, then connect again.";
    RateLimited { provider: Provider } => "rate_limited", 429,
        "{provider} is limiting requests right now. Try again in a few minutes.",
        next: "Nothing was saved. Meta limits how many calls an app makes; wait a few minutes and connect again.";
    /// Graph error 368: a policy block, not a rate limit (docs/meta-api.md §8).
    PolicyBlocked => "policy_blocked", 403,
        "Meta has temporarily blocked this action for policy reasons.",
        next: "Nothing was saved. Meta lifts these blocks on its own, usually within hours; trying again sooner doesn't help. Wait, then connect again — if it lasts, check the app's alerts in the Meta App Dashboard.";
    ProviderError { provider: Provider } => "provider_error", 400,
        "{provider} returned an answer we couldn't use. Please try connecting again.",
        next: "Nothing was saved. Connect again; if it keeps happening, tell your administrator.";
    ScopeRejected { provider: Grantor } => "scope_rejected", 400,
        "{provider} didn't grant the permissions we need to publish.",
        next: "You unticked one or more permissions on the dialog. Connect again and leave every box checked.";
    InstagramNoBusinessAccount => "instagram_no_business_account", 400,
        "Connecting Instagram requires a Business or Creator account.",
        next: "Your Instagram account is Personal. Switch it to Business or Creator in the Instagram app (Settings → Account type and tools → Switch to professional account), then connect again.";
    /// Connecting directly an Instagram account already connected through its Page (the flash
    /// names both: "acmebakery is already connected through Acme Bakery").
    AlreadyConnected => "already_connected", 409,
        "This Instagram account is already connected through its Facebook Page.",
        next: "Nothing new was stored: it keeps publishing through its Page. To connect it directly instead, disconnect its Page first.";
    ProviderNotConfigured => "provider_not_configured", 400, "Not configured: see the README.";
    /// Delete for good applies to Disconnected profiles only.
    NotDisconnected => "not_disconnected", 409,
        "Only a disconnected account can be deleted for good. Disconnect it first.";
    // Publishing (docs/product.md → Publishing, Limits): checked before anything is sent.
    AccountsRequired => "accounts_required", 400, "Tick at least one account to publish to.";
    PostEmpty => "post_empty", 400, "Write a message or add an Image URL.";
    ImageUrlInvalid => "image_url_invalid", 400,
        "Enter an Image URL that starts with http:// or https://, like https://example.com/photo.jpg.";
    InstagramNeedsImage => "instagram_needs_image", 400,
        "Instagram posts need an image. Add an Image URL, or untick the Instagram accounts.";
    InstagramCaptionTooLong { max: u32 } => "instagram_caption_too_long", 400,
        "Instagram captions can be at most {max} characters. Shorten the message, or untick the Instagram accounts.";
    ThreadsTooLong { max: u32 } => "threads_too_long", 400,
        "Threads posts can be at most {max} characters. Shorten the message, or untick the Threads profiles.";
    AccountNotPublishable => "account_not_publishable", 409,
        "One of the accounts you ticked can't be published to right now: only Active accounts can. Reload the page and choose again.";
    /// Over a platform's 24-hour limit; the page names the account and the next slot
    /// (`AppError::limit_message`).
    PublishLimitReached { provider: Provider } => "publish_limit_reached", 429,
        "This account has reached {provider}'s limit of posts in 24 hours.";
    NotRequeueable => "not_requeueable", 409,
        "Only a failed post whose account is Active again can be re-queued.";
    // Meta's deauthorize and data-deletion callbacks (docs/meta-api.md §10): answered to Meta
    // as JSON, never shown in a page except the status page's 404.
    SignedRequestInvalid => "signed_request_invalid", 400,
        "The signed request could not be verified.";
    RequestTooLarge => "request_too_large", 413, "The request is too large.";
    DataDeletionNotFound => "data_deletion_not_found", 404,
        "No data deletion request has this code.";
    // `/metrics` with SWITCHBOARD_METRICS_TOKEN set: answered to the scraper as text.
    MetricsTokenRequired => "metrics_token_required", 401,
        "Metrics need the bearer token configured in SWITCHBOARD_METRICS_TOKEN.";
}

impl AppError {
    /// Logs an infrastructure failure once, with its cause chain, and hides it from the user.
    pub fn internal(context: &str, err: impl std::fmt::Display) -> Self {
        tracing::error!(context, error = %err, "internal error");
        AppError::Internal
    }

    /// The over-the-limit message (docs/product.md → Names and wording): "acmebakery has
    /// reached Instagram's limit of 25 posts in 24 hours. Next slot at 14:05 (UTC)."
    pub fn limit_message(account: &str, provider: Provider, limit: u32, next_slot: &str) -> String {
        let platform = match provider {
            Provider::Threads => "Threads'",
            Provider::Instagram | Provider::Facebook => "Instagram's",
        };
        format!("{account} has reached {platform} limit of {limit} posts in 24 hours. Next slot at {next_slot}.")
    }

    /// The duplicate message naming the account and its Page.
    pub fn already_connected_message(username: &str, page: &str) -> String {
        format!("{username} is already connected through {page}")
    }

    /// The Page-role message naming the Pages ("Numbers Nook can't be connected: …").
    pub fn page_role_message(pages: &[String]) -> String {
        let names = match pages {
            [] => return AppError::PageRoleInsufficient.message(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        };
        let message = AppError::PageRoleInsufficient.message();
        let text = format!(
            "{names}{}",
            message.strip_prefix("Your Pages").unwrap_or(&message)
        );
        if pages.len() > 1 {
            text.replace("on this Page doesn't", "on these Pages doesn't")
        } else {
            text
        }
    }

    /// A connect error named by `?error=<code>` (and `?provider=`); anything else is `None`,
    /// so a crafted URL can only select one of our messages.
    pub fn from_connect_code(code: &str, provider: Option<&str>) -> Option<Self> {
        match code {
            "role_forbidden" => {
                return Some(AppError::RoleForbidden {
                    action: Permission::ConnectAccounts,
                })
            }
            "provider_not_configured" => return Some(AppError::ProviderNotConfigured),
            "internal" => return Some(AppError::Internal),
            _ if !is_connect_code(code) => return None,
            _ => {}
        }
        let provider = provider.unwrap_or("facebook");
        serde_json::from_value(serde_json::json!({ "code": code, "provider": provider })).ok()
    }
}

/// Whether `code` names one of the connect errors (those with a next step).
pub fn is_connect_code(code: &str) -> bool {
    NEXT_STEPS
        .iter()
        .any(|(known, next)| *known == code && next.is_some())
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for AppError {}

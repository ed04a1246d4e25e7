//! `AppError`: every outcome a user can be told about, with a stable snake_case code, an HTTP
//! status and the one table of user-facing messages (`MESSAGES`, wording from product.md).
//!
//! Errors travel to the browser as their code plus bounded parameters (numbers and enum
//! values), never as free text: a no-JavaScript form error comes back in the URL, so anything
//! that could be put there by someone else must only be able to select one of our messages.

use crate::domain::Provider;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A form field, named in validation messages by its visible label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Email,
    Name,
    WorkspaceName,
    Password,
    CurrentPassword,
    NewPassword,
}

impl Field {
    /// The field's label as printed on the form.
    pub fn label(self) -> &'static str {
        match self {
            Field::Email => "Email",
            Field::Name => "Your name",
            Field::WorkspaceName => "Workspace name",
            Field::Password => "Password",
            Field::CurrentPassword => "Current password",
            Field::NewPassword => "New password",
        }
    }
}

/// An action named in the role message ("Your role doesn't allow {action}…").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    ViewingAccounts,
    ConnectingMetaAccounts,
    DisconnectingAccounts,
    DeletingAccounts,
    Publishing,
    ManagingMembers,
    ManagingOwners,
    RenamingWorkspace,
    ViewingActivity,
}

impl Action {
    /// The phrase used inside the role message.
    pub fn phrase(self) -> &'static str {
        match self {
            Action::ViewingAccounts => "viewing accounts",
            Action::ConnectingMetaAccounts => "connecting Meta accounts",
            Action::DisconnectingAccounts => "disconnecting accounts",
            Action::DeletingAccounts => "deleting accounts for good",
            Action::Publishing => "publishing",
            Action::ManagingMembers => "managing members",
            Action::ManagingOwners => "making or unmaking Owners",
            Action::RenamingWorkspace => "renaming the workspace",
            Action::ViewingActivity => "viewing the activity log",
        }
    }
}

/// Every user-level outcome. Infrastructure failures are logged where they happen and become
/// [`AppError::Internal`]; their detail never crosses the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AppError {
    IncorrectCredentials,
    TooManyAttempts {
        minutes: u32,
    },
    /// Too many password checks waiting already: refused at once rather than queued.
    Busy,
    FieldRequired {
        field: Field,
    },
    FieldTooLong {
        field: Field,
        max: u32,
    },
    EmailInvalid,
    PasswordTooShort {
        min: u32,
    },
    SetupAlreadyDone,
    SignInRequired,
    NoWorkspace,
    RoleForbidden {
        action: Action,
    },
    OwnRole,
    LastOwner,
    ResetOtherWorkspaces,
    ResetAboveRole,
    ResetOwnPassword,
    AlreadyMember,
    RoleInvalid,
    CurrentPasswordWrong,
    TimeZoneInvalid,
    NotFound,
    BadRequest,
    Internal,
    // Connecting (product.md → Connect errors).
    StateInvalid,
    StateExpired,
    SessionChanged,
    PermissionsDeclined {
        provider: Provider,
    },
    NoPages,
    PageRoleInsufficient,
    ProviderUnavailable {
        provider: Provider,
    },
    NetworkError {
        provider: Provider,
    },
    RateLimited {
        provider: Provider,
    },
    ProviderError {
        provider: Provider,
    },
    ProviderNotConfigured,
}

/// The one table of user-facing messages, keyed by stable code. `{n}`, `{field}` and
/// `{action}` are filled from the error's parameters.
pub const MESSAGES: &[(&str, &str)] = &[
    ("incorrect_credentials", "Incorrect email or password."),
    ("busy", "Switchboard is busy right now. Try again in a moment."),
    (
        "too_many_attempts",
        "Too many sign-in attempts. Try again in {n} {minutes}.",
    ),
    ("field_required", "{field} is required."),
    ("field_too_long", "{field} must be at most {n} characters."),
    ("email_invalid", "Enter a valid email address, like name@example.com."),
    ("password_too_short", "Password must be at least {n} characters."),
    (
        "setup_already_done",
        "Switchboard is already set up. Sign in instead.",
    ),
    ("sign_in_required", "Please sign in to continue."),
    (
        "no_workspace",
        "Your account isn't a member of any workspace. Ask a workspace owner to add you.",
    ),
    (
        "role_forbidden",
        "Your role doesn't allow {action}. Ask a workspace owner or admin, or have your role updated.",
    ),
    ("own_role", "You can't change your own role."),
    (
        "last_owner",
        "A workspace always keeps at least one Owner, so the last Owner can't leave, be removed or lose the role.",
    ),
    (
        "reset_other_workspaces",
        "This person also belongs to other workspaces; they can change their password themselves.",
    ),
    (
        "reset_above_role",
        "You can't reset the password of someone whose role is above yours.",
    ),
    (
        "reset_own_password",
        "To change your own password, use Your account.",
    ),
    ("already_member", "That person is already a member of this workspace."),
    ("role_invalid", "Choose a role: Owner, Admin, Manager or Member."),
    ("current_password_wrong", "Your current password is incorrect."),
    ("time_zone_invalid", "Choose a time zone from the list."),
    ("not_found", "We couldn't find that page."),
    (
        "bad_request",
        "The form couldn't be read. Reload the page and try again.",
    ),
    (
        "internal",
        "Something went wrong on our side. Please try again; if it keeps happening, tell your administrator.",
    ),
    ("state_invalid", "Security check failed. Please try connecting again."),
    ("state_expired", "The connection link expired."),
    ("session_changed", "Your session changed during the connection."),
    (
        "permissions_declined",
        "You declined the permissions {provider} requested.",
    ),
    (
        "no_pages",
        "Your Facebook account doesn't manage any Pages yet. If it does, connect again and select the Pages you want to use.",
    ),
    (
        "page_role_insufficient",
        "{pages} can't be connected: your role on this Page doesn't allow publishing. Ask a Page admin for full or partial control.",
    ),
    ("provider_unavailable", "{provider} is temporarily unavailable."),
    ("network_error", "Network error reaching {provider}."),
    (
        "rate_limited",
        "{provider} is limiting requests right now. Try again in a few minutes.",
    ),
    (
        "provider_error",
        "{provider} returned an answer we couldn't use. Please try connecting again.",
    ),
    (
        "provider_not_configured",
        "Not configured: see the README.",
    ),
];

/// What to do next, for the connect errors (the articles' "What it means" column), keyed by
/// the same codes as [`MESSAGES`].
pub const NEXT_STEPS: &[(&str, &str)] = &[
    (
        "state_invalid",
        "The link back from Meta didn't match a connection started here. Start again with Connect Meta.",
    ),
    (
        "state_expired",
        "Connections must be finished within 10 minutes. Start again with Connect Meta.",
    ),
    (
        "session_changed",
        "You signed in as someone else, or switched workspace, while connecting. Start again from this workspace.",
    ),
    (
        "permissions_declined",
        "Switchboard needs those permissions to list and publish to your Pages. Connect again and allow them.",
    ),
    (
        "no_pages",
        "On Facebook's screen, tick the Pages Switchboard should publish to. No Page yet? Create one, or ask a Page admin to give you full or partial control of one.",
    ),
    (
        "page_role_insufficient",
        "Ask a Page admin to give you full control (admin) or partial control (editor) of the Page, then connect again.",
    ),
    (
        "provider_unavailable",
        "Nothing was saved. Wait a few minutes and connect again.",
    ),
    (
        "network_error",
        "Nothing was saved. Check that this server can reach Meta, then connect again.",
    ),
    (
        "rate_limited",
        "Nothing was saved. Meta limits how many calls an app makes; wait a few minutes and connect again.",
    ),
    (
        "provider_error",
        "Nothing was saved. Connect again; if it keeps happening, tell your administrator.",
    ),
];

/// The connect errors a page may be asked to show by `?error=<code>`.
pub const CONNECT_ERROR_CODES: [&str; 10] = [
    "state_invalid",
    "state_expired",
    "session_changed",
    "permissions_declined",
    "no_pages",
    "page_role_insufficient",
    "provider_unavailable",
    "network_error",
    "rate_limited",
    "provider_error",
];

impl AppError {
    /// The stable snake_case code (used in URLs, logs and tests).
    pub fn code(&self) -> &'static str {
        match self {
            AppError::IncorrectCredentials => "incorrect_credentials",
            AppError::TooManyAttempts { .. } => "too_many_attempts",
            AppError::Busy => "busy",
            AppError::FieldRequired { .. } => "field_required",
            AppError::FieldTooLong { .. } => "field_too_long",
            AppError::EmailInvalid => "email_invalid",
            AppError::PasswordTooShort { .. } => "password_too_short",
            AppError::SetupAlreadyDone => "setup_already_done",
            AppError::SignInRequired => "sign_in_required",
            AppError::NoWorkspace => "no_workspace",
            AppError::RoleForbidden { .. } => "role_forbidden",
            AppError::OwnRole => "own_role",
            AppError::LastOwner => "last_owner",
            AppError::ResetOtherWorkspaces => "reset_other_workspaces",
            AppError::ResetAboveRole => "reset_above_role",
            AppError::ResetOwnPassword => "reset_own_password",
            AppError::AlreadyMember => "already_member",
            AppError::RoleInvalid => "role_invalid",
            AppError::CurrentPasswordWrong => "current_password_wrong",
            AppError::TimeZoneInvalid => "time_zone_invalid",
            AppError::NotFound => "not_found",
            AppError::BadRequest => "bad_request",
            AppError::Internal => "internal",
            AppError::StateInvalid => "state_invalid",
            AppError::StateExpired => "state_expired",
            AppError::SessionChanged => "session_changed",
            AppError::PermissionsDeclined { .. } => "permissions_declined",
            AppError::NoPages => "no_pages",
            AppError::PageRoleInsufficient => "page_role_insufficient",
            AppError::ProviderUnavailable { .. } => "provider_unavailable",
            AppError::NetworkError { .. } => "network_error",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::ProviderError { .. } => "provider_error",
            AppError::ProviderNotConfigured => "provider_not_configured",
        }
    }

    /// The message shown to the user, from [`MESSAGES`].
    pub fn message(&self) -> String {
        let template = MESSAGES
            .iter()
            .find(|(code, _)| *code == self.code())
            .map(|(_, text)| *text)
            .unwrap_or("Something went wrong.");
        let mut text = template.to_owned();
        match self {
            AppError::TooManyAttempts { minutes } => {
                let unit = if *minutes == 1 { "minute" } else { "minutes" };
                text = text
                    .replace("{n}", &minutes.to_string())
                    .replace("{minutes}", unit);
            }
            AppError::FieldRequired { field } => text = text.replace("{field}", field.label()),
            AppError::FieldTooLong { field, max } => {
                text = text
                    .replace("{field}", field.label())
                    .replace("{n}", &max.to_string());
            }
            AppError::PasswordTooShort { min } => text = text.replace("{n}", &min.to_string()),
            AppError::RoleForbidden { action } => text = text.replace("{action}", action.phrase()),
            AppError::PermissionsDeclined { provider }
            | AppError::ProviderUnavailable { provider }
            | AppError::NetworkError { provider }
            | AppError::RateLimited { provider }
            | AppError::ProviderError { provider } => {
                text = text.replace("{provider}", provider.label())
            }
            AppError::PageRoleInsufficient => text = text.replace("{pages}", "Your Pages"),
            _ => {}
        }
        text
    }

    /// The Page-role message naming the Pages ("Numbers Nook can't be connected: …").
    pub fn page_role_message(pages: &[String]) -> String {
        let names = match pages {
            [] => "Your Pages".to_owned(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        };
        let template = MESSAGES
            .iter()
            .find(|(code, _)| *code == "page_role_insufficient")
            .map(|(_, text)| *text)
            .unwrap_or_default();
        let text = template.replace("{pages}", &names);
        if pages.len() > 1 {
            text.replace("on this Page doesn't", "on these Pages doesn't")
        } else {
            text
        }
    }

    /// What to do next, for errors that have a hint.
    pub fn next_step(&self) -> Option<&'static str> {
        NEXT_STEPS
            .iter()
            .find(|(code, _)| *code == self.code())
            .map(|(_, text)| *text)
    }

    /// A connect error named by `?error=<code>` (and `?provider=`); anything else is `None`,
    /// so a crafted URL can only select one of these messages.
    pub fn from_connect_code(code: &str, provider: Option<&str>) -> Option<Self> {
        match code {
            "role_forbidden" => {
                return Some(AppError::RoleForbidden {
                    action: Action::ConnectingMetaAccounts,
                })
            }
            "provider_not_configured" => return Some(AppError::ProviderNotConfigured),
            "internal" => return Some(AppError::Internal),
            _ if !CONNECT_ERROR_CODES.contains(&code) => return None,
            _ => {}
        }
        let provider = provider.unwrap_or("facebook");
        serde_json::from_value(serde_json::json!({ "code": code, "provider": provider })).ok()
    }

    /// The HTTP status for clients that are not browsers (browsers get a redirect back).
    pub fn status(&self) -> u16 {
        match self {
            AppError::IncorrectCredentials | AppError::SignInRequired => 401,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Busy => 503,
            AppError::RoleForbidden { .. }
            | AppError::OwnRole
            | AppError::LastOwner
            | AppError::ResetOtherWorkspaces
            | AppError::ResetAboveRole => 403,
            AppError::AlreadyMember => 409,
            AppError::SessionChanged => 403,
            AppError::ProviderUnavailable { .. } | AppError::NetworkError { .. } => 502,
            AppError::RateLimited { .. } => 429,
            AppError::NotFound | AppError::SetupAlreadyDone => 404,
            AppError::NoWorkspace => 403,
            AppError::Internal => 500,
            _ => 400,
        }
    }

    /// Logs an infrastructure failure once, with its cause chain, and hides it from the user.
    pub fn internal(context: &str, err: impl std::fmt::Display) -> Self {
        tracing::error!(context, error = %err, "internal error");
        AppError::Internal
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for AppError {}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        AppError::internal("database", err)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::MissingArg(_) => AppError::BadRequest,
            other => AppError::internal("server function", other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_exactly_one_message() {
        let samples = [
            AppError::IncorrectCredentials,
            AppError::TooManyAttempts { minutes: 3 },
            AppError::Busy,
            AppError::FieldRequired {
                field: Field::Email,
            },
            AppError::FieldTooLong {
                field: Field::Email,
                max: 254,
            },
            AppError::EmailInvalid,
            AppError::PasswordTooShort { min: 8 },
            AppError::SetupAlreadyDone,
            AppError::SignInRequired,
            AppError::NoWorkspace,
            AppError::RoleForbidden {
                action: Action::ManagingMembers,
            },
            AppError::OwnRole,
            AppError::LastOwner,
            AppError::ResetOtherWorkspaces,
            AppError::ResetAboveRole,
            AppError::ResetOwnPassword,
            AppError::AlreadyMember,
            AppError::RoleInvalid,
            AppError::CurrentPasswordWrong,
            AppError::TimeZoneInvalid,
            AppError::NotFound,
            AppError::BadRequest,
            AppError::Internal,
            AppError::StateInvalid,
            AppError::StateExpired,
            AppError::SessionChanged,
            AppError::PermissionsDeclined {
                provider: Provider::Instagram,
            },
            AppError::NoPages,
            AppError::PageRoleInsufficient,
            AppError::ProviderUnavailable {
                provider: Provider::Facebook,
            },
            AppError::NetworkError {
                provider: Provider::Facebook,
            },
            AppError::RateLimited {
                provider: Provider::Threads,
            },
            AppError::ProviderError {
                provider: Provider::Facebook,
            },
            AppError::ProviderNotConfigured,
        ];
        for error in samples {
            let matches = MESSAGES
                .iter()
                .filter(|(code, _)| *code == error.code())
                .count();
            assert_eq!(matches, 1, "code {}", error.code());
            assert!(
                !error.message().contains('{'),
                "unfilled: {}",
                error.message()
            );
        }
    }

    #[test]
    fn every_connect_error_has_a_next_step_and_parses_from_its_code() {
        for code in CONNECT_ERROR_CODES {
            let error = AppError::from_connect_code(code, None).unwrap();
            assert_eq!(error.code(), code);
            assert!(error.next_step().is_some(), "{code}");
        }
        assert_eq!(
            AppError::from_connect_code("internal", None),
            Some(AppError::Internal)
        );
        assert_eq!(
            AppError::from_connect_code("role_forbidden", None).unwrap().message(),
            "Your role doesn't allow connecting Meta accounts. Ask a workspace owner or admin, or have your role updated."
        );
        assert_eq!(AppError::from_connect_code("too_many_attempts", None), None);
        assert_eq!(
            AppError::from_connect_code("provider_unavailable", Some("instagram"))
                .unwrap()
                .message(),
            "Instagram is temporarily unavailable."
        );
        assert_eq!(
            AppError::from_connect_code("network_error", Some("myspace")),
            None
        );
    }

    #[test]
    fn the_page_role_message_names_the_pages() {
        assert_eq!(
            AppError::page_role_message(&["Numbers Nook".into()]),
            "Numbers Nook can't be connected: your role on this Page doesn't allow publishing. Ask a Page admin for full or partial control."
        );
        assert!(
            AppError::page_role_message(&["A".into(), "B".into(), "C".into()])
                .starts_with("A, B and C can't be connected: your role on these Pages")
        );
    }

    #[test]
    fn throttle_message_counts_minutes() {
        assert_eq!(
            AppError::TooManyAttempts { minutes: 14 }.message(),
            "Too many sign-in attempts. Try again in 14 minutes."
        );
        assert_eq!(
            AppError::TooManyAttempts { minutes: 1 }.message(),
            "Too many sign-in attempts. Try again in 1 minute."
        );
    }

    #[test]
    fn role_message_names_the_action() {
        assert_eq!(
            AppError::RoleForbidden { action: Action::ConnectingMetaAccounts }.message(),
            "Your role doesn't allow connecting Meta accounts. Ask a workspace owner or admin, or have your role updated."
        );
    }

    #[test]
    fn errors_round_trip_as_code_and_parameters_only() {
        let error = AppError::FieldTooLong {
            field: Field::WorkspaceName,
            max: 100,
        };
        let json = serde_json::to_string(&error).unwrap();
        assert_eq!(
            json,
            r#"{"code":"field_too_long","field":"workspace_name","max":100}"#
        );
        assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), error);
    }
}

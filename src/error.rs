//! `AppError`: every outcome a user can be told about, with a stable snake_case code, an HTTP
//! status and the one table of user-facing messages (`MESSAGES`, wording from product.md).
//!
//! Errors travel to the browser as their code plus bounded parameters (numbers and enum
//! values), never as free text: a no-JavaScript form error comes back in the URL, so anything
//! that could be put there by someone else must only be able to select one of our messages.

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
    TooManyAttempts { minutes: u32 },
    FieldRequired { field: Field },
    FieldTooLong { field: Field, max: u32 },
    EmailInvalid,
    PasswordTooShort { min: u32 },
    SetupAlreadyDone,
    SignInRequired,
    NoWorkspace,
    RoleForbidden { action: Action },
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
}

/// The one table of user-facing messages, keyed by stable code. `{n}`, `{field}` and
/// `{action}` are filled from the error's parameters.
pub const MESSAGES: &[(&str, &str)] = &[
    ("incorrect_credentials", "Incorrect email or password."),
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
];

impl AppError {
    /// The stable snake_case code (used in URLs, logs and tests).
    pub fn code(&self) -> &'static str {
        match self {
            AppError::IncorrectCredentials => "incorrect_credentials",
            AppError::TooManyAttempts { .. } => "too_many_attempts",
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
            _ => {}
        }
        text
    }

    /// The HTTP status for clients that are not browsers (browsers get a redirect back).
    pub fn status(&self) -> u16 {
        match self {
            AppError::IncorrectCredentials | AppError::SignInRequired => 401,
            AppError::TooManyAttempts { .. } => 429,
            AppError::RoleForbidden { .. }
            | AppError::OwnRole
            | AppError::LastOwner
            | AppError::ResetOtherWorkspaces
            | AppError::ResetAboveRole => 403,
            AppError::AlreadyMember => 409,
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

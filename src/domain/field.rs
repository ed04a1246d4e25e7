//! The form fields validation messages name, by their visible labels.

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
    Message,
    ImageUrl,
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
            Field::Message => "Message",
            Field::ImageUrl => "Image URL",
        }
    }
}

/// Why a form value was refused by a parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputError {
    Required { field: Field },
    TooLong { field: Field, max: u32 },
    EmailInvalid,
    PasswordTooShort { min: u32 },
}

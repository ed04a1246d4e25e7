//! Password rules. Length is bounded on both sides: at least 8 characters (NIST SP 800-63B) and
//! at most 128, so a multi-megabyte "password" can't make the server hash for seconds.

use super::field::{Field, InputError};
use secrecy::{ExposeSecret, SecretString};

pub const MIN_PASSWORD_LEN: usize = 8;
pub const MAX_PASSWORD_LEN: usize = 128;

/// A password as a form sends it (a server function's argument). Server functions' argument
/// structs derive `Debug`, so a plain `String` there would print the password wherever the
/// arguments are debugged or traced; this one prints `[REDACTED]`. Nothing is checked yet:
/// [`NewPassword`] and [`check_length`] do that.
#[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct PasswordInput(String);

impl PasswordInput {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PasswordInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl Drop for PasswordInput {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

/// A password chosen by a person (setup, new member, password change). Redacted in `Debug`.
#[derive(Debug)]
pub struct NewPassword(SecretString);

impl NewPassword {
    pub fn parse(input: &str) -> Result<Self, InputError> {
        Self::parse_field(input, Field::Password)
    }

    /// As [`NewPassword::parse`], naming `field` in the messages about presence and length.
    pub fn parse_field(input: &str, field: Field) -> Result<Self, InputError> {
        check_field_length(input, field)?;
        let count = input.chars().count();
        if count < MIN_PASSWORD_LEN {
            return Err(InputError::PasswordTooShort {
                min: MIN_PASSWORD_LEN as u32,
            });
        }
        Ok(Self(SecretString::from(input.to_owned())))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

/// The checks a sign-in attempt's password gets before hashing: present and bounded.
pub fn check_length(input: &str) -> Result<(), InputError> {
    check_field_length(input, Field::Password)
}

/// Present and at most 128 characters, naming `field`.
pub fn check_field_length(input: &str, field: Field) -> Result<(), InputError> {
    if input.is_empty() {
        return Err(InputError::Required { field });
    }
    if input.chars().count() > MAX_PASSWORD_LEN {
        return Err(InputError::TooLong {
            field,
            max: MAX_PASSWORD_LEN as u32,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;

    #[test]
    fn a_password_from_a_form_never_prints() {
        let input: PasswordInput = serde_json::from_str("\"hunter2-sentinel\"").unwrap();
        assert_eq!(input.expose(), "hunter2-sentinel");
        assert!(!format!("{input:?}").contains("hunter2"));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(
            AppError::from(NewPassword::parse("seven77").unwrap_err()),
            AppError::PasswordTooShort { min: 8 }
        );
    }

    #[test]
    fn empty_and_oversized_passwords_are_refused() {
        assert_eq!(
            AppError::from(NewPassword::parse("").unwrap_err()),
            AppError::FieldRequired {
                field: Field::Password
            }
        );
        assert_eq!(
            AppError::from(NewPassword::parse(&"x".repeat(129)).unwrap_err()),
            AppError::FieldTooLong {
                field: Field::Password,
                max: 128
            }
        );
    }

    #[test]
    fn debug_output_hides_the_password() {
        let password = NewPassword::parse("sentinel-password-123").unwrap();
        assert!(!format!("{password:?}").contains("sentinel"));
    }
}

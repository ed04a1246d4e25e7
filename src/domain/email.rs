//! A normalised (trimmed, lower-case) email address with a plausible shape.

use super::field::{Field, InputError};

/// RFC 5321's limit on a forward path.
pub const MAX_EMAIL_LEN: usize = 254;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Parses user input: required, at most 254 characters, `local@domain.tld` without spaces.
    pub fn parse(input: &str) -> Result<Self, InputError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(InputError::Required {
                field: Field::Email,
            });
        }
        if trimmed.chars().count() > MAX_EMAIL_LEN {
            return Err(InputError::TooLong {
                field: Field::Email,
                max: MAX_EMAIL_LEN as u32,
            });
        }
        let Some((local, domain)) = trimmed.split_once('@') else {
            return Err(InputError::EmailInvalid);
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        let chars_ok =
            !trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) && !domain.contains('@');
        if local.is_empty() || !domain_ok || !chars_ok {
            return Err(InputError::EmailInvalid);
        }
        Ok(Self(trimmed.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;

    #[test]
    fn valid_addresses_are_trimmed_and_lower_cased() {
        let email = EmailAddress::parse("  Olive@Example.COM ").unwrap();
        assert_eq!(email.as_str(), "olive@example.com");
    }

    #[test]
    fn empty_input_is_required() {
        assert_eq!(
            EmailAddress::parse("   ").map_err(AppError::from),
            Err(AppError::FieldRequired {
                field: Field::Email
            })
        );
    }

    #[test]
    fn malformed_addresses_are_invalid() {
        for input in [
            "olive",
            "olive@",
            "@example.com",
            "olive@example",
            "ol ive@example.com",
            "olive@example..com",
            "olive@@example.com",
            "olive@.example.com",
        ] {
            assert_eq!(
                EmailAddress::parse(input).map_err(AppError::from),
                Err(AppError::EmailInvalid),
                "{input}"
            );
        }
    }

    #[test]
    fn oversized_addresses_are_too_long() {
        let input = format!("{}@example.com", "a".repeat(250));
        assert_eq!(
            EmailAddress::parse(&input).map_err(AppError::from),
            Err(AppError::FieldTooLong {
                field: Field::Email,
                max: 254
            })
        );
    }
}

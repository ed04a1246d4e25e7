//! Display names for people and workspaces: required, trimmed, at most 100 characters, no
//! control characters.

use super::field::{Field, InputError};

pub const MAX_NAME_LEN: usize = 100;

fn parse_name(input: &str, field: Field) -> Result<String, InputError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(InputError::Required { field });
    }
    if trimmed.chars().count() > MAX_NAME_LEN {
        return Err(InputError::TooLong {
            field,
            max: MAX_NAME_LEN as u32,
        });
    }
    Ok(trimmed.chars().filter(|c| !c.is_control()).collect())
}

/// A person's display name ("Your name" / "Name").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, InputError> {
        parse_name(input, Field::Name).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A workspace's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceName(String);

impl WorkspaceName {
    pub fn parse(input: &str) -> Result<Self, InputError> {
        parse_name(input, Field::WorkspaceName).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;

    #[test]
    fn names_are_trimmed() {
        assert_eq!(WorkspaceName::parse("  Acme  ").unwrap().as_str(), "Acme");
    }

    #[test]
    fn empty_names_are_required_and_name_their_field() {
        assert_eq!(
            WorkspaceName::parse("").map_err(AppError::from),
            Err(AppError::FieldRequired {
                field: Field::WorkspaceName
            })
        );
        assert_eq!(
            PersonName::parse(" \t").map_err(AppError::from),
            Err(AppError::FieldRequired { field: Field::Name })
        );
    }

    #[test]
    fn names_over_one_hundred_characters_are_refused() {
        assert!(PersonName::parse(&"é".repeat(100)).is_ok());
        assert_eq!(
            PersonName::parse(&"é".repeat(101)).map_err(AppError::from),
            Err(AppError::FieldTooLong {
                field: Field::Name,
                max: 100
            })
        );
    }
}

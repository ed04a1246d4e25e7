//! Fields Meta sends in more than one form (docs/meta-api.md §6.2, §7.2): ids as a string or a
//! number, and granted scopes as a comma-separated string or an array. Which form production
//! sends is unconfirmed, so both are read; anything else is a broken answer.

use serde::{Deserialize, Deserializer};

/// An id Meta may send as `"17841400000000001"` or `17841400000000001`; kept as the string of
/// digits either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaId(pub String);

/// A value Meta sends as `"123"` or `123`, as the string of it.
pub fn string_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Number(u64),
    }
    Ok(match Raw::deserialize(deserializer)? {
        Raw::Text(text) => text,
        Raw::Number(number) => number.to_string(),
    })
}

impl<'de> Deserialize<'de> for MetaId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = string_or_number(deserializer)?;
        if id.is_empty() || id.len() > 32 || !id.chars().all(|c| c.is_ascii_digit()) {
            return Err(serde::de::Error::custom("a Meta id is a string of digits"));
        }
        Ok(MetaId(id))
    }
}

/// Scopes as `"a,b"` or `["a", "b"]`; empty names dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeList(pub Vec<String>);

impl<'de> Deserialize<'de> for ScopeList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            List(Vec<String>),
        }
        let names: Vec<String> = match Raw::deserialize(deserializer)? {
            Raw::Text(text) => text.split(',').map(|s| s.trim().to_owned()).collect(),
            Raw::List(list) => list.into_iter().map(|s| s.trim().to_owned()).collect(),
        };
        Ok(ScopeList(
            names
                .into_iter()
                .filter(|name: &String| !name.is_empty())
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_the_same_as_a_string_or_a_number() {
        let text: MetaId = serde_json::from_str(r#""17841400000000001""#).unwrap();
        let number: MetaId = serde_json::from_str("17841400000000001").unwrap();
        assert_eq!(text, number);
        assert!(serde_json::from_str::<MetaId>(r#""12a""#).is_err());
        assert!(serde_json::from_str::<MetaId>("-5").is_err());
        assert!(serde_json::from_str::<MetaId>(r#""""#).is_err());
    }

    #[test]
    fn scopes_read_the_same_as_a_comma_string_or_an_array() {
        let text: ScopeList = serde_json::from_str(r#""a, b,,c""#).unwrap();
        let list: ScopeList = serde_json::from_str(r#"["a","b","c"]"#).unwrap();
        assert_eq!(text, list);
        assert_eq!(text.0, ["a", "b", "c"]);
        assert!(serde_json::from_str::<ScopeList>("5").is_err());
    }
}

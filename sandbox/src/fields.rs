//! Graph field selection (`fields=id,name,instagram_business_account{id,username}`): parsed
//! into a tree so each object is rendered with exactly the fields asked for.

/// One requested field and, for an expansion, its sub-fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSel {
    pub name: String,
    pub children: Option<Vec<FieldSel>>,
}

/// How deeply expansions may nest. The parser recurses once a level, so without a bound a
/// crafted `a{a{a{…` thousands deep would overflow the stack and abort the whole process.
pub const MAX_DEPTH: usize = 8;

/// Parses a selection; `None` when braces don't balance, a name is empty or expansions nest
/// deeper than [`MAX_DEPTH`].
pub fn parse(input: &str) -> Option<Vec<FieldSel>> {
    let chars: Vec<char> = input.chars().filter(|c| !c.is_whitespace()).collect();
    let (fields, rest) = parse_list(&chars, 1)?;
    rest.is_empty().then_some(fields)
}

fn parse_list(mut input: &[char], depth: usize) -> Option<(Vec<FieldSel>, &[char])> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut fields = Vec::new();
    loop {
        let end = input
            .iter()
            .position(|c| matches!(c, ',' | '{' | '}'))
            .unwrap_or(input.len());
        let name: String = input[..end].iter().collect();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        input = &input[end..];
        let mut children = None;
        if input.first() == Some(&'{') {
            let (inner, rest) = parse_list(&input[1..], depth + 1)?;
            if rest.first() != Some(&'}') {
                return None;
            }
            children = Some(inner);
            input = &rest[1..];
        }
        fields.push(FieldSel { name, children });
        match input.first() {
            Some(',') => input = &input[1..],
            _ => return Some((fields, input)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_expansions_are_parsed() {
        let fields = parse("id,name,instagram_business_account{id,username},tasks").unwrap();
        assert_eq!(fields.len(), 4);
        assert_eq!(fields[2].name, "instagram_business_account");
        let children = fields[2].children.as_ref().unwrap();
        assert_eq!(
            children.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
            ["id", "username"]
        );
    }

    #[test]
    fn expansions_nest_eight_deep_and_no_deeper() {
        let nested = |depth: usize| format!("{}a{}", "a{".repeat(depth - 1), "}".repeat(depth - 1));
        assert!(parse(&nested(MAX_DEPTH)).is_some());
        assert_eq!(parse(&nested(MAX_DEPTH + 1)), None);
        // Deep enough to overflow the stack of a parser without the bound.
        assert_eq!(parse(&nested(200_000)), None);
    }

    #[test]
    fn unbalanced_or_empty_selections_are_refused() {
        for bad in ["id,", "a{b", "a}b", "", "a{}", "id,na-me"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}

#[cfg(test)]
#[path = "fields_proptests.rs"]
mod proptests;

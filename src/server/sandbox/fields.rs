//! Graph field selection (`fields=id,name,instagram_business_account{id,username}`): parsed
//! into a tree so each object is rendered with exactly the fields asked for.

/// One requested field and, for an expansion, its sub-fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSel {
    pub name: String,
    pub children: Option<Vec<FieldSel>>,
}

/// Parses a selection; `None` when braces don't balance or a name is empty.
pub fn parse(input: &str) -> Option<Vec<FieldSel>> {
    let chars: Vec<char> = input.chars().filter(|c| !c.is_whitespace()).collect();
    let (fields, rest) = parse_list(&chars)?;
    rest.is_empty().then_some(fields)
}

fn parse_list(mut input: &[char]) -> Option<(Vec<FieldSel>, &[char])> {
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
            let (inner, rest) = parse_list(&input[1..])?;
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
    fn unbalanced_or_empty_selections_are_refused() {
        for bad in ["id,", "a{b", "a}b", "", "a{}", "id,na-me"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}

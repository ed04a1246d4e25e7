//! Property tests of the field-selection parser: the sandbox parses whatever `fields=` the app
//! (or anyone on loopback) sends, so no text may panic it or overflow its stack, and every
//! selection the app can write must read back as the tree it meant.

use proptest::prelude::*;

use super::{parse, FieldSel, MAX_DEPTH};

/// A selection tree whose expansions nest at most `depth` levels below the top.
fn selection(depth: u32) -> impl Strategy<Value = Vec<FieldSel>> {
    let leaf = "[a-z_][a-z0-9_]{0,11}".prop_map(|name| FieldSel {
        name,
        children: None,
    });
    let field = leaf.prop_recursive(depth, 64, 4, |inner| {
        ("[a-z_][a-z0-9_]{0,11}", prop::collection::vec(inner, 1..4)).prop_map(
            |(name, children)| FieldSel {
                name,
                children: Some(children),
            },
        )
    });
    prop::collection::vec(field, 1..5)
}

/// Writes a tree the way the app's Graph client does.
fn render(fields: &[FieldSel]) -> String {
    fields
        .iter()
        .map(|field| match &field.children {
            Some(children) => format!("{}{{{}}}", field.name, render(children)),
            None => field.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn depth(fields: &[FieldSel]) -> usize {
    1 + fields
        .iter()
        .filter_map(|f| f.children.as_deref().map(depth))
        .max()
        .unwrap_or(0)
}

proptest! {
    #[test]
    fn any_text_parses_or_is_refused_without_panicking(
        text in prop_oneof![".{0,200}", "[a-z,{} ]{0,200}", "[a{]{0,5000}"]
    ) {
        if let Some(fields) = parse(&text) {
            prop_assert!(depth(&fields) <= MAX_DEPTH);
        }
    }

    #[test]
    fn a_selection_the_app_writes_parses_back_to_the_same_tree(
        fields in selection(MAX_DEPTH as u32 - 1)
    ) {
        prop_assert_eq!(parse(&render(&fields)), Some(fields));
    }

    #[test]
    fn whitespace_anywhere_in_a_selection_is_ignored(
        fields in selection(3),
        spaces in prop::collection::vec((any::<prop::sample::Index>(), "[ \t\n]{1,3}"), 0..8),
    ) {
        let mut text = render(&fields);
        for (at, space) in spaces {
            let at = at.index(text.len() + 1);
            text.insert_str(at, &space);
        }
        prop_assert_eq!(parse(&text), Some(fields));
    }

    #[test]
    fn a_selection_nested_deeper_than_the_limit_is_refused(
        fields in selection(3), extra in 1..20usize
    ) {
        let levels = MAX_DEPTH + extra;
        let deep = format!("{}{}{}", "a{".repeat(levels - 1), render(&fields), "}".repeat(levels - 1));
        prop_assert_eq!(parse(&deep), None);
    }
}

//! Property tests of the callback's query parser (docs/hardening.md, requirements 1 and 6):
//! whatever arrives in the query, parsing never panics, keeps nothing unbounded, reads back what
//! Meta sends, and flags every query Meta would never send so the callback fails closed.

use proptest::prelude::*;

use super::{CallbackQuery, MAX_STATES, MAX_VALUE_LEN};

/// A value the way Meta writes one: URL-safe characters and a few that need escaping.
fn value() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_#=&+%. -]{1,300}"
}

/// Parameters Meta may add that the parser must ignore.
fn extra() -> impl Strategy<Value = (String, String)> {
    ("[a-z_]{1,12}", "[A-Za-z0-9 &=]{0,20}")
        .prop_filter("not a parameter the parser reads", |(key, _)| {
            !matches!(key.as_str(), "state" | "code" | "error" | "error_reason")
        })
}

/// A query string with `pairs` in that order, percent-encoded as a browser would send it.
fn encode(pairs: &[(String, String)]) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        out.append_pair(key, value);
    }
    out.finish()
}

/// What Meta sends back: a state and either a code or an error with its reason, in any order
/// among unknown parameters.
fn metas_query() -> impl Strategy<Value = (Vec<(String, String)>, bool)> {
    (
        value(),
        value(),
        value(),
        any::<bool>(),
        prop::collection::vec(extra(), 0..4),
    )
        .prop_flat_map(|(state, first, second, is_error, extras)| {
            let mut pairs = vec![("state".to_owned(), state)];
            if is_error {
                pairs.push(("error".to_owned(), first));
                pairs.push(("error_reason".to_owned(), second));
            } else {
                pairs.push(("code".to_owned(), first));
            }
            pairs.extend(extras);
            (Just(pairs).prop_shuffle(), Just(is_error))
        })
}

fn lookup<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

proptest! {
    #[test]
    fn any_query_string_parses_without_panicking_and_keeps_only_bounded_values(
        raw in prop_oneof![".{0,400}", "(state=[^&]{0,40}&?){0,20}", "[a-z_=&%0-9A-F]{0,3000}"]
    ) {
        let query = CallbackQuery::parse(&raw);
        prop_assert!(query.states.len() <= MAX_STATES);
        let kept = query.states.iter().chain(&query.code).chain(&query.error).chain(&query.error_reason);
        for value in kept {
            prop_assert!(value.len() <= MAX_VALUE_LEN);
        }
    }

    #[test]
    fn a_query_meta_could_send_parses_back_to_its_values((pairs, is_error) in metas_query()) {
        let query = CallbackQuery::parse(&encode(&pairs));
        prop_assert!(!query.malformed, "{:?}", query);
        prop_assert_eq!(query.states.len(), 1);
        prop_assert_eq!(Some(query.states[0].as_str()), lookup(&pairs, "state"));
        prop_assert_eq!(query.code.as_deref(), lookup(&pairs, "code"));
        prop_assert_eq!(query.error.as_deref(), lookup(&pairs, "error"));
        prop_assert_eq!(query.error_reason.as_deref(), lookup(&pairs, "error_reason"));
        prop_assert_eq!(query.error.is_some(), is_error);
    }

    #[test]
    fn a_doubled_code_or_error_is_refused_wherever_it_comes(
        (pairs, _) in metas_query(),
        doubled in prop_oneof![Just("code"), Just("error"), Just("error_reason")],
        again in value(),
        at in any::<prop::sample::Index>(),
    ) {
        let mut pairs = pairs;
        if lookup(&pairs, doubled).is_none() {
            let first = at.index(pairs.len() + 1);
            pairs.insert(first, (doubled.to_owned(), again.clone()));
        }
        let second = at.index(pairs.len() + 1);
        pairs.insert(second, (doubled.to_owned(), again));
        prop_assert!(CallbackQuery::parse(&encode(&pairs)).malformed);
    }

    #[test]
    fn more_states_than_are_looked_up_are_refused(
        states in prop::collection::vec(value(), MAX_STATES + 1..MAX_STATES + 40)
    ) {
        let pairs: Vec<_> = states.iter().map(|s| ("state".to_owned(), s.clone())).collect();
        let query = CallbackQuery::parse(&encode(&pairs));
        prop_assert!(query.malformed);
        prop_assert_eq!(query.states.as_slice(), &states[..MAX_STATES]);
    }

    #[test]
    fn an_oversized_parameter_is_refused_and_never_kept(
        (pairs, _) in metas_query(),
        key in prop_oneof![Just("state"), Just("code"), Just("error"), Just("error_reason")],
        extra_len in 1..600usize,
        at in any::<prop::sample::Index>(),
    ) {
        let huge = format!("HUGE{}", "x".repeat(MAX_VALUE_LEN - 4 + extra_len));
        let mut pairs = pairs;
        pairs.retain(|(k, _)| k != key);
        pairs.insert(at.index(pairs.len() + 1), (key.to_owned(), huge));
        let query = CallbackQuery::parse(&encode(&pairs));
        prop_assert!(query.malformed);
        let kept = query.states.iter().chain(&query.code).chain(&query.error).chain(&query.error_reason);
        for value in kept {
            prop_assert!(!value.starts_with("HUGE"), "the oversized value was kept");
        }
        let debug = format!("{:?}", query);
        prop_assert!(!debug.contains("HUGE"));
    }
}

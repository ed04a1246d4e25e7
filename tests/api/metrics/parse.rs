//! A strict reader of Prometheus' text exposition format (version 0.0.4), so the tests know
//! `/metrics` is something Prometheus parses: `# HELP` / `# TYPE` lines, then samples
//! `name{label="value",…} number`, every sample belonging to a declared family.

use std::collections::{BTreeMap, HashMap};

/// One sample: its name, labels and value.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub value: f64,
}

/// Every sample in `text`, or the first line that is not valid exposition format.
pub fn parse(text: &str) -> Result<Vec<Sample>, String> {
    let mut types: HashMap<String, String> = HashMap::new();
    let mut samples = Vec::new();
    for line in text.lines() {
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("# ") {
            let mut parts = rest.splitn(3, ' ');
            let (kind, name, tail) = (parts.next(), parts.next(), parts.next());
            match (kind, name) {
                (Some("HELP"), Some(name)) if is_name(name) => {}
                (Some("TYPE"), Some(name)) if is_name(name) => {
                    let kind = tail.unwrap_or_default();
                    if !["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind) {
                        return Err(format!("unknown type: {line}"));
                    }
                    types.insert(name.to_owned(), kind.to_owned());
                }
                _ => return Err(format!("bad comment line: {line}")),
            }
            continue;
        }
        let sample = sample(line).ok_or_else(|| format!("bad sample line: {line}"))?;
        let family = [
            sample.name.as_str(),
            sample.name.trim_end_matches("_bucket"),
            sample.name.trim_end_matches("_sum"),
            sample.name.trim_end_matches("_count"),
        ];
        if !family.iter().any(|name| types.contains_key(*name)) {
            return Err(format!("sample of an undeclared family: {line}"));
        }
        samples.push(sample);
    }
    Ok(samples)
}

fn is_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_' || b == b':')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':')
}

fn sample(line: &str) -> Option<Sample> {
    let (head, value) = line.rsplit_once(' ')?;
    let value = match value {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        other => other.parse().ok()?,
    };
    let (name, labels) = match head.split_once('{') {
        None => (head, BTreeMap::new()),
        Some((name, rest)) => (name, labels(rest.strip_suffix('}')?)?),
    };
    is_name(name).then(|| Sample {
        name: name.to_owned(),
        labels,
        value,
    })
}

/// `a="x",b="y"` with `\\`, `\"` and `\n` escapes.
fn labels(mut text: &str) -> Option<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    while !text.is_empty() {
        let (name, rest) = text.split_once("=\"")?;
        if !is_name(name) {
            return None;
        }
        let mut value = String::new();
        let mut chars = rest.char_indices();
        let end = loop {
            match chars.next()? {
                (i, '"') => break i,
                (_, '\\') => match chars.next()?.1 {
                    'n' => value.push('\n'),
                    c @ ('\\' | '"') => value.push(c),
                    _ => return None,
                },
                (_, c) => value.push(c),
            }
        };
        out.insert(name.to_owned(), value);
        text = &rest[end + 1..];
        text = text.strip_prefix(',').unwrap_or(text);
    }
    Some(out)
}

/// The value of the sample `name` whose labels include all of `labels` (summed over the rest).
pub fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    samples
        .iter()
        .filter(|s| s.name == name)
        .filter(|s| {
            labels
                .iter()
                .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|s| s.value)
        .sum()
}

#[test]
fn the_reader_refuses_what_prometheus_would_refuse() {
    assert!(parse("# TYPE a counter\na 1\n").is_ok());
    assert!(parse("a 1\n").is_err(), "undeclared");
    assert!(
        parse("# TYPE a counter\na{b=\"x} 1\n").is_err(),
        "unterminated"
    );
    assert!(parse("# TYPE a counter\na one\n").is_err(), "not a number");
    assert!(parse("# TYPE a flavour\n").is_err(), "unknown type");
    let samples = parse("# TYPE a gauge\na{b=\"x\\\"y\",c=\"z\"} 2.5\n").unwrap();
    assert_eq!(samples[0].labels["b"], "x\"y");
    assert_eq!(value(&samples, "a", &[("c", "z")]), 2.5);
}

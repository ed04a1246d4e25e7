//! `bench all`'s one table: each benchmark records every figure that has a target (and the
//! context figures) as it measures them, and `all` prints them together at the end, so one
//! run shows the whole performance issue at a glance.

use std::sync::Mutex;

/// One line of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// `P1`, `P2`, … or `context`.
    pub id: &'static str,
    pub figure: String,
    pub target: String,
    pub measured: String,
    /// `None` for a figure without a target.
    pub met: Option<bool>,
}

static ROWS: Mutex<Vec<Row>> = Mutex::new(Vec::new());

/// Records a figure for the table.
pub fn record(
    id: &'static str,
    figure: impl Into<String>,
    target: &str,
    measured: String,
    met: Option<bool>,
) {
    let row = Row {
        id,
        figure: figure.into(),
        target: target.to_owned(),
        measured,
        met,
    };
    if let Ok(mut rows) = ROWS.lock() {
        rows.push(row);
    }
}

/// Everything recorded so far, emptied.
pub fn take() -> Vec<Row> {
    ROWS.lock()
        .map(|mut rows| std::mem::take(&mut *rows))
        .unwrap_or_default()
}

/// The table, in the order the figures were recorded.
pub fn render(rows: &[Row]) -> String {
    let mut out = String::from("| | figure | target | measured | |\n|---|---|---|---|---|\n");
    for row in rows {
        let mark = match row.met {
            Some(true) => "✓",
            Some(false) => "✗",
            None => "",
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {mark} |\n",
            row.id, row.figure, row.target, row.measured
        ));
    }
    let with_target = rows.iter().filter(|r| r.met.is_some()).count();
    let met = rows.iter().filter(|r| r.met == Some(true)).count();
    out.push_str(&format!("\n{met} of {with_target} targets met.\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_marks_each_target_and_counts_the_ones_met() {
        let rows = vec![
            Row {
                id: "P4",
                figure: "idle RSS".into(),
                target: "≤ 40 MB".into(),
                measured: "26.4 MB".into(),
                met: Some(true),
            },
            Row {
                id: "P3",
                figure: "tokens/s".into(),
                target: "≥ 5000".into(),
                measured: "987".into(),
                met: Some(false),
            },
            Row {
                id: "context",
                figure: "argon2 hash".into(),
                target: "—".into(),
                measured: "23 ms".into(),
                met: None,
            },
        ];
        let text = render(&rows);
        assert!(
            text.contains("| P4 | idle RSS | ≤ 40 MB | 26.4 MB | ✓ |"),
            "{text}"
        );
        assert!(
            text.contains("| P3 | tokens/s | ≥ 5000 | 987 | ✗ |"),
            "{text}"
        );
        assert!(
            text.contains("| context | argon2 hash | — | 23 ms |  |"),
            "{text}"
        );
        assert!(text.contains("1 of 2 targets met."), "{text}");
    }
}

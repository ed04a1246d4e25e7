//! Cursor paging as Meta answers it: `limit` (25 by default, at most 100) and an opaque
//! `after` cursor, and a `paging` object whose `next` repeats the request with the new cursor
//! as an absolute URL. Only the requested window of a list is rendered.

use super::errors::GraphError;
use super::Params;
use crate::Sandbox;
use base64::Engine;
use serde_json::{json, Value};

const DEFAULT_LIMIT: usize = 25;
const MAX_LIMIT: usize = 100;

fn encode_cursor(index: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("idx:{index}"))
}

fn decode_cursor(cursor: &str) -> Option<usize> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("idx:")?
        .parse()
        .ok()
}

/// Which items a request asks for: from `start`, at most `limit` (Meta's `limit` and `after`).
#[derive(Debug, Clone, Copy)]
pub struct Window {
    start: usize,
    limit: usize,
}

impl Window {
    pub fn of(params: &Params) -> Result<Self, GraphError> {
        let limit = params
            .get("limit")
            .and_then(|l| l.parse().ok())
            .unwrap_or(DEFAULT_LIMIT)
            .clamp(1, MAX_LIMIT);
        let start = match params.get("after") {
            Some(cursor) => decode_cursor(cursor)
                .and_then(|index| index.checked_add(1))
                .ok_or_else(|| GraphError::oauth(100, None, "(#100) Invalid cursor"))?,
            None => 0,
        };
        Ok(Self { start, limit })
    }

    /// The slice of `items` the window covers (empty past the end).
    pub fn of_slice<'a, T>(&self, items: &'a [T]) -> &'a [T] {
        let start = self.start.min(items.len());
        let end = self.start.saturating_add(self.limit).min(items.len());
        &items[start..end]
    }
}

/// One result page of `items` with Meta's paging object; `next` repeats the request's own
/// parameters with the new cursor, as an absolute URL.
pub fn paged(
    sandbox: &Sandbox,
    path: &str,
    params: &Params,
    items: Vec<Value>,
) -> Result<Value, GraphError> {
    let window = Window::of(params)?;
    let data = window.of_slice(&items).to_vec();
    Ok(paged_window(
        sandbox,
        path,
        params,
        window,
        data,
        items.len(),
    ))
}

/// The answer for `window`, whose `data` were rendered from a list of `total` items. Only the
/// window's items are rendered, so a result page costs the same however long the list is.
pub fn paged_window(
    sandbox: &Sandbox,
    path: &str,
    params: &Params,
    window: Window,
    data: Vec<Value>,
    total: usize,
) -> Value {
    let start = window.start;
    let end = start.saturating_add(data.len());
    let mut body = json!({ "data": data });
    if end > start {
        let after = encode_cursor(end - 1);
        let mut paging = json!({ "cursors": { "before": encode_cursor(start), "after": after } });
        if end < total {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            for (key, value) in params.iter().filter(|(k, _)| k.as_str() != "after") {
                query.append_pair(key, value);
            }
            query.append_pair("after", &after);
            paging["next"] = json!(format!(
                "{}{}?{}",
                sandbox.app_url.join("/sandbox/graph"),
                path,
                query.finish()
            ));
        }
        body["paging"] = paging;
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        assert_eq!(decode_cursor(&encode_cursor(149)), Some(149));
        assert_eq!(decode_cursor("not a cursor"), None);
    }

    #[test]
    fn a_window_past_the_end_is_empty_and_a_short_list_is_its_whole_self() {
        let items: Vec<u32> = (0..150).collect();
        let window = |start, limit| Window { start, limit };
        assert_eq!(window(0, 100).of_slice(&items).len(), 100);
        assert_eq!(window(100, 100).of_slice(&items), &items[100..]);
        assert!(window(400, 100).of_slice(&items).is_empty());
        assert!(window(usize::MAX, 100).of_slice(&items).is_empty());
    }
}

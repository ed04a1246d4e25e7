//! Where to send someone back to: after signing in (`?next=`), after a Reconnect, from a
//! confirmation's Cancel. Only relative paths under the app's own
//! pages are accepted, judged *after* dot-segments are resolved the way a browser resolves
//! them, so `/accounts/../sandbox/_control/apps` can never become a way out of the allow-list
//! (docs/security.md #7).

/// Pages a person may be sent back to: each is the path itself or anything below it.
const ALLOWED_PAGES: &[&str] = &[
    "/accounts",
    "/settings",
    "/compose",
    "/posts",
    "/workspaces",
];
const MAX_LEN: usize = 2048;
/// Encoded characters a browser may decode into path structure (`/`, `\`, `.`), and NUL.
const ENCODED_STRUCTURE: &[&str] = &["%2f", "%5c", "%2e", "%00"];

/// Returns where to go for `next`, normalised, when it is a safe app-relative destination.
pub fn safe_return_to(next: &str) -> Option<String> {
    if next.len() > MAX_LEN || !next.starts_with('/') || next.starts_with("//") {
        return None;
    }
    if next
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return None;
    }
    let lower = next.to_ascii_lowercase();
    if lower.contains("javascript:") || ENCODED_STRUCTURE.iter().any(|e| lower.contains(e)) {
        return None;
    }
    let split = next.find(['?', '#']).unwrap_or(next.len());
    let (path, rest) = next.split_at(split);
    let path = remove_dot_segments(path);
    is_allowed(&path).then(|| format!("{path}{rest}"))
}

fn is_allowed(path: &str) -> bool {
    ALLOWED_PAGES.iter().any(|page| {
        path.strip_prefix(page)
            .is_some_and(|below| below.is_empty() || below.starts_with('/'))
    }) && !path.starts_with("//")
}

/// RFC 3986 §5.2.4 for an absolute path: `.` segments vanish, `..` removes the one before it
/// (never climbing above the root).
fn remove_dot_segments(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let mut out: Vec<&str> = Vec::with_capacity(segments.len());
    let last = segments.len().saturating_sub(1);
    for (index, segment) in segments.iter().enumerate() {
        match *segment {
            "." => {}
            ".." => {
                out.pop();
            }
            other => out.push(other),
        }
        // A final `.` or `..` leaves the path ending in a slash, as a browser does.
        if index == last && matches!(*segment, "." | "..") {
            out.push("");
        }
    }
    format!("/{}", out.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_paths_are_kept() {
        for (next, kept) in [
            ("/accounts?status=all", "/accounts?status=all"),
            ("/settings/members", "/settings/members"),
            ("/accounts/./12", "/accounts/12"),
            ("/settings/x/../members", "/settings/members"),
            ("/posts#top", "/posts#top"),
        ] {
            assert_eq!(safe_return_to(next).as_deref(), Some(kept), "{next:?}");
        }
    }

    #[test]
    fn other_destinations_are_refused() {
        let long = format!("/accounts?q={}", "a".repeat(MAX_LEN));
        for next in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/login",
            "accounts",
            "",
            "/accounts\n",
            "/sandbox/x",
            "/accounts/../sandbox/_control/apps",
            "/accounts/%2e%2e/sandbox/_control/apps",
            "/accounts/.%2E/sandbox",
            "/accounts%2f..%2fsandbox",
            "/accounts%5c..%5csandbox",
            "/settings/../../oauth/meta/callback",
            "/oauth/meta/callback?code=x",
            "/accountsx",
            "/accounts/..",
            "/accounts?next=javascript:alert(1)",
            "/accounts\u{0}",
            long.as_str(),
        ] {
            assert_eq!(safe_return_to(next), None, "{next:?}");
        }
    }
}

/// Property tests: whatever text arrives as a destination, the result stays on the allow-list.
#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    /// What a browser makes of `target` on the app's origin: the path it requests, or `None`
    /// if it would leave the origin.
    fn browser_path(target: &str) -> Option<String> {
        let base = url::Url::parse("https://switchboard.example/login").ok()?;
        let resolved = base.join(target).ok()?;
        (resolved.origin() == base.origin()).then(|| resolved.path().to_owned())
    }

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("/accounts".to_owned()),
            Just("/settings/".to_owned()),
            Just("/sandbox/_control/apps".to_owned()),
            Just("/oauth/meta/callback".to_owned()),
            Just("/..".to_owned()),
            Just("/.".to_owned()),
            Just("..".to_owned()),
            Just("/".to_owned()),
            Just("//".to_owned()),
            Just("%2e".to_owned()),
            Just("%2F".to_owned()),
            Just("\\".to_owned()),
            Just("?".to_owned()),
            Just("#".to_owned()),
            Just("javascript:".to_owned()),
            Just("evil.example".to_owned()),
            "[a-z0-9_.%:@-]{0,6}",
        ]
    }

    proptest! {
        #[test]
        fn whatever_comes_in_the_destination_stays_inside_the_allow_list(
            pieces in prop::collection::vec(piece(), 0..10)
        ) {
            let next: String = pieces.concat();
            if let Some(target) = safe_return_to(&next) {
                let path = browser_path(&target);
                prop_assert!(path.is_some(), "{next:?} → {target:?} leaves the origin");
                let path = path.unwrap_or_default();
                prop_assert!(is_allowed(&path), "{next:?} → {target:?} → {path:?}");
            }
        }

        #[test]
        fn arbitrary_text_never_leaves_the_allow_list(next in "\\PC{0,64}") {
            if let Some(target) = safe_return_to(&next) {
                let path = browser_path(&target).unwrap_or_default();
                prop_assert!(is_allowed(&path), "{next:?} → {target:?} → {path:?}");
            }
        }

        #[test]
        fn an_accepted_destination_is_accepted_again_unchanged(
            pieces in prop::collection::vec(piece(), 0..10)
        ) {
            if let Some(target) = safe_return_to(&pieces.concat()) {
                prop_assert_eq!(safe_return_to(&target), Some(target.clone()));
            }
        }
    }
}

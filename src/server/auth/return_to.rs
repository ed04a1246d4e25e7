//! Where to send someone after signing in. Only relative paths under the app's own pages are
//! accepted, so a crafted `?next=` can never become an open redirect.

const ALLOWED_PREFIXES: &[&str] = &[
    "/accounts",
    "/settings/",
    "/oauth/",
    "/compose",
    "/posts",
    "/workspaces/",
];
const MAX_LEN: usize = 2048;

/// Returns `next` when it is a safe, app-relative destination.
pub fn safe_return_to(next: &str) -> Option<String> {
    let safe = next.len() <= MAX_LEN
        && next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace())
        && ALLOWED_PREFIXES
            .iter()
            .any(|prefix| next.starts_with(prefix));
    safe.then(|| next.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_paths_are_kept() {
        assert_eq!(
            safe_return_to("/accounts?status=all").as_deref(),
            Some("/accounts?status=all")
        );
        assert_eq!(
            safe_return_to("/settings/members").as_deref(),
            Some("/settings/members")
        );
    }

    #[test]
    fn other_destinations_are_refused() {
        for next in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/login",
            "accounts",
            "",
            "/accounts\n",
            "/sandbox/x",
        ] {
            assert_eq!(safe_return_to(next), None, "{next:?}");
        }
    }
}

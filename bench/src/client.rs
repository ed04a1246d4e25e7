//! Talking to the app as a browser would, before the load run: signing in through the real
//! login form (so the session is a real one, with every middleware it passes), and checking
//! that the URL under load really answers the accounts page. A load run against a redirect to
//! `/login` would measure nothing worth knowing, so any doubt stops the benchmark.

use anyhow::{bail, ensure, Context};
use reqwest::header::{ACCEPT, COOKIE, ORIGIN, REFERER, SET_COOKIE};
use reqwest::{redirect, Client, StatusCode};

/// The session cookie's name on http (`__Host-switchboard` only on https).
pub const SESSION_COOKIE: &str = "switchboard_session";
/// Text only the accounts table has (its first column heading).
pub const PAGE_MARKER: &str = "Account Name";

/// A client that shows redirects instead of following them and keeps no cookies of its own.
pub fn client() -> anyhow::Result<Client> {
    Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .context("cannot build the HTTP client")
}

/// Signs in with the login form's POST and returns the `Cookie` header value for the session
/// (`switchboard_session=…`).
pub async fn sign_in(
    client: &Client,
    base: &str,
    email: &str,
    password: &str,
) -> anyhow::Result<String> {
    let response = client
        .post(format!("{base}/api/login"))
        .header(ORIGIN, base)
        .header(REFERER, format!("{base}/login"))
        .header(ACCEPT, "text/html")
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .context("POST /api/login failed")?;
    let status = response.status();
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    ensure!(
        status.is_redirection() && !location.contains("/login"),
        "signing in failed: POST /api/login answered {status} (Location {location:?})"
    );
    let cookies: Vec<&str> = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    session_cookie(&cookies)
        .with_context(|| format!("signing in set no {SESSION_COOKIE} cookie: {cookies:?}"))
}

/// The `name=value` of the session cookie among `Set-Cookie` header values.
pub fn session_cookie(set_cookies: &[&str]) -> Option<String> {
    set_cookies.iter().find_map(|header| {
        let pair = header.split(';').next()?.trim();
        let (name, value) = pair.split_once('=')?;
        (name == SESSION_COOKIE && !value.is_empty()).then(|| pair.to_owned())
    })
}

/// GETs `url` as the signed-in browser `times` times; every answer must be a 200 with the
/// accounts table. Returns the first body.
pub async fn fetch_page(
    client: &Client,
    url: &str,
    cookie: &str,
    times: usize,
) -> anyhow::Result<Vec<u8>> {
    fetch_view(client, url, cookie, times, PAGE_MARKER).await
}

/// GETs `url` as the signed-in browser `times` times; every answer must be a 200 holding
/// `marker` (text only that page has). Returns the first body.
pub async fn fetch_view(
    client: &Client,
    url: &str,
    cookie: &str,
    times: usize,
    marker: &str,
) -> anyhow::Result<Vec<u8>> {
    let mut first = None;
    for _ in 0..times.max(1) {
        let response = client
            .get(url)
            .header(ACCEPT, "text/html")
            .header(COOKIE, cookie)
            .send()
            .await
            .with_context(|| format!("GET {url} failed"))?;
        let status = response.status();
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.bytes().await.context("reading the page")?;
        if status != StatusCode::OK {
            bail!("GET {url} answered {status} (Location {location:?}), not the page");
        }
        let text = String::from_utf8_lossy(&body);
        ensure!(
            text.contains(marker) && !text.contains("Something went wrong"),
            "GET {url} answered 200 but not the page (no {marker:?} in {} bytes, or an error)",
            body.len()
        );
        first.get_or_insert(body.to_vec());
    }
    first.context("no page was fetched")
}

/// GETs the static copy and checks it is the same size as the page.
pub async fn fetch_static(client: &Client, url: &str, expected_len: usize) -> anyhow::Result<()> {
    let response = client
        .get(url)
        .header(ACCEPT, "text/html")
        .send()
        .await
        .with_context(|| format!("GET {url} failed"))?;
    let status = response.status();
    let body = response.bytes().await.context("reading the static file")?;
    ensure!(
        status == StatusCode::OK && body.len() == expected_len,
        "GET {url} answered {status} with {} bytes, expected 200 with {expected_len}",
        body.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_picked_out_of_every_set_cookie() {
        let headers = [
            "switchboard_device=abc; Path=/; HttpOnly",
            "switchboard_session=s3cr3t; Path=/; HttpOnly; SameSite=Lax",
        ];
        assert_eq!(
            session_cookie(&headers),
            Some("switchboard_session=s3cr3t".to_owned())
        );
    }

    #[test]
    fn an_emptied_session_cookie_is_no_session() {
        assert_eq!(session_cookie(&["switchboard_session=; Max-Age=0"]), None);
        assert_eq!(session_cookie(&[]), None);
    }
}

//! Markup and injection in every name the app shows: names that come from Meta (a Page called
//! `<script>…`, an Instagram account whose name is an `<img onerror>`), names people type (the
//! workspace, a member) and the search box. Every page that shows them shows them as text, and
//! a search that looks like SQL is only a search.

use crate::connect::{connect, Consent, ALEX};
use crate::helpers::{spawn_app, TestApp};
use crate::sandbox::control;
use serde_json::json;

const PAGE_NAME: &str = "<script>alert('page')</script>";
const IG_NAME: &str = "<img src=x onerror=alert(1)>";
const WORKSPACE_NAME: &str = "<script>alert(\"ws\")</script> & Co";
const MEMBER_NAME: &str = "<svg onload=alert(3)>";

/// The raw markup never appears; the escaped text does (`<` as `&lt;`).
fn shown_as_text(page: &str, markup: &str, path: &str) {
    assert!(!page.contains(markup), "{path} contains raw {markup}");
    let escaped = markup.replace('&', "&amp;").replace('<', "&lt;");
    let escaped = escaped.split('>').next().unwrap().to_owned();
    assert!(
        page.contains(&escaped),
        "{path} does not show {markup} as text"
    );
}

async fn connected_markup_page(app: &TestApp) -> i64 {
    let page = json!({
        "page": {
            "id": "5555",
            "name": PAGE_NAME,
            "instagram": { "id": "17841400005555", "username": "markupig", "name": IG_NAME }
        },
        "tasks": ["MANAGE", "CREATE_CONTENT"]
    });
    let path = format!("/users/{ALEX}/pages");
    assert_eq!(
        control(app, reqwest::Method::POST, &path, Some(page))
            .await
            .0,
        204
    );
    let response = connect(app, Consent::all(ALEX, &["5555"])).await;
    assert_eq!(response.status(), 303);
    crate::publishing::id_of(app, PAGE_NAME).await
}

#[tokio::test]
async fn markup_in_names_from_meta_and_from_people_is_shown_as_text_on_every_page() {
    let app = spawn_app().await;
    app.setup().await;
    let id = connected_markup_page(&app).await;
    assert!(app
        .rename_workspace(WORKSPACE_NAME)
        .await
        .status()
        .is_redirection());
    app.add_member(
        "sam@example.com",
        MEMBER_NAME,
        "member",
        "member-password-1",
    )
    .await;

    for path in [
        "/accounts".to_owned(),
        format!("/accounts/{id}"),
        format!("/accounts/{id}/disconnect"),
        "/compose".to_owned(),
        "/settings/integrations".to_owned(),
        "/settings/activity".to_owned(),
    ] {
        let page = app.page(&path).await;
        shown_as_text(&page, PAGE_NAME, &path);
        assert!(!page.contains("<script>alert"), "{path}");
        assert!(!page.contains(IG_NAME), "{path} contains raw {IG_NAME}");
    }
    for path in ["/accounts", "/settings/workspace", "/settings/members"] {
        shown_as_text(&app.page(path).await, WORKSPACE_NAME, path);
    }
    shown_as_text(
        &app.page("/settings/members").await,
        MEMBER_NAME,
        "/settings/members",
    );
}

#[tokio::test]
async fn a_search_that_looks_like_sql_or_markup_finds_nothing_and_breaks_nothing() {
    let app = spawn_app().await;
    app.setup().await;
    connected_markup_page(&app).await;
    for q in [
        "' OR 1=1 --",
        "%' OR '%'='",
        "\"; DROP TABLE accounts; --",
        "\\",
        "%",
        "_",
        "<script>alert(9)</script>",
    ] {
        let url = format!("/accounts?q={}", urlencoding(q));
        let page = app.page(&url).await;
        assert!(!page.contains("<script>alert(9)"), "{q}");
        assert!(!page.contains("markupig"), "{q} matched an account");
    }
    // The table is still there and the real search still finds the Page.
    assert_eq!(app.count("accounts").await, 2);
    assert!(app.page("/accounts?q=markupig").await.contains("markupig"));
}

fn urlencoding(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

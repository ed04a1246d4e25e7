//! Settings → Integrations at a size where reading every account would show: fifty
//! connections a page, in list order (each Page followed by its Instagram account) across the
//! page boundary, bad page numbers falling back, and the disconnected profiles beside them.

use crate::helpers::{spawn_app, WORKSPACE};
use crate::seeding::{seed, seed_grant, Seed};

/// The account names in the table after `marker` (`connections` or `disconnected`), in order.
fn names_in(page: &str, marker: &str) -> Vec<String> {
    let Some(start) = page.find(&format!("class=\"table {marker}\"")) else {
        return Vec::new();
    };
    let table = &page[start..];
    let table = &table[..table.find("</table>").unwrap_or(table.len())];
    table
        .split("<tr>")
        .skip(2)
        .filter_map(|row| {
            let link = row.split("<a href=\"/accounts/").nth(1)?;
            let name = link.split('>').nth(1)?.split("</a").next()?;
            Some(name.to_owned())
        })
        .collect()
}

#[tokio::test]
async fn the_list_pages_fifty_connections_each_page_before_its_instagram_account() {
    let app = spawn_app().await;
    app.setup().await;
    let ws = app.workspace_id(WORKSPACE).await;
    let g = seed_grant(&app, ws, 30).await;
    // Seeded in reverse, so the order shown is the list's, not the rows' ids.
    for i in (0..60).rev() {
        let name = format!("Page {i:03}");
        let page = seed(&app, ws, g, Seed::page(&name)).await;
        if i % 2 == 0 {
            let child = format!("Instagram of {i:03}");
            let linked = Seed {
                platform: "instagram_business",
                parent: Some(page),
                ..Seed::page(&child)
            };
            seed(&app, ws, g, linked).await;
        }
    }
    for i in 0..3 {
        let gone = format!("Gone {i}");
        let disconnected = Seed {
            status: "disconnected",
            ..Seed::page(&gone)
        };
        seed(&app, ws, g, disconnected).await;
    }

    let first = app.page("/settings/integrations").await;
    let shown = names_in(&first, "connections");
    assert_eq!(shown.len(), 50, "{shown:?}");
    assert_eq!(
        shown[..5],
        [
            "Page 000",
            "Instagram of 000",
            "Page 001",
            "Page 002",
            "Instagram of 002"
        ]
    );
    assert_eq!(
        names_in(&first, "disconnected"),
        ["Gone 0", "Gone 1", "Gone 2"]
    );
    let second = names_in(
        &app.page("/settings/integrations?page=2").await,
        "connections",
    );
    assert_eq!(second.len(), 40, "90 connections in all");
    assert_eq!(second.first().map(String::as_str), Some("Page 033"));
    assert_eq!(second.last().map(String::as_str), Some("Page 059"));
    for bad in [
        "page=0",
        "page=abc",
        "page=-3",
        "page=99999999999999999999999",
    ] {
        let page = app.page(&format!("/settings/integrations?{bad}")).await;
        assert_eq!(names_in(&page, "connections"), shown, "{bad}");
    }
    let past = app.page("/settings/integrations?page=7").await;
    assert_eq!(
        names_in(&past, "connections"),
        second,
        "past the end: the last page"
    );
}

//! The accounts list (`/accounts`) and an account's page (`/accounts/{id}`) over real HTTP:
//! every filter, search, sort and paging edge, the computed columns, the attention banner,
//! bad query values, the number of queries a signed-in view costs at 10,000 accounts, and the
//! workspace boundary.

use crate::helpers::{spawn_app, TestApp, WORKSPACE};
use crate::seeding::{seed, seed_grant, Seed};
use sea_orm::{ActiveModelTrait, EntityTrait, Set, TransactionTrait};
use std::sync::atomic::Ordering;
use switchboard::server::clock::Clock;
use switchboard::server::entities::{account, post};

const DAY: i64 = 86_400;

async fn owner_app() -> TestApp {
    let app = spawn_app().await;
    app.setup().await;
    app
}

/// The world most tests look at: a grant expiring in 30 days with two Pages (one with a linked
/// Instagram account), a direct Creator, a Threads profile expiring in 3 days, an account that
/// needs reauthorization and a disconnected one.
async fn world(app: &TestApp) -> (i64, Vec<i64>) {
    let ws = app.workspace_id(WORKSPACE).await;
    let g = seed_grant(app, ws, 30).await;
    let bakery = seed(app, ws, g, Seed::page("Acme Bakery")).await;
    let side = seed(
        app,
        ws,
        g,
        Seed {
            last_used_ago: Some(2 * 3600),
            ..Seed::page("Side Project")
        },
    )
    .await;
    let ig = seed(
        app,
        ws,
        g,
        Seed {
            username: Some("acmebakery"),
            platform: "instagram_business",
            parent: Some(bakery),
            ..Seed::page("acmebakery")
        },
    )
    .await;
    let creator = seed(
        app,
        ws,
        g,
        Seed {
            username: Some("creator.cat"),
            platform: "instagram_creator",
            expires_in: Some(50 * DAY),
            ..Seed::page("creator.cat")
        },
    )
    .await;
    let threads = seed(
        app,
        ws,
        g,
        Seed {
            username: Some("acme.threads"),
            platform: "threads",
            expires_in: Some(3 * DAY),
            last_used_ago: Some(DAY),
            ..Seed::page("acme.threads")
        },
    )
    .await;
    let broken = seed(
        app,
        ws,
        g,
        Seed {
            status: "needs_reauth",
            reason: Some("Password changed on Facebook"),
            ..Seed::page("Broken Page")
        },
    )
    .await;
    let gone = seed(
        app,
        ws,
        g,
        Seed {
            status: "disconnected",
            ..Seed::page("Old Page")
        },
    )
    .await;
    (ws, vec![bakery, side, ig, creator, threads, broken, gone])
}

/// The first cell of every row, in order.
fn names(page: &str) -> Vec<String> {
    let Some(start) = page.find("<tbody>") else {
        return Vec::new();
    };
    let body = &page[start
        ..page[start..]
            .find("</tbody>")
            .map(|e| start + e)
            .unwrap_or(page.len())];
    body.split("<tr>")
        .skip(1)
        .filter_map(|row| {
            let cell = row.split("<td>").nth(1)?;
            let text_start = cell.find('>')? + 1;
            let text = &cell[text_start..cell[text_start..].find('<')? + text_start];
            Some(crate::helpers::html_unescape(text))
        })
        .collect()
}

async fn view(app: &TestApp, query: &str) -> String {
    let response = app.get(&format!("/accounts?{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn the_default_view_lists_active_accounts_by_name_with_every_column() {
    let app = owner_app().await;
    world(&app).await;
    let page = view(&app, "").await;
    for header in [
        "Account Name",
        "Platform",
        "Username",
        "Status",
        "Token Expiry",
        "Posts Today",
        "Last Used",
    ] {
        assert!(page.contains(header), "{header}");
    }
    // By name in byte order of the lower-case name: "acme bakery" < "acme.threads".
    assert_eq!(
        names(&page),
        [
            "Acme Bakery",
            "acme.threads",
            "acmebakery",
            "creator.cat",
            "Side Project"
        ]
    );
    assert!(
        page.contains("0 / 25"),
        "Instagram counts against its limit"
    );
    assert!(
        page.contains("29 days") || page.contains("30 days"),
        "a Page shows its grant's expiry"
    );
    assert!(page.contains("2 hours ago") && page.contains("Never"));
    assert!(page.contains("<time datetime="));
    assert!(page.contains("Instagram Creator") && page.contains("Threads"));
    assert!(!page.contains("Broken Page") && !page.contains("Old Page"));
}

#[tokio::test]
async fn every_status_filter_selects_its_accounts() {
    let app = owner_app().await;
    world(&app).await;
    assert_eq!(
        names(&view(&app, "status=needs_reauth").await),
        ["Broken Page"]
    );
    assert_eq!(
        names(&view(&app, "status=disconnected").await),
        ["Old Page"]
    );
    assert_eq!(
        names(&view(&app, "status=expiring").await),
        ["acme.threads"]
    );
    assert_eq!(names(&view(&app, "status=all").await).len(), 7);
    assert_eq!(names(&view(&app, "status=active").await).len(), 5);
    let broken = view(&app, "status=needs_reauth").await;
    assert!(
        broken.contains("Needs Reauthorization") && broken.contains("Password changed on Facebook")
    );
}

#[tokio::test]
async fn every_platform_filter_selects_its_accounts() {
    let app = owner_app().await;
    world(&app).await;
    assert_eq!(
        names(&view(&app, "platform=facebook").await),
        ["Acme Bakery", "Side Project"]
    );
    assert_eq!(
        names(&view(&app, "platform=instagram").await),
        ["acmebakery", "creator.cat"]
    );
    assert_eq!(
        names(&view(&app, "platform=threads").await),
        ["acme.threads"]
    );
    assert_eq!(
        names(&view(&app, "platform=instagram&status=all&q=cat").await),
        ["creator.cat"]
    );
}

#[tokio::test]
async fn search_matches_name_and_username_without_case_and_takes_wildcards_literally() {
    let app = owner_app().await;
    let (ws, _) = world(&app).await;
    let g = seed_grant(&app, ws, 30).await;
    seed(&app, ws, g, Seed::page("50%_off \\ Shop")).await;
    seed(&app, ws, g, Seed::page("École Été")).await;
    assert_eq!(
        names(&view(&app, "q=ACME").await),
        ["Acme Bakery", "acme.threads", "acmebakery"]
    );
    assert_eq!(
        names(&view(&app, "q=bakery").await),
        ["Acme Bakery", "acmebakery"]
    );
    assert_eq!(names(&view(&app, "q=%25").await), ["50%_off \\ Shop"]);
    assert_eq!(names(&view(&app, "q=_").await), ["50%_off \\ Shop"]);
    assert_eq!(names(&view(&app, "q=%5C").await), ["50%_off \\ Shop"]);
    assert_eq!(
        names(&view(&app, "q=%C3%89COLE").await),
        ["École Été"],
        "beyond ASCII too"
    );
    assert!(names(&view(&app, "q=zzz").await).is_empty());
    assert!(view(&app, "q=zzz")
        .await
        .contains("No accounts match this view."));
}

#[tokio::test]
async fn each_sort_orders_both_ways_and_the_headers_link_to_it() {
    let app = owner_app().await;
    world(&app).await;
    let by_name = names(&view(&app, "sort=name").await);
    let mut reversed = by_name.clone();
    reversed.reverse();
    assert_eq!(names(&view(&app, "sort=-name").await), reversed);
    assert_eq!(
        names(&view(&app, "sort=expiry").await)[0],
        "acme.threads",
        "soonest first"
    );
    assert_eq!(names(&view(&app, "sort=-expiry").await)[0], "creator.cat");
    assert_eq!(
        names(&view(&app, "sort=-last_used").await)[..2],
        ["Side Project", "acme.threads"]
    );
    assert_eq!(
        names(&view(&app, "sort=platform").await)[..2],
        ["Acme Bakery", "Side Project"]
    );
    assert_eq!(
        names(&view(&app, "status=all&sort=status").await)[0],
        "Acme Bakery"
    );
    assert_eq!(
        names(&view(&app, "status=all&sort=-status").await)[0],
        "Broken Page"
    );
    let page = view(&app, "sort=expiry").await;
    assert!(
        page.contains("href=\"/accounts?sort=-expiry\""),
        "a second click sorts descending"
    );
    assert!(page.contains("aria-sort=\"ascending\""));
}

#[tokio::test]
async fn paging_shows_fifty_rows_and_its_edges_never_fail() {
    let app = owner_app().await;
    let ws = app.workspace_id(WORKSPACE).await;
    let g = seed_grant(&app, ws, 30).await;
    for i in 0..120 {
        seed(&app, ws, g, Seed::page(&format!("Page {i:03}"))).await;
    }
    let first = view(&app, "").await;
    assert_eq!(names(&first).len(), 50);
    assert!(first.contains("Page 1 of 3 · 120 accounts"));
    assert!(first.contains("href=\"/accounts?page=2\""));
    assert_eq!(names(&view(&app, "page=3").await).len(), 20);
    assert_eq!(names(&view(&app, "page=3").await)[0], "Page 100");
    for bad in [
        "page=0",
        "page=-1",
        "page=abc",
        "page=99999999999999999999999",
    ] {
        assert_eq!(names(&view(&app, bad).await), names(&first), "{bad}");
    }
    let past = view(&app, "page=100000").await;
    assert!(names(&past).is_empty());
    assert!(past.contains("past the end") && past.contains("First page"));
}

#[tokio::test]
async fn unknown_or_malformed_values_fall_back_to_the_default_view() {
    let app = owner_app().await;
    world(&app).await;
    let default = names(&view(&app, "").await);
    for query in [
        "status=banned",
        "platform=myspace",
        "sort=-shoe_size",
        "status=&platform=&q=&sort=&page=",
        "status=%00&q=%FF%FE",
    ] {
        let page = view(&app, query).await;
        if !query.contains("q=%FF") {
            assert_eq!(names(&page), default, "{query}");
        }
    }
    let long = format!("q={}", "a".repeat(5000));
    assert_eq!(app.get(&format!("/accounts?{long}")).await.status(), 200);
}

#[tokio::test]
async fn the_banner_counts_what_needs_attention_and_links_to_it() {
    let app = owner_app().await;
    world(&app).await;
    let page = view(&app, "").await;
    assert!(
        page.contains("1 account needs reauthorization"),
        "{}",
        &page[..page.len().min(200)]
    );
    assert!(page.contains("1 account expires soon"));
    assert!(page.contains("href=\"/accounts?status=needs_reauth\""));
    assert!(page.contains("href=\"/accounts?status=expiring\""));
}

#[tokio::test]
async fn posts_today_counts_published_posts_of_the_last_24_hours() {
    let app = owner_app().await;
    let (ws, ids) = world(&app).await;
    let now = app.clock.unix();
    let (ig, side) = (ids[2], ids[1]);
    for (account_id, status, ago) in [
        (ig, "published", 3600),
        (ig, "published", 20 * 3600),
        (ig, "published", 25 * 3600),
        (ig, "failed", 60),
        (side, "published", 10),
    ] {
        post::ActiveModel {
            workspace_id: Set(ws),
            account_id: Set(account_id),
            status: Set(status.into()),
            published_at: Set(Some(now - ago)),
            created_at: Set(now - ago),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    let page = view(&app, "q=acmebakery").await;
    assert!(
        page.contains("2 / 25"),
        "two in the window, one older, one failed"
    );
    let page = view(&app, "q=side").await;
    assert!(page.contains("<td>1</td>"));
}

#[tokio::test]
async fn a_signed_in_view_of_ten_thousand_accounts_takes_at_most_four_queries() {
    let app = owner_app().await;
    let ws = app.workspace_id(WORKSPACE).await;
    let g = seed_grant(&app, ws, 30).await;
    let now = app.clock.unix();
    let owner = app.user_id(crate::helpers::OWNER_EMAIL).await;
    let platforms = [
        "facebook_page",
        "instagram_business",
        "instagram_creator",
        "threads",
    ];
    let statuses = ["active", "active", "active", "needs_reauth", "disconnected"];
    let txn = app.db.begin().await.unwrap();
    for chunk in (0..10_000).collect::<Vec<i64>>().chunks(500) {
        let rows = chunk.iter().map(|i| {
            let name = format!("Account {i:05}");
            let username = format!("acct.{i:05}");
            account::ActiveModel {
                workspace_id: Set(ws),
                grant_id: Set(Some(g)),
                platform: Set(platforms[(*i as usize) % 4].into()),
                external_id: Set(format!("{}", 900_000 + i)),
                search_text: Set(format!("{name} {username}").to_lowercase()),
                name: Set(name),
                username: Set(Some(username)),
                status: Set(statuses[(*i as usize) % 5].into()),
                missing_scopes: Set("[]".into()),
                connected_by: Set(owner),
                connected_at: Set(now),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
        });
        account::Entity::insert_many(rows).exec(&txn).await.unwrap();
    }
    txn.commit().await.unwrap();
    // Warm: the first request after start may learn that setup is done.
    view(&app, "status=active&platform=instagram&q=acct").await;
    // Background jobs (the sandbox clock's sync, the revocation relay) share the counter now
    // and then: the fewest of three views is what one view costs.
    let mut used = u64::MAX;
    let mut page = String::new();
    for _ in 0..3 {
        let before = app.statements.load(Ordering::SeqCst);
        page = view(&app, "status=active&platform=instagram&q=acct").await;
        used = used.min(app.statements.load(Ordering::SeqCst) - before);
    }
    assert_eq!(names(&page).len(), 50);
    assert!(
        page.contains("3000 accounts"),
        "the total comes with the rows"
    );
    assert!(used <= 4, "{used} queries: the session, the user with memberships, the rows with their total, the banner");
}

#[tokio::test]
async fn an_account_page_shows_every_field_and_links_parent_and_children_both_ways() {
    let app = owner_app().await;
    let (_, ids) = world(&app).await;
    let (bakery, ig) = (ids[0], ids[2]);
    let page = app.page(&format!("/accounts/{bakery}")).await;
    assert!(page.contains("Linked Instagram Accounts"));
    assert!(page.contains(&format!("href=\"/accounts/{ig}\"")));
    assert!(page.contains("pages_manage_posts") && page.contains("business_management"));
    assert!(page.contains("Olive Owner") && page.contains("Facebook login of Alex Admin"));
    let page = app.page(&format!("/accounts/{ig}")).await;
    assert!(page.contains("Parent Facebook Page"));
    assert!(page.contains(&format!("href=\"/accounts/{bakery}\"")));
    assert!(page.contains("Token Expiry") && page.contains("Data access expires"));
}

#[tokio::test]
async fn another_workspaces_account_or_a_malformed_id_is_not_found() {
    let app = owner_app().await;
    let (_, ids) = world(&app).await;
    let other = app.create_workspace("Elsewhere").await;
    assert!(other.status().is_redirection());
    for path in [
        format!("/accounts/{}", ids[0]),
        "/accounts/abc".to_owned(),
        "/accounts/99999999999999999999999".to_owned(),
        "/accounts/-1".to_owned(),
    ] {
        assert_eq!(app.get(&path).await.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn a_member_sees_the_list_and_an_account() {
    let app = owner_app().await;
    let (_, ids) = world(&app).await;
    app.add_member(
        "mia@example.com",
        "Mia Member",
        "member",
        "mia password 123",
    )
    .await;
    let mia = app.signed_in("mia@example.com", "mia password 123").await;
    let list = app.get_with(&mia, "/accounts").await;
    assert_eq!(list.status(), 200);
    assert!(list.text().await.unwrap().contains("Acme Bakery"));
    let detail = app.get_with(&mia, &format!("/accounts/{}", ids[0])).await;
    assert_eq!(detail.status(), 200);
}

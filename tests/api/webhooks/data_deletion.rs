//! Data deletion: the person's grants and accounts go for good, in every workspace, and Meta
//! gets the address of a public status page.

use super::*;
use crate::helpers::new_client;
use sea_orm::ActiveModelTrait;
use sha2::{Digest, Sha256};
use switchboard::server::entities::{data_deletion_request, post};

/// A published post on the account called `name`.
async fn post_on(app: &TestApp, name: &str) {
    let row = account::Entity::find()
        .filter(account::Column::Name.eq(name))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    post::ActiveModel {
        workspace_id: sea_orm::Set(row.workspace_id),
        account_id: sea_orm::Set(row.id),
        status: sea_orm::Set("published".into()),
        published_at: sea_orm::Set(Some(1)),
        created_at: sea_orm::Set(1),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

/// The status page at `url`, read by someone who isn't signed in: (status, body).
async fn status_page(url: &str) -> (u16, String) {
    let response = new_client()
        .get(url)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_data_deletion_deletes_that_users_grants_accounts_and_posts_in_every_workspace() {
    let app = app_with_alex().await;
    connect_acme_direct(&app).await;
    let second = second_workspace(&app).await;
    connect_alex(&app).await;
    post_on(&app, "Side Project").await;
    assert_eq!(app.count("accounts").await, 7);

    let (status, body) = deliver(&app, "facebook", "data_deletion", ALEX, false).await;
    assert_eq!(status, 200, "{body}");
    let code = body["confirmation_code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 32, "128 random bits in hex: {code}");
    assert_eq!(
        body["url"].as_str().unwrap(),
        app.url(&format!("/data-deletion/{code}"))
    );

    assert!(grants_of(&app, "facebook", ALEX).await.is_empty());
    let left = account::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(
        left.len(),
        1,
        "only acme.direct, another app's grant, is left"
    );
    assert_eq!(left[0].username.as_deref(), Some("acme.direct"));
    assert_eq!(app.count("grants").await, 1);
    assert_eq!(app.count("posts").await, 0);
    assert_eq!(
        app.count("revocations").await,
        0,
        "no revocation row names the user any more"
    );

    let request = data_deletion_request::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(request.confirmation_code, code);
    assert_eq!(request.provider, "facebook");
    assert_eq!(request.status, "completed");
    assert_eq!(
        (
            request.grants_deleted,
            request.accounts_deleted,
            request.posts_deleted
        ),
        (2, 6, 1)
    );
    assert_eq!(request.user_digest, hex::encode(Sha256::digest(ALEX)));

    let logged = events(&app, "meta.data_deleted").await;
    assert_eq!(logged.len(), 2, "one entry per workspace");
    assert!(logged.iter().any(|e| e.workspace_id == Some(second)));
    for event in &logged {
        assert!(!event.subject.contains("Alex") && !event.detail.contains(ALEX));
        let detail: Value = serde_json::from_str(&event.detail).unwrap();
        assert_eq!(detail, json!({ "provider": "facebook", "accounts": 3 }));
    }
    let activity = crate::helpers::html_unescape(&app.page("/settings/activity").await);
    assert!(activity.contains("Data deleted at Meta's request"));

    let (status, page) = status_page(body["url"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert!(page.contains(&code));
    assert!(page.contains(&format!("Data deletion request {code}: completed on ")));
    assert!(page.contains("Switchboard deleted 6 connected accounts for this Meta user."));
}

#[tokio::test]
async fn disconnected_accounts_go_too() {
    use sea_orm::{IntoActiveModel, Set};
    let app = app_with_alex().await;
    let mut row = account::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    row.status = Set("disconnected".to_owned());
    row.update(&app.db).await.unwrap();
    let (status, _) = deliver(&app, "facebook", "data_deletion", ALEX, false).await;
    assert_eq!(status, 200);
    assert_eq!(
        (app.count("grants").await, app.count("accounts").await),
        (0, 0)
    );
}

#[tokio::test]
async fn a_data_deletion_for_an_unknown_user_still_gets_a_completed_request_that_deleted_nothing() {
    let app = app_with_alex().await;
    let before = snapshot(&app).await;
    let (status, body) = deliver(&app, "threads", "data_deletion", ALEX, false).await;
    assert_eq!(status, 200, "{body}");
    let code = body["confirmation_code"].as_str().unwrap();
    let after = snapshot(&app).await;
    assert_eq!(after.accounts, before.accounts);
    assert_eq!(after.grants, before.grants);
    assert_eq!(after.events, before.events, "no workspace was affected");
    assert_eq!(after.deletion_requests, 1);
    let (status, page) = status_page(body["url"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert!(page.contains(code));
    assert!(page.contains("no connected accounts for this Meta user"));
}

#[tokio::test]
async fn the_status_page_of_an_unknown_or_malformed_code_is_a_404_that_lists_nothing() {
    let app = app_with_alex().await;
    let (_, body) = deliver(&app, "facebook", "data_deletion", ALEX, false).await;
    let real = body["confirmation_code"].as_str().unwrap().to_owned();
    for code in [
        "0123456789abcdef0123456789abcdef".to_owned(),
        real.to_uppercase(),
        format!("{real}0"),
        real[..31].to_owned(),
        "not-a-code".to_owned(),
        "%27%20OR%201%3D1--".to_owned(),
    ] {
        let (status, page) = status_page(&app.url(&format!("/data-deletion/{code}"))).await;
        assert_eq!(status, 404, "{code}");
        assert!(
            page.contains("No data deletion request has this code."),
            "{code}"
        );
        assert!(!page.contains(&real), "{code}: nothing else is listed");
    }
    let (status, _) = status_page(&app.url("/data-deletion/")).await;
    assert_eq!(status, 404);
}

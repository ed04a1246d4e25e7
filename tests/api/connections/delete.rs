//! **Delete** on a Disconnected profile: for good, Owners and Admins only, the activity log
//! keeping the record.

use super::{account_named, connect_alex, owner_app, press_disconnect};
use crate::connect::flash;
use crate::helpers::{form_error, role_message};

#[tokio::test]
async fn a_disconnected_page_is_deleted_for_good_with_its_instagram_account_and_the_log_keeps_it() {
    let app = owner_app().await;
    connect_alex(&app, &["1111", "2222"]).await;
    let acme = account_named(&app, "Acme Bakery").await;

    let refused = app
        .post_form(
            "/api/delete_account",
            &format!("/accounts/{}/delete", acme.id),
            &[("account_id", &acme.id.to_string())],
        )
        .await;
    assert_eq!(
        form_error(&app, refused).await,
        "Only a disconnected account can be deleted for good. Disconnect it first."
    );
    press_disconnect(&app, &app.client, acme.id).await;
    let integrations = app.page("/settings/integrations").await;
    assert!(integrations.contains(&format!("/accounts/{}/delete", acme.id)));
    let confirm = app.page(&format!("/accounts/{}/delete", acme.id)).await;
    assert!(confirm.contains("Yes, delete"));

    let deleted = app
        .post_form(
            "/api/delete_account",
            &format!("/accounts/{}/delete", acme.id),
            &[("account_id", &acme.id.to_string())],
        )
        .await;
    let (location, page) = app.follow(deleted).await;
    assert_eq!(location, "/settings/integrations");
    assert_eq!(
        flash(&page).as_deref(),
        Some("Deleted Acme Bakery for good.")
    );
    assert_eq!(app.count("accounts").await, 1, "only Side Project is left");
    let log = app.page("/settings/activity").await;
    assert!(log.contains("Account deleted for good") && log.contains("Account disconnected"));
}

#[tokio::test]
async fn a_manager_sees_no_delete_and_is_refused_with_the_role_message() {
    let app = owner_app().await;
    connect_alex(&app, &["2222"]).await;
    let side = account_named(&app, "Side Project").await;
    press_disconnect(&app, &app.client, side.id).await;
    app.add_member(
        "mo@example.com",
        "Mo Manager",
        "manager",
        "manager-password-1",
    )
    .await;
    let manager = app.signed_in("mo@example.com", "manager-password-1").await;
    let page = app
        .get_with(&manager, "/settings/integrations")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(">Reconnect<") && !page.contains(">Delete<"));
    let response = app
        .post_form_with(
            &manager,
            "/api/delete_account",
            &format!("/accounts/{}/delete", side.id),
            &[("account_id", &side.id.to_string())],
        )
        .await;
    assert_eq!(
        crate::helpers::form_error_with(&app, &manager, response).await,
        role_message("deleting accounts for good")
    );
    assert_eq!(app.count("accounts").await, 1);
}

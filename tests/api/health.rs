use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_answers_ok_while_the_database_answers() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn healthz_answers_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.db.clone().close().await.unwrap();
    let response = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 503);
}

#[tokio::test]
async fn healthz_answers_on_any_host() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/healthz"))
        .header("Host", "elsewhere.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

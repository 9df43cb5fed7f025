//! End to end: the real app window, the real GNOME Keyring, the real settings file.
//! Run with `scripts/desktop-session.sh cargo test --test e2e_connections -- --ignored`.

mod support;

use support::*;

#[tokio::test]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn a_connection_survives_a_restart_and_its_secret_lives_only_in_the_keyring() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let secret = format!("e2e-secret-{}", std::process::id());

    // Add a connection with a secret.
    let app = driver.launch().await;
    wait_for(&app, "[data-testid=welcome]").await;
    click(&app, "[data-testid=nav-credentials]").await;
    wait_for(&app, "[data-testid=no-connections]").await;
    click(&app, "[data-testid=add-connection]").await;
    type_into(&app, "[data-testid=conn-name]", "Head office").await;
    type_into(&app, "[data-testid=conn-client-id]", "e2e-client-id").await;
    type_into(&app, "[data-testid=conn-secret]", &secret).await;
    click(&app, "[data-testid=conn-save]").await;
    wait_for_text(
        &app,
        "[data-testid=secret-status]",
        "Secret stored in keyring",
    )
    .await;
    let card = wait_for(&app, "[data-testid=connection-card]").await;
    let id = card
        .attr("data-id")
        .await
        .unwrap()
        .expect("card has data-id");
    let page = app.source().await.unwrap();
    assert!(!page.contains(&secret), "the secret is still in the page");
    screenshot(&app, "connections.png").await;
    app.close().await.unwrap();

    // Start again: the connection is listed and its secret is in the real keyring.
    let app = driver.launch().await;
    click(&app, "[data-testid=nav-credentials]").await;
    wait_for_text(&app, "[data-testid=connection-name]", "Head office").await;
    wait_for_text(
        &app,
        "[data-testid=secret-status]",
        "Secret stored in keyring",
    )
    .await;
    assert_eq!(keyring_lookup(&id).as_deref(), Some(secret.as_str()));

    let settings = std::fs::read_to_string(data.path().join("settings.json")).unwrap();
    assert!(settings.contains("e2e-client-id"), "{settings}");
    assert!(
        !settings.contains(&secret),
        "the settings file holds the secret"
    );

    // Delete it: the keyring entry goes too.
    click(&app, "[data-testid=delete-connection]").await;
    click(&app, "[data-testid=confirm-delete]").await;
    wait_for(&app, "[data-testid=no-connections]").await;
    assert_eq!(keyring_lookup(&id), None);
    app.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn a_plain_http_address_is_refused_with_a_clear_message() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = driver.launch().await;
    click(&app, "[data-testid=nav-credentials]").await;
    click(&app, "[data-testid=add-connection]").await;
    type_into(&app, "[data-testid=conn-name]", "Typo").await;
    type_into(&app, "[data-testid=conn-client-id]", "cid").await;
    type_into(
        &app,
        "[data-testid=conn-base-url]",
        "http://api.innerspace.io",
    )
    .await;
    wait_for_text(
        &app,
        "[data-testid=error-baseUrl]",
        "Use https:// for api.innerspace.io",
    )
    .await;
    click(&app, "[data-testid=conn-save]").await;
    wait_for_text(
        &app,
        "[data-testid=form-error]",
        "Fix the highlighted fields",
    )
    .await;
    screenshot(&app, "form-error.png").await;
    click(&app, "[data-testid=conn-cancel]").await;
    wait_for(&app, "[data-testid=no-connections]").await;
    assert!(!data.path().join("settings.json").exists());
    app.close().await.unwrap();
}

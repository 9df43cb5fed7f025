//! End to end: SpatiaFi App Credentials in the real window, against the demo service, with the
//! real GNOME Keyring. Run with
//! `scripts/desktop-session.sh cargo test --test e2e_app_credentials -- --ignored`.

mod support;

use occudesk_sim::demo;
use support::*;

/// The system clipboard's text, read the way another app would (xclip; scripts/install-deps.sh).
fn clipboard_text() -> String {
    let out = std::process::Command::new("xclip")
        .args(["-o", "-selection", "clipboard"])
        .output()
        .expect("xclip runs (scripts/install-deps.sh installs it)");
    assert!(
        out.status.success(),
        "xclip: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("the clipboard holds text")
}

fn row(client_id: &str) -> String {
    format!("[data-testid=app-credential][data-client-id=\"{client_id}\"]")
}

#[tokio::test]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn create_shows_the_secret_once_keeps_it_in_the_keyring_then_use_and_delete() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = driver.launch().await;
    open_demo_credentials(&app).await;
    wait_for(
        &app,
        "[data-testid=app-credentials] [data-testid=sf-signin-form]",
    )
    .await;
    // Reachable from the top of Credentials: the link brings the panel into view, focused.
    click(&app, "[data-testid=jump-app-credentials]").await;
    let focused = app
        .execute(
            "return document.activeElement.dataset.testid ?? null",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(focused, serde_json::json!("app-credentials"));

    // A wrong password: refused, nothing signed in, the password not echoed. The words point
    // to this form, not to "the connection settings".
    type_into(&app, "[data-testid=sf-email]", demo::SPATIAFI_EMAIL).await;
    type_into(&app, "[data-testid=sf-password]", "not-the-password").await;
    click(&app, "[data-testid=sf-sign-in]").await;
    let refused = wait_for_text(
        &app,
        "[data-testid=sf-signin-error]",
        "SpatiaFi did not accept this email and password. Check both above",
    )
    .await;
    assert!(!refused.contains("connection settings"), "{refused}");

    // Sign in: 15 minutes left, the demo credential listed as used by the demo connection.
    type_into(&app, "[data-testid=sf-password]", demo::SPATIAFI_PASSWORD).await;
    click(&app, "[data-testid=sf-sign-in]").await;
    wait_for_text(&app, "[data-testid=sf-time-left]", "min left").await;
    // Each row: its id, the connection that uses it, whether its secret is here.
    let demo_row = row(demo::SPATIAFI_CLIENT_ID);
    wait_for_text(
        &app,
        &format!("{demo_row} [data-testid=app-credential-id]"),
        demo::SPATIAFI_CLIENT_ID,
    )
    .await;
    wait_for_text(
        &app,
        &format!("{demo_row} [data-testid=app-credential-used-by]"),
        "Demo SpatiaFi (demo)",
    )
    .await;
    wait_for_text(
        &app,
        &format!("{demo_row} [data-testid=app-credential-secret-here]"),
        "Yes, in memory (demo data)",
    )
    .await;
    // Deleting the demo credential removes nothing from the keyring, and says so once.
    click(
        &app,
        &format!("{demo_row} [data-testid=delete-app-credential]"),
    )
    .await;
    let consequence = wait_for_text(
        &app,
        "[data-testid=delete-consequence]",
        "Demo secrets are kept in memory: nothing is removed from the keyring.",
    )
    .await;
    assert_eq!(consequence.matches("keyring").count(), 1, "{consequence}");
    click(&app, "[data-testid=cancel-confirm]").await;

    // Create: the secret is shown once, with the notice, and is already in the keyring.
    click(&app, "[data-testid=create-app-credential]").await;
    let secret = wait_for(&app, "[data-testid=new-secret]")
        .await
        .text()
        .await
        .unwrap();
    let client_id = wait_for(&app, "[data-testid=new-client-id]")
        .await
        .text()
        .await
        .unwrap();
    assert!(secret.len() >= 32, "secret shown: {secret:?}");
    wait_for_text(
        &app,
        "[data-testid=secret-notice]",
        "You will not see this again",
    )
    .await;
    wait_for_text(
        &app,
        "[data-testid=secret-saved]",
        "Saved in this computer's keyring",
    )
    .await;
    let key = format!("app-credential:{client_id}");
    assert_eq!(keyring_lookup(&key).as_deref(), Some(secret.as_str()));
    // Copy: through the clipboard plugin onto the system clipboard, read back outside the app
    // (the window itself may only write it).
    click(&app, "[data-testid=copy-secret]").await;
    wait_for_text(
        &app,
        "[data-testid=copy-result]",
        "Copied to the clipboard.",
    )
    .await;
    assert_eq!(clipboard_text(), secret);
    screenshot(&app, "app-credentials-secret.png").await;

    // "I have saved it": the secret leaves the page.
    click(&app, "[data-testid=secret-done]").await;
    wait_gone(&app, "[data-testid=new-secret]").await;
    wait_for(&app, &row(&client_id)).await;
    let page = app.source().await.unwrap();
    assert!(!page.contains(&secret), "the secret is still in the page");
    assert!(
        !page.contains(demo::SPATIAFI_PASSWORD),
        "the password is in the page"
    );
    let settings = std::fs::read_to_string(data.path().join("settings.json")).unwrap_or_default();
    assert!(
        !settings.contains(&secret),
        "the settings file holds the secret"
    );
    wait_for_text(
        &app,
        &format!(
            "{} [data-testid=app-credential-secret-here]",
            row(&client_id)
        ),
        "Yes, in this computer's keyring",
    )
    .await;

    // Use as connection: saved and proven with a token.
    click(
        &app,
        &format!("{} [data-testid=use-as-connection]", row(&client_id)),
    )
    .await;
    type_into(&app, "[data-testid=use-name]", "E2E pipeline").await;
    click(&app, "[data-testid=use-confirm]").await;
    wait_for_text(
        &app,
        "[data-testid=sf-notice]",
        "fetched a token valid for 15 min",
    )
    .await;
    wait_for_text(
        &app,
        &in_card("E2E pipeline", "connection-status"),
        "OK until",
    )
    .await;
    let connection_id = wait_for(&app, &card("E2E pipeline"))
        .await
        .attr("data-id")
        .await
        .unwrap()
        .expect("card has data-id");
    assert_eq!(
        keyring_lookup(&connection_id).as_deref(),
        Some(secret.as_str())
    );
    wait_for_text(
        &app,
        &format!("{} [data-testid=app-credential-used-by]", row(&client_id)),
        "E2E pipeline",
    )
    .await;
    click(&app, "[data-testid=jump-app-credentials]").await;
    screenshot(&app, "app-credentials.png").await;

    // Delete: the confirmation names the connection; gone from the service and the keyring.
    click(
        &app,
        &format!("{} [data-testid=delete-app-credential]", row(&client_id)),
    )
    .await;
    wait_for_text(
        &app,
        "[data-testid=delete-consequence]",
        "Used by E2E pipeline",
    )
    .await;
    click(&app, "[data-testid=confirm-delete-app-credential]").await;
    wait_for_text(
        &app,
        "[data-testid=sf-notice]",
        &format!("Deleted {client_id}"),
    )
    .await;
    wait_gone(&app, &row(&client_id)).await;
    assert_eq!(keyring_lookup(&key), None);
    assert_eq!(keyring_lookup(&connection_id), None);
    assert!(
        !keyring_items().contains(&secret),
        "a copy is left in the keyring"
    );
    // Refreshing asks the service again: still gone.
    click(&app, "[data-testid=refresh-app-credentials]").await;
    wait_for(&app, &row(demo::SPATIAFI_CLIENT_ID)).await;
    wait_gone(&app, &row(&client_id)).await;
    app.close().await.unwrap();
}

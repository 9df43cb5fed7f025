//! End to end (issue 26): a personal bearer token added in the window, tested, used for a
//! view, refused when it has run out with an action that opens its edit form, and renewed by
//! pasting a new one there. The token lives in the keyring only: never in the page or a file.

mod support;

use std::time::Duration;

use occudesk_sim::{Sim, demo};
use support::*;

const HOUR: Duration = Duration::from_secs(3600);

/// Adds a personal-token connection through the form and returns its id.
async fn add_token(app: &fantoccini::Client, name: &str, base_url: &str, token: &str) -> String {
    click(app, "[data-testid=add-connection]").await;
    pick(app, "conn-kind", "innerspace-token").await;
    // The token is the whole credential: the form asks for no client id.
    wait_for(app, "[data-field=clientId][hidden]").await;
    wait_for_text(app, "[data-field=secret] .field-label", "Bearer token").await;
    type_into(app, "[data-testid=conn-name]", name).await;
    type_into(app, "[data-testid=conn-base-url]", base_url).await;
    type_into(app, "[data-testid=conn-secret]", token).await;
    click(app, "[data-testid=conn-save]").await;
    // Drawn with fresh facts once saved: clicks land on the card that stays.
    wait_for_text(app, &in_card(name, "connection-status"), "Not tested yet").await;
    wait_for(app, &card(name))
        .await
        .attr("data-id")
        .await
        .unwrap()
        .expect("card has data-id")
}

/// Every file under `dir`, read as text.
fn files_text(dir: &std::path::Path) -> String {
    let mut all = String::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            all.push_str(&files_text(&path));
        } else {
            all.push_str(&String::from_utf8_lossy(
                &std::fs::read(&path).unwrap_or_default(),
            ));
        }
    }
    all
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn a_personal_token_is_added_tested_used_and_renewed_from_its_expiry_message() {
    let sim = Sim::start("127.0.0.1:0".parse().unwrap(), Default::default())
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = driver.launch().await;
    click(&app, "[data-testid=nav-credentials]").await;

    let first = sim.personal_token(HOUR, HOUR);
    let id = add_token(&app, "My token", &sim.url(), &first).await;
    wait_for_text(
        &app,
        &in_card("My token", "secret-status"),
        "Secret stored in keyring",
    )
    .await;
    click(&app, &in_card("My token", "test-connection")).await;
    wait_for_text(
        &app,
        &in_card("My token", "test-result"),
        "The token is valid for",
    )
    .await;
    // Nothing renews it, so the status line says until when, not "renews automatically".
    wait_for_text(
        &app,
        "[data-testid=status-line]",
        "My token: signed in until",
    )
    .await;
    assert_eq!(keyring_lookup(&id).as_deref(), Some(first.as_str()));

    // Used for a view like any InnerSpace connection.
    click(&app, "[data-testid=nav-insights]").await;
    pick(&app, "pick-connection", &id).await;
    pick(&app, "pick-building", "71").await;
    set_range(&app, "2026-11-02", "2026-11-08").await;
    click(&app, "[data-testid=load-insights]").await;
    wait_for_text(&app, "[data-testid=result-summary]", "rows").await;
    assert!(sim.counters(demo::PERSONAL_USER).api_requests > 0);

    // The service stops accepting it: a message that says what to do, and an action for it.
    sim.expire_sessions();
    click(&app, "[data-testid=nav-credentials]").await;
    // Drawn with fresh facts: the click lands on the card that stays.
    wait_for(&app, "body[data-shown=credentials]").await;
    wait_for_text(&app, &in_card("My token", "connection-status"), "OK until").await;
    click(&app, &in_card("My token", "test-connection")).await;
    wait_for_text(
        &app,
        &in_card("My token", "connection-status"),
        "no longer accepts your token",
    )
    .await;
    // Where it is used, the message comes with the way out: Live asks, the banner offers it.
    click(&app, "[data-testid=nav-live]").await;
    wait_for_text(&app, "[data-testid=error-message]", "paste a new one").await;
    wait_for(
        &app,
        "[data-testid=error-banner][data-code=\"auth.token_expired\"]",
    )
    .await;
    wait_for_text(&app, "[data-testid=error-action]", "Paste a new token").await;
    screenshot(&app, "personal-token.png").await;
    click(&app, "[data-testid=error-action]").await;
    wait_for_text(&app, "[data-testid=connection-form] h2", "Edit My token").await;
    let placeholder = wait_for(&app, "[data-testid=conn-secret]")
        .await
        .attr("placeholder")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(placeholder.contains("Stored in keyring"), "{placeholder}");
    let second = sim.personal_token(2 * HOUR, 2 * HOUR);
    type_into(&app, "[data-testid=conn-secret]", &second).await;
    click(&app, "[data-testid=conn-save]").await;
    wait_gone(&app, "[data-testid=connection-form]").await;
    // Live works again with the token just pasted.
    wait_for_text(&app, "[data-testid=live-asof]", "As of ").await;
    click(&app, "[data-testid=nav-credentials]").await;
    wait_for(&app, "body[data-shown=credentials]").await;
    // Saved: the edit forgot the old token's test result.
    wait_for_text(
        &app,
        &in_card("My token", "connection-status"),
        "Not tested yet",
    )
    .await;
    click(&app, &in_card("My token", "test-connection")).await;
    wait_for_text(
        &app,
        &in_card("My token", "test-result"),
        "The token is valid for 2 h",
    )
    .await;
    assert_eq!(keyring_lookup(&id).as_deref(), Some(second.as_str()));

    // A token pasted after its exp says when it expired.
    let old = sim.expired_personal_token(Duration::from_secs(300));
    add_token(&app, "Old token", &sim.url(), &old).await;
    click(&app, &in_card("Old token", "test-connection")).await;
    wait_for_text(
        &app,
        &in_card("Old token", "connection-status"),
        "Your token expired at",
    )
    .await;

    let page = app.source().await.unwrap();
    for token in [&first, &second, &old] {
        assert!(!page.contains(token.as_str()), "a token is in the page");
        assert!(
            !files_text(data.path()).contains(token.as_str()),
            "a token is in a file"
        );
    }
    app.close().await.unwrap();
}

//! End to end: the Credentials loop in the real window against the simulator. "Save and test"
//! shows a wrong secret on the card at once (saved all the same, no banner repeating it); the
//! badges are neutral for where a secret is and coloured for the last test; each card says
//! when it was last tested; a banner belongs to the view that raised it.
//! Run with `scripts/desktop-session.sh cargo test --test e2e_credentials_loop -- --include-ignored`.

mod support;

use std::time::Duration;

use fantoccini::Client;
use occudesk_sim::{Sim, demo};
use support::*;

/// The Enter key, as WebDriver types it.
const ENTER: char = '\u{E007}';

async fn class_of(app: &Client, css: &str) -> String {
    wait_for(app, css)
        .await
        .attr("class")
        .await
        .unwrap()
        .unwrap_or_default()
}

async fn banner_hidden(app: &Client) -> bool {
    wait_for(app, "[data-testid=error-banner]")
        .await
        .attr("hidden")
        .await
        .unwrap()
        .is_some()
}

/// The form filled in with `secret` and sent with Enter: the default action, Save and test.
async fn fill_and_press_enter(app: &Client, name: &str, base_url: &str, secret: &str) {
    type_into(app, "[data-testid=conn-name]", name).await;
    type_into(app, "[data-testid=conn-base-url]", base_url).await;
    type_into(app, "[data-testid=conn-client-id]", demo::V2_CLIENT_ID).await;
    type_into(
        app,
        "[data-testid=conn-secret]",
        &format!("{secret}{ENTER}"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn save_and_test_shows_a_wrong_secret_on_the_card_at_once_and_keeps_the_connection() {
    let sim = Sim::start("127.0.0.1:0".parse().unwrap(), Default::default())
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = driver.launch().await;
    click(&app, "[data-testid=nav-credentials]").await;
    click(&app, "[data-testid=add-connection]").await;
    // Save and test is the default (primary, the form's Enter); plain Save is the other one.
    assert_eq!(
        class_of(&app, "[data-testid=conn-save-test]").await,
        "primary"
    );
    assert_eq!(class_of(&app, "[data-testid=conn-save]").await, "");
    fill_and_press_enter(&app, "Typo HQ", &sim.url(), "not-the-secret").await;

    // Saved, tested with the stored secret, and the failure on the card at once.
    let name = "Typo HQ";
    wait_for_text(
        &app,
        &in_card(name, "connection-status"),
        "Failed: The service refused the client id or client secret",
    )
    .await;
    assert_eq!(sim.counters(demo::V2_CLIENT_ID).token_requests, 1);
    wait_for_text(
        &app,
        &in_card(name, "secret-status"),
        "Secret stored in keyring",
    )
    .await;
    let tested = wait_for_text(&app, &in_card(name, "last-tested"), "Last tested ").await;
    let time = tested.trim_start_matches("Last tested ");
    assert!(
        time.len() == 5 && time.as_bytes()[2] == b':',
        "a time of day on the 24-hour clock: {tested:?}"
    );
    // Storage is a fact (neutral); only the test's verdict is coloured.
    assert_eq!(
        class_of(&app, &in_card(name, "secret-status")).await,
        "badge"
    );
    assert_eq!(
        class_of(&app, &in_card(name, "connection-status")).await,
        "badge bad"
    );
    // The failure is said once, on the card: the banner does not repeat it. The banner would
    // come right after the redraw; give it time to be wrong.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        banner_hidden(&app).await,
        "the failure is also in the banner"
    );
    screenshot(&app, "save-and-test-failed.png").await;

    // Edit, the right secret, Enter: the same card turns OK.
    click(&app, &in_card(name, "edit-connection")).await;
    type_into(
        &app,
        "[data-testid=conn-secret]",
        &format!("{}{ENTER}", demo::V2_CLIENT_SECRET),
    )
    .await;
    wait_for_text(&app, &in_card(name, "connection-status"), "OK until").await;
    wait_for_text(
        &app,
        &in_card(name, "test-result"),
        "The token is valid for",
    )
    .await;
    assert_eq!(
        class_of(&app, &in_card(name, "connection-status")).await,
        "badge ok"
    );
    assert_eq!(
        class_of(&app, &in_card(name, "secret-status")).await,
        "badge"
    );
    wait_for_text(&app, &in_card(name, "last-tested"), "Last tested ").await;

    // On a 12-hour clock (Settings), the card's times follow.
    click(&app, "[data-testid=nav-settings]").await;
    pick(&app, "clock-select", "12h").await;
    wait_for_text(&app, "[data-testid=time-display-status]", "Saved").await;
    click(&app, "[data-testid=nav-credentials]").await;
    let tested = wait_for_text(&app, &in_card(name, "last-tested"), "M").await;
    assert!(
        tested.ends_with(" AM") || tested.ends_with(" PM"),
        "{tested:?}"
    );
    let ok = wait_for_text(&app, &in_card(name, "connection-status"), "OK until").await;
    assert!(ok.ends_with(" AM") || ok.ends_with(" PM"), "{ok:?}");

    // Plain Save does not test: a new connection says so, and the service was not asked.
    let before = sim.counters(demo::V2_CLIENT_ID).token_requests;
    click(&app, "[data-testid=add-connection]").await;
    type_into(&app, "[data-testid=conn-name]", "Saved only").await;
    type_into(&app, "[data-testid=conn-base-url]", &sim.url()).await;
    type_into(&app, "[data-testid=conn-client-id]", demo::V2_CLIENT_ID).await;
    type_into(&app, "[data-testid=conn-secret]", "not-the-secret").await;
    click(&app, "[data-testid=conn-save]").await;
    wait_for_text(
        &app,
        &in_card("Saved only", "connection-status"),
        "Not tested yet",
    )
    .await;
    assert_eq!(
        class_of(&app, &in_card("Saved only", "connection-status")).await,
        "badge"
    );
    wait_gone(&app, &in_card("Saved only", "last-tested")).await;
    assert_eq!(sim.counters(demo::V2_CLIENT_ID).token_requests, before);

    let page = app.source().await.unwrap();
    assert!(!page.contains(demo::V2_CLIENT_SECRET) && !page.contains("not-the-secret"));
    app.close().await.unwrap();

    // Saved despite the failed test: there after a restart.
    let app = driver.launch().await;
    click(&app, "[data-testid=nav-credentials]").await;
    wait_for(&app, &card(name)).await;
    app.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn a_banner_raised_in_credentials_is_gone_in_insights() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = driver.launch().await;
    open_demo_credentials(&app).await;
    type_into(&app, "[data-testid=sf-email]", demo::SPATIAFI_EMAIL).await;
    type_into(&app, "[data-testid=sf-password]", demo::SPATIAFI_PASSWORD).await;
    click(&app, "[data-testid=sf-sign-in]").await;
    // Using the demo credential under a name already taken: refused, in the banner.
    let row = format!(
        "[data-testid=app-credential][data-client-id=\"{}\"]",
        demo::SPATIAFI_CLIENT_ID
    );
    click(&app, &format!("{row} [data-testid=use-as-connection]")).await;
    type_into(&app, "[data-testid=use-name]", "Demo SpatiaFi").await;
    click(&app, "[data-testid=use-confirm]").await;
    wait_for(&app, "[data-testid=error-banner]:not([hidden])").await;

    click(&app, "[data-testid=nav-insights]").await;
    wait_for(&app, "body[data-shown=insights]").await;
    assert!(
        banner_hidden(&app).await,
        "Credentials' banner is over Insights"
    );
    // Back in Credentials it does not come back either: it was closed with its view.
    click(&app, "[data-testid=nav-credentials]").await;
    wait_for(&app, "body[data-shown=credentials]").await;
    assert!(banner_hidden(&app).await);
    app.close().await.unwrap();
}

//! End to end: add connections in the window, test them against the simulator, see the status.

mod support;

use occudesk_sim::{Sim, demo};
use support::*;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn testing_a_connection_shows_its_token_lifetime_or_the_reason_it_failed() {
    let sim = Sim::start("127.0.0.1:0".parse().unwrap(), Default::default())
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = driver.launch().await;
    click(&app, "[data-testid=nav-credentials]").await;

    add_connection(
        &app,
        "Simulated HQ",
        &sim.url(),
        demo::V2_CLIENT_ID,
        demo::V2_CLIENT_SECRET,
    )
    .await;
    let good = "Simulated HQ";
    wait_for_text(&app, &in_card(good, "connection-status"), "Not tested yet").await;
    click(&app, &in_card(good, "test-connection")).await;
    wait_for_text(
        &app,
        &in_card(good, "test-result"),
        "The token is valid for 60 min",
    )
    .await;
    wait_for_text(&app, &in_card(good, "connection-status"), "OK until").await;
    // The status line says the connection is signed in, in words, not a token's minutes.
    let status = wait_for_text(
        &app,
        "[data-testid=status-line]",
        "Simulated HQ: signed in, renews automatically",
    )
    .await;
    assert!(!status.contains("token"), "{status}");
    assert_eq!(sim.counters(demo::V2_CLIENT_ID).token_requests, 1);

    add_connection(
        &app,
        "Wrong secret",
        &sim.url(),
        demo::V2_CLIENT_ID,
        "not-the-secret",
    )
    .await;
    let bad = "Wrong secret";
    click(&app, &in_card(bad, "test-connection")).await;
    wait_for_text(
        &app,
        &in_card(bad, "connection-status"),
        "Failed: The service refused",
    )
    .await;
    // Said once, on the card; the banner does not repeat it (e2e_credentials_loop waits for it).
    // The good connection keeps its status.
    wait_for_text(&app, &in_card(good, "connection-status"), "OK until").await;

    let page = app.source().await.unwrap();
    assert!(!page.contains(demo::V2_CLIENT_SECRET) && !page.contains("not-the-secret"));
    screenshot(&app, "test-connection.png").await;
    app.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn demo_data_from_the_welcome_card_never_touches_the_keyring() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = driver.launch().await;
    click(&app, "[data-testid=try-demo]").await;
    // The morning start: straight to a building's occupancy, loaded, not a form to fill in.
    wait_for(&app, "body[data-shown=insights]").await;
    wait_for_text(&app, "[data-testid=result-summary]", "rows").await;
    wait_for(&app, "[data-testid=chart-image]").await;
    click(&app, "[data-testid=nav-credentials]").await;
    wait_for(&app, &card("Demo InnerSpace (v2)")).await;
    wait_for(&app, &card("Demo InnerSpace (v1)")).await;
    wait_for(&app, &card("Demo SpatiaFi")).await;
    wait_for_text(&app, "[data-testid=status-line]", "demo data").await;
    for name in [
        "Demo InnerSpace (v2)",
        "Demo InnerSpace (v1)",
        "Demo SpatiaFi",
    ] {
        wait_for_text(
            &app,
            &in_card(name, "secret-status"),
            "Secret in memory (demo)",
        )
        .await;
        click(&app, &in_card(name, "test-connection")).await;
        wait_for_text(&app, &in_card(name, "connection-status"), "OK until").await;
    }
    screenshot(&app, "demo.png").await;
    click(&app, "[data-testid=nav-settings]").await;
    wait_for(&app, "[data-testid=demo-toggle]:checked").await;
    wait_for_text(&app, "[data-testid=secrets-location]", "Secret Service").await;
    screenshot(&app, "settings.png").await;
    app.close().await.unwrap();
    // Other tests share this keyring, so look for the demo connections' own entries.
    let items = keyring_items();
    for id in ["demo-innerspace-v2", "demo-innerspace-v1", "demo-spatiafi"] {
        assert!(!items.contains(id), "demo data wrote {id} to the keyring");
        assert_eq!(keyring_lookup(id), None);
    }

    // Remembered: the next start is on demo data again, with a fresh simulator.
    let app = driver.launch().await;
    click(&app, "[data-testid=nav-credentials]").await;
    wait_for(&app, &card("Demo SpatiaFi")).await;
    app.close().await.unwrap();
}

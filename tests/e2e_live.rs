//! End to end (issue 26): the Live view shows the simulator's current zone values with their
//! time, follows them when they change, polls only while it is visible (the simulator's
//! request log is the witness), and tells a tenant without zone_occupancy so in words.

mod support;

use std::time::Duration;

use chrono::NaiveTime;
use occudesk_sim::{Fault, Sim, SimConfig};
use support::*;

/// A test's refresh interval: the window's minute would make this test take minutes.
const REFRESH: &str = "1";

async fn start(config: SimConfig) -> (Sim, String) {
    let sim = Sim::start("127.0.0.1:0".parse().unwrap(), config)
        .await
        .unwrap();
    // Values of a working morning whenever the test runs (the readings keep real times).
    sim.set_live_time_of_day(NaiveTime::from_hms_opt(10, 30, 0));
    let token = sim.personal_token(Duration::from_secs(3600), Duration::from_secs(3600));
    (sim, token)
}

async fn add_token_connection(app: &fantoccini::Client, sim: &Sim, token: &str) {
    click(app, "[data-testid=nav-credentials]").await;
    click(app, "[data-testid=add-connection]").await;
    pick(app, "conn-kind", "innerspace-token").await;
    type_into(app, "[data-testid=conn-name]", "Mine").await;
    type_into(app, "[data-testid=conn-base-url]", &sim.url()).await;
    type_into(app, "[data-testid=conn-secret]", token).await;
    click(app, "[data-testid=conn-save]").await;
    wait_for(app, &card("Mine")).await;
}

/// Live refreshes the simulator has answered so far.
fn live_requests(sim: &Sim) -> usize {
    sim.requests()
        .iter()
        .filter(|r| String::from_utf8_lossy(&r.body).contains("query Live("))
        .count()
}

/// The people on screen, zone by zone ("12 of 20 (60 %)" → 12).
async fn people_shown(app: &fantoccini::Client) -> Vec<f64> {
    texts(app, "[data-testid=live-zone-value]")
        .await
        .iter()
        .filter_map(|t| t.split_whitespace().next()?.parse().ok())
        .collect()
}

async fn wait_until_people(app: &fantoccini::Client, what: &str, ok: impl Fn(&[f64]) -> bool) {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let shown = people_shown(app).await;
        if shown.len() == 18 && ok(&shown) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never {what}: {shown:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn assert_no_polling(sim: &Sim, why: &str) {
    let before = live_requests(sim);
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(live_requests(sim), before, "polled while {why}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn live_shows_the_simulators_values_follows_them_and_polls_only_while_visible() {
    let (sim, token) = start(SimConfig::default()).await;
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start_with_env(data.path(), &[("OCCUDESK_LIVE_REFRESH_SECS", REFRESH)]);
    let app = driver.launch().await;
    add_token_connection(&app, &sim, &token).await;

    click(&app, "[data-testid=nav-live]").await;
    pick(&app, "live-building", "71").await;
    let asof = wait_for_text(&app, "[data-testid=live-asof]", "As of ").await;
    assert!(asof.contains(" ago"), "{asof}");
    assert!(asof.contains("America/Chicago"), "{asof}");
    // Every zone of the building, by floor (v1 knows sites), with a reading under 1000.
    assert_eq!(texts(&app, "[data-testid=live-floor] h2").await.len(), 3);
    wait_until_people(&app, "the simulator's values", |p| {
        p.iter().all(|v| *v < 1000.0)
    })
    .await;

    // The simulator's values change: the window follows without being asked.
    sim.set_live_extra_people(1000.0);
    wait_until_people(&app, "the changed values", |p| {
        p.iter().all(|v| *v >= 1000.0)
    })
    .await;
    sim.set_live_extra_people(0.0);
    wait_until_people(&app, "the values back", |p| p.iter().all(|v| *v < 1000.0)).await;
    let polled = live_requests(&sim);
    assert!(polled >= 3, "{polled} refreshes");

    // Leaving the view stops polling; coming back starts it again.
    click(&app, "[data-testid=nav-insights]").await;
    assert_no_polling(&sim, "on another view").await;
    click(&app, "[data-testid=nav-live]").await;
    wait_for_text(&app, "[data-testid=live-asof]", "As of ").await;
    let back = live_requests(&sim);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(live_requests(&sim) > back, "no refresh after coming back");

    // A hidden window (minimised, another workspace) asks nothing either.
    let set_visibility = |state: &'static str| {
        format!(
            "Object.defineProperty(document, 'visibilityState', {{ value: '{state}', configurable: true }});
             document.dispatchEvent(new Event('visibilitychange'));"
        )
    };
    app.execute(&set_visibility("hidden"), vec![])
        .await
        .unwrap();
    assert_no_polling(&sim, "hidden").await;
    let hidden = live_requests(&sim);
    app.execute(&set_visibility("visible"), vec![])
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(live_requests(&sim) > hidden, "no refresh when shown again");

    // Two refreshes fail (a proxy's page instead of the API): the last values stay, marked
    // stale, the next try waits longer; then it recovers by itself.
    sim.script_faults("/", vec![Fault::HtmlPage, Fault::HtmlPage]);
    wait_for(&app, "[data-testid=live-asof][data-stale=true]").await;
    let problem = wait_for_text(&app, "[data-testid=live-problem]", "Trying again in").await;
    assert!(problem.contains("may no longer be so"), "{problem}");
    assert_eq!(
        people_shown(&app).await.len(),
        18,
        "the last values stay on screen"
    );
    wait_for(&app, "[data-testid=live-asof][data-stale=false]").await;

    screenshot(&app, "live.png").await;
    let page = app.source().await.unwrap();
    assert!(!page.contains(&token));
    app.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn a_tenant_without_zone_occupancy_is_told_so_without_an_error() {
    let (sim, token) = start(SimConfig {
        zone_occupancy: false,
        ..Default::default()
    })
    .await;
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start_with_env(data.path(), &[("OCCUDESK_LIVE_REFRESH_SECS", REFRESH)]);
    let app = driver.launch().await;
    add_token_connection(&app, &sim, &token).await;
    click(&app, "[data-testid=nav-live]").await;
    wait_for_text(
        &app,
        "[data-testid=live-unavailable]",
        "Live data is not available on this connection",
    )
    .await;
    assert!(
        app.find(fantoccini::Locator::Css(
            "[data-testid=error-banner]:not([hidden])"
        ))
        .await
        .is_err(),
        "an error banner for a fact about the tenant"
    );
    app.close().await.unwrap();
}

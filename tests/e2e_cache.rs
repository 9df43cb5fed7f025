//! End to end: a year in Insights is kept in the local cache. Reopened, the app asks the
//! service only for the newest days; with the service stopped, it shows the year from the
//! cache with the offline notice.

mod support;

use occudesk_sim::{Sim, SimConfig, demo};
use serde_json::Value;
use support::*;

/// Chooses an option once it is offered. The view redraws its pickers when data arrives, so
/// a select found a moment ago may be gone: look it up again until the choice sticks.
async fn pick(app: &fantoccini::Client, testid: &str, value: &str) {
    let option = format!("[data-testid={testid}] option[value=\"{value}\"]");
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        wait_for(app, &option).await;
        let select = wait_for(app, &format!("[data-testid={testid}]")).await;
        if select.select_by_value(value).await.is_ok()
            && select.prop("value").await.ok().flatten().as_deref() == Some(value)
        {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "could not pick {value} in {testid}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Waits until the select's value satisfies `ok`.
async fn wait_value(app: &fantoccini::Client, testid: &str, ok: impl Fn(&str) -> bool) {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let select = wait_for(app, &format!("[data-testid={testid}]")).await;
        let value = select
            .prop("value")
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        if ok(&value) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{testid} stayed at {value:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Opens this year of building 71 at PT1H and returns the result summary once shown.
async fn open_this_year(app: &fantoccini::Client) -> String {
    click(app, "[data-testid=nav-insights]").await;
    pick(app, "pick-building", "71").await;
    wait_for(
        app,
        "[data-testid=pick-metric] option[value=OCCUPANCY_MEAN]",
    )
    .await;
    pick(app, "pick-metric", "OCCUPANCY_MEAN").await;
    pick(app, "pick-granularity", "PT1H").await;
    pick(app, "range-preset", "thisYear").await;
    click(app, "[data-testid=load-insights]").await;
    let summary = wait_for_text(app, "[data-testid=result-summary]", "rows").await;
    // The time series is drawn once its unusual days are known, which reads 8 more weeks
    // before the range: wait for it, so every query the view makes has been answered.
    wait_for(
        app,
        "[data-testid=chart-timeSeries] [data-testid=chart-image]",
    )
    .await;
    summary
}

fn rows_of(summary: &str) -> u32 {
    summary
        .split_whitespace()
        .next()
        .unwrap()
        .replace(',', "")
        .parse()
        .unwrap()
}

/// The DATE_PARTITION bounds of every insight request the simulator received.
fn insight_bounds(sim: &Sim) -> Vec<(i64, i64)> {
    sim.requests()
        .iter()
        .filter_map(|r| serde_json::from_slice::<Value>(&r.body).ok())
        .filter(|b| b["operationName"] == "Insights")
        .map(|b| {
            (
                b["variables"]["from"].as_i64().unwrap_or(-1),
                b["variables"]["to"].as_i64().unwrap_or(-1),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn a_year_loaded_once_reopens_from_the_cache_and_offline() {
    // The app's calendar is pinned to the same day (support::Driver sets OCCUDESK_TODAY).
    let today = sim_today();
    let sim = Sim::start(
        "127.0.0.1:0".parse().unwrap(),
        SimConfig {
            today,
            ..SimConfig::default()
        },
    )
    .await
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());

    // First run: the whole year comes from the service.
    let app = driver.launch().await;
    click(&app, "[data-testid=nav-credentials]").await;
    add_connection(
        &app,
        "Cached HQ",
        &sim.url(),
        demo::V2_CLIENT_ID,
        demo::V2_CLIENT_SECRET,
    )
    .await;
    // A second connection of the user's own, for "Insights opens on" in Settings.
    add_connection(
        &app,
        "Cached Labs",
        &sim.url(),
        demo::V2_CLIENT_ID,
        demo::V2_CLIENT_SECRET,
    )
    .await;
    let first = open_this_year(&app).await;
    let rows = rows_of(&first);
    assert!(rows > 24, "{first}");
    assert!(!insight_bounds(&sim).is_empty());
    app.close().await.unwrap();

    // Reopened: the view opens on the building last loaded, and only the days that may
    // still change are asked for.
    sim.clear_requests();
    let app = driver.launch().await;
    click(&app, "[data-testid=nav-insights]").await;
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let select = wait_for(&app, "[data-testid=pick-building]").await;
        if select.prop("value").await.ok().flatten().as_deref() == Some("71") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the last building was not reopened"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let second = open_this_year(&app).await;
    assert_eq!(rows_of(&second), rows, "{second}");
    let recent = |d: chrono::NaiveDate| d.format("%Y%m%d").to_string().parse::<i64>().unwrap();
    let oldest_allowed = recent(today - chrono::Duration::days(3));
    let bounds = insight_bounds(&sim);
    assert!(
        bounds.iter().all(|(from, _)| *from >= oldest_allowed),
        "asked again for old days: {bounds:?}"
    );

    // Settings → "Insights opens on" another connection: the view opens on it, on its first
    // building (the one last loaded was the other connection's). Then back to the default.
    click(&app, "[data-testid=nav-settings]").await;
    wait_for(&app, "body[data-shown=settings]").await;
    wait_for_text(
        &app,
        "[data-testid=opens-on-select]",
        "last loaded (now Cached HQ)",
    )
    .await;
    let labs = app
        .execute(
            r#"return [...document.querySelectorAll("[data-testid=opens-on-select] option")]
                 .find((o) => o.textContent === "Cached Labs").value;"#,
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned();
    pick(&app, "opens-on-select", &labs).await;
    wait_for_text(&app, "[data-testid=opens-on-status]", "Saved").await;
    click(&app, "[data-testid=nav-insights]").await;
    wait_for(&app, "body[data-shown=insights]").await;
    wait_value(&app, "pick-connection", |v| v == labs).await;
    wait_value(&app, "pick-building", |v| !v.is_empty()).await;
    click(&app, "[data-testid=nav-settings]").await;
    // The Settings drawn on the first visit stays until the fresh one replaces it.
    wait_for(&app, "body[data-shown=settings]").await;
    pick(&app, "opens-on-select", "").await;
    wait_for_text(&app, "[data-testid=opens-on-status]", "Saved").await;
    app.close().await.unwrap();

    // Offline: the service is gone; the year still opens, from the cache, and says so.
    sim.shutdown().await;
    let app = driver.launch().await;
    let offline = open_this_year(&app).await;
    assert_eq!(rows_of(&offline), rows, "{offline}");
    // The summary line says where the rows came from, in words.
    assert!(
        offline.contains("· from this computer's cache"),
        "{offline}"
    );
    let notice = wait_for_text(
        &app,
        "[data-testid=insights-offline]",
        "Offline: cached data, fetched on",
    )
    .await;
    assert!(notice.contains("UTC"), "{notice}");
    screenshot(&app, "insights-offline.png").await;

    // Settings shows where the cache is and how much it holds.
    click(&app, "[data-testid=nav-settings]").await;
    wait_for_text(&app, "[data-testid=cache-path]", "cache.sqlite3").await;
    wait_for_text(&app, "[data-testid=cache-days]", "days of").await;
    screenshot(&app, "settings-cache.png").await;
    app.close().await.unwrap();
}

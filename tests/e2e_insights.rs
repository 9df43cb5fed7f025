//! End to end: the Insights view on demo data, in the real window.

mod support;

use support::*;

/// Records, from inside the page, whether the progress bar was ever shown: a fetch of demo
/// data can finish faster than WebDriver polls.
const WATCH_PROGRESS: &str = r#"
    window.__progressSeen = false;
    new MutationObserver(() => {
        if (document.querySelector("[data-testid=fetch-progress]")) window.__progressSeen = true;
    }).observe(document.body, { childList: true, subtree: true });
"#;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn on_demo_data_a_building_over_90_days_shows_progress_then_rows_in_local_time() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = driver.launch().await;
    open_demo_building_71(&app).await;
    // The metric list comes from introspection once the building is picked.
    wait_for(
        &app,
        "[data-testid=pick-metric] option[value=OCCUPANCY_MAX]",
    )
    .await;
    pick(&app, "pick-metric", "OCCUPANCY_MEAN").await;
    pick(&app, "pick-granularity", "PT1H").await;
    pick(&app, "range-preset", "last90").await;
    // The presets count from the pinned calendar (OCCUDESK_TODAY), not this computer's date.
    let to = wait_for(&app, "[data-testid=range-to]").await;
    let yesterday = sim_today().pred_opt().unwrap().to_string();
    assert_eq!(
        to.prop("value").await.unwrap().as_deref(),
        Some(yesterday.as_str())
    );

    app.execute(WATCH_PROGRESS, vec![]).await.unwrap();
    click(&app, "[data-testid=load-insights]").await;
    let summary = wait_for_text(&app, "[data-testid=result-summary]", "rows").await;
    let seen = app
        .execute("return window.__progressSeen;", vec![])
        .await
        .unwrap();
    assert_eq!(seen, serde_json::Value::Bool(true), "no progress bar");

    // 90 local days of hours: 2,160, give or take a DST day's hour.
    let rows: u32 = summary
        .split_whitespace()
        .next()
        .unwrap()
        .replace(',', "")
        .parse()
        .unwrap();
    assert!((2_159..=2_161).contains(&rows), "{summary}");
    wait_for_text(
        &app,
        "[data-testid=result-time-zone]",
        "Times in America/Chicago (building local time)",
    )
    .await;
    click(&app, "[data-testid=tab-table]").await;
    // The first row starts at local midnight, with the building's offset (CST or CDT).
    let first = wait_for(&app, "[data-testid=row-local-time]").await;
    let text = first.text().await.unwrap();
    assert!(
        text.contains(" 00:00 (UTC−06:00)") || text.contains(" 00:00 (UTC−05:00)"),
        "{text}"
    );
    wait_for_text(&app, "[data-testid=page-info]", "Rows 1–200 of").await;
    screenshot(&app, "insights.png").await;

    // Flipping away and back shows the same rows without fetching again.
    click(&app, "[data-testid=nav-credentials]").await;
    click(&app, "[data-testid=nav-insights]").await;
    wait_for_text(&app, "[data-testid=result-summary]", &summary[..10]).await;
    app.close().await.unwrap();
}

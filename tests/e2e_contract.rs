//! End to end against a tenant that keeps the API contract to the letter: the demo served with
//! exactly the columns `shared/api.md` lists (`OCCUDESK_DEMO_SCHEMA=contract`: no
//! `ZONE.FLOOR_ID`, four metric columns). A floor loads with its figures, charts and plan on
//! v2, and a v1 building offers its groups and loads the everyone group.

mod support;

use support::*;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn a_contract_only_tenant_shows_a_floor_with_figures_charts_and_a_plan_and_v1_groups() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start_with_env(data.path(), &[("OCCUDESK_DEMO_SCHEMA", "contract")]);
    let app = driver.launch().await;
    open_demo_building_71(&app).await;

    // The floors are named from FLOOR through each site's FLOOR_ID; the metric list is the
    // server's own (no OCCUPANCY_MIN on this tenant).
    let floor = wait_for_text(
        &app,
        "[data-testid=pick-site] option[value=\"900000223\"]",
        "Level",
    )
    .await;
    assert_eq!(floor, "Level 2");
    wait_for(
        &app,
        "[data-testid=pick-metric] option[value=OCCUPANCY_MAX]",
    )
    .await;
    let metrics = wait_for(&app, "[data-testid=pick-metric]")
        .await
        .text()
        .await
        .unwrap();
    assert!(!metrics.contains("Lowest occupancy"), "{metrics}");
    pick(&app, "pick-site", "900000223").await;
    set_range(&app, "2026-10-01", "2026-10-31").await;
    click(&app, "[data-testid=load-insights]").await;

    // A floor is a sum of zones: its peak says so.
    wait_for_text(&app, "[data-testid=figure-peak]", "(").await;
    wait_for_text(
        &app,
        "[data-testid=summary-figures]",
        "Peak hour (sum of zone means)",
    )
    .await;
    wait_for(
        &app,
        "[data-testid=chart-timeSeries] [data-testid=chart-image]",
    )
    .await;
    click(&app, "[data-testid=tab-planning]").await;
    wait_for_text(&app, "[data-testid=plan-figures]", "Needed capacity").await;
    click(&app, "[data-testid=tab-table]").await;
    wait_for(&app, "[data-testid=insight-row]").await;
    screenshot(&app, "contract-floor.png").await;
    // "Reload this range" asks for every day again and shows the same view.
    click(&app, "[data-testid=reload-insights]").await;
    wait_for_text(
        &app,
        "[data-testid=summary-figures]",
        "Peak hour (sum of zone means)",
    )
    .await;

    // v1: the building's rows carry two groups; the picker lists both, the default loads.
    pick(&app, "pick-connection", "demo-innerspace-v1").await;
    pick(&app, "pick-building", "71").await;
    wait_for(
        &app,
        "[data-testid=pick-group] option[value^=\"visitors-\"]",
    )
    .await;
    wait_for(&app, "[data-testid=pick-group] option[value^=\"all-\"]").await;
    set_range(&app, "2026-10-01", "2026-10-31").await;
    click(&app, "[data-testid=load-insights]").await;
    wait_for_text(&app, "[data-testid=figure-peak]", "(").await;
}

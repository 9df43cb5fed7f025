//! End to end: "Export report…" in the real window writes one self-contained HTML file through
//! the system's save dialog, and that file opens in the same webview (WebDriver navigates the
//! window to it) with its sections, figures and charts.

mod support;

use support::*;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn export_report_writes_one_self_contained_file_that_opens_in_the_window() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = driver.launch().await;
    open_demo_building_71(&app).await;
    // 25 weeks by the hour: enough history for the forecast after the range, too.
    set_range(&app, "2026-06-01", "2026-11-22").await;
    click(&app, "[data-testid=load-insights]").await;
    wait_for_text(&app, "[data-testid=figure-peak]", "(").await;

    let path = out.path().join("report.html");
    export(&app, "report", &path).await;
    let html = std::fs::read_to_string(&path).unwrap();
    let lower = html.to_lowercase();
    for needle in ["http:", "https:", "<script"] {
        assert!(!lower.contains(needle), "the report holds {needle}");
    }
    assert!(html.matches("<svg").count() >= 3, "fewer than three charts");

    // The file in the window's own webview, as a reader opens it.
    app.goto(&format!("file://{}", path.display()))
        .await
        .unwrap();
    let title = wait_for_text(&app, "h1", "Occupancy report").await;
    assert!(title.contains("Chicago Loop HQ"), "{title}");
    let headings = texts(&app, "h2").await;
    for heading in [
        "Summary figures",
        "Planning figures",
        "Time series",
        "Heatmap",
        "Planning",
        "Unusual days",
        "Forecast",
    ] {
        assert!(
            headings.iter().any(|h| h == heading),
            "no {heading} in {headings:?}"
        );
    }
    let rows = texts(&app, "section.first th, section.first td").await;
    for needed in ["Connection", "Demo InnerSpace (v2)", "Fetched at", "Rows"] {
        assert!(rows.iter().any(|r| r == needed), "{needed} not in {rows:?}");
    }
    let figures = texts(&app, "tbody th[scope=row]").await;
    for figure in ["Peak", "Mean", "Needed capacity"] {
        assert!(
            figures.iter().any(|f| f == figure),
            "{figure} not in {figures:?}"
        );
    }
    let charts = app
        .find_all(fantoccini::Locator::Css("figure svg"))
        .await
        .unwrap();
    assert!(charts.len() >= 3, "{} charts drawn", charts.len());
    screenshot(&app, "report.png").await;
    app.execute(
        "document.getElementById('time-series').scrollIntoView()",
        vec![],
    )
    .await
    .unwrap();
    screenshot(&app, "report-charts.png").await;
    app.close().await.unwrap();
}

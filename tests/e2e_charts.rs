//! End to end: charts, summary figures, the dark theme, the time display (this computer's
//! zone on a 12-hour clock) and export through the system's save dialog, in the real window on
//! demo data.

mod support;

use std::time::{Duration, Instant};

use support::*;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn charts_summary_dark_theme_and_export_through_the_dialog() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    // "This computer" is in Tokyo; the building (71) is in Chicago.
    let driver = Driver::start_with_env(data.path(), &[("TZ", "Asia/Tokyo")]);
    let app = driver.launch().await;
    open_demo_building_71(&app).await;
    wait_for(
        &app,
        "[data-testid=pick-metric] option[value=OCCUPANCY_MAX]",
    )
    .await;
    // Fixed dates around 11 November, a public holiday at this building (any date a user
    // types is a "custom" range).
    set_range(&app, "2026-10-26", "2026-11-24").await;
    click(&app, "[data-testid=load-insights]").await;

    // Summary figures and the time series (mean, peak and capacity, in local time).
    wait_for_text(&app, "[data-testid=figure-peak]", "(").await;
    wait_for_text(&app, "[data-testid=figure-utilization]", "%").await;
    let svg = chart_svg(&app, "chart-timeSeries").await;
    for needle in ["Mean", "Peak", "Capacity", "America/Chicago"] {
        assert!(
            svg.contains(needle),
            "{needle} missing from the time series"
        );
    }
    scroll_to(&app, "[data-testid=chart-timeSeries]").await;
    screenshot(&app, "charts-timeseries.png").await;

    click(&app, "[data-testid=tab-heatmap]").await;
    let heatmap = chart_svg(&app, "chart-heatmap").await;
    assert!(heatmap.contains("Mon") && heatmap.contains("Sun"));
    screenshot(&app, "charts-heatmap.png").await;

    // The zones side by side, and ranked.
    click(&app, "[data-testid=tab-compare]").await;
    chart_svg(&app, "chart-compare").await;
    chart_svg(&app, "chart-ranking").await;
    scroll_to(&app, "[data-testid=chart-compare]").await;
    screenshot(&app, "charts-compare.png").await;

    // Planning: the figures, the chart against capacity, the plan per zone type, and the
    // unusual days, 11 November among them.
    click(&app, "[data-testid=tab-planning]").await;
    wait_for_text(&app, "[data-testid=plan-figures]", "Needed capacity").await;
    chart_svg(&app, "chart-planning").await;
    wait_for(&app, "[data-testid=zone-type-plan]").await;
    wait_for_text(&app, "[data-testid=anomalies]", "2026-11-11").await;
    screenshot(&app, "planning.png").await;

    // The same day is marked on the time series, and hovering the mark explains it.
    click(&app, "[data-testid=tab-timeSeries]").await;
    chart_svg(&app, "chart-timeSeries").await;
    let tooltip = app
        .execute(
            r#"const wrap = document.querySelector("[data-testid=chart-timeSeries] .chart-wrap");
               const x = Number(wrap.dataset.markers.split(",")[0]);
               const box = wrap.querySelector("img").getBoundingClientRect();
               const scale = box.width / Number(wrap.dataset.width);
               wrap.dispatchEvent(new MouseEvent("mousemove", {
                 clientX: box.left + x * scale, clientY: box.top + 40, bubbles: true }));
               return wrap.querySelector("[data-testid=chart-tooltip]").textContent;"#,
            vec![],
        )
        .await
        .unwrap();
    let tooltip = tooltip.as_str().unwrap_or_default().to_owned();
    assert!(
        tooltip.contains("2026-11-11") && tooltip.contains("below the usual"),
        "{tooltip}"
    );
    scroll_to(&app, "[data-testid=chart-timeSeries]").await;
    screenshot(&app, "anomaly.png").await;

    // Dark theme: chosen in Settings, applied to the window and to the charts.
    click(&app, "[data-testid=nav-settings]").await;
    pick(&app, "theme-select", "dark").await;
    click(&app, "[data-testid=nav-insights]").await;
    // The Insights view is drawn again once the window has its facts (the theme among them).
    let deadline = Instant::now() + WAIT;
    while app
        .execute(
            "return document.documentElement.dataset.theme === 'dark' && document.body.dataset.shown === 'insights';",
            vec![],
        )
        .await
        .unwrap()
        != true
    {
        assert!(Instant::now() < deadline, "the dark theme was not applied");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    click(&app, "[data-testid=tab-timeSeries]").await;
    let dark = chart_svg(&app, "chart-timeSeries").await;
    assert_ne!(dark, svg, "the chart was not redrawn for the dark theme");
    screenshot(&app, "charts-dark.png").await;

    // Time display: this computer's zone on a 12-hour clock, chosen in Settings, shows at once
    // on the table, the figures and the chart, each naming the zone in use.
    click(&app, "[data-testid=tab-table]").await;
    let first_row = "[data-testid=insight-row] [data-testid=row-local-time]";
    let before = wait_for_text(&app, first_row, "2026-10-26").await;
    assert_eq!(before, "2026-10-26 00:00 (UTC−05:00)");
    let peak_before = wait_for_text(&app, "[data-testid=figure-peak]", "(").await;
    click(&app, "[data-testid=nav-settings]").await;
    // The Settings drawn for the theme stays until the fresh one replaces it.
    wait_for(&app, "body[data-shown=settings]").await;
    wait_for(&app, "[data-testid=time-zone-select]").await;
    wait_for_text(
        &app,
        "[data-testid=time-zone-select] option[value=this-computer]",
        "Asia/Tokyo",
    )
    .await;
    pick(&app, "time-zone-select", "this-computer").await;
    wait_for_text(&app, "[data-testid=time-display-status]", "Saved").await;
    pick(&app, "clock-select", "12h").await;
    wait_for_text(&app, "[data-testid=time-display-status]", "Saved").await;
    click(&app, "[data-testid=nav-insights]").await;
    // Chicago midnight is 2 PM in Tokyo.
    wait_for_text(&app, first_row, "2:00 PM").await;
    let after = wait_for(&app, first_row).await.text().await.unwrap();
    assert_eq!(after, "2026-10-26 2:00 PM (UTC+09:00)");
    assert_eq!(
        wait_for(&app, "[data-testid=rows-time-heading]")
            .await
            .text()
            .await
            .unwrap(),
        "Your time"
    );
    let label = wait_for_text(&app, "[data-testid=result-time-zone]", "Asia/Tokyo").await;
    assert!(label.contains("this computer"), "{label}");
    let peak_after = wait_for_text(&app, "[data-testid=figure-peak]", "M)").await;
    assert_ne!(peak_after, peak_before);
    assert!(
        peak_after.ends_with("AM)") || peak_after.ends_with("PM)"),
        "{peak_after}"
    );
    screenshot(&app, "time-display-table.png").await;
    click(&app, "[data-testid=tab-timeSeries]").await;
    let mine = chart_svg(&app, "chart-timeSeries").await;
    assert!(
        mine.contains("time (Asia/Tokyo)"),
        "the chart's axis does not name this computer's zone"
    );
    // Hovering the middle of the chart tells the time there on Tokyo's 12-hour clock.
    let tip = app
        .execute(
            r#"const wrap = document.querySelector("[data-testid=chart-timeSeries] .chart-wrap");
               const box = wrap.querySelector("img").getBoundingClientRect();
               wrap.dispatchEvent(new MouseEvent("mousemove", {
                 clientX: box.left + box.width / 2, clientY: box.top + box.height / 2, bubbles: true }));
               return wrap.querySelector("[data-testid=chart-tooltip]").textContent;"#,
            vec![],
        )
        .await
        .unwrap();
    let tip = tip.as_str().unwrap_or_default().to_owned();
    assert!(
        tip.contains(" JST") && (tip.contains(" AM ") || tip.contains(" PM ")),
        "{tip}"
    );

    // Export the data behind the chart and the chart itself through the save dialog.
    let csv_path = out.path().join("occupancy.csv");
    export(&app, "csv", &csv_path).await;
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("local_time,utc_time,time_zone,building_id"),
        "{header}"
    );
    assert!(
        header.contains("OCCUPANCY_MEAN") && header.contains("OCCUPANCY_MAX"),
        "{header}"
    );
    // CSV keeps its documented format whatever the display: building local time with its
    // offset, then UTC.
    let first = csv.lines().nth(1).unwrap();
    assert!(
        first.starts_with("2026-10-26T00:00:00-05:00,2026-10-26T05:00:00Z,America/Chicago"),
        "{first}"
    );
    let summary = wait_for(&app, "[data-testid=result-summary] strong").await;
    let rows: usize = summary
        .text()
        .await
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .replace(',', "")
        .parse()
        .unwrap();
    assert_eq!(
        lines.count(),
        rows,
        "the CSV holds exactly the rows behind the chart"
    );

    let svg_path = out.path().join("occupancy.svg");
    export(&app, "svg", &svg_path).await;
    let exported = std::fs::read_to_string(&svg_path).unwrap();
    let doc = roxmltree::Document::parse(&exported).expect("the exported SVG parses");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    app.close().await.unwrap();
}

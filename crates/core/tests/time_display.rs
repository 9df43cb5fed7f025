//! The time display setting through the Desk on demo data: the window's summary and charts
//! follow it at once (zone and clock, labelled), the CLI's stay building-local, and the choice
//! is saved in the settings file.

mod insights_support;

use chrono::{DateTime, Offset, TimeZone};
use insights_support::{demo_desk, open_view, query};
use occudesk_charts::TimeSeriesChart;
use occudesk_core::innerspace::{Granularity, InsightTable};
use occudesk_core::insights::shown::Times;
use occudesk_core::settings::{Clock, TimeDisplay};
use occudesk_core::{Chart, ChartKind, ChartOptions};

fn time_series(chart: Chart) -> TimeSeriesChart {
    match chart {
        Chart::TimeSeries(c) => c,
        _ => panic!("not a time series"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn summary_and_charts_follow_the_setting_and_the_cli_stays_building_local() {
    let dir = tempfile::tempdir().unwrap();
    let desk = demo_desk(dir.path()).await;
    let id = "demo-innerspace-v2";
    // Building 71 is in Chicago; a week across the November DST change.
    let q = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2025-10-29",
        "2025-11-04",
    );
    let v = open_view(&desk, id, &q).await;
    let opts = ChartOptions::default();

    let before = desk.view_summary(&v, Times::AsSet).unwrap();
    let peak = before.peak_at.expect("a peak");
    let chicago = chrono_tz::America::Chicago;
    assert_eq!(
        peak.offset().fix(),
        peak.with_timezone(&chicago).offset().fix()
    );
    let chart = time_series(
        desk.view_chart(&v, ChartKind::TimeSeries, &opts, Times::AsSet)
            .unwrap(),
    );
    assert_eq!(chart.hover.time_zone, "America/Chicago");
    assert!(chart.svg.contains("Building local time (America/Chicago)"));

    let view = desk
        .set_time_display(TimeDisplay::ThisComputer, Clock::H12)
        .await
        .unwrap();
    assert_eq!(view.display, TimeDisplay::ThisComputer);
    assert_eq!(view.clock, Clock::H12);
    let computer: chrono_tz::Tz = view.computer_zone.parse().unwrap();

    let after = desk.view_summary(&v, Times::AsSet).unwrap();
    let shown = after.peak_at.unwrap();
    assert_eq!(shown, peak, "the same instant");
    assert_eq!(
        shown.offset().fix(),
        computer.offset_from_utc_datetime(&shown.naive_utc()).fix(),
        "with this computer's offset"
    );
    let chart = time_series(
        desk.view_chart(&v, ChartKind::TimeSeries, &opts, Times::AsSet)
            .unwrap(),
    );
    assert_eq!(chart.hover.time_zone, view.computer_zone);
    assert!(
        chart.svg.contains(&format!(
            "This computer&apos;s time ({})",
            view.computer_zone
        )) || chart
            .svg
            .contains(&format!("This computer's time ({})", view.computer_zone)),
        "the axis names the zone"
    );
    for p in &chart.hover.points {
        assert!(
            p.local.contains(" AM ") || p.local.contains(" PM "),
            "{}",
            p.local
        );
        let at = DateTime::from_timestamp_millis(p.utc_ms)
            .unwrap()
            .with_timezone(&computer);
        assert!(
            p.local
                .starts_with(&at.format("%a %Y-%m-%d %-I:%M").to_string()),
            "{}",
            p.local
        );
    }

    // The CLI's figures and exports of data stay building-local.
    let cli = desk.view_summary(&v, Times::BuildingLocal).unwrap();
    assert_eq!(cli.peak_at.unwrap().to_rfc3339(), peak.to_rfc3339());

    // Saved: a desk opened on the same folder (the next start) has the choice.
    drop(desk);
    let reopened = demo_desk(dir.path()).await;
    let view = reopened.time_view();
    assert_eq!(
        (view.display, view.clock),
        (TimeDisplay::ThisComputer, Clock::H12)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_connections_cannot_be_what_insights_opens_on() {
    let dir = tempfile::tempdir().unwrap();
    let desk = demo_desk(dir.path()).await;
    let err = desk
        .set_insights_connection(Some("demo-innerspace-v2"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "input.invalid");
    assert_eq!(desk.settings().insights_connection, None);
}

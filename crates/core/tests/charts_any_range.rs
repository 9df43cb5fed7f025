//! The time series at any range, through the Desk on demo data: a year by the hour is drawn as
//! daily figures (small, one path per series, peak, mean and capacity told apart by colour and
//! dash), the raw periods are one option away, and a zoom window is drawn at full resolution
//! from the rows the view holds, with summary figures for just that window.

mod insights_support;

use insights_support::*;
use occudesk_charts::TimeSeriesChart;
use occudesk_core::innerspace::{Granularity, InsightTable};
use occudesk_core::insights::shown::Times;
use occudesk_core::{Chart, ChartKind, ChartOptions, ChartWindow, Desk, SeriesPeriods};

const V2: &str = "demo-innerspace-v2";

fn time_series(chart: Chart) -> TimeSeriesChart {
    match chart {
        Chart::TimeSeries(c) => c,
        _ => panic!("not a time series"),
    }
}

/// Each drawn line of the SVG: (class, data-series, stroke, dash pattern). The charts crate
/// writes these paths itself, one element per line, attributes in double quotes.
fn lines(svg: &str) -> Vec<(String, String, String, Option<String>)> {
    let attr = |element: &str, name: &str| -> Option<String> {
        let start = element.find(&format!(" {name}=\""))? + name.len() + 3;
        let len = element[start..].find('"')?;
        Some(element[start..start + len].to_owned())
    };
    svg.split("<path ")
        .skip(1)
        .filter_map(|rest| {
            let element = format!(" {}", &rest[..rest.find("/>")?]);
            let element = element.as_str();
            let class = attr(element, "class")?;
            matches!(class.as_str(), "series" | "reference").then(|| {
                (
                    class,
                    attr(element, "data-series").unwrap_or_default(),
                    attr(element, "stroke").unwrap_or_default(),
                    attr(element, "stroke-dasharray"),
                )
            })
        })
        .collect()
}

async fn year_by_the_hour(desk: &Desk) -> String {
    let q = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2025-11-01",
        "2026-10-31",
    );
    open_view(desk, V2, &q).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_year_of_hours_draws_as_daily_figures_under_150_kb_in_distinct_styles() {
    let dir = tempfile::tempdir().unwrap();
    let desk = demo_desk(dir.path()).await;
    let v = year_by_the_hour(&desk).await;
    let opts = ChartOptions::default();
    let chart = time_series(
        desk.view_chart(&v, ChartKind::TimeSeries, &opts, Times::BuildingLocal)
            .unwrap(),
    );
    assert!(chart.svg.len() < 150_000, "{} bytes", chart.svg.len());
    assert!(chart.hover.days, "the points are days");
    assert!(
        chart.svg.contains("Daily peak and mean, from hourly data"),
        "the axis says what is drawn"
    );
    let drawn = lines(&chart.svg);
    let names: Vec<&str> = drawn.iter().map(|l| l.1.as_str()).collect();
    let capacity = desk
        .view_summary(&v, Times::BuildingLocal)
        .unwrap()
        .capacity
        .expect("building 71 has a capacity");
    assert_eq!(
        names,
        ["Daily peak", "Daily mean", &format!("Capacity {capacity}")],
        "{drawn:?}"
    );
    assert_eq!(
        drawn.iter().filter(|l| l.0 == "series").count(),
        2,
        "one path per series"
    );
    assert_eq!(
        chart.svg.matches("<path").count(),
        3,
        "no other <path>: the series and the capacity line only"
    );
    // plotters' own polylines are the grid, the axes and their ticks: a few dozen at most
    // (the old chart drew 4,492, one per run of each series and marker).
    let polylines = chart.svg.matches("<polyline").count();
    assert!(polylines <= 40, "{polylines} polylines");
    for (i, a) in drawn.iter().enumerate() {
        for b in &drawn[i + 1..] {
            assert_ne!(a.2, b.2, "colours of {} and {}", a.1, b.1);
            assert_ne!(a.3, b.3, "dashes of {} and {}", a.1, b.1);
        }
    }
    // One point per local day and figure: 365 days, no day lost or doubled.
    for series in 0..2 {
        let days = chart
            .hover
            .points
            .iter()
            .filter(|p| p.series == series)
            .count();
        assert_eq!(days, 365, "series {series}");
    }
    // A daily peak is never below the day's mean.
    let of = |s: usize| -> Vec<f64> {
        let mut points: Vec<_> = chart
            .hover
            .points
            .iter()
            .filter(|p| p.series == s)
            .collect();
        points.sort_by_key(|p| p.utc_ms);
        points.iter().map(|p| p.value).collect()
    };
    assert!(of(0).iter().zip(of(1)).all(|(peak, mean)| *peak >= mean));

    // The raw periods are one option away.
    let raw = time_series(
        desk.view_chart_in(
            &v,
            ChartKind::TimeSeries,
            &opts,
            &ChartWindow {
                periods: SeriesPeriods::Raw,
                ..ChartWindow::default()
            },
            Times::BuildingLocal,
        )
        .unwrap(),
    );
    assert!(!raw.hover.days);
    assert!(!raw.svg.contains("Daily peak and mean"));
    assert!(raw.svg.len() < 150_000, "{} bytes", raw.svg.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zoomed_week_is_drawn_hour_by_hour_with_figures_for_that_week() {
    let dir = tempfile::tempdir().unwrap();
    let desk = demo_desk(dir.path()).await;
    let v = year_by_the_hour(&desk).await;
    let opts = ChartOptions::default();
    // Monday 2026-02-23 00:00 to Sunday 2026-03-01 23:59:59.999 in Chicago (CST, UTC-6).
    let week = (1_771_826_400_000, 1_771_826_400_000 + 7 * 86_400_000 - 1);
    let window = ChartWindow {
        window_utc_ms: Some(week),
        ..ChartWindow::default()
    };
    let zoomed = time_series(
        desk.view_chart_in(
            &v,
            ChartKind::TimeSeries,
            &opts,
            &window,
            Times::BuildingLocal,
        )
        .unwrap(),
    );
    assert!(!zoomed.hover.days, "a week reads hour by hour");
    assert_eq!(zoomed.hover.x_range_utc_ms, week);
    let peaks: Vec<f64> = zoomed
        .hover
        .points
        .iter()
        .filter(|p| zoomed.hover.series_names[p.series] == "Peak")
        .map(|p| p.value)
        .collect();
    assert_eq!(peaks.len(), 168, "every hour of the week, none outside");
    assert!(
        zoomed
            .hover
            .points
            .iter()
            .all(|p| (week.0..=week.1).contains(&p.utc_ms))
    );

    let whole = desk.view_summary(&v, Times::BuildingLocal).unwrap();
    assert_eq!(
        desk.view_summary_in(&v, None, Times::BuildingLocal)
            .unwrap(),
        whole
    );
    let of_week = desk
        .view_summary_in(&v, Some(week), Times::BuildingLocal)
        .unwrap();
    let week_peak = peaks.iter().copied().fold(f64::MIN, f64::max);
    assert_eq!(of_week.peak, Some(week_peak), "the week's own peak");
    assert!(of_week.peak <= whole.peak);
    assert_ne!(of_week.mean, whole.mean);

    // A window outside the loaded range is a clear error, not an empty chart.
    let outside = ChartWindow {
        window_utc_ms: Some((0, 86_400_000)),
        ..ChartWindow::default()
    };
    let err = desk
        .view_chart_in(
            &v,
            ChartKind::TimeSeries,
            &opts,
            &outside,
            Times::BuildingLocal,
        )
        .unwrap_err();
    assert!(err.to_string().contains("inside the loaded range"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_floors_daily_peak_is_its_busiest_hour_of_summed_zone_means_never_a_sum_of_peaks() {
    let dir = tempfile::tempdir().unwrap();
    let desk = demo_desk(dir.path()).await;
    // A v2 site read as its zones, 70 days by the hour: past the 60-day rule.
    let q = occudesk_core::innerspace::InsightQuery {
        site_id: Some(900000222),
        ..query(
            InsightTable::ZoneInsights,
            71,
            Granularity::Pt1h,
            "2025-03-01",
            "2025-05-09",
        )
    };
    let v = open_view(&desk, V2, &q).await;
    let opts = ChartOptions::default();
    let daily = time_series(
        desk.view_chart(&v, ChartKind::TimeSeries, &opts, Times::BuildingLocal)
            .unwrap(),
    );
    assert!(daily.hover.days);
    assert_eq!(
        daily.hover.series_names[0],
        "Daily peak hour (sum of zone means)"
    );
    // The same view's hours (1,680 points: under two per pixel, none dropped), their summed
    // means grouped by the local day their label names.
    let raw = time_series(
        desk.view_chart_in(
            &v,
            ChartKind::TimeSeries,
            &opts,
            &ChartWindow {
                periods: SeriesPeriods::Raw,
                ..ChartWindow::default()
            },
            Times::BuildingLocal,
        )
        .unwrap(),
    );
    let day = |local: &str| local.split(' ').nth(1).unwrap_or_default().to_owned();
    let mut busiest = std::collections::BTreeMap::<String, f64>::new();
    for p in raw
        .hover
        .points
        .iter()
        .filter(|p| raw.hover.series_names[p.series] == "Mean")
    {
        let best = busiest.entry(day(&p.local)).or_insert(f64::MIN);
        *best = best.max(p.value);
    }
    assert_eq!(busiest.len(), 70, "every day's hours");
    let peaks: Vec<(String, f64)> = daily
        .hover
        .points
        .iter()
        .filter(|p| p.series == 0)
        .map(|p| (day(&p.local), p.value))
        .collect();
    assert_eq!(peaks.len(), 70);
    for (date, peak) in peaks {
        assert!(
            (peak - busiest[&date]).abs() < 1e-9,
            "{date}: daily peak {peak}, busiest hour {}",
            busiest[&date]
        );
    }
}

//! Redrawing a zoom window against drawing the whole range, on a view of one year of PT1H for
//! building 71 (demo data, already loaded: a zoom never fetches). Medians of many draws:
//!
//! (Y) the year as the window first shows it: daily figures (daily peak, daily mean, capacity);
//! (R) the year's raw periods (8,736 hours, reduced to about two points per pixel);
//! (W) a zoomed week: its 168 hours at full resolution;
//! (S) the summary figures of that week (the figures following the zoom).
//!
//! `cargo bench -p occudesk-core --bench zoom`

mod support;

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use occudesk_core::http::HttpConfig;
use occudesk_core::innerspace::{Freshness, Granularity};
use occudesk_core::insights::shown::Times;
use occudesk_core::vault::Vault;
use occudesk_core::{ChartKind, ChartOptions, ChartWindow, Desk, DeskConfig, SeriesPeriods};
use support::{building_query, median, ms};

const RUNS: usize = 51;
/// Monday 2026-02-23 00:00 in Chicago (CST), for a week.
const WEEK_START_MS: i64 = 1_771_826_400_000;

fn time(mut f: impl FnMut()) -> Duration {
    median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

fn main() {
    if support::only_tested() {
        return;
    }
    let rt = support::runtime(2);
    let dir = tempfile::tempdir().expect("dir");
    let day = |s: &str| s.parse::<NaiveDate>().expect("date");
    let (desk, view) = rt.block_on(async {
        let desk = Desk::open(DeskConfig {
            data_dir: Some(dir.path().to_owned()),
            vault: Vault::memory(),
            http: HttpConfig::for_tests(),
            force_demo: true,
            use_cache: false,
            today: Some(day("2026-11-23")),
            demo: Some(occudesk_demo::simulated()),
        })
        .await
        .expect("demo desk");
        let query = building_query(Granularity::Pt1h, "2025-11-24", "2026-11-22", &[]);
        let info = desk
            .open_view(
                "demo-innerspace-v2",
                &query,
                Freshness::Usual,
                "bench",
                |_| {},
            )
            .await
            .expect("view");
        (desk, info)
    });
    let options = ChartOptions::default();
    let draw = |window: ChartWindow| {
        desk.view_chart_in(
            &view.id,
            ChartKind::TimeSeries,
            &options,
            &window,
            Times::AsSet,
        )
        .expect("chart")
    };
    let week = (WEEK_START_MS, WEEK_START_MS + 7 * 86_400_000 - 1);
    let zoomed = ChartWindow {
        window_utc_ms: Some(week),
        ..ChartWindow::default()
    };
    let raw = ChartWindow {
        periods: SeriesPeriods::Raw,
        ..ChartWindow::default()
    };
    let sizes = [ChartWindow::default(), raw, zoomed].map(|w| draw(w).svg().len());
    let y = time(|| {
        draw(ChartWindow::default());
    });
    let r = time(|| {
        draw(raw);
    });
    let w = time(|| {
        draw(zoomed);
    });
    let s = time(|| {
        desk.view_summary_in(&view.id, Some(week), Times::AsSet)
            .expect("summary");
    });
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!(
        "time series of building 71, PT1H, 2025-11-24..2026-11-22 ({} rows), 1200x500, median of {RUNS}:",
        view.rows
    );
    println!(
        "  (Y) the year, daily figures   {:7.2} ms  {:6} bytes",
        ms(y),
        sizes[0]
    );
    println!(
        "  (R) the year, raw hours       {:7.2} ms  {:6} bytes",
        ms(r),
        sizes[1]
    );
    println!(
        "  (W) a zoomed week, by hour    {:7.2} ms  {:6} bytes",
        ms(w),
        sizes[2]
    );
    println!("  (S) the week's summary        {:7.2} ms", ms(s));
    println!(
        "  W/Y {:.2}, W/R {:.2}, (W+S)/Y {:.2}",
        ratio(w, y),
        ratio(w, r),
        ratio(w + s, y)
    );
}

//! Rendering speed and size. Run: `cargo bench -p occudesk-charts --bench render`.
//! Prints medians; no assertions (see `matplotlib_baseline.py` for the comparison).

use std::hint::black_box;
use std::time::{Duration, Instant};

use occudesk_charts::*;

const START: i64 = 1_767_247_200_000; // 2026-01-01T06:00:00Z, local midnight in Chicago
const N: usize = 35_040; // one year of PT15M

/// The same series as `matplotlib_baseline.py`.
fn year_points() -> Vec<Point> {
    (0..N)
        .map(|i| {
            let hour = (i / 4) % 24;
            let day = (i / 96) % 7;
            let v = if day < 5 && (8..18).contains(&hour) {
                40.0 + (i as f64 / 13.0).sin() * 25.0
            } else {
                2.0
            };
            Point::new(START + i as i64 * 900_000, Some(v))
        })
        .collect()
}

fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(black_box(f()));
        times.push(t.elapsed());
    }
    times.sort();
    (times[runs / 2], last.expect("runs > 0"))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let points = year_points();
    let input = TimeSeriesInput {
        title: "Zone 7 · one year of PT15M".into(),
        y_label: "People".into(),
        time_zone: "America/Chicago".into(),
        clock: Default::default(),
        time_label: None,
        series: vec![Series {
            name: "Mean occupancy".into(),
            style: SeriesStyle::Mean,
            points: points.clone(),
        }],
        capacity: Some(CapacityLine {
            value: 80.0,
            label: "Capacity 80".into(),
        }),
        range_utc_ms: None,
        markers: Vec::new(),
        band: None,
        points_are_days: false,
    };
    let opts = ChartOptions {
        width: 1200,
        height: 500,
        theme: Theme::Light,
    };
    let (t, chart) = median(31, || render_time_series(&input, &opts).expect("renders"));
    println!(
        "time series, {N} points, 1200x500: {:.2} ms median, SVG {:.1} KB, {} hover points",
        ms(t),
        chart.svg.len() as f64 / 1024.0,
        chart.hover.points.len()
    );

    // A year's heatmap: the grid is computed elsewhere (core); time the drawing.
    let (mut sum, mut count) = ([[0.0_f64; 24]; 7], [[0_u32; 24]; 7]);
    for (i, p) in points.iter().enumerate() {
        let (d, h) = ((i / 96 + 3) % 7, (i / 4) % 24); // 2026-01-01 is a Thursday
        sum[d][h] += p.value.unwrap_or(0.0);
        count[d][h] += 1;
    }
    let grid: [[Option<f64>; 24]; 7] = std::array::from_fn(|d| {
        std::array::from_fn(|h| (count[d][h] > 0).then(|| sum[d][h] / f64::from(count[d][h])))
    });
    let heat = HeatmapInput {
        title: "Mean occupancy by weekday and hour".into(),
        value_label: "People".into(),
        grid,
        time_zone: Some("America/Chicago".into()),
    };
    let (t, chart) = median(31, || render_heatmap(&heat, &opts).expect("renders"));
    println!(
        "heatmap 7x24, 1200x500: {:.2} ms median, SVG {:.1} KB",
        ms(t),
        chart.svg.len() as f64 / 1024.0
    );

    let big = ChartOptions {
        width: 1600,
        height: 900,
        theme: Theme::Light,
    };
    let svg = render_time_series(&input, &big).expect("renders").svg;
    let t = Instant::now();
    let png = svg_to_png(&svg, 1600, 900).expect("png");
    println!(
        "first PNG (loads system fonts once): {:.1} ms",
        ms(t.elapsed())
    );
    let (t, png2) = median(11, || svg_to_png(&svg, 1600, 900).expect("png"));
    println!(
        "time series to PNG 1600x900: {:.1} ms median, {:.1} KB",
        ms(t),
        png2.len().max(png.len()) as f64 / 1024.0
    );
}

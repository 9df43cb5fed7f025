//! Rendering: valid, escaped SVG; hover maps; PNG export; bad input never panics.

use occudesk_charts::*;

const H: i64 = 3_600_000;
const START: i64 = 1_767_247_200_000; // 2026-01-01T06:00:00Z, local midnight in Chicago

fn year_points() -> Vec<Point> {
    (0..35_040)
        .map(|i| {
            let t = START + i as i64 * 900_000;
            let hour = (i / 4) % 24;
            let day = (i / 96) % 7;
            let v = if day < 5 && (8..18).contains(&hour) {
                40.0 + ((i as f64) / 13.0).sin() * 25.0
            } else {
                2.0
            };
            Point::new(t, if i % 5000 == 17 { None } else { Some(v) })
        })
        .collect()
}

fn input(series: Vec<Series>) -> TimeSeriesInput {
    TimeSeriesInput {
        title: "Occupancy".into(),
        y_label: "People".into(),
        time_zone: "America/Chicago".into(),
        clock: Default::default(),
        time_label: None,
        series,
        capacity: Some(CapacityLine {
            value: 80.0,
            label: "Capacity 80".into(),
        }),
        range_utc_ms: None,
        markers: Vec::new(),
        band: None,
        points_are_days: false,
    }
}

fn parses(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).expect("well-formed SVG")
}

fn texts(svg: &str) -> Vec<String> {
    let doc = parses(svg);
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").trim().to_string())
        .collect()
}

const NASTY: &str = "<script>&\"";

#[test]
fn names_and_titles_are_escaped() {
    let mut inp = input(vec![Series {
        name: NASTY.into(),
        style: SeriesStyle::Mean,
        points: vec![
            Point::new(START, Some(1.0)),
            Point::new(START + H, Some(2.0)),
        ],
    }]);
    inp.title = format!("Zone {NASTY}");
    let chart = render_time_series(&inp, &ChartOptions::default()).unwrap();
    assert!(!chart.svg.contains("<script>"));
    assert!(chart.svg.contains("&lt;script&gt;&amp;"));
    let texts = texts(&chart.svg);
    assert!(texts.iter().any(|t| t == NASTY), "{texts:?}");
    assert!(texts.iter().any(|t| t == &format!("Zone {NASTY}")));
    assert!(texts.iter().any(|t| t == "Local time (America/Chicago)"));
    assert!(texts.iter().any(|t| t == "Capacity 80"));

    let bars = render_bar_chart(
        &BarChartInput {
            title: NASTY.into(),
            value_label: NASTY.into(),
            bars: vec![Bar {
                name: NASTY.into(),
                value: 3.0,
            }],
            sort_descending: true,
            unit: None,
        },
        &ChartOptions::default(),
    )
    .unwrap();
    assert!(!bars.svg.contains("<script>"));
    assert!(texts_of(&bars.svg).iter().filter(|t| *t == NASTY).count() >= 3);

    let mut grid = [[None; 24]; 7];
    grid[0][0] = Some(1.0);
    let heat = render_heatmap(
        &HeatmapInput {
            title: NASTY.into(),
            value_label: NASTY.into(),
            grid,
            time_zone: Some(NASTY.into()),
        },
        &ChartOptions::default(),
    )
    .unwrap();
    assert!(!heat.svg.contains("<script>"));
    assert!(texts_of(&heat.svg).iter().filter(|t| *t == NASTY).count() >= 2);
}

fn texts_of(svg: &str) -> Vec<String> {
    texts(svg)
}

#[test]
fn a_year_of_quarter_hours_is_downsampled_with_a_hover_map() {
    let pts = year_points();
    let max = pts.iter().filter_map(|p| p.value).fold(f64::MIN, f64::max);
    let chart = render_time_series(
        &input(vec![Series {
            name: "Mean".into(),
            style: SeriesStyle::Mean,
            points: pts.clone(),
        }]),
        &ChartOptions::default(),
    )
    .unwrap();
    parses(&chart.svg);
    assert!(chart.svg.len() < 150_000, "{} bytes", chart.svg.len());
    let hover = &chart.hover;
    assert!(hover.plot.width > 900 && hover.plot.height > 300);
    assert!(hover.points.len() <= 2 * hover.plot.width as usize + 2);
    assert!(hover.points.len() > hover.plot.width as usize);
    assert!(hover.points.iter().any(|p| p.value == max));
    for p in &hover.points {
        assert!(p.x >= hover.plot.x && p.x <= hover.plot.x + hover.plot.width);
        assert!(p.y >= hover.plot.y && p.y <= hover.plot.y + hover.plot.height);
        assert_eq!(p.series, 0);
    }
    assert!(
        hover.points[0]
            .local
            .starts_with("Thu 2026-01-01 00:00 CST")
    );
    let mut twelve = input(vec![Series {
        name: "Mean".into(),
        style: SeriesStyle::Mean,
        points: vec![
            Point::new(START, Some(1.0)),
            Point::new(START + 12 * H, Some(2.0)),
        ],
    }]);
    twelve.clock = occudesk_charts::Clock::H12;
    twelve.time_zone = "Europe/London".into();
    twelve.time_label = Some("This computer's time (Europe/London)".into());
    let drawn = render_time_series(&twelve, &ChartOptions::default()).unwrap();
    let locals: Vec<&str> = drawn
        .hover
        .points
        .iter()
        .map(|p| p.local.as_str())
        .collect();
    assert_eq!(
        locals,
        ["Thu 2026-01-01 6:00 AM GMT", "Thu 2026-01-01 6:00 PM GMT"]
    );
    let texts_12 = texts(&drawn.svg);
    assert!(
        texts_12.contains(&"This computer's time (Europe/London)".to_string()),
        "{texts_12:?}"
    );
    assert!(
        texts_12
            .iter()
            .any(|t| t.ends_with(" AM") || t.ends_with(" PM")),
        "{texts_12:?}"
    );
    let texts = texts(&chart.svg);
    assert!(texts.iter().any(|t| t == "Apr 2026"), "{texts:?}");
}

#[test]
fn missing_values_break_the_line() {
    let pts: Vec<Point> = (0..24)
        .map(|i| Point::new(START + i * H, if i == 12 { None } else { Some(i as f64) }))
        .collect();
    let chart = render_time_series(
        &input(vec![Series {
            name: "Mean".into(),
            style: SeriesStyle::Mean,
            points: pts,
        }]),
        &ChartOptions::default(),
    )
    .unwrap();
    let doc = parses(&chart.svg);
    let paths: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("path") && n.attribute("class") == Some("series"))
        .collect();
    assert_eq!(paths.len(), 1, "one path for the series");
    let d = paths[0].attribute("d").unwrap();
    assert_eq!(
        d.matches('M').count(),
        2,
        "two runs either side of the gap: {d}"
    );
    assert_eq!(chart.hover.points.len(), 23);
}

#[test]
fn bad_input_draws_a_sensible_chart_or_a_clear_error() {
    let opts = ChartOptions::default();
    let series = |points: Vec<Point>| {
        input(vec![Series {
            name: "s".into(),
            style: SeriesStyle::Peak,
            points,
        }])
    };
    // Empty, all missing, NaN only: "No data".
    for pts in [
        vec![],
        vec![Point::new(START, None), Point::new(START + H, None)],
        vec![
            Point::new(START, Some(f64::NAN)),
            Point::new(START + H, Some(f64::INFINITY)),
        ],
    ] {
        let c = render_time_series(&series(pts), &opts).unwrap();
        parses(&c.svg);
        assert!(c.svg.contains("No data in this range"));
        assert!(c.hover.points.is_empty());
    }
    // No series at all.
    let c = render_time_series(&input(vec![]), &opts).unwrap();
    assert!(c.svg.contains("No data in this range"));
    // One point, all zeros, negative values: drawn.
    for pts in [
        vec![Point::new(START, Some(5.0))],
        vec![
            Point::new(START, Some(0.0)),
            Point::new(START + H, Some(0.0)),
        ],
        vec![
            Point::new(START, Some(-3.0)),
            Point::new(START + H, Some(4.0)),
        ],
        vec![
            Point::new(START + H, Some(1.0)),
            Point::new(START, Some(2.0)),
        ],
    ] {
        let n = pts.len();
        let c = render_time_series(&series(pts), &opts).unwrap();
        parses(&c.svg);
        assert!(!c.svg.contains("No data in this range"));
        assert_eq!(c.hover.points.len(), n);
    }
    // A range the points fall outside of; a reversed range.
    let mut inp = series(vec![Point::new(START, Some(1.0))]);
    inp.range_utc_ms = Some((START + 48 * H, START + 24 * H));
    let c = render_time_series(&inp, &opts).unwrap();
    assert!(c.svg.contains("No data in this range"));
    // Clear errors.
    let mut inp = series(vec![]);
    inp.time_zone = "Mars/Olympus".into();
    assert!(matches!(
        render_time_series(&inp, &opts),
        Err(ChartError::UnknownTimeZone(_))
    ));
    let tiny = ChartOptions {
        width: 10,
        height: 10,
        theme: Theme::Dark,
    };
    assert!(matches!(
        render_time_series(&series(vec![]), &tiny),
        Err(ChartError::BadSize { .. })
    ));
    assert!(svg_to_png("not svg", 200, 200).is_err());
    assert!(svg_to_png("<svg/>", 0, 200).is_err());
}

#[test]
fn comparison_allows_six_series_and_says_percent_of_capacity() {
    let mk = |n: usize| ComparisonInput {
        title: "Floors".into(),
        y_label: "People".into(),
        time_zone: "Australia/Sydney".into(),
        clock: Default::default(),
        time_label: None,
        series: (0..n)
            .map(|i| ComparisonSeries {
                name: format!("Floor {i}"),
                points: (0..48)
                    .map(|h| Point::new(START + h * H, Some((h as f64 + i as f64) * 2.0)))
                    .collect(),
            })
            .collect(),
        percent_of_capacity: true,
        range_utc_ms: None,
    };
    let c = render_comparison(
        &mk(6),
        &ChartOptions {
            theme: Theme::Dark,
            ..Default::default()
        },
    )
    .unwrap();
    let texts = texts(&c.svg);
    assert!(
        texts.iter().any(|t| t.contains("% of capacity")),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t == "6. Floor 5 · mean 57 %"),
        "ranked, named and with its mean: {texts:?}"
    );
    assert_eq!(c.hover.panels.len(), 6, "one small chart per series");
    assert_eq!(c.hover.series_names.len(), 6);
    assert!(
        c.svg.to_ascii_lowercase().contains("#1e2228"),
        "dark background"
    );
    match render_comparison(&mk(7), &ChartOptions::default()) {
        Err(ChartError::TooManySeries { given: 7, max: 6 }) => {}
        other => panic!("{other:?}"),
    }
    let mut plain = mk(2);
    plain.percent_of_capacity = false;
    let c = render_comparison(&plain, &ChartOptions::default()).unwrap();
    assert!(texts_of(&c.svg).iter().any(|t| t.contains("People")));
}

#[test]
fn heatmap_has_cells_labels_and_a_legend() {
    let mut grid = [[None; 24]; 7];
    for (d, row) in grid.iter_mut().enumerate().take(5) {
        for (h, cell) in row.iter_mut().enumerate() {
            *cell = Some((d * 24 + h) as f64 / 4.0);
        }
    }
    grid[6][3] = Some(f64::NAN);
    let c = render_heatmap(
        &HeatmapInput {
            title: "Busy hours".into(),
            value_label: "Mean occupancy".into(),
            grid,
            time_zone: Some("America/Chicago".into()),
        },
        &ChartOptions::default(),
    )
    .unwrap();
    let texts = texts(&c.svg);
    for want in ["Mon", "Sun", "00", "Mean occupancy", "No data", "0", "29.8"] {
        assert!(texts.iter().any(|t| t == want), "{want}: {texts:?}");
    }
    assert_eq!((c.min, c.max), (Some(0.0), Some(29.75)));
    assert_eq!(c.cells.len(), 168);
    let cell = &c.cells[24 + 5];
    assert_eq!((cell.weekday, cell.hour, cell.value), (2, 5, Some(7.25)));
    assert_eq!(c.cells[6 * 24 + 3].value, None);
    assert!(c.cells.iter().all(|c| c.width > 0 && c.height > 0));

    let empty = render_heatmap(
        &HeatmapInput {
            title: "t".into(),
            value_label: "v".into(),
            grid: [[None; 24]; 7],
            time_zone: None,
        },
        &ChartOptions {
            width: 300,
            height: 200,
            theme: Theme::Dark,
        },
    )
    .unwrap();
    assert!(empty.svg.contains("No data in this range"));
    let flat = render_heatmap(
        &HeatmapInput {
            title: "t".into(),
            value_label: "v".into(),
            grid: [[Some(0.0); 24]; 7],
            time_zone: None,
        },
        &ChartOptions::default(),
    )
    .unwrap();
    parses(&flat.svg);
    assert!(!flat.svg.contains("No data"));
}

#[test]
fn bars_sort_descending_and_label_values() {
    let c = render_bar_chart(
        &BarChartInput {
            title: "Most and least used".into(),
            value_label: "Utilization".into(),
            bars: vec![
                Bar {
                    name: "B".into(),
                    value: 2.0,
                },
                Bar {
                    name: "NaN".into(),
                    value: f64::NAN,
                },
                Bar {
                    name: "A".into(),
                    value: 10.0,
                },
                Bar {
                    name: "Neg".into(),
                    value: -1.0,
                },
            ],
            sort_descending: true,
            unit: Some(" %".into()),
        },
        &ChartOptions {
            width: 600,
            height: 300,
            theme: Theme::Light,
        },
    )
    .unwrap();
    let names: Vec<&str> = c.bars.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["A", "B", "Neg", "NaN"]);
    let texts = texts(&c.svg);
    assert!(texts.iter().any(|t| t == "10 %"));
    assert!(texts.iter().any(|t| t == "–"));
    assert!(c.bars.windows(2).all(|w| w[0].y < w[1].y));
    let empty = render_bar_chart(
        &BarChartInput {
            title: "t".into(),
            value_label: "v".into(),
            bars: vec![],
            sort_descending: false,
            unit: None,
        },
        &ChartOptions::default(),
    )
    .unwrap();
    assert!(empty.svg.contains("No data in this range"));
    // Many bars in a small chart still draw.
    let many = BarChartInput {
        title: "t".into(),
        value_label: "v".into(),
        bars: (0..500)
            .map(|i| Bar {
                name: format!("Zone {i}"),
                value: i as f64,
            })
            .collect(),
        sort_descending: false,
        unit: None,
    };
    let c = render_bar_chart(
        &many,
        &ChartOptions {
            width: 300,
            height: 200,
            theme: Theme::Dark,
        },
    )
    .unwrap();
    parses(&c.svg);
    assert_eq!(c.bars.len(), 500);
}

#[test]
fn png_export_has_the_signature_and_the_requested_size() {
    let chart = render_time_series(
        &input(vec![Series {
            name: "Mean".into(),
            style: SeriesStyle::Mean,
            points: year_points(),
        }]),
        &ChartOptions {
            width: 1600,
            height: 900,
            theme: Theme::Light,
        },
    )
    .unwrap();
    for (w, h) in [(1600, 900), (800, 800)] {
        let png = svg_to_png(&chart.svg, w, h).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[12..16], b"IHDR");
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), w);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), h);
    }
    if let Ok(dir) = std::env::var("OCCUDESK_CHART_DUMP") {
        let png = svg_to_png(&chart.svg, 1600, 900).unwrap();
        std::fs::write(format!("{dir}/timeseries.png"), png).unwrap();
    }
}

#[test]
fn input_structs_deserialize_from_camel_case_json() {
    let inp: TimeSeriesInput = serde_json::from_str(
        r#"{"title":"t","yLabel":"y","timeZone":"UTC","series":[{"name":"m","style":"peak",
            "points":[{"utcMs":0,"value":1.5},{"utcMs":3600000,"value":null}]}],
            "capacity":{"value":10,"label":"Capacity"}}"#,
    )
    .unwrap();
    assert_eq!(inp.series[0].style, SeriesStyle::Peak);
    let opts: ChartOptions =
        serde_json::from_str(r#"{"width":800,"height":400,"theme":"dark"}"#).unwrap();
    let c = render_time_series(&inp, &opts).unwrap();
    let json = serde_json::to_value(&c.hover).unwrap();
    assert!(json["points"][0]["utcMs"].is_i64());
    assert!(json["plot"]["width"].is_i64());
}

/// Writes sample charts for a look: `cargo test -- --ignored dump`. Into the folder named by
/// `OCCUDESK_CHART_DUMP` (made if missing), else into a new temporary folder that is kept;
/// either way the folder is printed.
#[test]
#[ignore]
fn dump_samples() {
    let dir = match std::env::var_os("OCCUDESK_CHART_DUMP") {
        Some(dir) => {
            std::fs::create_dir_all(&dir).unwrap();
            std::path::PathBuf::from(dir)
        }
        None => tempfile::Builder::new()
            .prefix("chartdump-")
            .tempdir()
            .unwrap()
            .keep(),
    };
    eprintln!("sample charts in {}", dir.display());
    let pts: Vec<Point> = (0..24)
        .map(|i| Point::new(START + i * H, if i == 12 { None } else { Some(i as f64) }))
        .collect();
    let chart = render_time_series(
        &input(vec![Series {
            name: "Mean".into(),
            style: SeriesStyle::Mean,
            points: pts,
        }]),
        &ChartOptions::default(),
    )
    .unwrap();
    std::fs::write(dir.join("gap.svg"), &chart.svg).unwrap();
    let mut grid = [[None; 24]; 7];
    for (d, row) in grid.iter_mut().enumerate().take(5) {
        for (h, cell) in row.iter_mut().enumerate().skip(7).take(11) {
            *cell = Some(((d * 24 + h) % 17) as f64 * 3.0);
        }
    }
    let heat = render_heatmap(
        &HeatmapInput {
            title: "Busy hours".into(),
            value_label: "Mean occupancy".into(),
            grid,
            time_zone: Some("America/Chicago".into()),
        },
        &ChartOptions {
            width: 900,
            height: 400,
            theme: Theme::Dark,
        },
    )
    .unwrap();
    std::fs::write(
        dir.join("heat.png"),
        svg_to_png(&heat.svg, 900, 400).unwrap(),
    )
    .unwrap();
}

#[test]
fn a_band_is_one_filled_path_broken_where_an_edge_is_missing() {
    let mut inp = input(vec![]);
    inp.band = Some(Band {
        name: "Daily range".into(),
        points: (0..10)
            .map(|d| BandPoint {
                utc_ms: START + d * 24 * H,
                low: Some(5.0 + d as f64),
                high: if d == 5 { None } else { Some(50.0 + d as f64) },
            })
            .collect(),
    });
    let chart = render_time_series(&inp, &ChartOptions::default()).unwrap();
    let doc = parses(&chart.svg);
    let bands: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("band"))
        .collect();
    assert_eq!(bands.len(), 1);
    let d = bands[0].attribute("d").unwrap();
    assert_eq!(
        d.matches('M').count(),
        2,
        "two runs either side of the gap: {d}"
    );
    assert_eq!(d.matches('Z').count(), 2);
    assert!(texts(&chart.svg).contains(&"Daily range".to_string()));
    if let Ok(dir) = std::env::var("OCCUDESK_CHART_DUMP") {
        std::fs::write(format!("{dir}/band.svg"), &chart.svg).unwrap();
    }
}

#[test]
fn markers_are_drawn_with_their_sentence_in_the_hover_map() {
    let points = year_points();
    let inside = points[5_000].utc_ms;
    let mut with_markers = input(vec![Series {
        name: "Mean".into(),
        style: SeriesStyle::Mean,
        points: points.clone(),
    }]);
    with_markers.markers = vec![
        Marker {
            utc_ms: inside,
            label: "Wednesday: below the usual <value>".into(),
        },
        Marker {
            utc_ms: points[0].utc_ms - 86_400_000,
            label: "outside the range".into(),
        },
    ];
    let chart = render_time_series(&with_markers, &ChartOptions::default()).unwrap();
    parses(&chart.svg);
    assert_eq!(
        chart.hover.markers.len(),
        1,
        "only markers inside the range"
    );
    let m = &chart.hover.markers[0];
    assert_eq!(m.label, "Wednesday: below the usual <value>");
    let plot = chart.hover.plot;
    assert!(m.x >= plot.x && m.x <= plot.x + plot.width);
    let doc = parses(&chart.svg);
    let ticks: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("marker"))
        .collect();
    assert_eq!(ticks.len(), 1, "a small tick, not a full-height line");
    let title = ticks[0]
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text());
    assert_eq!(title, Some("Wednesday: below the usual <value>"));
    let plain = render_time_series(&input(vec![]), &ChartOptions::default()).unwrap();
    assert!(plain.hover.markers.is_empty());
}

//! Time series and comparison charts on a continuous UTC axis with local-time ticks.

use chrono::DateTime;
use chrono_tz::Tz;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::{Deserialize, Serialize};

use crate::draw::{anchored, font, format_value, no_data};
use crate::error::draw_err;
use crate::paths::{self, Sample};
use crate::theme::{
    CAPACITY_LINE, ChartOptions, LineStyle, MEAN_LINE, OTHER_LINE, PEAK_LINE, palette,
};
use crate::{ChartError, Clock, Point, downsample_min_max, time_ticks_on};

/// How a series is drawn: the peak solid, the mean dashed, anything else dotted, each in its
/// own Okabe–Ito colour (see the theme).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SeriesStyle {
    #[default]
    Mean,
    Peak,
    Other,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Series {
    pub name: String,
    #[serde(default)]
    pub style: SeriesStyle,
    pub points: Vec<Point>,
}

/// A labelled horizontal reference line, e.g. the zone's capacity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CapacityLine {
    pub value: f64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeSeriesInput {
    pub title: String,
    pub y_label: String,
    /// IANA zone the ticks are labelled in, e.g. `America/Chicago`.
    pub time_zone: String,
    /// 24-hour (default) or 12-hour ticks and tooltips.
    #[serde(default)]
    pub clock: Clock,
    /// The time axis' title; by default `Local time (<zone>)`. It should name the zone.
    #[serde(default)]
    pub time_label: Option<String>,
    pub series: Vec<Series>,
    #[serde(default)]
    pub capacity: Option<CapacityLine>,
    /// The x range (UTC ms, both ends included); by default the span of the points.
    #[serde(default)]
    pub range_utc_ms: Option<(i64, i64)>,
    /// Moments to point out (e.g. unusual days), drawn as small ticks on the time axis, each
    /// explained by its `<title>`.
    #[serde(default)]
    pub markers: Vec<Marker>,
    /// A shaded range behind the lines, e.g. each day's lowest mean to its peak.
    #[serde(default)]
    pub band: Option<Band>,
    /// The points are whole days (placed at local noon): tooltips name the day, not a time.
    #[serde(default)]
    pub points_are_days: bool,
}

/// A shaded range over time, with the name its legend entry shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Band {
    pub name: String,
    pub points: Vec<BandPoint>,
}

/// The low and high edge of a band at one instant; a missing edge breaks the band.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BandPoint {
    pub utc_ms: i64,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// A flagged moment with the sentence its tooltip shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Marker {
    pub utc_ms: i64,
    pub label: String,
}

/// A drawn marker: its x in SVG pixels and its sentence.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HoverMarker {
    pub x: i32,
    pub label: String,
}

/// At most this many series on one comparison chart.
pub const MAX_COMPARED_SERIES: usize = 6;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComparisonSeries {
    pub name: String,
    pub points: Vec<Point>,
}

/// Up to [`MAX_COMPARED_SERIES`] series, drawn as small multiples (see [`crate::multiples`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComparisonInput {
    pub title: String,
    /// The y label when the values are not percentages.
    pub y_label: String,
    pub time_zone: String,
    #[serde(default)]
    pub clock: Clock,
    #[serde(default)]
    pub time_label: Option<String>,
    pub series: Vec<ComparisonSeries>,
    /// The caller already converted the values to % of capacity: the y label says so and a
    /// 100 % line is drawn.
    #[serde(default)]
    pub percent_of_capacity: bool,
    #[serde(default)]
    pub range_utc_ms: Option<(i64, i64)>,
}

/// The plot area (inside the axes) in SVG pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlotArea {
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
}

/// One drawn point: where it is on the SVG and what it means.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HoverPoint {
    pub x: i32,
    pub y: i32,
    pub utc_ms: i64,
    /// Time in the chart's zone for a tooltip, e.g. `Sun 2026-03-08 03:15 CDT` (or
    /// `3:15 AM CDT` on a 12-hour clock).
    pub local: String,
    pub value: f64,
    /// Index into the input's series.
    pub series: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeSeriesHover {
    pub plot: PlotArea,
    pub time_zone: String,
    pub series_names: Vec<String>,
    /// Sorted by series, then time.
    pub points: Vec<HoverPoint>,
    pub markers: Vec<HoverMarker>,
    /// The time the x axis spans (UTC ms, both ends): what a pixel means, for zooming.
    pub x_range_utc_ms: (i64, i64),
    /// The points are whole days: a tooltip names the day only.
    pub days: bool,
    /// Small multiples: one plot area per series (index = series); empty for one plot.
    pub panels: Vec<PlotArea>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeSeriesChart {
    pub svg: String,
    pub hover: TimeSeriesHover,
}

struct Line {
    name: String,
    colour: RGBColor,
    style: LineStyle,
    points: Vec<Point>,
}

/// Draws one or more series over time, each as one `<path>`. Missing values break the line;
/// a long series is reduced to about two points per pixel with [`downsample_min_max`].
pub fn render_time_series(
    input: &TimeSeriesInput,
    opts: &ChartOptions,
) -> Result<TimeSeriesChart, ChartError> {
    let p = palette(opts.theme);
    let lines = input
        .series
        .iter()
        .map(|s| {
            let (colour, style) = match s.style {
                SeriesStyle::Mean => (p.accent, MEAN_LINE),
                SeriesStyle::Peak => (p.peak, PEAK_LINE),
                SeriesStyle::Other => (p.other, OTHER_LINE),
            };
            Line {
                name: s.name.clone(),
                colour,
                style,
                points: s.points.clone(),
            }
        })
        .collect();
    let reference = input
        .capacity
        .as_ref()
        .filter(|c| c.value.is_finite())
        .map(|c| (c.value, c.label.clone()));
    render_lines(
        &input.title,
        &input.y_label,
        TimeAxis {
            zone: &input.time_zone,
            clock: input.clock,
            label: input.time_label.as_deref(),
        },
        lines,
        Extras {
            reference,
            range: input.range_utc_ms,
            markers: &input.markers,
            band: input.band.as_ref(),
            days: input.points_are_days,
        },
        opts,
    )
}

/// Draws up to six series as small multiples; more is [`ChartError::TooManySeries`].
pub fn render_comparison(
    input: &ComparisonInput,
    opts: &ChartOptions,
) -> Result<TimeSeriesChart, ChartError> {
    if input.series.len() > MAX_COMPARED_SERIES {
        return Err(ChartError::TooManySeries {
            given: input.series.len(),
            max: MAX_COMPARED_SERIES,
        });
    }
    crate::multiples::render_multiples(input, opts)
}

pub(crate) fn parse_tz(name: &str) -> Result<Tz, ChartError> {
    name.trim()
        .parse::<Tz>()
        .map_err(|_| ChartError::UnknownTimeZone(name.to_string()))
}

pub(crate) const HALF_HOUR_MS: i64 = 1_800_000;

/// The time axis: the zone and clock its ticks and tooltips use, and its title.
struct TimeAxis<'a> {
    zone: &'a str,
    clock: Clock,
    label: Option<&'a str>,
}

/// What a chart shows besides its lines: a reference line, a fixed x range, markers, a band.
struct Extras<'a> {
    reference: Option<(f64, String)>,
    range: Option<(i64, i64)>,
    markers: &'a [Marker],
    band: Option<&'a Band>,
    days: bool,
}

fn render_lines(
    title: &str,
    y_label: &str,
    axis: TimeAxis<'_>,
    mut lines: Vec<Line>,
    extras: Extras<'_>,
    opts: &ChartOptions,
) -> Result<TimeSeriesChart, ChartError> {
    let Extras {
        reference,
        range,
        markers,
        band,
        days,
    } = extras;
    opts.check()?;
    let tz = parse_tz(axis.zone)?;
    let clock = axis.clock;
    let p = palette(opts.theme);

    // Clean input: time order, non-finite values are missing, nothing outside the range.
    let range = range.map(|(a, b)| (a.min(b), a.max(b)));
    for line in &mut lines {
        line.points.sort_by_key(|pt| pt.utc_ms);
        for pt in &mut line.points {
            pt.value = pt.finite();
        }
        if let Some((a, b)) = range {
            line.points.retain(|pt| (a..=b).contains(&pt.utc_ms));
        }
    }
    let times = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|pt| pt.utc_ms));
    let (mut x0, mut x1, has_times) = match range {
        Some((a, b)) => (a, b, true),
        None => match (times.clone().min(), times.max()) {
            (Some(a), Some(b)) => (a, b, true),
            _ => (0, 24 * 2 * HALF_HOUR_MS, false),
        },
    };
    if x1 <= x0 {
        x0 = x0.saturating_sub(HALF_HOUR_MS);
        x1 = x1.saturating_add(HALF_HOUR_MS);
    }
    let values = || {
        lines
            .iter()
            .flat_map(|l| l.points.iter().filter_map(|pt| pt.value))
    };
    let has_data = values().next().is_some();
    let band_points: Vec<BandPoint> = band
        .map(|b| {
            let mut points: Vec<BandPoint> = b
                .points
                .iter()
                .filter(|pt| range.is_none_or(|(a, b)| (a..=b).contains(&pt.utc_ms)))
                .map(|pt| BandPoint {
                    low: pt.low.filter(|v| v.is_finite()),
                    high: pt.high.filter(|v| v.is_finite()),
                    ..*pt
                })
                .collect();
            points.sort_by_key(|pt| pt.utc_ms);
            points
        })
        .unwrap_or_default();
    let band_values = band_points
        .iter()
        .flat_map(|pt| [pt.low, pt.high])
        .flatten();
    let mut lo = values().chain(band_values.clone()).fold(0.0_f64, f64::min);
    let mut hi = values().chain(band_values).fold(0.0_f64, f64::max);
    if let Some((r, _)) = &reference {
        lo = lo.min(*r);
        hi = hi.max(*r);
    }
    if hi <= lo {
        hi = lo + 1.0;
    }
    let pad = (hi - lo) * 0.08;
    hi += pad;
    if lo < 0.0 {
        lo -= pad;
    }

    // The x axis is milliseconds since `x0` as f64 (plotters' i64 axis overflows on epoch ms).
    let rel = |t: i64| (i128::from(t) - i128::from(x0)) as f64;
    let mut svg = String::new();
    let mut hover = Vec::new();
    let mut hover_markers = Vec::new();
    let mut extra = String::new();
    let plot;
    {
        let root = SVGBackend::with_string(&mut svg, (opts.width, opts.height)).into_drawing_area();
        root.fill(&p.bg).map_err(draw_err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, font(18, p.text))
            .margin(10)
            // Room for the legend between the title and the plot.
            .set_label_area_size(LabelAreaPosition::Top, 24)
            .margin_right(24)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(0.0..rel(x1), lo..hi)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(6)
            .y_desc(y_label)
            .y_label_formatter(&|v| format_value(*v))
            .axis_style(p.axis)
            .bold_line_style(p.grid)
            .light_line_style(TRANSPARENT)
            .label_style(font(12, p.text))
            .axis_desc_style(font(13, p.text))
            .draw()
            .map_err(draw_err)?;

        let (xr, yr) = chart.plotting_area().get_pixel_range();
        plot = PlotArea {
            x: xr.start,
            y: yr.start,
            width: xr.end - xr.start,
            height: yr.end - yr.start,
        };
        let bottom = yr.end;

        // Local-time ticks, placed on the UTC axis.
        if has_times {
            let max_ticks = (plot.width / 90).clamp(2, 10) as usize;
            for tick in time_ticks_on(x0, x1, tz, max_ticks, clock) {
                let (x, _) = chart.backend_coord(&(rel(tick.utc_ms), lo));
                root.draw(&PathElement::new(vec![(x, yr.start), (x, bottom)], p.grid))
                    .map_err(draw_err)?;
                root.draw(&PathElement::new(
                    vec![(x, bottom), (x, bottom + 5)],
                    p.axis,
                ))
                .map_err(draw_err)?;
                root.draw(&Text::new(
                    tick.label,
                    (x, bottom + 8),
                    anchored(12, p.text, HPos::Center, VPos::Top),
                ))
                .map_err(draw_err)?;
            }
            root.draw(&Text::new(
                axis.label
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("Local time ({})", tz.name())),
                (plot.x + plot.width / 2, bottom + 28),
                anchored(13, p.text, HPos::Center, VPos::Top),
            ))
            .map_err(draw_err)?;
        }

        // Drawn by hand below, on top of the mesh: one path per series, band, ticks, legend.
        let px = |t: i64, v: f64| chart.backend_coord(&(rel(t), v));
        let mut legend = Vec::new();
        if let Some(band) = band.filter(|_| !band_points.is_empty()) {
            let mut runs: Vec<Vec<(i32, i32, i32)>> = vec![Vec::new()];
            for pt in &band_points {
                match (pt.low, pt.high) {
                    (Some(l), Some(h)) => {
                        let (x, yh) = px(pt.utc_ms, h);
                        let (_, yl) = px(pt.utc_ms, l);
                        if let Some(run) = runs.last_mut() {
                            run.push((x, yh, yl));
                        }
                    }
                    _ => runs.push(Vec::new()),
                }
            }
            extra.push_str(&paths::band_path(&band.name, &runs, p.peak));
            legend.push((band.name.clone(), Sample::Swatch(p.peak)));
        }
        for (index, line) in lines.iter().enumerate() {
            let runs = trace(
                &line.points,
                plot.width,
                &px,
                (tz, clock),
                index,
                &mut hover,
            );
            extra.push_str(&paths::series_path(
                &line.name,
                &runs,
                line.colour,
                line.style,
            ));
            legend.push((line.name.clone(), Sample::Line(line.colour, line.style)));
        }
        if let Some((value, label)) = &reference {
            let (_, y) = px(x0, *value);
            extra.push_str(&paths::reference_path(
                label,
                plot.x,
                plot.x + plot.width,
                y,
                p.capacity,
                CAPACITY_LINE,
            ));
            legend.push((label.clone(), Sample::Line(p.capacity, CAPACITY_LINE)));
            // Labelled at the left end: the legend sits at the upper right.
            root.draw(&Text::new(
                label.as_str(),
                (plot.x + 4, y - 3),
                anchored(12, p.text, HPos::Left, VPos::Bottom),
            ))
            .map_err(draw_err)?;
        }
        for marker in markers.iter().filter(|m| (x0..=x1).contains(&m.utc_ms)) {
            let (x, _) = px(marker.utc_ms, lo);
            extra.push_str(&paths::marker_tick(x, bottom, &marker.label, p.marker));
            hover_markers.push(HoverMarker {
                x,
                label: marker.label.clone(),
            });
        }
        if !legend.is_empty() {
            // Above the plot, right-aligned, so no line hides under it.
            extra.push_str(&paths::legend(
                &legend,
                plot.x + plot.width,
                plot.y - 10,
                p.text,
            ));
        }
        if !has_data {
            no_data(&root, plot.x + plot.width / 2, plot.y + plot.height / 2, &p)?;
        }
        root.present().map_err(draw_err)?;
    }
    paths::append(&mut svg, &extra);
    Ok(TimeSeriesChart {
        svg,
        hover: TimeSeriesHover {
            plot,
            time_zone: tz.name().to_string(),
            series_names: lines.into_iter().map(|l| l.name).collect(),
            points: hover,
            markers: hover_markers,
            x_range_utc_ms: (x0, x1),
            days,
            panels: Vec::new(),
        },
    })
}

/// A series as pixel runs for one path (a missing value starts a new run), reduced to about
/// two points per pixel of `width`; each drawn point also goes into `hover` as `series`.
pub(crate) fn trace(
    points: &[Point],
    width: i32,
    px: &impl Fn(i64, f64) -> (i32, i32),
    (tz, clock): (Tz, Clock),
    series: usize,
    hover: &mut Vec<HoverPoint>,
) -> Vec<Vec<(i32, i32)>> {
    let mut runs: Vec<Vec<(i32, i32)>> = vec![Vec::new()];
    for pt in downsample_min_max(points, width.max(1) as usize) {
        match pt.value {
            Some(v) => {
                let (x, y) = px(pt.utc_ms, v);
                if let Some(run) = runs.last_mut() {
                    run.push((x, y));
                }
                hover.push(HoverPoint {
                    x,
                    y,
                    utc_ms: pt.utc_ms,
                    local: local_label(pt.utc_ms, tz, clock),
                    value: v,
                    series,
                });
            }
            None => runs.push(Vec::new()),
        }
    }
    runs
}

pub(crate) fn local_label(utc_ms: i64, tz: Tz, clock: Clock) -> String {
    DateTime::from_timestamp_millis(utc_ms)
        .map(|t| {
            let t = t.with_timezone(&tz);
            format!(
                "{} {} {}",
                t.format("%a %Y-%m-%d"),
                t.format(clock.time_format()),
                t.format("%Z")
            )
        })
        .unwrap_or_default()
}

//! Compare as small multiples: one small chart per series, in the order given (the caller
//! sorts by use), all on one shared y axis and one time range, so panels compare by position
//! and no line hides another.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::draw::{anchored, font, format_value, no_data, truncate};
use crate::error::draw_err;
use crate::paths;
use crate::theme::{CAPACITY_LINE, ChartOptions, LineStyle, palette};
use crate::timeseries::{
    ComparisonInput, HALF_HOUR_MS, PlotArea, TimeSeriesChart, TimeSeriesHover, parse_tz, trace,
};
use crate::{ChartError, Point, time_ticks_on};

/// A zone's line: solid, so a small panel stays calm.
const ZONE_LINE: LineStyle = LineStyle {
    width: 1.5,
    dash: None,
};

pub(crate) fn render_multiples(
    input: &ComparisonInput,
    opts: &ChartOptions,
) -> Result<TimeSeriesChart, ChartError> {
    opts.check()?;
    let tz = parse_tz(&input.time_zone)?;
    let p = palette(opts.theme);
    let range = input.range_utc_ms.map(|(a, b)| (a.min(b), a.max(b)));
    let series: Vec<(String, Vec<Point>)> = input
        .series
        .iter()
        .map(|s| {
            let mut points: Vec<Point> = s
                .points
                .iter()
                .filter(|pt| range.is_none_or(|(a, b)| (a..=b).contains(&pt.utc_ms)))
                .map(|pt| Point::new(pt.utc_ms, pt.finite()))
                .collect();
            points.sort_by_key(|pt| pt.utc_ms);
            (s.name.clone(), points)
        })
        .collect();
    let times = series
        .iter()
        .flat_map(|(_, pts)| pts.iter().map(|pt| pt.utc_ms));
    let (mut x0, mut x1) = range
        .or_else(|| times.clone().min().zip(times.max()))
        .unwrap_or((0, 48 * HALF_HOUR_MS));
    if x1 <= x0 {
        x0 = x0.saturating_sub(HALF_HOUR_MS);
        x1 = x1.saturating_add(HALF_HOUR_MS);
    }
    let reference = input.percent_of_capacity.then_some(100.0);
    let values = series
        .iter()
        .flat_map(|(_, pts)| pts.iter().filter_map(|pt| pt.value));
    let has_data = values.clone().next().is_some();
    let hi = values.fold(reference.unwrap_or(0.0), f64::max).max(1.0) * 1.08;
    let y_label = if input.percent_of_capacity {
        "% of capacity"
    } else {
        input.y_label.as_str()
    };

    let unit = if input.percent_of_capacity { " %" } else { "" };
    let rel = |t: i64| (i128::from(t) - i128::from(x0)) as f64;
    let n = series.len().max(1);
    let cols = if n > 3 { 2 } else { 1 };
    let rows = n.div_ceil(cols);
    let mut svg = String::new();
    let mut extra = String::new();
    let mut hover = Vec::new();
    let mut panels = Vec::new();
    {
        let full = SVGBackend::with_string(&mut svg, (opts.width, opts.height)).into_drawing_area();
        full.fill(&p.bg).map_err(draw_err)?;
        let root = full
            .titled(&input.title, font(18, p.text))
            .map_err(draw_err)?;
        let capacity = if reference.is_some() {
            "; dash-dot line: capacity (100 %)"
        } else {
            ""
        };
        root.draw(&Text::new(
            format!(
                "Mean occupancy, {y_label}: one axis for every panel, most used first{capacity}"
            ),
            (10, 2),
            anchored(13, p.text, HPos::Left, VPos::Top),
        ))
        .map_err(draw_err)?;
        let body = root.margin(22, 4, 6, 10);
        let cells = body.split_evenly((rows, cols));
        for (index, ((name, points), cell)) in series.iter().zip(&cells).enumerate() {
            let values: Vec<f64> = points.iter().filter_map(|pt| pt.value).collect();
            let mean = (!values.is_empty())
                .then(|| values.iter().sum::<f64>() / values.len() as f64)
                .map(|m| format!(" · mean {}{unit}", format_value(m)))
                .unwrap_or_default();
            let mut chart = ChartBuilder::on(cell)
                .caption(
                    format!("{}. {}{mean}", index + 1, truncate(name, 48)),
                    font(13, p.text),
                )
                .margin(4)
                .margin_top(12)
                .margin_right(14)
                .x_label_area_size(18)
                .y_label_area_size(44)
                .build_cartesian_2d(0.0..rel(x1), 0.0..hi)
                .map_err(draw_err)?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(0)
                .y_labels(3)
                .y_label_formatter(&|v| format_value(*v))
                .axis_style(p.axis)
                .bold_line_style(p.grid)
                .light_line_style(TRANSPARENT)
                .label_style(font(11, p.text))
                .draw()
                .map_err(draw_err)?;
            let (xr, yr) = chart.plotting_area().get_pixel_range();
            let plot = PlotArea {
                x: xr.start,
                y: yr.start,
                width: xr.end - xr.start,
                height: yr.end - yr.start,
            };
            panels.push(plot);
            let max_ticks = (plot.width / 80).clamp(2, 8) as usize;
            for tick in time_ticks_on(x0, x1, tz, max_ticks, input.clock) {
                // In pixels of the whole SVG (backend_coord's), so drawn on the untitled area.
                let (x, _) = chart.backend_coord(&(rel(tick.utc_ms), 0.0));
                full.draw(&Text::new(
                    tick.label,
                    (x, yr.end + 4),
                    anchored(11, p.text, HPos::Center, VPos::Top),
                ))
                .map_err(draw_err)?;
            }
            let px = |t: i64, v: f64| chart.backend_coord(&(rel(t), v));
            if let Some(value) = reference {
                let (_, y) = px(x0, value);
                extra.push_str(&paths::reference_path(
                    "Capacity (100 %)",
                    plot.x,
                    plot.x + plot.width,
                    y,
                    p.capacity,
                    CAPACITY_LINE,
                ));
            }
            let runs = trace(
                points,
                plot.width,
                &px,
                (tz, input.clock),
                index,
                &mut hover,
            );
            extra.push_str(&paths::series_path(name, &runs, p.accent, ZONE_LINE));
        }
        if !has_data {
            let (w, h) = root.dim_in_pixel();
            no_data(&root, w as i32 / 2, h as i32 / 2, &p)?;
        }
        full.present().map_err(draw_err)?;
    }
    paths::append(&mut svg, &extra);
    Ok(TimeSeriesChart {
        svg,
        hover: TimeSeriesHover {
            plot: panels.first().copied().unwrap_or(PlotArea {
                x: 0,
                y: 0,
                width: 0,
                height: 0,
            }),
            time_zone: tz.name().to_string(),
            series_names: series.into_iter().map(|(name, _)| name).collect(),
            points: hover,
            markers: Vec::new(),
            x_range_utc_ms: (x0, x1),
            days: false,
            panels,
        },
    })
}

//! Weekday × hour heatmap (ISO weekday rows, local hour columns).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::{Deserialize, Serialize};

use crate::ChartError;
use crate::draw::{Area, anchored, format_value, no_data, text_width};
use crate::error::draw_err;
use crate::theme::{ChartOptions, Palette, palette, ramp_colour};

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeatmapInput {
    pub title: String,
    /// What a cell's value is, e.g. "Mean occupancy"; shown by the colour legend.
    pub value_label: String,
    /// `grid[weekday - 1][hour]`: ISO weekday 1 (Monday) to 7, local hour 0 to 23; `None`
    /// (or a non-finite value) is drawn as "no data".
    pub grid: [[Option<f64>; 24]; 7],
    /// The zone the hours are in, shown under the chart when given.
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// One drawn cell, in SVG pixels.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeatmapCell {
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
    /// ISO weekday, 1 = Monday.
    pub weekday: u32,
    pub hour: u32,
    pub value: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeatmapChart {
    pub svg: String,
    /// All 168 cells, Monday 00:00 first.
    pub cells: Vec<HeatmapCell>,
    /// The colour scale's ends (`None` when no cell has a value).
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// Draws the grid with a sequential colour scale, weekday and hour labels and a legend.
pub fn render_heatmap(
    input: &HeatmapInput,
    opts: &ChartOptions,
) -> Result<HeatmapChart, ChartError> {
    opts.check()?;
    let p = palette(opts.theme);
    let value = |d: usize, h: usize| input.grid[d][h].filter(|v| v.is_finite());
    let values: Vec<f64> = (0..7)
        .flat_map(|d| (0..24).map(move |h| (d, h)))
        .filter_map(|(d, h)| value(d, h))
        .collect();
    let min = values.iter().copied().reduce(f64::min);
    let max = values.iter().copied().reduce(f64::max);
    let any_empty = values.len() < 7 * 24;

    let (w, h) = (opts.width as i32, opts.height as i32);
    let (left, right, top, bottom) = (48, 16, 44, 78);
    let gw = (w - left - right).max(24);
    let gh = (h - top - bottom).max(7);
    let cw = f64::from(gw) / 24.0;
    let ch = f64::from(gh) / 7.0;
    let x_at = |hour: usize| left + (hour as f64 * cw).round() as i32;
    let y_at = |day: usize| top + (day as f64 * ch).round() as i32;

    let mut svg = String::new();
    let mut cells = Vec::with_capacity(7 * 24);
    {
        let root = SVGBackend::with_string(&mut svg, (opts.width, opts.height)).into_drawing_area();
        root.fill(&p.bg).map_err(draw_err)?;
        root.draw(&Text::new(
            input.title.as_str(),
            (w / 2, 12),
            anchored(18, p.text, HPos::Center, VPos::Top),
        ))
        .map_err(draw_err)?;

        for (day, name) in WEEKDAYS.iter().enumerate() {
            for hour in 0..24 {
                let (x0, y0, x1, y1) = (x_at(hour), y_at(day), x_at(hour + 1), y_at(day + 1));
                let v = value(day, hour);
                match (v, min, max) {
                    (Some(v), Some(lo), Some(hi)) => {
                        let t = if hi > lo { (v - lo) / (hi - lo) } else { 1.0 };
                        root.draw(&Rectangle::new(
                            [(x0, y0), (x1 - 1, y1 - 1)],
                            ramp_colour(&p.ramp, t).filled(),
                        ))
                        .map_err(draw_err)?;
                    }
                    _ => empty_cell(&root, (x0, y0), (x1 - 1, y1 - 1), &p)?,
                }
                cells.push(HeatmapCell {
                    x: x0,
                    y: y0,
                    width: x1 - x0,
                    height: y1 - y0,
                    weekday: day as u32 + 1,
                    hour: hour as u32,
                    value: v,
                });
            }
            root.draw(&Text::new(
                *name,
                (
                    left - 6,
                    (f64::from(y_at(day) + y_at(day + 1)) / 2.0) as i32,
                ),
                anchored(12, p.text, HPos::Right, VPos::Center),
            ))
            .map_err(draw_err)?;
        }
        let every = if cw >= 22.0 {
            1
        } else if cw >= 11.0 {
            2
        } else {
            3
        };
        let grid_bottom = y_at(7);
        for hour in (0..24).step_by(every) {
            root.draw(&Text::new(
                format!("{hour:02}"),
                (
                    (f64::from(x_at(hour) + x_at(hour + 1)) / 2.0) as i32,
                    grid_bottom + 4,
                ),
                anchored(11, p.text, HPos::Center, VPos::Top),
            ))
            .map_err(draw_err)?;
        }
        let zone = input
            .time_zone
            .as_deref()
            .map(|z| format!("Local hour ({z})"))
            .unwrap_or_else(|| "Local hour".into());
        root.draw(&Text::new(
            zone,
            (left + gw, grid_bottom + 22),
            anchored(12, p.muted, HPos::Right, VPos::Top),
        ))
        .map_err(draw_err)?;

        legend(
            &root,
            &p,
            input,
            min,
            max,
            any_empty,
            (left, grid_bottom + 44),
            gw,
        )?;

        if values.is_empty() {
            no_data(&root, left + gw / 2, top + gh / 2, &p)?;
        }
        root.present().map_err(draw_err)?;
    }
    Ok(HeatmapChart {
        svg,
        cells,
        min,
        max,
    })
}

fn empty_cell(
    root: &Area<'_>,
    a: (i32, i32),
    b: (i32, i32),
    p: &Palette,
) -> Result<(), ChartError> {
    root.draw(&Rectangle::new([a, b], p.empty.filled()))
        .map_err(draw_err)?;
    // One diagonal hatch line: "no data", distinct from the lowest colour.
    root.draw(&PathElement::new(vec![(a.0, b.1), (b.0, a.1)], p.hatch))
        .map_err(draw_err)
}

#[allow(clippy::too_many_arguments)]
fn legend(
    root: &Area<'_>,
    p: &Palette,
    input: &HeatmapInput,
    min: Option<f64>,
    max: Option<f64>,
    any_empty: bool,
    (x, y): (i32, i32),
    width: i32,
) -> Result<(), ChartError> {
    let bar_w = (width / 3).clamp(60, 240);
    let steps = 48;
    let mut cursor = x;
    if let (Some(lo), Some(hi)) = (min, max) {
        for i in 0..steps {
            let a = x + bar_w * i / steps;
            let b = x + bar_w * (i + 1) / steps;
            let t = f64::from(i) / f64::from(steps - 1);
            root.draw(&Rectangle::new(
                [(a, y), (b, y + 12)],
                ramp_colour(&p.ramp, t).filled(),
            ))
            .map_err(draw_err)?;
        }
        root.draw(&Rectangle::new([(x, y), (x + bar_w, y + 12)], p.axis))
            .map_err(draw_err)?;
        root.draw(&Text::new(
            format_value(lo),
            (x, y + 16),
            anchored(11, p.text, HPos::Left, VPos::Top),
        ))
        .map_err(draw_err)?;
        root.draw(&Text::new(
            format_value(hi),
            (x + bar_w, y + 16),
            anchored(11, p.text, HPos::Right, VPos::Top),
        ))
        .map_err(draw_err)?;
        cursor = x + bar_w + 10;
    }
    root.draw(&Text::new(
        input.value_label.as_str(),
        (cursor, y + 6),
        anchored(12, p.text, HPos::Left, VPos::Center),
    ))
    .map_err(draw_err)?;
    cursor += text_width(&input.value_label, 12) + 24;
    if any_empty {
        empty_cell(root, (cursor, y), (cursor + 14, y + 12), p)?;
        root.draw(&Text::new(
            "No data",
            (cursor + 20, y + 6),
            anchored(12, p.text, HPos::Left, VPos::Center),
        ))
        .map_err(draw_err)?;
    }
    Ok(())
}

//! Ranked horizontal bar chart ("most and least used", shares per category).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::{Deserialize, Serialize};

use std::cmp::Ordering;

use crate::ChartError;
use crate::draw::{Area, anchored, format_value, no_data, text_width, truncate};
use crate::error::draw_err;
use crate::theme::{ChartOptions, Palette, palette};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bar {
    pub name: String,
    pub value: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BarChartInput {
    pub title: String,
    /// What the values are, shown under the bars, e.g. "Mean occupancy".
    pub value_label: String,
    pub bars: Vec<Bar>,
    /// Sort by value, largest first (non-finite values last); otherwise keep the given order.
    #[serde(default)]
    pub sort_descending: bool,
    /// Appended to every value label, e.g. `" %"`.
    #[serde(default)]
    pub unit: Option<String>,
}

/// One drawn bar (its full row, so a short bar is still easy to hover), in SVG pixels.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BarHover {
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
    pub name: String,
    pub value: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BarChart {
    pub svg: String,
    /// In drawing order, top to bottom.
    pub bars: Vec<BarHover>,
}

/// Draws one horizontal bar per (name, value), with the value at the end of each bar.
/// Bars start at zero; a negative value gets no bar, a non-finite one is labelled "–".
pub fn render_bar_chart(
    input: &BarChartInput,
    opts: &ChartOptions,
) -> Result<BarChart, ChartError> {
    opts.check()?;
    let p = palette(opts.theme);
    let mut bars: Vec<(&str, Option<f64>)> = input
        .bars
        .iter()
        .map(|b| (b.name.as_str(), Some(b.value).filter(|v| v.is_finite())))
        .collect();
    if input.sort_descending {
        bars.sort_by(|a, b| largest_first(a.1, b.1));
    }
    let unit = input.unit.as_deref().unwrap_or("");
    let vmax = bars.iter().filter_map(|b| b.1).fold(0.0_f64, f64::max);
    let vmax = if vmax > 0.0 { vmax } else { 1.0 };

    let max_chars = ((f64::from(opts.width) * 0.35) / (12.0 * 0.58)) as usize;
    let names: Vec<String> = bars
        .iter()
        .map(|b| truncate(b.0, max_chars.max(4)))
        .collect();
    let label_w = names.iter().map(|n| text_width(n, 12)).max().unwrap_or(0) + 14;
    let plot = Plot::within(opts, label_w.max(40));
    let left = plot.left;
    let frame = Frame {
        title: &input.title,
        value_label: &input.value_label,
        plot,
        axis_x: left,
    };
    frame.render(opts, &p, &bars, |root, i, row| {
        let value = bars[i].1;
        let len = value.map_or(0.0, |v| (v.max(0.0) / vmax * f64::from(plot.width)).round());
        let x1 = left + len as i32;
        if len > 0.0 {
            root.draw(&Rectangle::new(
                [(left, row.y0), (x1, row.y1)],
                p.accent.filled(),
            ))
            .map_err(draw_err)?;
        }
        if row.size > 9 || row.pitch >= 8.0 {
            root.draw(&Text::new(
                names[i].as_str(),
                (left - 6, row.mid),
                anchored(row.size, p.text, HPos::Right, VPos::Center),
            ))
            .map_err(draw_err)?;
            let label = match value {
                Some(v) => format!("{}{unit}", format_value(v)),
                None => "–".into(),
            };
            root.draw(&Text::new(
                label,
                (x1 + 6, row.mid),
                anchored(row.size, p.text, HPos::Left, VPos::Center),
            ))
            .map_err(draw_err)?;
        }
        Ok(())
    })
}

/// Largest first, a missing value after every value: the order of a ranking.
pub(crate) fn largest_first(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Where a ranked chart's rows go, in SVG pixels: the names to the left of `left`, the value
/// labels in the 80 pixels to the right, the title above and the value label below.
#[derive(Clone, Copy)]
pub(crate) struct Plot {
    pub left: i32,
    pub top: i32,
    pub width: i32,
    pub height: i32,
}

impl Plot {
    /// The plot of a chart of `opts`' size whose rows start `left` pixels from its left edge.
    pub(crate) fn within(opts: &ChartOptions, left: i32) -> Plot {
        let (w, h) = (opts.width as i32, opts.height as i32);
        let (right, top, bottom) = (80, 44, 34);
        Plot {
            left,
            top,
            width: (w - left - right).max(10),
            height: (h - top - bottom).max(10),
        }
    }
}

/// One row of a ranked chart, in SVG pixels.
pub(crate) struct Row {
    /// Its middle, and its bar's top and bottom.
    pub mid: i32,
    pub y0: i32,
    pub y1: i32,
    /// Its height (rows share the plot's height evenly).
    pub pitch: f64,
    /// The font size of its labels.
    pub size: u32,
}

/// What every ranked chart draws around its bars: the title, a vertical axis at `axis_x`,
/// one row per bar top to bottom, the value label under them ("No data" when there is no bar).
pub(crate) struct Frame<'a> {
    pub title: &'a str,
    pub value_label: &'a str,
    pub plot: Plot,
    pub axis_x: i32,
}

impl Frame<'_> {
    /// Draws the frame, `draw_row(root, i, row)` drawing bar `i`'s bar and labels; each row's
    /// full width is its hover box, named after the bar.
    pub(crate) fn render(
        &self,
        opts: &ChartOptions,
        p: &Palette,
        bars: &[(&str, Option<f64>)],
        mut draw_row: impl FnMut(&Area<'_>, usize, &Row) -> Result<(), ChartError>,
    ) -> Result<BarChart, ChartError> {
        let (w, h) = (opts.width as i32, opts.height as i32);
        let Plot {
            left,
            top,
            width: gw,
            height: gh,
        } = self.plot;
        let mut svg = String::new();
        let mut hover = Vec::with_capacity(bars.len());
        {
            let root =
                SVGBackend::with_string(&mut svg, (opts.width, opts.height)).into_drawing_area();
            root.fill(&p.bg).map_err(draw_err)?;
            root.draw(&Text::new(
                self.title,
                (w / 2, 12),
                anchored(18, p.text, HPos::Center, VPos::Top),
            ))
            .map_err(draw_err)?;
            if bars.is_empty() {
                no_data(&root, left + gw / 2, top + gh / 2, p)?;
            } else {
                let pitch = f64::from(gh) / bars.len() as f64;
                let thick = (pitch * 0.7).clamp(1.0, 28.0);
                let size = if pitch >= 14.0 { 12 } else { 9 };
                root.draw(&PathElement::new(
                    vec![(self.axis_x, top), (self.axis_x, top + gh)],
                    p.axis,
                ))
                .map_err(draw_err)?;
                for (i, (name, value)) in bars.iter().enumerate() {
                    let mid = top + (pitch * (i as f64 + 0.5)).round() as i32;
                    let y0 = mid - (thick / 2.0).round() as i32;
                    let y1 = y0 + thick.round().max(1.0) as i32;
                    let row = Row {
                        mid,
                        y0,
                        y1,
                        pitch,
                        size,
                    };
                    draw_row(&root, i, &row)?;
                    hover.push(BarHover {
                        x: left,
                        y: top + (pitch * i as f64).round() as i32,
                        width: gw,
                        height: pitch.round().max(1.0) as i32,
                        name: (*name).to_owned(),
                        value: *value,
                    });
                }
            }
            root.draw(&Text::new(
                self.value_label,
                (left + gw / 2, h - 8),
                anchored(13, p.text, HPos::Center, VPos::Bottom),
            ))
            .map_err(draw_err)?;
            root.present().map_err(draw_err)?;
        }
        Ok(BarChart { svg, bars: hover })
    }
}

//! Ranked horizontal bar chart ("most and least used", shares per category).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::{Deserialize, Serialize};

use crate::ChartError;
use crate::draw::{anchored, format_value, no_data, text_width, truncate};
use crate::error::draw_err;
use crate::theme::{ChartOptions, palette};

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
    let mut bars: Vec<(String, Option<f64>)> = input
        .bars
        .iter()
        .map(|b| (b.name.clone(), Some(b.value).filter(|v| v.is_finite())))
        .collect();
    if input.sort_descending {
        bars.sort_by(|a, b| match (a.1, b.1) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
    }
    let unit = input.unit.as_deref().unwrap_or("");
    let vmax = bars.iter().filter_map(|b| b.1).fold(0.0_f64, f64::max);
    let vmax = if vmax > 0.0 { vmax } else { 1.0 };

    let (w, h) = (opts.width as i32, opts.height as i32);
    let max_chars = ((w as f64 * 0.35) / (12.0 * 0.58)) as usize;
    let names: Vec<String> = bars
        .iter()
        .map(|b| truncate(&b.0, max_chars.max(4)))
        .collect();
    let label_w = names.iter().map(|n| text_width(n, 12)).max().unwrap_or(0) + 14;
    let (left, right, top, bottom) = (label_w.max(40), 80, 44, 34);
    let gw = (w - left - right).max(10);
    let gh = (h - top - bottom).max(10);

    let mut svg = String::new();
    let mut hover = Vec::with_capacity(bars.len());
    {
        let root = SVGBackend::with_string(&mut svg, (opts.width, opts.height)).into_drawing_area();
        root.fill(&p.bg).map_err(draw_err)?;
        root.draw(&Text::new(
            input.title.as_str(),
            (w / 2, 12),
            anchored(18, p.text, HPos::Center, VPos::Top),
        ))
        .map_err(draw_err)?;
        if bars.is_empty() {
            no_data(&root, left + gw / 2, top + gh / 2, &p)?;
        } else {
            let row = f64::from(gh) / bars.len() as f64;
            let thick = (row * 0.7).clamp(1.0, 28.0);
            let size = if row >= 14.0 { 12 } else { 9 };
            root.draw(&PathElement::new(
                vec![(left, top), (left, top + gh)],
                p.axis,
            ))
            .map_err(draw_err)?;
            for (i, ((_, value), name)) in bars.iter().zip(&names).enumerate() {
                let mid = top + (row * (i as f64 + 0.5)).round() as i32;
                let y0 = mid - (thick / 2.0).round() as i32;
                let y1 = y0 + thick.round().max(1.0) as i32;
                let len = value.map_or(0.0, |v| (v.max(0.0) / vmax * f64::from(gw)).round());
                let x1 = left + len as i32;
                if len > 0.0 {
                    root.draw(&Rectangle::new([(left, y0), (x1, y1)], p.accent.filled()))
                        .map_err(draw_err)?;
                }
                if size > 9 || row >= 8.0 {
                    root.draw(&Text::new(
                        name.as_str(),
                        (left - 6, mid),
                        anchored(size, p.text, HPos::Right, VPos::Center),
                    ))
                    .map_err(draw_err)?;
                    let label = match value {
                        Some(v) => format!("{}{unit}", format_value(*v)),
                        None => "–".into(),
                    };
                    root.draw(&Text::new(
                        label,
                        (x1 + 6, mid),
                        anchored(size, p.text, HPos::Left, VPos::Center),
                    ))
                    .map_err(draw_err)?;
                }
                hover.push(BarHover {
                    x: left,
                    y: top + (row * i as f64).round() as i32,
                    width: gw,
                    height: row.round().max(1.0) as i32,
                    name: bars[i].0.clone(),
                    value: *value,
                });
            }
        }
        root.draw(&Text::new(
            input.value_label.as_str(),
            (left + gw / 2, h - 8),
            anchored(13, p.text, HPos::Center, VPos::Bottom),
        ))
        .map_err(draw_err)?;
        root.present().map_err(draw_err)?;
    }
    Ok(BarChart { svg, bars: hover })
}

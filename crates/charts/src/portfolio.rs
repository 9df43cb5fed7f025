//! The portfolio's two charts: "space use" (how often a space is used against how full it is
//! when used, one point per building or per zone type) and the ranking by surplus (bars
//! either side of zero: spare seats to the right, a shortfall to the left).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::{Deserialize, Serialize};

use crate::ChartError;
use crate::bars::{BarChart, Frame, Plot, largest_first};
use crate::draw::{anchored, font, format_value, no_data, text_width, truncate};
use crate::error::draw_err;
use crate::theme::{ChartOptions, palette};

/// One space on the scatter; a point without both figures is not drawn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpacePoint {
    pub name: String,
    pub time_used_pct: Option<f64>,
    pub occupied_fill_pct: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpaceUseInput {
    pub title: String,
    pub points: Vec<SpacePoint>,
}

/// A drawn point, in SVG pixels, for the window's tooltip.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PointHover {
    pub x: i32,
    pub y: i32,
    pub name: String,
    pub time_used_pct: f64,
    pub occupied_fill_pct: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SpaceUseChart {
    pub svg: String,
    pub points: Vec<PointHover>,
}

/// Pixels between two names stacked beside close points.
const LABEL_GAP: i32 = 15;

/// How often used (x, 0–100 %) against how full when used (y, 0 % to at least 100 %), each
/// point named.
pub fn render_space_use(
    input: &SpaceUseInput,
    opts: &ChartOptions,
) -> Result<SpaceUseChart, ChartError> {
    opts.check()?;
    let p = palette(opts.theme);
    let points: Vec<(&str, f64, f64)> = input
        .points
        .iter()
        .filter_map(|s| {
            let x = s.time_used_pct.filter(|v| v.is_finite())?;
            let y = s.occupied_fill_pct.filter(|v| v.is_finite())?;
            Some((s.name.as_str(), x, y))
        })
        .collect();
    let y_max = points
        .iter()
        .map(|(_, _, y)| *y)
        .fold(100.0_f64, f64::max)
        .ceil();
    let mut svg = String::new();
    let mut hover = Vec::with_capacity(points.len());
    {
        let root = SVGBackend::with_string(&mut svg, (opts.width, opts.height)).into_drawing_area();
        root.fill(&p.bg).map_err(draw_err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(input.title.as_str(), font(18, p.text))
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(56)
            .build_cartesian_2d(0.0..100.0, 0.0..y_max)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_desc("Time used: office hours with anyone in (%)")
            .y_desc("Fill when used: mean while occupied / capacity (%)")
            .axis_desc_style(font(13, p.text))
            .label_style(font(12, p.text))
            .axis_style(p.axis)
            .light_line_style(p.bg)
            .bold_line_style(p.grid)
            .draw()
            .map_err(draw_err)?;
        if points.is_empty() {
            let (w, h) = (opts.width as i32, opts.height as i32);
            no_data(&root, w / 2, h / 2, &p)?;
        }
        for (name, x, y) in &points {
            chart
                .draw_series(std::iter::once(Circle::new((*x, *y), 6, p.accent.filled())))
                .map_err(draw_err)?;
            let (px, py) = chart.backend_coord(&(*x, *y));
            hover.push(PointHover {
                x: px,
                y: py,
                name: (*name).to_owned(),
                time_used_pct: *x,
                occupied_fill_pct: *y,
            });
        }
        // Names beside their points: left of those in the right half (so none runs off the
        // plot), moved down where they would overlap one above them on the same side.
        let mid = chart.backend_coord(&(50.0, 0.0)).0;
        let mut labels: Vec<&PointHover> = hover.iter().collect();
        labels.sort_by_key(|l| (l.x > mid, l.y));
        let mut last: Option<(bool, i32)> = None;
        for label in labels {
            let left = label.x > mid;
            let mut y = label.y;
            if let Some((side, below)) = last
                && side == left
                && y < below + LABEL_GAP
            {
                y = below + LABEL_GAP;
            }
            last = Some((left, y));
            let (x, pos) = if left {
                (label.x - 10, HPos::Right)
            } else {
                (label.x + 10, HPos::Left)
            };
            root.draw(&Text::new(
                truncate(&label.name, 28),
                (x, y),
                anchored(12, p.text, pos, VPos::Center),
            ))
            .map_err(draw_err)?;
        }
        root.present().map_err(draw_err)?;
    }
    Ok(SpaceUseChart { svg, points: hover })
}

/// One building's surplus: capacity − needed capacity (negative: a shortfall).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SurplusBar {
    pub name: String,
    pub surplus: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SurplusInput {
    pub title: String,
    pub bars: Vec<SurplusBar>,
}

/// One bar per building, largest surplus first (buildings without one last, labelled "–"),
/// drawn from a zero line: surpluses to the right, shortfalls to the left in the peak colour.
pub fn render_surplus_ranking(
    input: &SurplusInput,
    opts: &ChartOptions,
) -> Result<BarChart, ChartError> {
    opts.check()?;
    let p = palette(opts.theme);
    let mut bars: Vec<(&str, Option<f64>)> = input
        .bars
        .iter()
        .map(|b| (b.name.as_str(), b.surplus.filter(|v| v.is_finite())))
        .collect();
    bars.sort_by(|a, b| largest_first(a.1, b.1));
    let most = bars.iter().filter_map(|b| b.1).fold(0.0_f64, f64::max);
    let least = bars.iter().filter_map(|b| b.1).fold(0.0_f64, f64::min);
    let span = if most - least > 0.0 {
        most - least
    } else {
        1.0
    };
    let names: Vec<String> = bars.iter().map(|b| truncate(b.0, 28)).collect();
    let label_w = names.iter().map(|n| text_width(n, 12)).max().unwrap_or(0) + 14;
    let plot = Plot::within(opts, label_w.max(40) + 60);
    let left = plot.left;
    let x_of = |v: f64| left + ((v - least) / span * f64::from(plot.width)).round() as i32;
    let zero = x_of(0.0);
    let frame = Frame {
        title: &input.title,
        value_label: "Surplus: capacity − needed capacity (seats; below 0 a shortfall)",
        plot,
        axis_x: zero,
    };
    frame.render(opts, &p, &bars, |root, i, row| {
        let value = bars[i].1;
        let end = value.map_or(zero, x_of);
        let colour = if value.is_some_and(|v| v < 0.0) {
            p.peak
        } else {
            p.accent
        };
        if end != zero {
            root.draw(&Rectangle::new(
                [(zero.min(end), row.y0), (zero.max(end), row.y1)],
                colour.filled(),
            ))
            .map_err(draw_err)?;
        }
        root.draw(&Text::new(
            names[i].as_str(),
            (left - 66, row.mid),
            anchored(row.size, p.text, HPos::Right, VPos::Center),
        ))
        .map_err(draw_err)?;
        let label = value.map_or("–".to_owned(), format_value);
        let (at, pos) = if value.is_some_and(|v| v < 0.0) {
            (end - 6, HPos::Right)
        } else {
            (end + 6, HPos::Left)
        };
        root.draw(&Text::new(
            label,
            (at, row.mid),
            anchored(row.size, p.text, pos, VPos::Center),
        ))
        .map_err(draw_err)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(name: &str, x: Option<f64>, y: Option<f64>) -> SpacePoint {
        SpacePoint {
            name: name.into(),
            time_used_pct: x,
            occupied_fill_pct: y,
        }
    }

    #[test]
    fn every_space_with_both_figures_is_a_named_point() {
        let input = SpaceUseInput {
            title: "Space use".into(),
            points: vec![
                point("Chicago Loop HQ", Some(80.0), Some(40.0)),
                point("London Shoreditch", Some(20.0), Some(130.0)),
                point("No capacity", Some(50.0), None),
            ],
        };
        let chart = render_space_use(&input, &ChartOptions::default()).unwrap();
        assert_eq!(chart.points.len(), 2);
        assert!(chart.svg.contains("Chicago Loop HQ") && !chart.svg.contains("No capacity"));
        // More used is further right; fuller is higher (smaller y).
        let (a, b) = (&chart.points[0], &chart.points[1]);
        assert!(a.x > b.x && a.y > b.y);
        let empty = SpaceUseInput {
            title: "Space use".into(),
            points: vec![],
        };
        assert!(
            render_space_use(&empty, &ChartOptions::default())
                .unwrap()
                .svg
                .contains("No data")
        );
    }

    #[test]
    fn surplus_bars_rank_largest_first_with_shortfalls_left_of_zero() {
        let bar = |name: &str, surplus: Option<f64>| SurplusBar {
            name: name.into(),
            surplus,
        };
        let input = SurplusInput {
            title: "Surplus".into(),
            bars: vec![
                bar("Short", Some(-20.0)),
                bar("Unknown", None),
                bar("Roomy", Some(120.0)),
            ],
        };
        let chart = render_surplus_ranking(&input, &ChartOptions::default()).unwrap();
        let names: Vec<&str> = chart.bars.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["Roomy", "Short", "Unknown"]);
        assert!(chart.svg.contains("–"));
        assert!(chart.svg.contains("-20") && chart.svg.contains("120"));
    }
}

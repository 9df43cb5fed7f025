//! A forecast band per category (a working weekday): p10–p90 shaded, p50 a line, p95 a tick,
//! against a capacity drawn across. A category without a forecast says so in place.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use serde::{Deserialize, Serialize};

use crate::ChartError;
use crate::draw::{anchored, format_value, no_data};
use crate::error::draw_err;
use crate::theme::{ChartOptions, palette};

/// One category's forecast; `None` quantiles: no forecast for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ForecastBand {
    pub name: String,
    pub p10: Option<f64>,
    pub p50: Option<f64>,
    pub p90: Option<f64>,
    pub p95: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ForecastInput {
    pub title: String,
    /// What the values are, beside the y axis, e.g. "Daily peak (people)".
    pub value_label: String,
    pub bands: Vec<ForecastBand>,
    /// The capacity the bands are held against.
    pub capacity: Option<f64>,
}

/// One drawn category (its whole column), in SVG pixels, for the window's tooltip.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BandHover {
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
    pub band: ForecastBand,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForecastChart {
    pub svg: String,
    pub bands: Vec<BandHover>,
}

/// Grid values from 0 to `max`: a step of 1, 2 or 5 × 10ⁿ giving at most `count` lines.
fn value_ticks(max: f64, count: u32) -> Vec<f64> {
    let raw = max / f64::from(count.max(1));
    let magnitude = 10_f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(raw);
    (0..=count * 2)
        .map(|i| f64::from(i) * step)
        .take_while(|v| *v <= max)
        .collect()
}

fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite())
}

/// Draws the bands left to right in the given order.
pub fn render_forecast(
    input: &ForecastInput,
    opts: &ChartOptions,
) -> Result<ForecastChart, ChartError> {
    opts.check()?;
    let p = palette(opts.theme);
    let capacity = finite(input.capacity).filter(|c| *c >= 0.0);
    let top_value = input
        .bands
        .iter()
        .flat_map(|b| [b.p10, b.p50, b.p90, b.p95])
        .filter_map(finite)
        .chain(capacity)
        .fold(0.0_f64, f64::max);
    let vmax = if top_value > 0.0 {
        top_value * 1.1
    } else {
        1.0
    };
    let (w, h) = (opts.width as i32, opts.height as i32);
    let (left, right, top, bottom) = (64, 24, 64, 40);
    let gw = (w - left - right).max(10);
    let gh = (h - top - bottom).max(10);
    let y_of = |v: f64| top + gh - (v.max(0.0) / vmax * f64::from(gh)).round() as i32;
    let has_forecast = input.bands.iter().any(|b| finite(b.p50).is_some());

    let mut svg = String::new();
    let mut hover = Vec::with_capacity(input.bands.len());
    {
        let root = SVGBackend::with_string(&mut svg, (opts.width, opts.height)).into_drawing_area();
        let text = |s: &str, at: (i32, i32), size: u32, colour: RGBColor, hp: HPos, vp: VPos| {
            root.draw(&Text::new(s.to_owned(), at, anchored(size, colour, hp, vp)))
                .map_err(draw_err)
        };
        root.fill(&p.bg).map_err(draw_err)?;
        text(
            &input.title,
            (w / 2, 10),
            18,
            p.text,
            HPos::Center,
            VPos::Top,
        )?;
        // The legend, in words as well as colours and shapes.
        let legend_y = 40;
        let word = |s: &str, x: i32| {
            text(
                s,
                (left + x, legend_y),
                12,
                p.text,
                HPos::Left,
                VPos::Center,
            )
        };
        let dash = |x0: i32, x1: i32, style: ShapeStyle| {
            root.draw(&PathElement::new(
                vec![(left + x0, legend_y), (left + x1, legend_y)],
                style,
            ))
            .map_err(draw_err)
        };
        root.draw(&Rectangle::new(
            [(left, legend_y - 6), (left + 22, legend_y + 6)],
            p.accent.mix(0.3).filled(),
        ))
        .map_err(draw_err)?;
        word("p10–p90", 28)?;
        dash(100, 122, p.accent.stroke_width(3))?;
        word("p50", 128)?;
        dash(170, 184, p.peak.stroke_width(2))?;
        word("p95", 190)?;
        if capacity.is_some() {
            root.draw(&DashedPathElement::new(
                vec![(left + 232, legend_y), (left + 256, legend_y)],
                5,
                3,
                p.capacity.stroke_width(2),
            ))
            .map_err(draw_err)?;
            word("capacity", 262)?;
        }
        // Axes and grid.
        for tick in value_ticks(vmax, 6) {
            let y = y_of(tick);
            root.draw(&PathElement::new(vec![(left, y), (left + gw, y)], p.grid))
                .map_err(draw_err)?;
            text(
                &format_value(tick),
                (left - 6, y),
                11,
                p.muted,
                HPos::Right,
                VPos::Center,
            )?;
        }
        root.draw(&PathElement::new(
            vec![(left, top), (left, top + gh), (left + gw, top + gh)],
            p.axis,
        ))
        .map_err(draw_err)?;
        root.draw(&Text::new(
            input.value_label.clone(),
            (14, top + gh / 2),
            anchored(12, p.text, HPos::Center, VPos::Center).transform(FontTransform::Rotate270),
        ))
        .map_err(draw_err)?;
        if !has_forecast {
            no_data(&root, left + gw / 2, top + gh / 2, &p)?;
        }
        let n = input.bands.len().max(1) as f64;
        let column = f64::from(gw) / n;
        for (i, band) in input.bands.iter().enumerate() {
            let x0 = left + (column * i as f64).round() as i32;
            let mid = left + (column * (i as f64 + 0.5)).round() as i32;
            let half = ((column * 0.3).round() as i32).max(2);
            text(
                &band.name,
                (mid, top + gh + 8),
                12,
                p.text,
                HPos::Center,
                VPos::Top,
            )?;
            match (finite(band.p10), finite(band.p90)) {
                (Some(lo), Some(hi)) => {
                    root.draw(&Rectangle::new(
                        [(mid - half, y_of(hi)), (mid + half, y_of(lo))],
                        p.accent.mix(0.3).filled(),
                    ))
                    .map_err(draw_err)?;
                }
                _ if has_forecast => {
                    text(
                        "no forecast",
                        (mid, top + gh - 12),
                        11,
                        p.muted,
                        HPos::Center,
                        VPos::Bottom,
                    )?;
                }
                _ => {}
            }
            if let Some(p50) = finite(band.p50) {
                let y = y_of(p50);
                root.draw(&PathElement::new(
                    vec![(mid - half, y), (mid + half, y)],
                    p.accent.stroke_width(3),
                ))
                .map_err(draw_err)?;
                text(
                    &format_value(p50),
                    (mid + half + 4, y),
                    11,
                    p.text,
                    HPos::Left,
                    VPos::Center,
                )?;
            }
            if let Some(p95) = finite(band.p95) {
                let y = y_of(p95);
                root.draw(&PathElement::new(
                    vec![(mid - half / 2, y), (mid + half / 2, y)],
                    p.peak.stroke_width(2),
                ))
                .map_err(draw_err)?;
            }
            hover.push(BandHover {
                x: x0,
                y: top,
                width: column.round().max(1.0) as i32,
                height: gh,
                band: band.clone(),
            });
        }
        if let Some(c) = capacity {
            let y = y_of(c);
            root.draw(&DashedPathElement::new(
                vec![(left, y), (left + gw, y)],
                6,
                4,
                p.capacity.stroke_width(2),
            ))
            .map_err(draw_err)?;
            text(
                &format!("capacity {}", format_value(c)),
                (left + gw - 4, y - 4),
                12,
                p.capacity,
                HPos::Right,
                VPos::Bottom,
            )?;
        }
        root.present().map_err(draw_err)?;
    }
    Ok(ForecastChart { svg, bands: hover })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(name: &str, q: Option<[f64; 4]>) -> ForecastBand {
        ForecastBand {
            name: name.into(),
            p10: q.map(|q| q[0]),
            p50: q.map(|q| q[1]),
            p90: q.map(|q| q[2]),
            p95: q.map(|q| q[3]),
        }
    }

    #[test]
    fn bands_capacity_and_a_missing_forecast_are_drawn() {
        let input = ForecastInput {
            title: "Forecast".into(),
            value_label: "Daily peak".into(),
            bands: vec![
                band("Mon", Some([10.0, 20.0, 30.0, 35.0])),
                band("Tue", None),
            ],
            capacity: Some(32.0),
        };
        let chart = render_forecast(&input, &ChartOptions::default()).unwrap();
        assert!(chart.svg.contains("capacity 32"), "{}", chart.svg);
        assert!(chart.svg.contains("no forecast"));
        assert!(chart.svg.contains("p10–p90"));
        assert_eq!(chart.bands.len(), 2);
        assert!(chart.bands[0].x < chart.bands[1].x);
    }

    #[test]
    fn grid_steps_are_round() {
        assert_eq!(value_ticks(110.0, 6), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(
            value_ticks(1.0, 6),
            [0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
    }

    #[test]
    fn nothing_to_forecast_says_so_and_bad_values_do_not_panic() {
        let input = ForecastInput {
            title: "Forecast".into(),
            value_label: "Daily peak".into(),
            bands: vec![band("Mon", Some([f64::NAN, f64::INFINITY, 1.0, -3.0]))],
            capacity: Some(f64::NAN),
        };
        let chart = render_forecast(&input, &ChartOptions::default()).unwrap();
        assert!(chart.svg.contains("No data in this range"));
        assert!(!chart.svg.contains("capacity"));
    }
}

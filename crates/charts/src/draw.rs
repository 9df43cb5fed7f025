//! Small drawing helpers shared by the charts.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::ChartError;
use crate::error::draw_err;
use crate::theme::Palette;

pub(crate) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

pub(crate) const FONT: &str = "sans-serif";

pub(crate) fn font(size: u32, colour: RGBColor) -> TextStyle<'static> {
    (FONT, size).into_font().color(&colour)
}

pub(crate) fn anchored(size: u32, colour: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    font(size, colour).pos(Pos::new(h, v))
}

/// A number for an axis or a label: no needless decimals, at most two.
pub(crate) fn format_value(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let a = v.abs();
    let s = if (v - v.round()).abs() < 1e-9 || a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    if s == "-0" { "0".into() } else { s }
}

/// Shortens text to `max` characters, ending with an ellipsis when cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// "No data in this range", centred at `(x, y)`.
pub(crate) fn no_data(root: &Area<'_>, x: i32, y: i32, p: &Palette) -> Result<(), ChartError> {
    root.draw(&Text::new(
        "No data in this range",
        (x, y),
        anchored(16, p.muted, HPos::Center, VPos::Center),
    ))
    .map_err(draw_err)
}

/// Rough pixel width of text at a font size (the SVG backend cannot measure).
pub(crate) fn text_width(text: &str, size: u32) -> i32 {
    (text.chars().count() as f64 * f64::from(size) * 0.58).ceil() as i32
}

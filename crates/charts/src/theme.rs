//! Light and dark themes (the app follows the system theme) and chart size.

use plotters::style::RGBColor;
use serde::{Deserialize, Serialize};

use crate::ChartError;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// Size in pixels and theme, shared by every chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChartOptions {
    pub width: u32,
    pub height: u32,
    #[serde(default)]
    pub theme: Theme,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            width: 1200,
            height: 500,
            theme: Theme::Light,
        }
    }
}

impl ChartOptions {
    pub(crate) fn check(&self) -> Result<(), ChartError> {
        check_size(self.width, self.height)
    }
}

pub(crate) fn check_size(width: u32, height: u32) -> Result<(), ChartError> {
    if (160..=8000).contains(&width) && (120..=8000).contains(&height) {
        Ok(())
    } else {
        Err(ChartError::BadSize { width, height })
    }
}

const fn hex(v: u32) -> RGBColor {
    RGBColor((v >> 16) as u8, (v >> 8) as u8, v as u8)
}

/// The colours of one theme. Every foreground colour has at least 3:1 contrast on `bg`
/// (WCAG 2.1 non-text contrast; the tests compute it). The lines' colours are Okabe–Ito's
/// colour-blind-safe set, and each line also has its own dash pattern ([`LineStyle`]), so
/// peak, mean and capacity differ without colour too.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Palette {
    pub bg: RGBColor,
    pub text: RGBColor,
    pub muted: RGBColor,
    pub grid: RGBColor,
    pub axis: RGBColor,
    /// The mean (Okabe–Ito blue; sky blue on dark).
    pub accent: RGBColor,
    /// The peak (Okabe–Ito vermillion; orange on dark).
    pub peak: RGBColor,
    pub other: RGBColor,
    /// The capacity line: the neutral of the theme (black on light, white on dark).
    pub capacity: RGBColor,
    /// Unusual-day ticks (Okabe–Ito reddish purple).
    pub marker: RGBColor,
    pub empty: RGBColor,
    pub hatch: RGBColor,
    /// Sequential scale for heatmaps, low to high.
    pub ramp: [RGBColor; 4],
}

pub(crate) fn palette(theme: Theme) -> Palette {
    match theme {
        Theme::Light => Palette {
            bg: hex(0xffffff),
            text: hex(0x1b1f24),
            muted: hex(0x5b6470),
            grid: hex(0xe3e6ea),
            axis: hex(0x8a929c),
            accent: hex(0x0072b2),
            peak: hex(0xd55e00),
            other: hex(0x6b7280),
            capacity: hex(0x000000),
            marker: hex(0xa8487f),
            empty: hex(0xeceef1),
            hatch: hex(0xb8bec6),
            ramp: [hex(0xeaf1fc), hex(0x9dbdf0), hex(0x2f6fde), hex(0x14306e)],
        },
        Theme::Dark => Palette {
            bg: hex(0x1e2228),
            text: hex(0xe6e9ee),
            muted: hex(0xa7afba),
            grid: hex(0x343a43),
            axis: hex(0x7d8692),
            accent: hex(0x56b4e9),
            peak: hex(0xe69f00),
            other: hex(0x9aa3ad),
            capacity: hex(0xffffff),
            marker: hex(0xcc79a7),
            empty: hex(0x2a2f37),
            hatch: hex(0x4a515c),
            ramp: [hex(0x243044), hex(0x2f5aa8), hex(0x5b8ff0), hex(0xd6e4ff)],
        },
    }
}

/// How a line is stroked: width and SVG dash pattern (`None` is solid).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct LineStyle {
    pub width: f32,
    pub dash: Option<&'static str>,
}

/// Peak solid, mean dashed, capacity dash-dot, anything else dotted: told apart in grey too.
pub(crate) const PEAK_LINE: LineStyle = LineStyle {
    width: 2.0,
    dash: None,
};
pub(crate) const MEAN_LINE: LineStyle = LineStyle {
    width: 2.0,
    dash: Some("7 4"),
};
pub(crate) const CAPACITY_LINE: LineStyle = LineStyle {
    width: 1.5,
    dash: Some("12 4 2 4"),
};
pub(crate) const OTHER_LINE: LineStyle = LineStyle {
    width: 1.5,
    dash: Some("2 3"),
};

/// Colour at `t` in 0..=1 along the ramp (linear in sRGB between the stops).
pub(crate) fn ramp_colour(ramp: &[RGBColor; 4], t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let scaled = t * (ramp.len() - 1) as f64;
    let i = (scaled.floor() as usize).min(ramp.len() - 2);
    let f = scaled - i as f64;
    let (a, b) = (ramp[i], ramp[i + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2.1 relative luminance of an sRGB colour.
    fn luminance(c: RGBColor) -> f64 {
        let channel = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.040_45 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.0) + 0.7152 * channel(c.1) + 0.0722 * channel(c.2)
    }

    /// WCAG 2.1 contrast ratio, 1 to 21.
    fn contrast(a: RGBColor, b: RGBColor) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn the_formula_gives_the_known_extremes() {
        assert!((contrast(hex(0x000000), hex(0xffffff)) - 21.0).abs() < 1e-9);
        assert!((contrast(hex(0x777777), hex(0x777777)) - 1.0).abs() < 1e-9);
        // WebAIM's checker: #767676 on white is 4.54:1, the lightest grey text that passes AA.
        assert!((contrast(hex(0x767676), hex(0xffffff)) - 4.54).abs() < 0.01);
    }

    #[test]
    fn every_series_colour_has_3_to_1_on_the_background_in_both_themes() {
        for theme in [Theme::Light, Theme::Dark] {
            let p = palette(theme);
            let named = [
                ("mean", p.accent),
                ("peak", p.peak),
                ("capacity", p.capacity),
                ("marker", p.marker),
                ("text", p.text),
            ];
            for (name, colour) in named {
                let ratio = contrast(colour, p.bg);
                assert!(ratio >= 3.0, "{theme:?} {name} {colour:?}: {ratio:.2}:1");
            }
            assert!(contrast(p.text, p.bg) >= 4.5, "{theme:?} text");
        }
    }

    #[test]
    fn peak_mean_and_capacity_differ_in_colour_and_in_line_style() {
        for theme in [Theme::Light, Theme::Dark] {
            let p = palette(theme);
            let colours = [p.peak, p.accent, p.capacity];
            for (i, a) in colours.iter().enumerate() {
                for b in &colours[i + 1..] {
                    assert_ne!(a, b, "{theme:?}");
                }
            }
        }
        let dashes = [PEAK_LINE.dash, MEAN_LINE.dash, CAPACITY_LINE.dash];
        for (i, a) in dashes.iter().enumerate() {
            for b in &dashes[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}

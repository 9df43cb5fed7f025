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

/// The colours of one theme. Every foreground colour has at least 3:1 contrast on `bg`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Palette {
    pub bg: RGBColor,
    pub text: RGBColor,
    pub muted: RGBColor,
    pub grid: RGBColor,
    pub axis: RGBColor,
    pub accent: RGBColor,
    pub peak: RGBColor,
    pub other: RGBColor,
    pub capacity: RGBColor,
    pub empty: RGBColor,
    pub hatch: RGBColor,
    /// Distinct series colours for comparisons (up to six).
    pub series: [RGBColor; 6],
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
            accent: hex(0x2f6fde),
            peak: hex(0xc2410c),
            other: hex(0x6b7280),
            capacity: hex(0xb91c1c),
            empty: hex(0xeceef1),
            hatch: hex(0xb8bec6),
            series: [
                hex(0x2f6fde),
                hex(0xc2410c),
                hex(0x15803d),
                hex(0x9333ea),
                hex(0x0e7490),
                hex(0xa16207),
            ],
            ramp: [hex(0xeaf1fc), hex(0x9dbdf0), hex(0x2f6fde), hex(0x14306e)],
        },
        Theme::Dark => Palette {
            bg: hex(0x1e2228),
            text: hex(0xe6e9ee),
            muted: hex(0xa7afba),
            grid: hex(0x343a43),
            axis: hex(0x7d8692),
            accent: hex(0x5b8ff0),
            peak: hex(0xf59e5b),
            other: hex(0x9aa3ad),
            capacity: hex(0xf87171),
            empty: hex(0x2a2f37),
            hatch: hex(0x4a515c),
            series: [
                hex(0x5b8ff0),
                hex(0xf59e5b),
                hex(0x4ade80),
                hex(0xc084fc),
                hex(0x22d3ee),
                hex(0xfacc15),
            ],
            ramp: [hex(0x243044), hex(0x2f5aa8), hex(0x5b8ff0), hex(0xd6e4ff)],
        },
    }
}

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

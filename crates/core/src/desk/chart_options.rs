//! A chart's size and theme as the Desk's callers give them. Mapped onto the charts crate
//! here, so neither door names a drawing type.

use serde::{Deserialize, Serialize};

/// Light or dark colours for a drawn chart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChartTheme {
    #[default]
    Light,
    Dark,
}

/// Size in pixels and theme of a chart (and of a PNG export).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChartOptions {
    pub width: u32,
    pub height: u32,
    #[serde(default)]
    pub theme: ChartTheme,
}

impl Default for ChartOptions {
    fn default() -> Self {
        let drawing = occudesk_charts::ChartOptions::default();
        ChartOptions {
            width: drawing.width,
            height: drawing.height,
            theme: ChartTheme::default(),
        }
    }
}

impl From<ChartOptions> for occudesk_charts::ChartOptions {
    fn from(options: ChartOptions) -> Self {
        occudesk_charts::ChartOptions {
            width: options.width,
            height: options.height,
            theme: match options.theme {
                ChartTheme::Light => occudesk_charts::Theme::Light,
                ChartTheme::Dark => occudesk_charts::Theme::Dark,
            },
        }
    }
}

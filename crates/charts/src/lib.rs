//! Occupancy Desk charts: pure functions from data to SVG (plotters) and PNG (resvg).
//!
//! Everything here is data in, SVG out: no network, no secrets, no dependency on the app's
//! core. Input structs deserialize from the window's JSON (camelCase); every chart also
//! returns a *hover map* (pixel positions of what was drawn) so the window can show a
//! tooltip without parsing the SVG.
//!
//! Time axes are drawn on the continuous UTC instant axis (a DST day is 23 or 25 hours wide,
//! with no gap and no overlap), while tick positions and labels are computed in the
//! time zone the caller names (the building's, or the viewer's), on a 24- or 12-hour clock
//! (see [`ticks`]).
//!
//! Bad input never panics: missing, NaN and infinite values are left out (they break a line),
//! an empty range draws "No data in this range", and what cannot be drawn at all (an unknown
//! time zone, an absurd size, too many series) is a [`ChartError`].

pub mod bars;
pub mod downsample;
pub mod error;
pub mod forecast;
pub mod heatmap;
mod multiples;
mod paths;
pub mod png;
pub mod portfolio;
pub mod theme;
pub mod ticks;
pub mod timeseries;

mod draw;

pub use bars::{Bar, BarChart, BarChartInput, BarHover, render_bar_chart};
pub use downsample::{Point, downsample_min_max};
pub use error::ChartError;
pub use forecast::{BandHover, ForecastBand, ForecastChart, ForecastInput, render_forecast};
pub use heatmap::{HeatmapCell, HeatmapChart, HeatmapInput, render_heatmap};
pub use paths::escape;
pub use png::svg_to_png;
pub use portfolio::{
    PointHover, SpacePoint, SpaceUseChart, SpaceUseInput, SurplusBar, SurplusInput,
    render_space_use, render_surplus_ranking,
};
pub use theme::{ChartOptions, Theme};
pub use ticks::{
    Clock, Tick, TickStep, choose_step, ticks_with_step, ticks_with_step_on, time_ticks,
    time_ticks_on,
};
pub use timeseries::{
    Band, BandPoint, CapacityLine, ComparisonInput, ComparisonSeries, HoverMarker, HoverPoint,
    MAX_COMPARED_SERIES, Marker, PlotArea, Series, SeriesStyle, TimeSeriesChart, TimeSeriesHover,
    TimeSeriesInput, render_comparison, render_time_series,
};

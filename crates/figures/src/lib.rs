//! Insight series in building-local time: timestamp parsing and local-day arithmetic, the
//! typed result of a fetch, its CSV export, and the figures defined on it (summary, weekday ×
//! hour grid, capacity planning, anomalies), and how times are shown (building zone or this
//! computer's, 24- or 12-hour clock).

pub mod anomalies;
pub mod columns;
pub mod csv;
pub mod daily;
pub mod definitions;
pub mod forecast;
pub mod heatmap;
pub mod planning;
pub mod portfolio;
pub mod result;
pub mod shown;
pub mod stats;
pub mod summed;
pub mod time;
pub mod whatif;

pub use result::{InsightResult, InsightRow, ResultSource};

//! Insight series in building-local time: timestamp parsing and local-day arithmetic, the
//! typed result of a fetch, its CSV export, and the figures defined on it (summary, weekday ×
//! hour grid, capacity planning, anomalies).

pub mod anomalies;
pub mod csv;
pub mod heatmap;
pub mod planning;
pub mod result;
pub mod stats;
pub mod time;

pub use result::{InsightResult, InsightRow, ResultSource};

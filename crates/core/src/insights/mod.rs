//! Insight series in building-local time: timestamp parsing and local-day arithmetic, the
//! typed result of a fetch, and its CSV export. (Stats, heatmaps and downsampling come later.)

pub mod csv;
pub mod result;
pub mod time;

pub use result::{InsightResult, InsightRow, ResultSource};

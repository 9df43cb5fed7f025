//! The columns the figures read, by name (v2 `OCCUPANCY_MEAN` and v1 `occupancy_mean` alike),
//! and which column a peak is read from. Every figure module takes its column names from here.

use serde::Serialize;

use super::InsightResult;

/// Mean occupancy of a period.
pub const MEAN_COLUMN: &str = "OCCUPANCY_MEAN";
/// Peak occupancy of a period.
pub const MAX_COLUMN: &str = "OCCUPANCY_MAX";

/// The peak of a summed view: for each period, the largest hourly sum of the zones' means
/// within it.
pub const SUMMED_PEAK_COLUMN: &str = "PEAK_HOUR_SUM_OF_ZONE_MEANS";

/// The index of a column, ignoring case.
pub fn column_index(result: &InsightResult, name: &str) -> Option<usize> {
    result
        .columns
        .iter()
        .position(|c| c.trim().eq_ignore_ascii_case(name))
}

/// A row's value in a column, when it is a real number.
pub fn value_at(values: &[Option<f64>], index: usize) -> Option<f64> {
    values
        .get(index)
        .copied()
        .flatten()
        .filter(|v| v.is_finite())
}

/// The column a peak is read from: `OCCUPANCY_MAX`; for a sum of zones the busiest hour of
/// their summed means ([`SUMMED_PEAK_COLUMN`]); or `OCCUPANCY_MEAN` where the table has no
/// max (v1 names in lower case count too). See [`PeakBasis`].
pub fn peak_column(result: &InsightResult) -> Option<usize> {
    PeakBasis::of(result).map(|(_, index)| index)
}

/// What a peak figure is, so every figure can say so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeakBasis {
    /// The largest `OCCUPANCY_MAX` the service published for a period.
    OccupancyMax,
    /// A sum of zones: the busiest hour of the zones' summed means.
    HourlySumOfZoneMeans,
    /// The table has no max column: the largest period mean.
    OccupancyMean,
}

impl PeakBasis {
    /// The basis of `result`'s peaks and the column they are read from.
    pub fn of(result: &InsightResult) -> Option<(PeakBasis, usize)> {
        [
            (PeakBasis::OccupancyMax, MAX_COLUMN),
            (PeakBasis::HourlySumOfZoneMeans, SUMMED_PEAK_COLUMN),
            (PeakBasis::OccupancyMean, MEAN_COLUMN),
        ]
        .into_iter()
        .find_map(|(basis, column)| Some((basis, column_index(result, column)?)))
    }

    /// In words, for labels.
    pub fn label(self) -> &'static str {
        match self {
            PeakBasis::OccupancyMax => "highest period peak",
            PeakBasis::HourlySumOfZoneMeans => "peak hour, sum of zone means",
            PeakBasis::OccupancyMean => "highest period mean (no peak column)",
        }
    }
}

//! A row as the service answered it, before pivoting: what the fetch engine parses and the
//! cache keeps, so a view rebuilt from the cache goes through the same merge as a fetched one.

use chrono::{DateTime, Utc};
use serde_json::Value;

/// One answer row, before pivoting.
#[derive(Clone, Debug)]
pub struct RawRow {
    pub start: DateTime<Utc>,
    pub partition: Option<i64>,
    pub building_id: i64,
    pub site_id: Option<i64>,
    pub zone_id: Option<i64>,
    pub zone_type: Option<String>,
    /// v1 rows fetched without a group filter: the row's `group_id` (rows of different groups
    /// are never merged). `None` when the query filtered on a group.
    pub group_id: Option<String>,
    /// Wide rows: one value per requested metric column.
    pub values: Vec<Option<f64>>,
    /// Long rows: the metric or feature name and its value.
    pub named: Option<(String, Value)>,
}

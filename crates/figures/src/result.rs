//! The typed result of an insight fetch, ready to send to the window (camelCase JSON).

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;

/// One period of one entity: its start in UTC and in building-local time, and one value per
/// column of [`InsightResult::columns`] (`None` where the API had no value).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InsightRow {
    pub start_utc: DateTime<Utc>,
    /// The same instant in the building's zone, with its offset (e.g. `-05:00` in summer).
    pub start_local: DateTime<FixedOffset>,
    /// The local start date as `YYYYMMDD` (the API's `DATE_PARTITION`).
    pub date_partition: i64,
    pub building_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_type: Option<String>,
    pub values: Vec<Option<f64>>,
}

impl InsightRow {
    /// What identifies a row: the entity and the period start. Used to drop duplicates
    /// (chunks and pages may overlap on a server that shifts rows between requests).
    pub fn key(&self) -> (i64, i64, Option<i64>, Option<i64>, Option<&str>) {
        (
            self.start_utc.timestamp_millis(),
            self.building_id,
            self.site_id,
            self.zone_id,
            self.zone_type.as_deref(),
        )
    }
}

/// Every row of one query, sorted by start then entity, without duplicates.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InsightResult {
    /// IANA zone the local times are in, e.g. `America/Chicago`.
    pub time_zone: String,
    /// False when the zone could not be learned (v1 connections whose period starts match no
    /// zone): times are then shown in UTC and the window should say so.
    pub time_zone_known: bool,
    /// Table queried, e.g. `BUILDING_INSIGHTS` or `building_metrics`.
    pub table: String,
    /// ISO 8601 duration, e.g. `PT1H`.
    pub granularity: String,
    /// Metric (or feature) names, in the order of every row's `values`.
    pub columns: Vec<String>,
    pub rows: Vec<InsightRow>,
    /// The group the rows are of: the one asked for, or (v1 with none chosen) the one found in
    /// the answer. `None`: a v1 answer without group ids.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// A sentence for the window when there is something to know about an otherwise
    /// successful result, e.g. "No data for Chicago Loop HQ from … to … by hour. …"
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// GraphQL requests this fetch sent (pages and verification requests included).
    pub requests: u32,
    /// Date chunks the range was split into (of the days that were fetched).
    pub chunks: u32,
    /// Which days came from the local cache, and whether the service was reached at all.
    pub source: ResultSource,
}

/// Where a result's rows came from.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultSource {
    /// The service could not be reached and every day came from the local cache (some may be
    /// recent days that the service could still change); `notice` says so.
    pub offline: bool,
    /// Offline: when the oldest of the days shown was fetched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fetched_at: Option<DateTime<Utc>>,
    /// Local days read from the cache.
    pub days_from_cache: u32,
    /// Local days asked of the service.
    pub days_fetched: u32,
}

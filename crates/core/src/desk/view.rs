//! A loaded view: what was asked, and everything its tabs are drawn from; with what the
//! window learns about it and a page of its table. Filled by `views`, read by `figures`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::Result;
use crate::innerspace::{BuildingDetail, InsightQuery};
use crate::insights::anomalies::Anomaly;
use crate::insights::{InsightResult, InsightRow, ResultSource};

/// The most rows one page of a view's table carries to the window.
pub const MAX_PAGE_ROWS: usize = 500;

/// A view in memory: what was asked, and everything its tabs are drawn from.
pub struct LoadedView {
    pub(crate) id: String,
    pub(crate) connection_id: String,
    /// The query as loaded, its metric set canonical (the pick, the mean and the peak).
    pub(crate) query: InsightQuery,
    pub(crate) detail: Arc<BuildingDetail>,
    pub(crate) fetched_at: DateTime<Utc>,
    /// The rows of the range, as the table shows them.
    pub(crate) rows: Arc<InsightResult>,
    /// The rows as one series: `rows` itself for one entity, else the sum of its zones with
    /// each period's peak as `insights::summed` defines it.
    pub(crate) series: Arc<InsightResult>,
    /// Unusual working days, or why they could not be judged.
    pub(crate) anomalies: Result<Vec<Anomaly>>,
    /// Every zone of the building (or the picked site), for Compare and the ranking.
    pub(crate) zones: Result<Arc<InsightResult>>,
    /// Every zone type of the building (v2), for Planning's table by zone type.
    pub(crate) zone_types: Result<Arc<InsightResult>>,
    /// v1 `weekly_frequency_dist`, for the Visits tab.
    pub(crate) weekly: Result<Arc<InsightResult>>,
    /// Counters of every request the view's fetch sent, its parts added up.
    pub(crate) requests: u32,
    /// Rows held in memory by this view (what the budget counts).
    pub(crate) held_rows: u64,
}

/// What the window learns about a loaded view: small, whatever its size.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewInfo {
    pub id: String,
    /// What the view covers: building, filters, granularity, range and metric set.
    pub scope: InsightQuery,
    pub table: String,
    pub granularity: String,
    pub columns: Vec<String>,
    /// Rows of the table (the range's rows as the service answered them).
    pub rows: usize,
    pub time_zone: String,
    pub time_zone_known: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// Insight requests this load sent, every part included (0 when it was answered from
    /// memory or the cache).
    pub requests: u32,
    /// Rows the view keeps in memory, its parts included: what the row budget counts.
    pub held_rows: u64,
    pub provenance: Provenance,
}

/// Where a view's rows came from, and when.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Provenance {
    pub connection_id: String,
    pub fetched_at: DateTime<Utc>,
    /// Every row came from this computer: its cache, memory (a view loaded again), or the
    /// cache standing in for a service that cannot be reached (`offline`).
    pub from_cache: bool,
    /// The service could not be reached: the rows are what this computer kept.
    pub offline: bool,
    pub source: ResultSource,
}

/// One page of a view's table.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RowsPage {
    pub offset: usize,
    pub total: usize,
    pub columns: Vec<String>,
    pub rows: Vec<InsightRow>,
}

impl LoadedView {
    pub fn info(&self) -> ViewInfo {
        let r = &self.rows;
        ViewInfo {
            id: self.id.clone(),
            scope: self.query.clone(),
            table: r.table.clone(),
            granularity: r.granularity.clone(),
            columns: r.columns.clone(),
            rows: r.rows.len(),
            time_zone: r.time_zone.clone(),
            time_zone_known: r.time_zone_known,
            group_id: r.group_id.clone(),
            notice: r.notice.clone(),
            requests: self.requests,
            held_rows: self.held_rows,
            provenance: Provenance {
                connection_id: self.connection_id.clone(),
                fetched_at: self.fetched_at,
                from_cache: self.requests == 0 || r.source.offline,
                offline: r.source.offline,
                source: r.source.clone(),
            },
        }
    }

    /// The table's rows from `offset`, at most `limit` (and at most [`MAX_PAGE_ROWS`]).
    pub fn page(&self, offset: usize, limit: usize) -> RowsPage {
        let all = &self.rows.rows;
        let start = offset.min(all.len());
        let end = start
            .saturating_add(limit.min(MAX_PAGE_ROWS))
            .min(all.len());
        RowsPage {
            offset: start,
            total: all.len(),
            columns: self.rows.columns.clone(),
            rows: all[start..end].to_vec(),
        }
    }
}

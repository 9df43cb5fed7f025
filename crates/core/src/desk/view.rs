//! A loaded view: what was asked, and everything its tabs are drawn from; with what the
//! window learns about it and a page of its table. Filled by `views`, read by `figures`.

use std::cmp::Ordering;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::innerspace::{BuildingDetail, InsightQuery};
use crate::insights::anomalies::Anomaly;
use crate::insights::{InsightResult, InsightRow, ResultSource};
use crate::{Error, Result};

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
    /// The table's last order other than time, kept while the analyst pages through it.
    pub(crate) order: Mutex<Option<(RowSort, Arc<Vec<usize>>)>>,
}

/// What a view's table is ordered by (its column headings).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RowSortKey {
    /// The periods' start, as the service answered them (the default).
    #[default]
    Time,
    /// The zone's name, else the zone type, else the site: which part of the building.
    Where,
    /// The value column `RowSort::column`.
    Value,
}

/// The table's order: a key, ascending or descending. Ties keep time order; a missing value
/// goes last either way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowSort {
    pub by: RowSortKey,
    /// For [`RowSortKey::Value`]: the index in the page's `columns`.
    #[serde(default)]
    pub column: usize,
    #[serde(default)]
    pub descending: bool,
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

    /// The table's rows from `offset`, at most `limit` (and at most [`MAX_PAGE_ROWS`]), in
    /// `sort`'s order (time as answered when `None`).
    pub fn page(&self, offset: usize, limit: usize, sort: Option<RowSort>) -> Result<RowsPage> {
        let all = &self.rows.rows;
        let start = offset.min(all.len());
        let end = start
            .saturating_add(limit.min(MAX_PAGE_ROWS))
            .min(all.len());
        let rows = match sort.filter(|s| *s != RowSort::default()) {
            None => all[start..end].to_vec(),
            Some(sort) => {
                let order = self.order(sort)?;
                order[start..end].iter().map(|&i| all[i].clone()).collect()
            }
        };
        Ok(RowsPage {
            offset: start,
            total: all.len(),
            columns: self.rows.columns.clone(),
            rows,
        })
    }

    /// The row indices in `sort`'s order: computed once per order, then reused page by page.
    fn order(&self, sort: RowSort) -> Result<Arc<Vec<usize>>> {
        if sort.by == RowSortKey::Value && sort.column >= self.rows.columns.len() {
            return Err(Error::invalid(
                "sort",
                "The table has no such column to sort by.",
            ));
        }
        let mut kept = self.order.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((kept_sort, order)) = kept.as_ref()
            && *kept_sort == sort
        {
            return Ok(order.clone());
        }
        let order = Arc::new(sorted(&self.rows.rows, &self.detail, sort));
        *kept = Some((sort, order.clone()));
        Ok(order)
    }
}

/// Indices of `rows` in `sort`'s order: ties in time order (then as answered), and missing
/// values last whichever the direction.
fn sorted(rows: &[InsightRow], detail: &BuildingDetail, sort: RowSort) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let direct = |o: Ordering| if sort.descending { o.reverse() } else { o };
    let earlier = |a: usize, b: usize| rows[a].start_utc.cmp(&rows[b].start_utc);
    match sort.by {
        RowSortKey::Time => {
            order.sort_by(|&a, &b| direct(rows[a].start_utc.cmp(&rows[b].start_utc)))
        }
        RowSortKey::Where => {
            let names: Vec<String> = rows.iter().map(|r| place_name(r, detail)).collect();
            order.sort_by(|&a, &b| direct(names[a].cmp(&names[b])).then(earlier(a, b)));
        }
        RowSortKey::Value => {
            let value = |i: usize| {
                rows[i]
                    .values
                    .get(sort.column)
                    .copied()
                    .flatten()
                    .filter(|v| v.is_finite())
            };
            order.sort_by(|&a, &b| match (value(a), value(b)) {
                (Some(x), Some(y)) => direct(x.total_cmp(&y)).then(earlier(a, b)),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => earlier(a, b),
            });
        }
    }
    order
}

/// What "where" sorts by: the zone's name, else the zone type, else the site (by id: sites
/// have no name of their own).
fn place_name(row: &InsightRow, detail: &BuildingDetail) -> String {
    if let Some(zone) = row.zone_id {
        return detail
            .zones
            .iter()
            .find(|z| z.id == zone)
            .and_then(|z| z.name.clone())
            .unwrap_or_else(|| zone.to_string());
    }
    if let Some(zone_type) = &row.zone_type {
        return zone_type.clone();
    }
    row.site_id.map(|s| format!("{s:020}")).unwrap_or_default()
}

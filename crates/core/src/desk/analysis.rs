//! Planning and anomalies through the desk: the rows they need (peak and mean columns, eight
//! weeks of history), the capacity of what was picked, and the figures from `insights`.

use chrono::Datelike;

use super::Desk;
use crate::innerspace::{BuildingDetail, Granularity, InsightQuery, InsightTable};
use crate::insights::InsightResult;
use crate::insights::anomalies::{self, Anomaly};
use crate::insights::planning::{self, Plan};
use crate::insights::stats::MEAN_COLUMN;
use crate::insights::summed;
use crate::{Error, Result};

/// The capacity of what a query covers: a zone's CAPACITY, the sum over a site's zones, or
/// the building's (the sum over all its zones); a zone type's is the sum over zones of that type.
pub fn capacity_of(detail: &BuildingDetail, query: &InsightQuery) -> Option<f64> {
    if let Some(zone) = query.zone_id {
        return detail.zones.iter().find(|z| z.id == zone)?.capacity;
    }
    if let Some(zone_type) = query.zone_type.as_deref() {
        return zone_type_capacity(detail, zone_type);
    }
    if let Some(site) = query.site_id {
        return sum(detail
            .zones
            .iter()
            .filter(|z| z.site_id == Some(site))
            .filter_map(|z| z.capacity));
    }
    detail.capacity
}

fn zone_type_capacity(detail: &BuildingDetail, zone_type: &str) -> Option<f64> {
    sum(detail
        .zones
        .iter()
        .filter(|z| z.zone_type.as_deref() == Some(zone_type))
        .filter_map(|z| z.capacity))
}

fn sum(values: impl Iterator<Item = f64>) -> Option<f64> {
    values.fold(None, |acc, v| Some(acc.unwrap_or(0.0) + v))
}

impl Desk {
    /// Capacity planning for what `query` covers. With a v2 `ZONE_TYPE_INSIGHTS` query and no
    /// zone type, one plan per zone type, ranked by surplus.
    pub async fn plan(
        &self,
        connection_id: &str,
        query: &InsightQuery,
        buffer: f64,
    ) -> Result<Vec<Plan>> {
        if !(0.0..=10.0).contains(&buffer) {
            return Err(Error::invalid(
                "buffer",
                "The buffer is a fraction between 0 and 10 (0.1 = 10 % on top of the 90th percentile).",
            ));
        }
        let (result, detail) = self
            .rows_with(connection_id, query, &["MAX", "MEAN"])
            .await?;
        if query.table == InsightTable::ZoneTypeInsights && query.zone_type.is_none() {
            return Ok(planning::plans_by_zone_type(
                &result,
                |t| zone_type_capacity(&detail, t),
                buffer,
            ));
        }
        let capacity = capacity_of(&detail, query);
        let series = self.one_series(connection_id, query, result).await?;
        Ok(vec![planning::plan(&series, capacity, buffer)])
    }

    /// Unusual working days in `query`'s range, judged against the same weekday in the eight
    /// weeks before each (fetched automatically).
    pub async fn anomalies(
        &self,
        connection_id: &str,
        query: &InsightQuery,
    ) -> Result<Vec<Anomaly>> {
        let with_history = InsightQuery {
            from: anomalies::history_start(query.from),
            ..query.clone()
        };
        let (result, _) = self
            .rows_with(connection_id, &with_history, &["MEAN"])
            .await?;
        // Anomalies read means only, and means add up.
        Ok(anomalies::anomalies(
            &summed::sum_of_zones(&result, None),
            query.from,
            query.to,
        ))
    }

    /// `result` (the rows of `query`) as one series: as it is when it is of one entity; else
    /// the sum of its zones, with each period's peak from the same zones by the hour (fetched
    /// when `query` is not hourly), as `insights::summed` defines it.
    pub(super) async fn one_series(
        &self,
        connection_id: &str,
        query: &InsightQuery,
        result: InsightResult,
    ) -> Result<InsightResult> {
        if !summed::is_sum(&result) {
            return Ok(result);
        }
        // Hourly and quarter-hourly sums are their own basis: their finest periods.
        if matches!(query.granularity, Granularity::Pt1h | Granularity::Pt15m) {
            return Ok(summed::sum_of_zones(&result, Some(&result)));
        }
        let available = self.metrics(connection_id, query.table).await?;
        let Some(mean) = available
            .iter()
            .find(|a| a.eq_ignore_ascii_case(MEAN_COLUMN))
        else {
            return Ok(summed::sum_of_zones(&result, None));
        };
        // Every hour of every period: a week or month that starts in the range may end after it.
        let to = match query.granularity {
            Granularity::P1w => query.to + chrono::Duration::days(6),
            Granularity::P1m => query
                .to
                .with_day(1)
                .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
                .and_then(|next| next.pred_opt())
                .unwrap_or(query.to),
            _ => query.to,
        };
        let hourly_query = InsightQuery {
            granularity: Granularity::Pt1h,
            metrics: vec![mean.clone()],
            to,
            ..query.clone()
        };
        let (hourly, _) = self.rows_and_building(connection_id, &hourly_query).await?;
        Ok(summed::sum_of_zones(&result, Some(&hourly)))
    }

    /// Fetches `query` with the occupancy columns whose names end in each of `wanted` (v2
    /// `OCCUPANCY_MAX`, v1 `occupancy_max`, …) that the table has.
    async fn rows_with(
        &self,
        connection_id: &str,
        query: &InsightQuery,
        wanted: &[&str],
    ) -> Result<(InsightResult, std::sync::Arc<BuildingDetail>)> {
        let available = self.metrics(connection_id, query.table).await?;
        let metrics: Vec<String> = wanted
            .iter()
            .filter_map(|w| {
                available
                    .iter()
                    .find(|a| a.eq_ignore_ascii_case(&format!("OCCUPANCY_{w}")))
                    .cloned()
            })
            .collect();
        if metrics.is_empty() {
            return Err(Error::invalid(
                "metrics",
                format!(
                    "{} has no OCCUPANCY_MEAN or OCCUPANCY_MAX column on this connection.",
                    query.table
                ),
            ));
        }
        let query = InsightQuery {
            metrics,
            ..query.clone()
        };
        let (result, detail) = self.rows_and_building(connection_id, &query).await?;
        Ok(((*result).clone(), detail))
    }
}

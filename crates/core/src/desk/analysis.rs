//! Planning and anomalies through the desk: the rows they need (peak and mean columns, eight
//! weeks of history), the capacity of what was picked, and the figures from `insights`.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use super::Desk;
use crate::innerspace::{BuildingDetail, InsightQuery, InsightTable};
use crate::insights::anomalies::{self, Anomaly};
use crate::insights::planning::{self, Plan};
use crate::insights::{InsightResult, InsightRow};
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

/// Rows of several zones (a v2 site is read as every zone of it) added up per period, so a
/// site's occupancy is the sum of its zones'. Rows of one entity come back unchanged.
pub fn total_per_period(result: &InsightResult) -> InsightResult {
    let mut by_start: BTreeMap<i64, InsightRow> = BTreeMap::new();
    for row in &result.rows {
        match by_start.entry(row.start_utc.timestamp_millis()) {
            Entry::Vacant(slot) => {
                slot.insert(InsightRow {
                    zone_id: None,
                    ..row.clone()
                });
            }
            Entry::Occupied(mut slot) => {
                for (total, value) in slot.get_mut().values.iter_mut().zip(&row.values) {
                    if let Some(v) = value {
                        *total = Some(total.unwrap_or(0.0) + v);
                    }
                }
            }
        }
    }
    InsightResult {
        rows: by_start.into_values().collect(),
        ..result.clone()
    }
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
        Ok(vec![planning::plan(
            &total_per_period(&result),
            capacity,
            buffer,
        )])
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
        Ok(anomalies::anomalies(
            &total_per_period(&result),
            query.from,
            query.to,
        ))
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

#[cfg(test)]
mod tests {
    use chrono_tz::America::Chicago;

    use super::*;
    use crate::insights::planning::fixtures::result;

    #[test]
    fn zones_of_a_site_add_up_per_period() {
        let mut r = result(
            Chicago,
            &["OCCUPANCY_MEAN", "OCCUPANCY_MAX"],
            &[
                ((2026, 3, 2), 9, vec![Some(1.0), Some(2.0)]),
                ((2026, 3, 2), 9, vec![Some(3.0), None]),
                ((2026, 3, 2), 10, vec![Some(5.0), Some(6.0)]),
            ],
        );
        r.rows[0].zone_id = Some(1);
        r.rows[1].zone_id = Some(2);
        r.rows[2].zone_id = Some(1);
        let total = total_per_period(&r);
        assert_eq!(total.rows.len(), 2);
        assert_eq!(total.rows[0].values, vec![Some(4.0), Some(2.0)]);
        assert_eq!(total.rows[1].values, vec![Some(5.0), Some(6.0)]);
        assert_eq!(total.rows[0].zone_id, None);
    }
}

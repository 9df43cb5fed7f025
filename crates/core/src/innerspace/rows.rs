//! Turning answer rows into [`InsightRow`]s: parsing, pivoting v1's long rows (one per period
//! and metric name) into one column per metric, de-duplicating and sorting.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::Value;

use super::query::InsightTable;
use crate::insights::InsightRow;
use crate::insights::time::{date_partition, local_date, parse_utc, to_local};
use crate::{Error, Result};

/// One answer row, before pivoting.
#[derive(Clone, Debug)]
pub struct RawRow {
    pub start: DateTime<Utc>,
    pub partition: Option<i64>,
    pub building_id: i64,
    pub site_id: Option<i64>,
    pub zone_id: Option<i64>,
    pub zone_type: Option<String>,
    /// Wide rows: one value per requested metric column.
    pub values: Vec<Option<f64>>,
    /// Long rows: the metric or feature name and its value.
    pub named: Option<(String, Value)>,
}

fn int(row: &Value, key: &str) -> Option<i64> {
    let v = row.get(key)?;
    v.as_i64().or_else(|| v.as_f64().map(|f| f as i64))
}

/// Numbers, and numbers sent as strings (Postgres `numeric` often is).
fn number(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Parses one page. `metrics` are the v2 metric columns requested (ignored for v1).
pub fn parse_page(
    table: InsightTable,
    metrics: &[String],
    rows: Vec<Value>,
    host: &str,
) -> Result<Vec<RawRow>> {
    let v2 = !table.is_long();
    let key = |upper: &'static str, lower: &'static str| if v2 { upper } else { lower };
    let bad = |what: &str| Error::UnexpectedResponse {
        host: host.to_owned(),
        what: format!("insight rows {what}"),
    };
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let start = row
            .get(key("DATE_TIME_START", "date_time_start"))
            .and_then(Value::as_str)
            .and_then(parse_utc)
            .ok_or_else(|| bad("without a readable start time"))?;
        let building_id = int(&row, key("BUILDING_ID", "building_id"))
            .ok_or_else(|| bad("without a building id"))?;
        let values = if v2 {
            metrics
                .iter()
                .map(|m| number(row.get(m.as_str())))
                .collect()
        } else {
            Vec::new()
        };
        let named = if v2 {
            None
        } else {
            let (n, v) = if table.is_features() {
                ("feature_name", "feature_value")
            } else {
                ("metric_name", "metric_value")
            };
            let name = row
                .get(n)
                .and_then(Value::as_str)
                .ok_or_else(|| bad("without a metric name"))?;
            Some((name.to_owned(), row.get(v).cloned().unwrap_or(Value::Null)))
        };
        out.push(RawRow {
            start,
            partition: if v2 {
                int(&row, "DATE_PARTITION")
            } else {
                None
            },
            building_id,
            site_id: int(&row, key("SITE_ID", "site_id")),
            zone_id: int(&row, key("ZONE_ID", "zone_id")),
            zone_type: row
                .get("ZONE_TYPE")
                .and_then(Value::as_str)
                .map(str::to_owned),
            values,
            named,
        });
    }
    Ok(out)
}

fn base_row(raw: &RawRow, tz: Tz, width: usize) -> InsightRow {
    InsightRow {
        start_utc: raw.start,
        start_local: to_local(raw.start, tz),
        date_partition: raw
            .partition
            .unwrap_or_else(|| date_partition(local_date(raw.start, tz))),
        building_id: raw.building_id,
        site_id: raw.site_id,
        zone_id: raw.zone_id,
        zone_type: raw.zone_type.clone(),
        values: vec![None; width],
    }
}

/// Merges the rows of every chunk: one row per entity and start, sorted by start then
/// entity. Returns the columns and the rows.
pub fn merge(
    table: InsightTable,
    metrics: &[String],
    tz: Tz,
    raw: Vec<RawRow>,
) -> (Vec<String>, Vec<InsightRow>) {
    let (columns, mut rows) = if !table.is_long() {
        let rows = raw
            .into_iter()
            .map(|r| {
                let mut row = base_row(&r, tz, 0);
                row.values = r.values;
                row
            })
            .collect();
        (metrics.to_vec(), rows)
    } else {
        pivot(table, metrics, tz, raw)
    };
    rows.sort_by(|a, b| a.key().cmp(&b.key()));
    rows.dedup_by(|a, b| a.key() == b.key());
    (columns, rows)
}

/// Long rows → one row per entity and start, one column per metric (or per numeric member
/// of a feature's JSON object, named `feature.key`).
fn pivot(
    table: InsightTable,
    names: &[String],
    tz: Tz,
    raw: Vec<RawRow>,
) -> (Vec<String>, Vec<InsightRow>) {
    let columns: Vec<String> = if table.is_features() {
        feature_columns(names, &raw)
    } else {
        names.to_vec()
    };
    let index: BTreeMap<&str, usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    type Key = (i64, i64, Option<i64>, Option<i64>);
    let mut by: BTreeMap<Key, InsightRow> = BTreeMap::new();
    for r in &raw {
        let key = (
            r.start.timestamp_millis(),
            r.building_id,
            r.site_id,
            r.zone_id,
        );
        let row = by
            .entry(key)
            .or_insert_with(|| base_row(r, tz, columns.len()));
        let Some((name, value)) = &r.named else {
            continue;
        };
        match value {
            Value::Object(members) => {
                for (k, v) in members {
                    if let Some(&i) = index.get(format!("{name}.{k}").as_str()) {
                        row.values[i] = number(Some(v));
                    }
                }
            }
            other => {
                if let Some(&i) = index.get(name.as_str()) {
                    row.values[i] = number(Some(other));
                }
            }
        }
    }
    (columns, by.into_values().collect())
}

/// Column names of features: the feature itself when its value is a number, `feature.key`
/// for each numeric member when it is an object. In request order, members in natural order
/// ("2" before "10").
fn feature_columns(names: &[String], raw: &[RawRow]) -> Vec<String> {
    let mut members: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for r in raw {
        let Some((name, value)) = &r.named else {
            continue;
        };
        let Some(pos) = names.iter().position(|n| n == name) else {
            continue;
        };
        let list = members.entry(pos).or_default();
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    if number(Some(v)).is_some() && !list.contains(k) {
                        list.push(k.clone());
                    }
                }
            }
            _ => {
                if number(Some(value)).is_some() && !list.iter().any(String::is_empty) {
                    list.push(String::new());
                }
            }
        }
    }
    let mut out = Vec::new();
    for (pos, mut keys) in members {
        keys.sort_by(|a, b| match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => x.total_cmp(&y),
            _ => a.cmp(b),
        });
        for k in keys {
            out.push(if k.is_empty() {
                names[pos].clone()
            } else {
                format!("{}.{k}", names[pos])
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_rows_pivot_and_duplicates_go() {
        let rows = vec![
            json!({"date_time_start": "2025-01-02T06:00:00Z", "building_id": 71, "metric_name": "b", "metric_value": 2.0}),
            json!({"date_time_start": "2025-01-01T06:00:00.000Z", "building_id": 71, "metric_name": "a", "metric_value": 1.0}),
            json!({"date_time_start": "2025-01-01T06:00:00+00:00", "building_id": 71, "metric_name": "b", "metric_value": "3"}),
            json!({"date_time_start": "2025-01-02T06:00:00Z", "building_id": 71, "metric_name": "b", "metric_value": 2.0}),
        ];
        let names = vec!["a".to_owned(), "b".to_owned()];
        let raw = parse_page(InsightTable::BuildingMetrics, &names, rows, "h").unwrap();
        let (cols, out) = merge(
            InsightTable::BuildingMetrics,
            &names,
            chrono_tz::America::Chicago,
            raw,
        );
        assert_eq!(cols, names);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].values, [Some(1.0), Some(3.0)]);
        assert_eq!(out[0].date_partition, 20250101);
        assert_eq!(out[1].values, [None, Some(2.0)]);
    }

    #[test]
    fn features_become_numeric_member_columns() {
        let rows = vec![
            json!({"date_time_start": "2025-01-06T06:00:00Z", "building_id": 71, "feature_name": "weekly_frequency_dist",
            "feature_value": {"10": 0.1, "2": 0.5, "1": 0.4, "note": "x"}}),
        ];
        let names = vec!["weekly_frequency_dist".to_owned()];
        let raw = parse_page(InsightTable::BuildingFeatures, &names, rows, "h").unwrap();
        let (cols, out) = merge(
            InsightTable::BuildingFeatures,
            &names,
            chrono_tz::America::Chicago,
            raw,
        );
        assert_eq!(
            cols,
            [
                "weekly_frequency_dist.1",
                "weekly_frequency_dist.2",
                "weekly_frequency_dist.10"
            ]
        );
        assert_eq!(out[0].values, [Some(0.4), Some(0.5), Some(0.1)]);
    }

    #[test]
    fn rows_without_a_start_are_an_unexpected_answer() {
        let err = parse_page(
            InsightTable::BuildingInsights,
            &[],
            vec![json!({"BUILDING_ID": 71})],
            "h",
        )
        .unwrap_err();
        assert_eq!(err.code(), "api.unexpected_response");
    }
}

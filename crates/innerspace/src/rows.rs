//! Turning answer rows into [`InsightRow`]s: parsing, keeping v1 groups apart, pivoting v1's
//! long rows (one per period and metric name) into one column per metric, de-duplicating and
//! sorting.

use std::collections::BTreeMap;

use chrono_tz::Tz;
use serde_json::Value;

use super::query::InsightTable;
use super::value::{int, number, text};
use occudesk_figures::InsightRow;
use occudesk_figures::time::{date_partition, local_date, parse_utc, to_local};
use occudesk_net::{Error, Result};
pub use occudesk_store::cache::RawRow;

/// The rows of one query, merged.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    pub columns: Vec<String>,
    pub rows: Vec<InsightRow>,
    /// v1 without a chosen group: the group the rows were found to be of.
    pub group_id: Option<String>,
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
            zone_type: text(&row, "ZONE_TYPE"),
            group_id: if v2 { None } else { text(&row, "group_id") },
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
/// entity, all of one group (see [`one_group`]).
pub fn merge(table: InsightTable, metrics: &[String], tz: Tz, raw: Vec<RawRow>) -> Result<Merged> {
    let (raw, group_id) = one_group(raw)?;
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
    Ok(Merged {
        columns,
        rows,
        group_id,
    })
}

/// v1 rows fetched without a group filter can hold several groups (the `all-…` group and
/// subsets such as `visitors-…`), whose values must never be merged (api.md §1.3). One group:
/// that is the view. Several: the `all-…` group when there is exactly one, else
/// `input.invalid` naming the groups and how to pick one.
pub fn one_group(raw: Vec<RawRow>) -> Result<(Vec<RawRow>, Option<String>)> {
    let mut groups: Vec<&str> = raw.iter().filter_map(|r| r.group_id.as_deref()).collect();
    groups.sort_unstable();
    groups.dedup();
    let chosen = match groups.as_slice() {
        [] => None,
        [only] => Some((*only).to_owned()),
        several => {
            let all: Vec<&&str> = several.iter().filter(|g| g.starts_with("all-")).collect();
            match all.as_slice() {
                [everyone] => Some((**everyone).to_owned()),
                _ => return Err(several_groups(several)),
            }
        }
    };
    let several = groups.len() > 1;
    let rows = if several {
        raw.into_iter().filter(|r| r.group_id == chosen).collect()
    } else {
        raw
    };
    Ok((rows, chosen))
}

fn several_groups(groups: &[&str]) -> Error {
    const SHOWN: usize = 8;
    // Group ids come from the server: shortened and cleaned like its messages.
    let named: Vec<String> = groups
        .iter()
        .take(SHOWN)
        .map(|g| super::graphql::shorten(g, 60))
        .collect();
    let more = match groups.len().saturating_sub(SHOWN) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    Error::invalid(
        "groupId",
        format!(
            "This building's data holds {} groups and not one single everyone (all-…) group among them: {}{more}. Choose one with the Group picker, or --group on the command line.",
            groups.len(),
            named.join(", ")
        ),
    )
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
    // The group is part of the key, although `merge` has kept only one: two groups' values
    // must never land in one row.
    type Key<'a> = (i64, i64, Option<i64>, Option<i64>, Option<&'a str>);
    let mut by: BTreeMap<Key, InsightRow> = BTreeMap::new();
    for r in &raw {
        let key = (
            r.start.timestamp_millis(),
            r.building_id,
            r.site_id,
            r.zone_id,
            r.group_id.as_deref(),
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
        let Merged {
            columns: cols,
            rows: out,
            ..
        } = merge(
            InsightTable::BuildingMetrics,
            &names,
            chrono_tz::America::Chicago,
            raw,
        )
        .unwrap();
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
        let Merged {
            columns: cols,
            rows: out,
            ..
        } = merge(
            InsightTable::BuildingFeatures,
            &names,
            chrono_tz::America::Chicago,
            raw,
        )
        .unwrap();
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

    fn grouped(group: &str, value: f64) -> Value {
        json!({"date_time_start": "2025-01-01T06:00:00Z", "building_id": 71, "group_id": group,
            "metric_name": "occupancy_mean", "metric_value": value})
    }

    fn merged(rows: Vec<Value>) -> Result<Merged> {
        let names = vec!["occupancy_mean".to_owned()];
        let raw = parse_page(InsightTable::BuildingMetrics, &names, rows, "h")?;
        merge(
            InsightTable::BuildingMetrics,
            &names,
            chrono_tz::America::Chicago,
            raw,
        )
    }

    #[test]
    fn groups_are_never_mixed() {
        // Visitors after everyone, so a merge that ignored groups would keep the visitors' value.
        let m = merged(vec![grouped("all-1", 54.8), grouped("visitors-2", 8.2)]).unwrap();
        assert_eq!(m.rows.len(), 1);
        assert_eq!(m.rows[0].values, [Some(54.8)]);
        assert_eq!(m.group_id.as_deref(), Some("all-1"));

        let m = merged(vec![grouped("visitors-2", 8.2)]).unwrap();
        assert_eq!(m.rows[0].values, [Some(8.2)]);
        assert_eq!(
            m.group_id.as_deref(),
            Some("visitors-2"),
            "one group is the view"
        );

        let err = merged(vec![grouped("staff-1", 5.0), grouped("visitors-2", 8.2)]).unwrap_err();
        assert_eq!(err.code(), "input.invalid");
        let text = err.to_string();
        assert!(
            text.contains("staff-1") && text.contains("visitors-2"),
            "{text}"
        );
        assert!(
            text.contains("--group") && text.contains("Group picker"),
            "{text}"
        );

        let m = merged(vec![grouped("all-1", 1.0), grouped("all-1", 1.0)]).unwrap();
        assert_eq!(m.rows.len(), 1);
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

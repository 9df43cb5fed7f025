//! The GraphQL text and variables of an insight query.
//!
//! The text names only our own columns and metric columns that introspection reported (and
//! that passed [`check_identifier`]); every value (building, dates, group, granularity, v1
//! metric names, limit, offset) is a declared variable. Variables are declared only when used:
//! GraphQL rejects unused ones.

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde_json::{Map, Value, json};

use super::graphql::check_identifier;
use super::plan::DateChunk;
use super::query::{InsightQuery, InsightTable, Level};
use occudesk_figures::time::{date_partition, local_day_start};
use occudesk_net::Result;

/// The alias every insight query gives its root field.
pub const ROOT: &str = "rows";

/// The alias of the probe root field: one row at offset `$probe`, to prove a page complete in
/// the same request (see [`super::paging`]).
pub const PROBE: &str = "probe";

/// A prepared query: text plus the variables shared by all its chunks.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub text: String,
    /// The same query with a second root field, `probe`.
    pub probe_text: String,
    pub variables: Map<String, Value>,
}

impl Prepared {
    /// Variables for one page of one chunk.
    pub fn page_variables(
        &self,
        table: InsightTable,
        tz: Tz,
        chunk: DateChunk,
        offset: usize,
        limit: usize,
        probe: Option<usize>,
    ) -> Value {
        let mut vars = self.variables.clone();
        if table.is_long() {
            // v1 tables have no DATE_PARTITION: the local dates become UTC instants of their
            // local midnights (a DST day is 23 or 25 hours long, never "+86 400 s").
            let next = chunk.last.succ_opt().unwrap_or(chunk.last);
            vars.insert("from".into(), json!(instant(tz, chunk.first)));
            vars.insert("to".into(), json!(instant(tz, next)));
        } else {
            vars.insert("from".into(), json!(date_partition(chunk.first)));
            vars.insert("to".into(), json!(date_partition(chunk.last)));
        }
        vars.insert("limit".into(), json!(limit));
        vars.insert("offset".into(), json!(offset));
        if let Some(at) = probe {
            vars.insert("probe".into(), json!(at));
        }
        Value::Object(vars)
    }
}

fn instant(tz: Tz, date: NaiveDate) -> String {
    local_day_start(tz, date).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Builds the query for `q`, reading `metrics` (v2 columns, or v1 metric/feature names) with
/// group filter `group` (`None` = no filter).
pub fn prepare(q: &InsightQuery, group: Option<&str>, metrics: &[String]) -> Result<Prepared> {
    let table = q.table;
    let mut decls: Vec<&str> = vec![
        "$building: Int!",
        "$granularity: String!",
        "$limit: Int!",
        "$offset: Int!",
    ];
    let mut vars = Map::new();
    vars.insert("building".into(), json!(q.building_id));
    vars.insert("granularity".into(), json!(q.granularity.as_str()));

    let v2 = !table.is_long();
    let col = |upper: &'static str, lower: &'static str| if v2 { upper } else { lower };
    let mut filters: Vec<String> = vec![
        format!("{}: {{_eq: $building}}", col("BUILDING_ID", "building_id")),
        format!(
            "{}: {{_eq: $granularity}}",
            col("GRANULARITY", "granularity")
        ),
    ];
    if v2 {
        decls.push("$from: Int!");
        decls.push("$to: Int!");
        filters.push("DATE_PARTITION: {_gte: $from, _lte: $to}".into());
    } else {
        decls.push("$from: timestamptz!");
        decls.push("$to: timestamptz!");
        filters.push("date_time_start: {_gte: $from, _lt: $to}".into());
    }
    if let Some(group) = group {
        decls.push("$group: String!");
        vars.insert("group".into(), json!(group));
        filters.push(format!("{}: {{_eq: $group}}", col("GROUP_ID", "group_id")));
    }
    if let Some(site) = q.site_id {
        decls.push("$site: Int!");
        vars.insert("site".into(), json!(site));
        filters.push(format!("{}: {{_eq: $site}}", col("SITE_ID", "site_id")));
    }
    if let Some(zone) = q.zone_id {
        decls.push("$zone: Int!");
        vars.insert("zone".into(), json!(zone));
        filters.push(format!("{}: {{_eq: $zone}}", col("ZONE_ID", "zone_id")));
    }
    if let Some(zone_type) = q
        .zone_type
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        decls.push("$zoneType: String!");
        vars.insert("zoneType".into(), json!(zone_type));
        filters.push("ZONE_TYPE: {_eq: $zoneType}".into());
    }

    // Entity columns: selected, and ordered on after the start so the order is total and
    // offset paging neither skips nor repeats rows.
    let mut entity: Vec<&str> = vec![col("BUILDING_ID", "building_id")];
    if table.has_site() {
        entity.push(col("SITE_ID", "site_id"));
    }
    match table.level() {
        Level::Zone => entity.push(col("ZONE_ID", "zone_id")),
        Level::ZoneType => entity.push("ZONE_TYPE"),
        Level::Building | Level::Site => {}
    }
    let start = col("DATE_TIME_START", "date_time_start");
    let mut order: Vec<String> = std::iter::once(start)
        .chain(entity.iter().copied())
        .map(|c| format!("{{{c}: asc}}"))
        .collect();
    let mut selection: Vec<String> = std::iter::once(start)
        .chain(entity.iter().copied())
        .map(str::to_owned)
        .collect();
    if v2 {
        selection.push("DATE_PARTITION".into());
        for m in metrics {
            selection.push(check_identifier("metrics", m)?.to_owned());
        }
    } else {
        let (name, value) = if table.is_features() {
            ("feature_name", "feature_value")
        } else {
            ("metric_name", "metric_value")
        };
        decls.push("$names: [String!]!");
        vars.insert("names".into(), json!(metrics));
        filters.push(format!("{name}: {{_in: $names}}"));
        if group.is_none() {
            // Without a group filter several groups' rows come back: select the group to keep
            // them apart (see `rows::one_group`), and order on it to keep the order total.
            order.push("{group_id: asc}".into());
            selection.push("group_id".into());
        }
        order.push(format!("{{{name}: asc}}"));
        selection.push(name.into());
        selection.push(value.into());
    }
    let (filters, order) = (filters.join(", "), order.join(", "));
    let rows = format!(
        "  {ROOT}: {table}(\n    where: {{{filters}}},\n    order_by: [{order}],\n    limit: $limit, offset: $offset\n  ) {{ {selection} }}",
        table = table.name(),
        selection = selection.join(" "),
    );
    let probe = format!(
        "  {PROBE}: {table}(where: {{{filters}}}, order_by: [{order}], limit: 1, offset: $probe) {{ {start} }}",
        table = table.name(),
    );
    let text = format!("query Insights({}) {{\n{rows}\n}}", decls.join(", "));
    decls.push("$probe: Int!");
    let probe_text = format!(
        "query Insights({}) {{\n{rows}\n{probe}\n}}",
        decls.join(", ")
    );
    Ok(Prepared {
        text,
        probe_text,
        variables: vars,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Granularity;

    fn q(table: InsightTable) -> InsightQuery {
        InsightQuery {
            table,
            building_id: 71,
            site_id: None,
            zone_id: Some(710_101),
            zone_type: None,
            group_id: None,
            granularity: Granularity::Pt1h,
            from: "2025-03-01".parse().unwrap(),
            to: "2025-03-31".parse().unwrap(),
            metrics: vec![],
        }
    }

    #[test]
    fn values_travel_as_variables_never_in_the_text() {
        let p = prepare(
            &q(InsightTable::ZoneInsights),
            Some("x\"}) { evil }"),
            &["OCCUPANCY_MEAN".into()],
        )
        .unwrap();
        assert!(!p.text.contains("evil"));
        assert!(!p.text.contains("710101"));
        assert!(p.text.contains("ZONE_ID: {_eq: $zone}"));
        assert!(p.text.contains(
            "order_by: [{DATE_TIME_START: asc}, {BUILDING_ID: asc}, {SITE_ID: asc}, {ZONE_ID: asc}]"
        ));
        assert_eq!(p.variables["group"], "x\"}) { evil }");
        assert!(prepare(&q(InsightTable::ZoneInsights), None, &["A }".into()]).is_err());
    }

    #[test]
    fn v1_ranges_are_local_midnights_in_utc() {
        let p = prepare(
            &q(InsightTable::ZoneMetrics),
            None,
            &["occupancy_mean".into()],
        )
        .unwrap();
        assert!(p.text.contains("metric_name: {_in: $names}"));
        assert!(!p.text.contains("group_id: {_eq"));
        let chunk = DateChunk {
            first: "2025-03-09".parse().unwrap(),
            last: "2025-03-09".parse().unwrap(),
        };
        let vars = p.page_variables(
            InsightTable::ZoneMetrics,
            chrono_tz::America::Chicago,
            chunk,
            0,
            10,
            Some(3),
        );
        assert_eq!(vars["probe"], 3);
        assert!(
            p.probe_text.contains("probe: zone_metrics(") && p.probe_text.contains("$probe: Int!")
        );
        assert!(!p.text.contains("probe"));
        assert_eq!(vars["from"], "2025-03-09T06:00:00Z");
        assert_eq!(vars["to"], "2025-03-10T05:00:00Z", "a 23-hour day");
    }
}

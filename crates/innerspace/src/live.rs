//! Occupancy now: the latest `zone_occupancy` reading of every zone of a building (api.md
//! §1.4), in ONE request per refresh.
//!
//! The table's page is not public, so its columns are learnt by introspection, as for the
//! other tables, and only those are asked for. A tenant without the table, or with one that
//! lacks a zone, a time or a number of people, gets [`LiveAnswer::NotAvailable`]: a fact about
//! the connection, not an error. A server that hides its schema is asked with the columns
//! api.md decides on; if it then names the table unknown, that is "not available" too.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::graphql::{self, ApiVersion, is_identifier};
use super::value::{int, number};
use occudesk_auth::Session;
use occudesk_figures::time::parse_utc;
use occudesk_net::{Error, Result};

/// Readings older than this are not "now": the query looks no further back.
pub const LIVE_WINDOW: Duration = Duration::hours(1);
/// At most this many rows per refresh: a realtime table holds minutes of readings, so this
/// covers hundreds of zones; the newest come first, so a cut loses only old readings.
const LIVE_ROW_LIMIT: i64 = 5_000;

/// The columns of a tenant's `zone_occupancy`, as its server names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OccupancyColumns {
    pub table: String,
    pub building: String,
    pub zone: String,
    pub site: Option<String>,
    pub start: String,
    /// The number of people.
    pub people: String,
}

impl OccupancyColumns {
    /// What api.md decides on, for a server that hides its schema.
    fn decided(table: &str) -> OccupancyColumns {
        OccupancyColumns {
            table: table.to_owned(),
            building: "building_id".into(),
            zone: "zone_id".into(),
            site: Some("site_id".into()),
            start: "date_time_start".into(),
            people: "occupancy".into(),
        }
    }

    /// The columns among `fields` (name, is-numeric), matched without regard to case so an
    /// UPPER_SNAKE table (v2 lists it as coming) is read the same way. `None` when a needed
    /// one is missing.
    fn from_fields(table: &str, fields: &[(String, bool)]) -> Option<OccupancyColumns> {
        let find = |wanted: &str| {
            fields
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(wanted) && is_identifier(name))
                .map(|(name, _)| name.clone())
        };
        let people = find("occupancy").or_else(|| {
            // Some other number of people: the first numeric column about occupancy.
            fields
                .iter()
                .find(|(name, numeric)| {
                    *numeric
                        && is_identifier(name)
                        && name.to_ascii_lowercase().starts_with("occupancy")
                })
                .map(|(name, _)| name.clone())
        })?;
        Some(OccupancyColumns {
            table: table.to_owned(),
            building: find("building_id")?,
            zone: find("zone_id")?,
            site: find("site_id"),
            start: find("date_time_start")?,
            people,
        })
    }
}

/// One zone's latest reading.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub zone_id: i64,
    pub site_id: Option<i64>,
    pub at: DateTime<Utc>,
    pub people: f64,
}

/// What a refresh found.
#[derive(Clone, Debug, PartialEq)]
pub enum LiveAnswer {
    /// The latest reading of every zone that has one in the last [`LIVE_WINDOW`].
    Readings(Vec<Reading>),
    /// The tenant has no usable `zone_occupancy` table.
    NotAvailable,
}

/// What introspection learnt per connection: the columns, or that there is no table.
#[derive(Debug, Default)]
pub struct LiveColumns {
    by_connection: Mutex<HashMap<String, Option<Arc<OccupancyColumns>>>>,
}

impl LiveColumns {
    /// Forgets a connection (edited or deleted).
    pub fn forget(&self, connection_id: &str) {
        self.lock().remove(connection_id);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Option<Arc<OccupancyColumns>>>> {
        self.by_connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    async fn of(&self, session: &Session) -> Result<Option<Arc<OccupancyColumns>>> {
        let id = session.connection().id.clone();
        if let Some(known) = self.lock().get(&id) {
            return Ok(known.clone());
        }
        let learnt = learn(session).await?.map(Arc::new);
        self.lock().insert(id, learnt.clone());
        Ok(learnt)
    }
}

/// The table's name on the connection's API.
fn table_name(session: &Session) -> Result<&'static str> {
    Ok(match ApiVersion::of(session.connection())? {
        ApiVersion::V1 => "zone_occupancy",
        ApiVersion::V2 => "ZONE_OCCUPANCY",
    })
}

const INTROSPECT: &str = "query LiveColumns($name: String!) {
  __type(name: $name) { fields { name type { kind name ofType { kind name } } } }
}";

/// The table's columns, `None` when the server has no such table (or one without what a
/// reading needs); the decided columns when the server refuses introspection.
async fn learn(session: &Session) -> Result<Option<OccupancyColumns>> {
    let table = table_name(session)?;
    let data =
        match graphql::execute(session, "LiveColumns", INTROSPECT, json!({"name": table})).await {
            Ok(data) => data,
            Err(Error::GraphqlError { .. }) => return Ok(Some(OccupancyColumns::decided(table))),
            Err(e) => return Err(e),
        };
    let Some(fields) = data
        .get("__type")
        .and_then(|t| t.get("fields"))
        .and_then(Value::as_array)
    else {
        return Ok(None);
    };
    let fields: Vec<(String, bool)> = fields
        .iter()
        .filter_map(|f| {
            let name = f.get("name")?.as_str()?.to_owned();
            Some((name, is_number(f.get("type"))))
        })
        .collect();
    Ok(OccupancyColumns::from_fields(table, &fields))
}

fn is_number(ty: Option<&Value>) -> bool {
    let named = |t: &Value| t.get("name").and_then(Value::as_str).map(str::to_owned);
    let name = ty.and_then(|t| named(t).or_else(|| t.get("ofType").and_then(named)));
    name.is_some_and(|n| {
        matches!(
            n.as_str(),
            "Float" | "Int" | "float8" | "numeric" | "bigint" | "integer"
        )
    })
}

/// The latest reading of every zone of `building` (one request once the columns are known).
pub async fn latest(
    columns: &LiveColumns,
    session: &Session,
    building: i64,
    now: DateTime<Utc>,
) -> Result<LiveAnswer> {
    let Some(cols) = columns.of(session).await? else {
        return Ok(LiveAnswer::NotAvailable);
    };
    let select = [
        Some(cols.zone.as_str()),
        cols.site.as_deref(),
        Some(cols.start.as_str()),
        Some(cols.people.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let query = format!(
        "query Live($building: Int!, $since: timestamptz!, $limit: Int!) {{
  rows: {table}(where: {{{b}: {{_eq: $building}}, {t}: {{_gte: $since}}}}, order_by: [{{{t}: desc}}], limit: $limit) {{ {select} }}
}}",
        table = cols.table,
        b = cols.building,
        t = cols.start,
    );
    let since = (now - LIVE_WINDOW).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let vars = json!({"building": building, "since": since, "limit": LIVE_ROW_LIMIT});
    let data = match graphql::execute(session, "Live", &query, vars).await {
        Ok(data) => data,
        // Asked blind (introspection refused) and the server knows no such table.
        Err(Error::GraphqlError { message }) if message.contains(&cols.table) => {
            return Ok(LiveAnswer::NotAvailable);
        }
        Err(e) => return Err(e),
    };
    let rows = data.get("rows").and_then(Value::as_array);
    Ok(LiveAnswer::Readings(newest_per_zone(
        rows.map(Vec::as_slice).unwrap_or_default(),
        &cols,
    )))
}

/// Each zone's newest reading; rows without a zone, time or number are skipped.
fn newest_per_zone(rows: &[Value], cols: &OccupancyColumns) -> Vec<Reading> {
    let mut newest: HashMap<i64, Reading> = HashMap::new();
    for row in rows {
        let (Some(zone_id), Some(at), Some(people)) = (
            int(row, &cols.zone),
            row.get(&cols.start)
                .and_then(Value::as_str)
                .and_then(parse_utc),
            number(row.get(&cols.people)),
        ) else {
            continue;
        };
        let reading = Reading {
            zone_id,
            site_id: cols.site.as_deref().and_then(|s| int(row, s)),
            at,
            people,
        };
        match newest.get(&zone_id) {
            Some(kept) if kept.at >= at => {}
            _ => {
                newest.insert(zone_id, reading);
            }
        }
    }
    let mut readings: Vec<Reading> = newest.into_values().collect();
    readings.sort_by_key(|r| r.zone_id);
    readings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(names: &[(&str, bool)]) -> Vec<(String, bool)> {
        names.iter().map(|(n, b)| (n.to_string(), *b)).collect()
    }

    #[test]
    fn columns_are_found_in_either_case_and_a_table_without_people_is_not_usable() {
        let lower = fields(&[
            ("building_id", true),
            ("site_id", true),
            ("zone_id", true),
            ("date_time_start", false),
            ("occupancy", true),
        ]);
        assert_eq!(
            OccupancyColumns::from_fields("zone_occupancy", &lower),
            Some(OccupancyColumns::decided("zone_occupancy"))
        );
        let upper = fields(&[
            ("BUILDING_ID", true),
            ("ZONE_ID", true),
            ("DATE_TIME_START", false),
            ("OCCUPANCY_COUNT", true),
        ]);
        let cols = OccupancyColumns::from_fields("ZONE_OCCUPANCY", &upper).unwrap();
        assert_eq!((cols.people.as_str(), cols.site), ("OCCUPANCY_COUNT", None));
        let no_people = fields(&[
            ("building_id", true),
            ("zone_id", true),
            ("date_time_start", false),
        ]);
        assert_eq!(
            OccupancyColumns::from_fields("zone_occupancy", &no_people),
            None
        );
    }

    #[test]
    fn the_newest_reading_of_each_zone_wins_and_broken_rows_are_skipped() {
        let cols = OccupancyColumns::decided("zone_occupancy");
        let rows = vec![
            json!({"zone_id": 2, "site_id": 9, "date_time_start": "2026-11-23T10:40:00Z", "occupancy": 3}),
            json!({"zone_id": 2, "site_id": 9, "date_time_start": "2026-11-23T10:42:00Z", "occupancy": "5"}),
            json!({"zone_id": 1, "date_time_start": "2026-11-23T10:41:00+00:00", "occupancy": 7.0}),
            json!({"zone_id": 3, "date_time_start": "not a time", "occupancy": 1}),
            json!({"zone_id": 4, "date_time_start": "2026-11-23T10:41:00Z", "occupancy": null}),
        ];
        let got = newest_per_zone(&rows, &cols);
        assert_eq!(got.len(), 2);
        assert_eq!(
            (got[0].zone_id, got[0].people, got[0].site_id),
            (1, 7.0, None)
        );
        assert_eq!(
            (got[1].zone_id, got[1].people, got[1].site_id),
            (2, 5.0, Some(9))
        );
        assert_eq!(got[1].at.to_rfc3339(), "2026-11-23T10:42:00+00:00");
    }
}

//! Buildings, floors, sites and zones, with each building's IANA time zone and capacity.
//!
//! v2 has entity tables (`BUILDING`, `FLOOR`, `SITE`, `ZONE`). v1 has only the long
//! `*_metrics` tables, so its entities are the distinct ids in recent rows and its time zones
//! are inferred from when days start (see [`super::tzguess`]). A building's capacity is the
//! sum of its zones' `CAPACITY` (v1: the zones' latest `capacity` metric).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::graphql::{self, ApiVersion};
use super::paging::{Page, RowCaps, fetch_all};
use super::tzguess::guess_zone;
use crate::auth::Session;
use crate::insights::time::{parse_tz, parse_utc};
use crate::{Error, Result};

/// Day starts looked at to infer a v1 building's zone: a year shows both DST changes.
const V1_ZONE_WINDOW_DAYS: i64 = 366;
/// Recent days looked at for a v1 building's sites and zones.
const V1_ENTITY_WINDOW_DAYS: i64 = 14;
/// Rows per page of entity queries.
const ENTITY_PAGE: usize = 5_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Building {
    pub id: i64,
    pub name: String,
    /// IANA zone, e.g. `America/Chicago`; `UTC` when not known.
    pub time_zone: String,
    /// False when the zone was neither given by the API nor inferable.
    pub time_zone_known: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Floor {
    pub id: i64,
    pub name: Option<String>,
    pub code: Option<String>,
    pub level: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Site {
    pub id: i64,
    pub floor_id: Option<i64>,
    pub code: Option<String>,
    pub time_zone: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Zone {
    pub id: i64,
    pub name: Option<String>,
    pub site_id: Option<i64>,
    pub floor_id: Option<i64>,
    pub zone_type: Option<String>,
    pub capacity: Option<f64>,
}

/// One building with everything inside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildingDetail {
    pub building: Building,
    pub floors: Vec<Floor>,
    pub sites: Vec<Site>,
    pub zones: Vec<Zone>,
    /// Distinct zone types, sorted.
    pub zone_types: Vec<String>,
    /// Sum of the zones' capacities; `None` when no zone has one.
    pub capacity: Option<f64>,
    /// Not sent to the window; read back from the local cache as UTC, then set from
    /// `building.time_zone` (see [`BuildingDetail::with_zone_from_name`]).
    #[serde(skip, default = "utc")]
    pub tz: Tz,
}

fn utc() -> Tz {
    Tz::UTC
}

impl BuildingDetail {
    /// Sets `tz` from the building's zone name (after reading a detail back from the cache).
    pub fn with_zone_from_name(mut self) -> BuildingDetail {
        self.tz = crate::insights::time::parse_tz(&self.building.time_zone).unwrap_or(Tz::UTC);
        self
    }
}

fn int(row: &Value, key: &str) -> Option<i64> {
    let v = row.get(key)?;
    v.as_i64()
        .or_else(|| v.as_f64().map(|f| f as i64))
        .or_else(|| v.as_str()?.parse().ok())
}

fn text(row: &Value, key: &str) -> Option<String> {
    row.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn rows<'a>(data: &'a Map<String, Value>, key: &str) -> &'a [Value] {
    data.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A zone name from the API, or UTC (not known).
fn zone_of(names: impl IntoIterator<Item = Option<String>>) -> (Tz, bool) {
    names
        .into_iter()
        .flatten()
        .find_map(|n| parse_tz(&n))
        .map_or((Tz::UTC, false), |tz| (tz, true))
}

// ---------------------------------------------------------------------------------------- v2

const V2_BUILDINGS: &str = "query Buildings {
  BUILDING(order_by: [{ID: asc}], limit: 10000) { ID NAME TIME_ZONE }
  SITE(order_by: [{ID: asc}], limit: 10000) { ID BUILDING_ID TIME_ZONE }
}";

const V2_DETAIL: &str = "query BuildingDetail($building: Int!) {
  building: BUILDING(where: {ID: {_eq: $building}}) { ID NAME TIME_ZONE }
  floors: FLOOR(where: {BUILDING_ID: {_eq: $building}}, order_by: [{LEVEL: asc}, {ID: asc}], limit: 10000) { ID NAME FLOOR_CODE LEVEL TIME_ZONE }
  sites: SITE(where: {BUILDING_ID: {_eq: $building}}, order_by: [{ID: asc}], limit: 10000) { ID FLOOR_ID SITE_CODE TIME_ZONE }
  zones: ZONE(where: {BUILDING_ID: {_eq: $building}}, order_by: [{ID: asc}], limit: 10000) { ID NAME SITE_ID FLOOR_ID ZONE_TYPE CAPACITY }
}";

async fn v2_buildings(session: &Session) -> Result<Vec<Building>> {
    let data = graphql::execute(session, "Buildings", V2_BUILDINGS, json!({})).await?;
    let sites = rows(&data, "SITE");
    Ok(rows(&data, "BUILDING")
        .iter()
        .filter_map(|b| {
            let id = int(b, "ID")?;
            // BUILDING.TIME_ZONE is documented only by analogy; SITE.TIME_ZONE is documented.
            let site_zones = sites
                .iter()
                .filter(|s| int(s, "BUILDING_ID") == Some(id))
                .map(|s| text(s, "TIME_ZONE"));
            let (tz, known) = zone_of(std::iter::once(text(b, "TIME_ZONE")).chain(site_zones));
            Some(Building {
                id,
                name: text(b, "NAME").unwrap_or_else(|| format!("Building {id}")),
                time_zone: tz.name().to_owned(),
                time_zone_known: known,
            })
        })
        .collect())
}

async fn v2_detail(session: &Session, building_id: i64) -> Result<BuildingDetail> {
    let data = graphql::execute(
        session,
        "BuildingDetail",
        V2_DETAIL,
        json!({"building": building_id}),
    )
    .await?;
    let Some(b) = rows(&data, "building").first() else {
        return Err(unknown_building(building_id));
    };
    let floors_raw = rows(&data, "floors");
    let sites_raw = rows(&data, "sites");
    let zone_names = std::iter::once(text(b, "TIME_ZONE"))
        .chain(sites_raw.iter().map(|s| text(s, "TIME_ZONE")))
        .chain(floors_raw.iter().map(|f| text(f, "TIME_ZONE")));
    let (tz, known) = zone_of(zone_names);
    let floors = floors_raw
        .iter()
        .filter_map(|f| {
            Some(Floor {
                id: int(f, "ID")?,
                name: text(f, "NAME"),
                code: text(f, "FLOOR_CODE"),
                level: int(f, "LEVEL"),
            })
        })
        .collect();
    let sites = sites_raw
        .iter()
        .filter_map(|s| {
            Some(Site {
                id: int(s, "ID")?,
                floor_id: int(s, "FLOOR_ID"),
                code: text(s, "SITE_CODE"),
                time_zone: text(s, "TIME_ZONE"),
            })
        })
        .collect();
    let zones = rows(&data, "zones")
        .iter()
        .filter_map(|z| {
            Some(Zone {
                id: int(z, "ID")?,
                name: text(z, "NAME"),
                site_id: int(z, "SITE_ID"),
                floor_id: int(z, "FLOOR_ID"),
                zone_type: text(z, "ZONE_TYPE"),
                capacity: z.get("CAPACITY").and_then(Value::as_f64),
            })
        })
        .collect();
    let building = Building {
        id: building_id,
        name: text(b, "NAME").unwrap_or_else(|| format!("Building {building_id}")),
        time_zone: tz.name().to_owned(),
        time_zone_known: known,
    };
    Ok(assemble(building, tz, floors, sites, zones))
}

fn assemble(
    building: Building,
    tz: Tz,
    floors: Vec<Floor>,
    sites: Vec<Site>,
    zones: Vec<Zone>,
) -> BuildingDetail {
    let mut zone_types: Vec<String> = zones.iter().filter_map(|z| z.zone_type.clone()).collect();
    zone_types.sort();
    zone_types.dedup();
    let capacities: Vec<f64> = zones.iter().filter_map(|z| z.capacity).collect();
    let capacity = (!capacities.is_empty()).then(|| capacities.iter().sum());
    BuildingDetail {
        building,
        floors,
        sites,
        zones,
        zone_types,
        capacity,
        tz,
    }
}

fn unknown_building(building_id: i64) -> Error {
    Error::invalid(
        "buildingId",
        format!(
            "There is no building {building_id} on this connection (or this client may not see it). Pick one from the building list."
        ),
    )
}

// ---------------------------------------------------------------------------------------- v1

/// Recent `P1D` rows of one v1 metric, all pages. `building` narrows to one building.
async fn v1_daily_rows(
    session: &Session,
    caps: &RowCaps,
    table: &str,
    columns: &str,
    building: Option<i64>,
    metrics: &[&str],
    since: DateTime<Utc>,
) -> Result<Vec<Value>> {
    let (decl, filter) = match building {
        Some(_) => (", $building: Int!", ", building_id: {_eq: $building}"),
        None => ("", ""),
    };
    // A total order, so that offset paging neither skips nor repeats rows.
    let order = match table {
        "zone_metrics" => "{building_id: asc}, {site_id: asc}, {zone_id: asc}, ",
        "site_metrics" => "{building_id: asc}, {site_id: asc}, ",
        _ => "{building_id: asc}, ",
    };
    let query = format!(
        "query Recent($since: timestamptz!, $names: [String!]!, $limit: Int!, $offset: Int!{decl}) {{
  rows: {table}(where: {{granularity: {{_eq: \"P1D\"}}, metric_name: {{_in: $names}}, date_time_start: {{_gte: $since}}{filter}}},
    order_by: [{{date_time_start: asc}}, {order}{{metric_name: asc}}], limit: $limit, offset: $offset) {{ {columns} }}
}}"
    );
    let since = since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    fetch_all(caps, ENTITY_PAGE, None, |offset, limit, _| {
        let mut vars = json!({"since": since, "names": metrics, "limit": limit, "offset": offset});
        if let (Some(b), Some(map)) = (building, vars.as_object_mut()) {
            map.insert("building".into(), json!(b));
        }
        let query = query.clone();
        async move {
            let mut data = graphql::execute(session, "Recent", &query, vars).await?;
            match data.remove("rows") {
                Some(Value::Array(rows)) => Ok(Page::rows(rows)),
                _ => Ok(Page::rows(Vec::new())),
            }
        }
    })
    .await
}

/// Day starts per building id.
fn starts_by_building(rows: &[Value]) -> BTreeMap<i64, Vec<DateTime<Utc>>> {
    let mut by: BTreeMap<i64, Vec<DateTime<Utc>>> = BTreeMap::new();
    for row in rows {
        if let (Some(id), Some(start)) = (
            int(row, "building_id"),
            row.get("date_time_start")
                .and_then(Value::as_str)
                .and_then(parse_utc),
        ) {
            by.entry(id).or_default().push(start);
        }
    }
    for starts in by.values_mut() {
        starts.sort();
        starts.dedup();
    }
    by
}

fn v1_building(id: i64, starts: &[DateTime<Utc>]) -> (Building, Tz) {
    let (tz, known) = guess_zone(starts).map_or((Tz::UTC, false), |tz| (tz, true));
    (
        Building {
            id,
            name: format!("Building {id}"),
            time_zone: tz.name().to_owned(),
            time_zone_known: known,
        },
        tz,
    )
}

async fn v1_buildings(
    session: &Session,
    caps: &RowCaps,
    now: DateTime<Utc>,
) -> Result<Vec<Building>> {
    let since = now - chrono::Duration::days(V1_ZONE_WINDOW_DAYS);
    let rows = v1_daily_rows(
        session,
        caps,
        "building_metrics",
        "building_id date_time_start",
        None,
        &["occupancy_mean"],
        since,
    )
    .await?;
    Ok(starts_by_building(&rows)
        .iter()
        .map(|(id, starts)| v1_building(*id, starts).0)
        .collect())
}

async fn v1_detail(
    session: &Session,
    caps: &RowCaps,
    building_id: i64,
    now: DateTime<Utc>,
) -> Result<BuildingDetail> {
    let since = now - chrono::Duration::days(V1_ZONE_WINDOW_DAYS);
    let rows = v1_daily_rows(
        session,
        caps,
        "building_metrics",
        "building_id date_time_start",
        Some(building_id),
        &["occupancy_mean"],
        since,
    )
    .await?;
    let starts = starts_by_building(&rows)
        .remove(&building_id)
        .unwrap_or_default();
    if starts.is_empty() {
        return Err(unknown_building(building_id));
    }
    let (building, tz) = v1_building(building_id, &starts);

    let recent = now - chrono::Duration::days(V1_ENTITY_WINDOW_DAYS);
    let site_rows = v1_daily_rows(
        session,
        caps,
        "site_metrics",
        "site_id",
        Some(building_id),
        &["occupancy_mean"],
        recent,
    )
    .await?;
    let mut site_ids: Vec<i64> = site_rows.iter().filter_map(|r| int(r, "site_id")).collect();
    let zone_rows = v1_daily_rows(
        session,
        caps,
        "zone_metrics",
        "site_id zone_id date_time_start metric_name metric_value",
        Some(building_id),
        &["occupancy_mean", "capacity"],
        recent,
    )
    .await?;
    // Latest capacity per zone (rows are in time order).
    let mut zones: BTreeMap<i64, Zone> = BTreeMap::new();
    for row in &zone_rows {
        let Some(id) = int(row, "zone_id") else {
            continue;
        };
        let zone = zones.entry(id).or_insert_with(|| Zone {
            id,
            name: None,
            site_id: int(row, "site_id"),
            floor_id: None,
            zone_type: None,
            capacity: None,
        });
        if row.get("metric_name").and_then(Value::as_str) == Some("capacity")
            && let Some(c) = row.get("metric_value").and_then(Value::as_f64)
        {
            zone.capacity = Some(c);
        }
    }
    site_ids.extend(zones.values().filter_map(|z| z.site_id));
    site_ids.sort_unstable();
    site_ids.dedup();
    let sites = site_ids
        .into_iter()
        .map(|id| Site {
            id,
            floor_id: None,
            code: None,
            time_zone: Some(tz.name().to_owned()),
        })
        .collect();
    Ok(assemble(
        building,
        tz,
        Vec::new(),
        sites,
        zones.into_values().collect(),
    ))
}

// ------------------------------------------------------------------------------ entry points

/// Every building the connection can see, sorted by id.
pub async fn buildings(
    session: &Session,
    caps: &RowCaps,
    now: DateTime<Utc>,
) -> Result<Vec<Building>> {
    match ApiVersion::of(session.connection())? {
        ApiVersion::V2 => v2_buildings(session).await,
        ApiVersion::V1 => v1_buildings(session, caps, now).await,
    }
}

/// One building's floors, sites, zones, time zone and capacity. An unknown id is
/// `input.invalid` naming the id.
pub async fn building_detail(
    session: &Session,
    caps: &RowCaps,
    building_id: i64,
    now: DateTime<Utc>,
) -> Result<BuildingDetail> {
    match ApiVersion::of(session.connection())? {
        ApiVersion::V2 => v2_detail(session, building_id).await,
        ApiVersion::V1 => v1_detail(session, caps, building_id, now).await,
    }
}

//! Buildings, floors, sites and zones, with each building's IANA time zone and capacity.
//!
//! v2 has entity tables (`BUILDING`, `FLOOR`, `SITE`, `ZONE`). Each is asked only for the
//! fields this server has (see [`super::fields`]) and paged under its own row cap, like
//! insight queries. What the server lacks is derived or left out, never a failure: a zone's
//! floor is its site's `FLOOR_ID` when `ZONE` has none; without a `BUILDING` table the
//! buildings are the sites' `BUILDING_ID`s.
//!
//! v1 has only the long `*_metrics` tables, so its entities are the distinct ids in recent
//! rows and its time zones are inferred from when days start (see [`super::tzguess`]).
//! "Recent" ends at the building's latest day, not at today: a tenant whose data stopped
//! (or a building that was quiet for weeks) keeps its buildings, sites and zones. The groups
//! of a v1 building (`all-…`, subsets) are the distinct `group_id`s of its rows.
//!
//! A building's capacity is the sum of its zones' `CAPACITY` (v1: the zones' latest
//! `capacity` metric).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::fields::{EntityFields, EntityType};
use super::graphql::{self, ApiVersion};
use super::paging::{Page, RowCaps, TableCaps, fetch_all};
use super::schema::SchemaCache;
use super::tzguess::guess_zone;
use super::value::{int, number, text};
use occudesk_auth::Session;
use occudesk_figures::time::{parse_tz, parse_utc};
use occudesk_net::{Error, Result};

/// Day starts looked at to infer a v1 building's zone: a year shows both DST changes.
const V1_ZONE_WINDOW_DAYS: i64 = 366;
/// Recent days looked at for a v1 building's sites and zones.
const V1_ENTITY_WINDOW_DAYS: i64 = 14;
/// The fields of a building the views use (those the server has are asked for).
const BUILDING_FIELDS: &[&str] = &["ID", "NAME", "TIME_ZONE"];
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
    /// v1: the groups the building's rows carry, the `all-…` group first. v2: empty (the
    /// groups list is not published; the nil UUID is everyone).
    #[serde(default)]
    pub groups: Vec<String>,
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
        self.tz = occudesk_figures::time::parse_tz(&self.building.time_zone).unwrap_or(Tz::UTC);
        self
    }
}

/// A zone name from the API, or UTC (not known).
fn zone_of(names: impl IntoIterator<Item = Option<String>>) -> (Tz, bool) {
    names
        .into_iter()
        .flatten()
        .find_map(|n| parse_tz(&n))
        .map_or((Tz::UTC, false), |tz| (tz, true))
}

/// Every row of `query`, which declares `$limit: Int!, $offset: Int!` and aliases its root
/// field `rows`, paged under `caps` until the rows are proven complete.
async fn all_rows(
    session: &Session,
    caps: &RowCaps,
    operation: &str,
    query: &str,
    variables: Value,
) -> Result<Vec<Value>> {
    fetch_all(caps, ENTITY_PAGE, None, |offset, limit, _| {
        let mut vars = variables.clone();
        if let Some(map) = vars.as_object_mut() {
            map.insert("limit".into(), json!(limit));
            map.insert("offset".into(), json!(offset));
        }
        async move {
            let mut data = graphql::execute(session, operation, query, vars).await?;
            match data.remove("rows") {
                Some(Value::Array(rows)) => Ok(Page::rows(rows)),
                _ => Err(Error::UnexpectedResponse {
                    host: graphql::host(session.connection()),
                    what: "a GraphQL answer without the requested rows".into(),
                }),
            }
        }
    })
    .await
}

// ---------------------------------------------------------------------------------------- v2

/// Every row of one v2 entity table (of one building, or all) with the fields of `wanted`
/// that the server has; `None` when the server has no such table.
async fn v2_rows(
    session: &Session,
    caps: &TableCaps,
    fields: &EntityFields,
    ty: EntityType,
    wanted: &[&'static str],
    building: Option<i64>,
) -> Result<Option<Vec<Value>>> {
    let Some(selection) = fields.select(ty, wanted) else {
        return Ok(None);
    };
    let key = match ty {
        EntityType::Building => "ID",
        _ => "BUILDING_ID",
    };
    let (decl, filter, vars) = match building {
        Some(b) => (
            ", $building: Int!",
            format!("where: {{{key}: {{_eq: $building}}}}, "),
            json!({"building": b}),
        ),
        None => ("", String::new(), json!({})),
    };
    let table = ty.name();
    // Ordered on the id, so that offset paging neither skips nor repeats rows.
    let query = format!(
        "query Entities($limit: Int!, $offset: Int!{decl}) {{\n  rows: {table}({filter}order_by: [{{ID: asc}}], limit: $limit, offset: $offset) {{ {} }}\n}}",
        selection.join(" ")
    );
    all_rows(session, &caps.of(table), "Entities", &query, vars)
        .await
        .map(Some)
}

async fn v2_buildings(
    session: &Session,
    caps: &TableCaps,
    fields: &EntityFields,
) -> Result<Vec<Building>> {
    let (buildings, sites) = tokio::try_join!(
        v2_rows(
            session,
            caps,
            fields,
            EntityType::Building,
            BUILDING_FIELDS,
            None
        ),
        v2_rows(
            session,
            caps,
            fields,
            EntityType::Site,
            &["ID", "BUILDING_ID", "TIME_ZONE"],
            None
        ),
    )?;
    let sites = sites.unwrap_or_default();
    // BUILDING.TIME_ZONE is documented only by analogy; SITE.TIME_ZONE is documented.
    let mut site_zones: BTreeMap<i64, Vec<Option<String>>> = BTreeMap::new();
    for s in &sites {
        if let Some(b) = int(s, "BUILDING_ID") {
            site_zones.entry(b).or_default().push(text(s, "TIME_ZONE"));
        }
    }
    let listed: Vec<(i64, Option<String>, Option<String>)> = match buildings {
        Some(rows) => rows
            .iter()
            .filter_map(|b| Some((int(b, "ID")?, text(b, "NAME"), text(b, "TIME_ZONE"))))
            .collect(),
        // No BUILDING table on this server: the buildings its sites belong to.
        None => site_zones.keys().map(|id| (*id, None, None)).collect(),
    };
    Ok(listed
        .into_iter()
        .map(|(id, name, zone)| {
            let others = site_zones.get(&id).cloned().unwrap_or_default();
            let (tz, known) = zone_of(std::iter::once(zone).chain(others));
            Building {
                id,
                name: name.unwrap_or_else(|| format!("Building {id}")),
                time_zone: tz.name().to_owned(),
                time_zone_known: known,
            }
        })
        .collect())
}

async fn v2_detail(
    session: &Session,
    caps: &TableCaps,
    fields: &EntityFields,
    building_id: i64,
) -> Result<BuildingDetail> {
    let id = Some(building_id);
    let (building_rows, floors_raw, sites_raw, zones_raw) = tokio::try_join!(
        v2_rows(
            session,
            caps,
            fields,
            EntityType::Building,
            BUILDING_FIELDS,
            id
        ),
        v2_rows(
            session,
            caps,
            fields,
            EntityType::Floor,
            &["ID", "NAME", "FLOOR_CODE", "LEVEL", "TIME_ZONE"],
            id
        ),
        v2_rows(
            session,
            caps,
            fields,
            EntityType::Site,
            &["ID", "FLOOR_ID", "SITE_CODE", "TIME_ZONE"],
            id
        ),
        v2_rows(
            session,
            caps,
            fields,
            EntityType::Zone,
            &["ID", "NAME", "SITE_ID", "FLOOR_ID", "ZONE_TYPE", "CAPACITY"],
            id
        ),
    )?;
    let (floors_raw, sites_raw, zones_raw) = (
        floors_raw.unwrap_or_default(),
        sites_raw.unwrap_or_default(),
        zones_raw.unwrap_or_default(),
    );
    let b = match &building_rows {
        Some(rows) => match rows.first() {
            Some(b) => Some(b),
            None => return Err(unknown_building(building_id)),
        },
        // No BUILDING table: the building exists if anything belongs to it.
        None if sites_raw.is_empty() && zones_raw.is_empty() => {
            return Err(unknown_building(building_id));
        }
        None => None,
    };
    let zone_names = std::iter::once(b.and_then(|b| text(b, "TIME_ZONE")))
        .chain(sites_raw.iter().map(|s| text(s, "TIME_ZONE")))
        .chain(floors_raw.iter().map(|f| text(f, "TIME_ZONE")));
    let (tz, known) = zone_of(zone_names);
    let mut floors: Vec<Floor> = floors_raw
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
    // Lowest level first; floors without a level after those with one.
    floors.sort_by_key(|f| (f.level.is_none(), f.level, f.id));
    let sites: Vec<Site> = sites_raw
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
    let floor_of_site: HashMap<i64, i64> = sites
        .iter()
        .filter_map(|s| Some((s.id, s.floor_id?)))
        .collect();
    let zones = zones_raw
        .iter()
        .filter_map(|z| {
            let site_id = int(z, "SITE_ID");
            Some(Zone {
                id: int(z, "ID")?,
                name: text(z, "NAME"),
                site_id,
                // ZONE.FLOOR_ID is not in the contract: a zone is on its site's floor.
                floor_id: int(z, "FLOOR_ID")
                    .or_else(|| site_id.and_then(|s| floor_of_site.get(&s).copied())),
                zone_type: text(z, "ZONE_TYPE"),
                capacity: number(z.get("CAPACITY")),
            })
        })
        .collect();
    let building = Building {
        id: building_id,
        name: b
            .and_then(|b| text(b, "NAME"))
            .unwrap_or_else(|| format!("Building {building_id}")),
        time_zone: tz.name().to_owned(),
        time_zone_known: known,
    };
    Ok(assemble(building, tz, floors, sites, zones, Vec::new()))
}

fn assemble(
    building: Building,
    tz: Tz,
    floors: Vec<Floor>,
    sites: Vec<Site>,
    zones: Vec<Zone>,
    groups: Vec<String>,
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
        groups,
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

/// The v1 rows an entity look-up reads: `P1D` rows of some metrics of one table.
struct V1Rows<'a> {
    table: &'static str,
    columns: &'a str,
    building: Option<i64>,
    metrics: &'a [&'a str],
}

impl V1Rows<'_> {
    fn filters(&self) -> (&'static str, &'static str) {
        match self.building {
            Some(_) => (", $building: Int!", ", building_id: {_eq: $building}"),
            None => ("", ""),
        }
    }

    fn variables(&self, mut vars: Value) -> Value {
        if let (Some(b), Some(map)) = (self.building, vars.as_object_mut()) {
            map.insert("building".into(), json!(b));
        }
        vars
    }

    /// Every row from `since` on, all pages.
    async fn since(
        &self,
        session: &Session,
        caps: &TableCaps,
        since: DateTime<Utc>,
    ) -> Result<Vec<Value>> {
        let (decl, filter) = self.filters();
        let table = self.table;
        // A total order (groups included), so that offset paging neither skips nor repeats
        // rows.
        let order = match table {
            "zone_metrics" => "{building_id: asc}, {site_id: asc}, {zone_id: asc}, ",
            "site_metrics" => "{building_id: asc}, {site_id: asc}, ",
            _ => "{building_id: asc}, ",
        };
        let query = format!(
            "query Recent($since: timestamptz!, $names: [String!]!, $limit: Int!, $offset: Int!{decl}) {{
  rows: {table}(where: {{granularity: {{_eq: \"P1D\"}}, metric_name: {{_in: $names}}, date_time_start: {{_gte: $since}}{filter}}},
    order_by: [{{date_time_start: asc}}, {order}{{group_id: asc}}, {{metric_name: asc}}], limit: $limit, offset: $offset) {{ {columns} }}
}}",
            columns = self.columns
        );
        let since = since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let vars = self.variables(json!({"since": since, "names": self.metrics}));
        all_rows(session, &caps.of(table), "Recent", &query, vars).await
    }

    /// The start of the latest row, if there is any: one ordered `limit: 1` query.
    async fn latest(&self, session: &Session) -> Result<Option<DateTime<Utc>>> {
        let (decl, filter) = self.filters();
        let query = format!(
            "query Latest($names: [String!]!{decl}) {{
  rows: {table}(where: {{granularity: {{_eq: \"P1D\"}}, metric_name: {{_in: $names}}{filter}}},
    order_by: [{{date_time_start: desc}}], limit: 1) {{ date_time_start }}
}}",
            table = self.table
        );
        let vars = self.variables(json!({"names": self.metrics}));
        let data = graphql::execute(session, "Latest", &query, vars).await?;
        Ok(data
            .get("rows")
            .and_then(Value::as_array)
            .and_then(|rows| rows.first())
            .and_then(|row| row.get("date_time_start"))
            .and_then(Value::as_str)
            .and_then(parse_utc))
    }

    /// The rows of the `days` before `end`; if there are none, the rows of the `days` up to
    /// the latest row (data that ended earlier, or a building that was quiet for a while).
    async fn recent(
        &self,
        session: &Session,
        caps: &TableCaps,
        end: DateTime<Utc>,
        days: i64,
    ) -> Result<Vec<Value>> {
        let window = Duration::days(days);
        let rows = self.since(session, caps, end - window).await?;
        if !rows.is_empty() {
            return Ok(rows);
        }
        match self.latest(session).await? {
            Some(latest) if latest < end - window => {
                self.since(session, caps, latest - window).await
            }
            _ => Ok(rows),
        }
    }
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

/// The distinct `group_id`s of `rows`: `all-…` groups first, then by name.
fn groups_in(rows: &[Value]) -> Vec<String> {
    let mut groups: Vec<String> = rows.iter().filter_map(|r| text(r, "group_id")).collect();
    groups.sort_by(|a, b| {
        (!a.starts_with("all-"), a.as_str()).cmp(&(!b.starts_with("all-"), b.as_str()))
    });
    groups.dedup();
    groups
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
    caps: &TableCaps,
    now: DateTime<Utc>,
) -> Result<Vec<Building>> {
    let rows = V1Rows {
        table: "building_metrics",
        columns: "building_id date_time_start",
        building: None,
        metrics: &["occupancy_mean"],
    }
    .recent(session, caps, now, V1_ZONE_WINDOW_DAYS)
    .await?;
    Ok(starts_by_building(&rows)
        .iter()
        .map(|(id, starts)| v1_building(*id, starts).0)
        .collect())
}

async fn v1_detail(
    session: &Session,
    caps: &TableCaps,
    building_id: i64,
    now: DateTime<Utc>,
) -> Result<BuildingDetail> {
    let building = Some(building_id);
    let rows = V1Rows {
        table: "building_metrics",
        columns: "building_id group_id date_time_start",
        building,
        metrics: &["occupancy_mean"],
    }
    .recent(session, caps, now, V1_ZONE_WINDOW_DAYS)
    .await?;
    let groups = groups_in(&rows);
    let starts = starts_by_building(&rows)
        .remove(&building_id)
        .unwrap_or_default();
    let Some(last) = starts.last().copied() else {
        return Err(unknown_building(building_id));
    };
    let (building_row, tz) = v1_building(building_id, &starts);

    // Sites and zones of the building's last fortnight of data, however long ago that was.
    let end = last + Duration::days(1);
    let site_query = V1Rows {
        table: "site_metrics",
        columns: "site_id",
        building,
        metrics: &["occupancy_mean"],
    };
    let zone_query = V1Rows {
        table: "zone_metrics",
        columns: "site_id zone_id date_time_start metric_name metric_value",
        building,
        metrics: &["occupancy_mean", "capacity"],
    };
    let (site_rows, zone_rows) = tokio::try_join!(
        site_query.recent(session, caps, end, V1_ENTITY_WINDOW_DAYS),
        zone_query.recent(session, caps, end, V1_ENTITY_WINDOW_DAYS),
    )?;
    let mut site_ids: Vec<i64> = site_rows.iter().filter_map(|r| int(r, "site_id")).collect();
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
            && let Some(c) = number(row.get("metric_value"))
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
        building_row,
        tz,
        Vec::new(),
        sites,
        zones.into_values().collect(),
        groups,
    ))
}

// ------------------------------------------------------------------------------ entry points

/// Every building the connection can see, sorted by id. v2 entity fields are learned into
/// `schema` on first use.
pub async fn buildings(
    session: &Session,
    caps: &TableCaps,
    schema: &SchemaCache,
    now: DateTime<Utc>,
) -> Result<Vec<Building>> {
    match ApiVersion::of(session.connection())? {
        ApiVersion::V2 => {
            let fields = schema.entity_fields(session).await?;
            v2_buildings(session, caps, &fields).await
        }
        ApiVersion::V1 => v1_buildings(session, caps, now).await,
    }
}

/// One building's floors, sites, zones, time zone and capacity. An unknown id is
/// `input.invalid` naming the id.
pub async fn building_detail(
    session: &Session,
    caps: &TableCaps,
    schema: &SchemaCache,
    building_id: i64,
    now: DateTime<Utc>,
) -> Result<BuildingDetail> {
    match ApiVersion::of(session.connection())? {
        ApiVersion::V2 => {
            let fields = schema.entity_fields(session).await?;
            v2_detail(session, caps, &fields, building_id).await
        }
        ApiVersion::V1 => v1_detail(session, caps, building_id, now).await,
    }
}

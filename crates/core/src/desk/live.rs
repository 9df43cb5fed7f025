//! The Live board: every zone of a building with its latest `zone_occupancy` reading against
//! its capacity, grouped by floor, fullest first, with the time of the reading.
//!
//! Readings are minutes old in real time, so "now" here is this computer's clock, never the
//! pinned calendar (`OCCUDESK_TODAY`), which only says which nightly days exist.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Desk;
use crate::Result;
use crate::innerspace::entities::BuildingDetail;
use crate::innerspace::live::{self, LiveAnswer, Reading};
use crate::insights::shown::{ComputerZone, ShownTime, Times};

/// A zone whose reading is this much older than the building's newest is marked behind: its
/// sensor or feed may have stopped.
pub const BEHIND_AFTER_SECS: i64 = 15 * 60;

/// What the board can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Liveness {
    /// Readings from the last hour.
    Live,
    /// The table exists but holds no reading of this building from the last hour.
    NoReadings,
    /// The tenant has no `zone_occupancy` table.
    NotAvailable,
}

/// One zone now.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveZone {
    pub id: i64,
    pub name: String,
    /// People at the latest reading; `None`: no reading in the last hour.
    pub people: Option<f64>,
    pub capacity: Option<f64>,
    /// People as a percentage of capacity; `None` without both.
    pub fullness: Option<f64>,
    /// The reading's time, Unix seconds, and as the board shows times of day.
    pub at: Option<i64>,
    pub at_text: Option<String>,
    /// The reading is more than [`BEHIND_AFTER_SECS`] older than the building's newest.
    pub behind: bool,
}

/// One floor (or, where floors are not known, one site) now.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveFloor {
    pub name: String,
    /// Sum of its zones' latest readings (people at about the same time).
    pub people: f64,
    /// Sum of the capacities of its zones that have both a reading and a capacity.
    pub capacity: Option<f64>,
    /// People in those zones as a percentage of that capacity.
    pub fullness: Option<f64>,
    pub zones: Vec<LiveZone>,
}

/// The whole board of one refresh.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveBoard {
    pub connection_id: String,
    pub building_id: i64,
    pub liveness: Liveness,
    /// The newest reading's time, Unix seconds, and as the board shows times of day.
    pub as_of: Option<i64>,
    pub as_of_text: Option<String>,
    /// The zone the times are in, named.
    pub times_label: Option<String>,
    /// Fullest floor first; within a floor, fullest zone first; zones without a reading or a
    /// capacity last.
    pub floors: Vec<LiveFloor>,
}

impl Desk {
    /// Every zone of `building_id` now: one request per call once the table's columns and
    /// the building are known. A tenant without `zone_occupancy` gets
    /// [`Liveness::NotAvailable`], not an error.
    pub async fn live(
        &self,
        connection_id: &str,
        building_id: i64,
        times: Times,
    ) -> Result<LiveBoard> {
        let session = self.session(connection_id).await?;
        let board = |liveness, floors, as_of: Option<(i64, String)>, label| LiveBoard {
            connection_id: connection_id.to_owned(),
            building_id,
            liveness,
            as_of: as_of.as_ref().map(|(t, _)| *t),
            as_of_text: as_of.map(|(_, text)| text),
            times_label: label,
            floors,
        };
        let answer = live::latest(&self.live_columns, &session, building_id, Utc::now()).await?;
        let LiveAnswer::Readings(readings) = answer else {
            return Ok(board(Liveness::NotAvailable, Vec::new(), None, None));
        };
        let detail = self.insights.building_detail(&session, building_id).await?;
        let shown = self.building_times(times, &detail);
        let say = |t: DateTime<Utc>| shown.at(t).format(shown.clock.time_format()).to_string();
        let newest = readings.iter().map(|r| r.at).max();
        let floors = floors_now(&detail, &readings, &say);
        Ok(match newest {
            Some(at) => board(
                Liveness::Live,
                floors,
                Some((at.timestamp(), say(at))),
                Some(shown.label()),
            ),
            None => board(Liveness::NoReadings, floors, None, Some(shown.label())),
        })
    }

    fn building_times(&self, times: Times, detail: &BuildingDetail) -> ShownTime {
        let known = detail.building.time_zone_known;
        match times {
            Times::BuildingLocal => ShownTime::building_local(detail.tz, known),
            Times::AsSet => {
                let settings = self.settings();
                ShownTime::as_set(
                    settings.time_display,
                    settings.clock,
                    detail.tz,
                    known,
                    &ComputerZone::detect(),
                )
            }
        }
    }
}

/// Groups every zone of the building by floor (its own, else its site's; where neither is
/// known, its site) and sorts fullest first.
fn floors_now(
    detail: &BuildingDetail,
    readings: &[Reading],
    say: &dyn Fn(DateTime<Utc>) -> String,
) -> Vec<LiveFloor> {
    let newest = readings.iter().map(|r| r.at).max();
    let by_zone: BTreeMap<i64, &Reading> = readings.iter().map(|r| (r.zone_id, r)).collect();
    let mut groups: BTreeMap<String, Vec<LiveZone>> = BTreeMap::new();
    let mut zone_ids: Vec<i64> = detail.zones.iter().map(|z| z.id).collect();
    // A zone that reports but is not in the building's list still counts.
    zone_ids.extend(
        by_zone
            .keys()
            .filter(|id| !zone_ids.contains(id))
            .collect::<Vec<_>>(),
    );
    for id in zone_ids {
        let zone = detail.zones.iter().find(|z| z.id == id);
        let reading = by_zone.get(&id).copied();
        let site_id = zone
            .and_then(|z| z.site_id)
            .or(reading.and_then(|r| r.site_id));
        let capacity = zone.and_then(|z| z.capacity).filter(|c| *c > 0.0);
        let people = reading.map(|r| r.people);
        groups
            .entry(floor_name(detail, zone.and_then(|z| z.floor_id), site_id))
            .or_default()
            .push(LiveZone {
                id,
                name: zone
                    .and_then(|z| z.name.clone())
                    .unwrap_or_else(|| format!("Zone {id}")),
                people,
                capacity,
                fullness: percent(people, capacity),
                at: reading.map(|r| r.at.timestamp()),
                at_text: reading.map(|r| say(r.at)),
                behind: matches!((reading, newest), (Some(r), Some(n)) if (n - r.at).num_seconds() > BEHIND_AFTER_SECS),
            });
    }
    let mut floors: Vec<LiveFloor> = groups
        .into_iter()
        .map(|(name, mut zones)| {
            zones.sort_by(|a, b| fuller(a.fullness, b.fullness).then_with(|| a.name.cmp(&b.name)));
            let people = zones.iter().filter_map(|z| z.people).sum();
            // Fullness over the zones that have both a reading and a capacity, so a zone
            // without a capacity neither fills nor empties its floor.
            let both: Vec<(f64, f64)> = zones
                .iter()
                .filter_map(|z| Some((z.people?, z.capacity?)))
                .collect();
            let capacity = (!both.is_empty()).then(|| both.iter().map(|(_, c)| c).sum());
            let counted = both.iter().map(|(p, _)| p).sum();
            LiveFloor {
                name,
                people,
                capacity,
                fullness: percent(Some(counted), capacity),
                zones,
            }
        })
        .collect();
    floors.sort_by(|a, b| fuller(a.fullness, b.fullness).then_with(|| a.name.cmp(&b.name)));
    floors
}

fn percent(people: Option<f64>, capacity: Option<f64>) -> Option<f64> {
    Some(people? / capacity.filter(|c| *c > 0.0)? * 100.0)
}

/// Fuller first; unknown fullness last.
fn fuller(a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.total_cmp(&a),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

fn floor_name(detail: &BuildingDetail, floor_id: Option<i64>, site_id: Option<i64>) -> String {
    let site = site_id.and_then(|id| detail.sites.iter().find(|s| s.id == id));
    let floor_id = floor_id.or(site.and_then(|s| s.floor_id));
    if let Some(id) = floor_id {
        let floor = detail.floors.iter().find(|f| f.id == id);
        return floor
            .and_then(|f| f.name.clone().or(f.code.clone()))
            .unwrap_or_else(|| format!("Floor {id}"));
    }
    match (site, site_id) {
        (Some(s), _) if s.code.is_some() => format!("Site {}", s.code.clone().unwrap_or_default()),
        (_, Some(id)) => format!("Site {id}"),
        _ => "Floor not known".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::innerspace::entities::{Building, Floor, Site, Zone};

    fn zone(id: i64, site: i64, capacity: Option<f64>) -> Zone {
        Zone {
            id,
            name: Some(format!("Z{id}")),
            site_id: Some(site),
            floor_id: None,
            zone_type: None,
            capacity,
        }
    }

    fn reading(zone_id: i64, minute: u32, people: f64) -> Reading {
        Reading {
            zone_id,
            site_id: None,
            at: DateTime::parse_from_rfc3339(&format!("2026-11-23T10:{minute:02}:00Z"))
                .unwrap()
                .to_utc(),
            people,
        }
    }

    fn detail() -> BuildingDetail {
        BuildingDetail {
            building: Building {
                id: 71,
                name: "HQ".into(),
                time_zone: "UTC".into(),
                time_zone_known: true,
            },
            floors: vec![Floor {
                id: 1,
                name: Some("Ground".into()),
                code: None,
                level: Some(0),
            }],
            sites: vec![
                Site {
                    id: 10,
                    floor_id: Some(1),
                    code: None,
                    time_zone: None,
                },
                Site {
                    id: 20,
                    floor_id: None,
                    code: None,
                    time_zone: None,
                },
            ],
            zones: vec![
                zone(1, 10, Some(10.0)),
                zone(2, 10, Some(4.0)),
                zone(3, 20, Some(10.0)),
                zone(4, 20, None),
                zone(5, 20, Some(8.0)),
            ],
            zone_types: vec![],
            capacity: None,
            groups: vec![],
            tz: chrono_tz::Tz::UTC,
        }
    }

    #[test]
    fn zones_group_by_floor_fullest_first_and_missing_readings_stay_visible() {
        let readings = [
            reading(1, 42, 5.0),
            reading(2, 42, 4.0),
            reading(3, 10, 9.0),
            reading(4, 42, 3.0),
        ];
        let floors = floors_now(&detail(), &readings, &|t| t.format("%H:%M").to_string());
        let names: Vec<&str> = floors.iter().map(|f| f.name.as_str()).collect();
        // Site 20: 9 of 10 (zone 4 has no capacity, zone 5 no reading) = 90 %;
        // Ground: 9 of 14 = 64 %.
        assert_eq!(names, ["Site 20", "Ground"]);
        let ground: Vec<(i64, Option<f64>)> =
            floors[1].zones.iter().map(|z| (z.id, z.fullness)).collect();
        assert_eq!(ground, [(2, Some(100.0)), (1, Some(50.0))]);
        let site: Vec<i64> = floors[0].zones.iter().map(|z| z.id).collect();
        assert_eq!(site, [3, 4, 5], "no capacity and no reading go last");
        let z3 = &floors[0].zones[0];
        assert!(z3.behind, "32 minutes behind the newest reading");
        assert_eq!(z3.at_text.as_deref(), Some("10:10"));
        let z5 = &floors[0].zones[2];
        assert_eq!((z5.people, z5.fullness, z5.behind), (None, None, false));
        assert_eq!((floors[0].people, floors[0].capacity), (12.0, Some(10.0)));
        assert_eq!(floors[0].fullness, Some(90.0));
    }
}

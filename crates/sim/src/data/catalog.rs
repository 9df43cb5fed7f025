//! The simulated customer's portfolio: buildings, floors, sites and zones.
//!
//! Identifiers, names and time zones are fixed (tests and docs refer to
//! building 71 / site 900000222); capacities and occupancy levels vary with the
//! seed. The portfolio spans northern DST zones (Chicago, London), a southern DST
//! zone (Sydney) and two zones without DST (Singapore, Phoenix).

use std::borrow::Cow;

use chrono_tz::Tz;

use super::noise;

/// Zone types counted as "rooms" by the `_room` metrics.
pub const ROOM_TYPES: [&str; 3] = ["MEETING_ROOM", "FOCUS_ROOM", "PHONE_BOOTH"];

/// How occupancy moves through a day for an entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// Smooth office curve: arrivals, a lunch dip, departures.
    Office,
    /// Bookable rooms: occupied in blocks, empty otherwise.
    Room,
    /// Kitchens and lounges: peaks at coffee and lunch times.
    Amenity,
}

#[derive(Clone, Debug)]
pub struct Building {
    pub id: i64,
    pub name: String,
    pub tz: Tz,
    pub latitude: f64,
    pub longitude: f64,
    /// The building's main site; `BUILDING_INSIGHTS` rows carry it.
    pub main_site: i64,
    /// Public holidays as (month, day), observed every year.
    pub holidays: &'static [(u32, u32)],
    pub key: u64,
}

#[derive(Clone, Debug)]
pub struct Floor {
    pub id: i64,
    pub building_id: i64,
    pub name: String,
    pub floor_code: String,
    pub level: i64,
}

#[derive(Clone, Debug)]
pub struct Site {
    pub id: i64,
    pub building_id: i64,
    pub floor_id: i64,
    pub site_code: String,
    pub altitude: f64,
}

#[derive(Clone, Debug)]
pub struct Zone {
    pub id: i64,
    pub building_id: i64,
    pub floor_id: i64,
    pub site_id: i64,
    pub name: String,
    pub zone_type: &'static str,
    pub capacity: f64,
}

/// Something occupancy is generated for: a building, site, zone, the rooms of a
/// building or site, or all zones of one type in a building.
#[derive(Clone, Debug)]
pub struct Entity {
    /// Index into `Catalog::buildings`.
    pub building: usize,
    pub capacity: f64,
    /// Share of capacity used at a normal weekday peak.
    pub peak_util: f64,
    pub profile: Profile,
    pub key: u64,
}

struct BuildingSpec {
    id: i64,
    name: Cow<'static, str>,
    tz: Tz,
    lat: f64,
    lon: f64,
    alt: f64,
    floors: i64,
    holidays: &'static [(u32, u32)],
}

const US_HOLIDAYS: &[(u32, u32)] = &[(1, 1), (7, 4), (11, 11), (12, 25), (12, 26)];
const UK_HOLIDAYS: &[(u32, u32)] = &[(1, 1), (5, 1), (8, 25), (12, 25), (12, 26)];
const AU_HOLIDAYS: &[(u32, u32)] = &[(1, 1), (1, 26), (4, 25), (12, 25), (12, 26)];
const SG_HOLIDAYS: &[(u32, u32)] = &[(1, 1), (5, 1), (8, 9), (12, 25)];

const BUILDINGS: [BuildingSpec; 5] = [
    BuildingSpec {
        id: 71,
        name: Cow::Borrowed("Chicago Loop HQ"),
        tz: chrono_tz::America::Chicago,
        lat: 41.8837,
        lon: -87.6278,
        alt: 181.0,
        floors: 3,
        holidays: US_HOLIDAYS,
    },
    BuildingSpec {
        id: 72,
        name: Cow::Borrowed("London Shoreditch"),
        tz: chrono_tz::Europe::London,
        lat: 51.5246,
        lon: -0.0786,
        alt: 21.0,
        floors: 2,
        holidays: UK_HOLIDAYS,
    },
    BuildingSpec {
        id: 73,
        name: Cow::Borrowed("Sydney Barangaroo"),
        tz: chrono_tz::Australia::Sydney,
        lat: -33.8615,
        lon: 151.2017,
        alt: 12.0,
        floors: 2,
        holidays: AU_HOLIDAYS,
    },
    BuildingSpec {
        id: 74,
        name: Cow::Borrowed("Singapore Marina"),
        tz: chrono_tz::Asia::Singapore,
        lat: 1.2806,
        lon: 103.8520,
        alt: 15.0,
        floors: 2,
        holidays: SG_HOLIDAYS,
    },
    BuildingSpec {
        id: 75,
        name: Cow::Borrowed("Phoenix Tempe Lab"),
        tz: chrono_tz::America::Phoenix,
        lat: 33.4255,
        lon: -111.9400,
        alt: 360.0,
        floors: 1,
        holidays: US_HOLIDAYS,
    },
];

/// The named buildings, then as many generated ones as asked (`SimConfig::buildings`).
pub const NAMED_BUILDINGS: usize = BUILDINGS.len();
/// The first id of a generated building.
const FIRST_GENERATED_ID: i64 = 100;

/// A place: name, zone, latitude, longitude, holidays.
type Place = (&'static str, Tz, f64, f64, &'static [(u32, u32)]);

/// Places of generated buildings: both hemispheres, DST north and south, and none.
const PLACES: [Place; 12] = [
    (
        "New York Midtown",
        chrono_tz::America::New_York,
        40.75,
        -73.98,
        US_HOLIDAYS,
    ),
    (
        "Berlin Mitte",
        chrono_tz::Europe::Berlin,
        52.52,
        13.40,
        UK_HOLIDAYS,
    ),
    (
        "Tokyo Marunouchi",
        chrono_tz::Asia::Tokyo,
        35.68,
        139.76,
        SG_HOLIDAYS,
    ),
    (
        "Melbourne Docklands",
        chrono_tz::Australia::Melbourne,
        -37.81,
        144.94,
        AU_HOLIDAYS,
    ),
    (
        "Sao Paulo Paulista",
        chrono_tz::America::Sao_Paulo,
        -23.56,
        -46.65,
        US_HOLIDAYS,
    ),
    (
        "Johannesburg Sandton",
        chrono_tz::Africa::Johannesburg,
        -26.10,
        28.05,
        UK_HOLIDAYS,
    ),
    (
        "Auckland Wynyard",
        chrono_tz::Pacific::Auckland,
        -36.84,
        174.76,
        AU_HOLIDAYS,
    ),
    (
        "Bengaluru Whitefield",
        chrono_tz::Asia::Kolkata,
        12.97,
        77.75,
        SG_HOLIDAYS,
    ),
    (
        "Santiago Las Condes",
        chrono_tz::America::Santiago,
        -33.41,
        -70.57,
        US_HOLIDAYS,
    ),
    (
        "Los Angeles Downtown",
        chrono_tz::America::Los_Angeles,
        34.05,
        -118.25,
        US_HOLIDAYS,
    ),
    (
        "Dubai Marina",
        chrono_tz::Asia::Dubai,
        25.08,
        55.14,
        SG_HOLIDAYS,
    ),
    (
        "Madrid Castellana",
        chrono_tz::Europe::Madrid,
        40.45,
        -3.69,
        UK_HOLIDAYS,
    ),
];

/// The `n`th generated building (0-based): a place in turn, 1 to 6 floors by the seed.
fn generated(seed: u64, n: usize) -> BuildingSpec {
    let (place, tz, lat, lon, holidays) = PLACES[n % PLACES.len()];
    let id = FIRST_GENERATED_ID + n as i64;
    let round = n / PLACES.len();
    let h = noise::hash(&[seed, noise::hash_str("generated-floors"), id as u64]);
    BuildingSpec {
        id,
        name: if round == 0 {
            Cow::Borrowed(place)
        } else {
            Cow::Owned(format!("{place} {}", round + 1))
        },
        tz,
        lat,
        lon,
        alt: 10.0,
        floors: 1 + (h % 6) as i64,
        holidays,
    }
}

/// Zone template for every floor: (name, type, capacity range).
const ZONE_TEMPLATE: [(&str, &str, f64, f64); 6] = [
    ("Open Workspace", "OPEN_WORKSPACE", 40.0, 90.0),
    ("Boardroom", "MEETING_ROOM", 10.0, 16.0),
    ("Huddle Room", "MEETING_ROOM", 4.0, 7.0),
    ("Focus Room", "FOCUS_ROOM", 1.0, 3.0),
    ("Phone Booth", "PHONE_BOOTH", 1.0, 2.0),
    ("Kitchen", "KITCHEN", 12.0, 24.0),
];

/// The share of the people the v1 `visitors-` group counts.
const VISITOR_SHARE: f64 = 0.15;

/// A uuid fixed by the seed and a label.
fn group_uuid(seed: u64, label: &str) -> uuid::Uuid {
    let g = noise::hash(&[seed, noise::hash_str(label)]);
    let g2 = noise::mix(g);
    uuid::Builder::from_random_bytes(
        [g.to_le_bytes(), g2.to_le_bytes()]
            .concat()
            .try_into()
            .unwrap_or([0; 16]),
    )
    .into_uuid()
}

/// First site id; building 71's ground floor gets it, as in the vendor docs.
const FIRST_SITE_ID: i64 = 900_000_222;

#[derive(Clone, Debug)]
pub struct Catalog {
    pub buildings: Vec<Building>,
    pub floors: Vec<Floor>,
    pub sites: Vec<Site>,
    pub zones: Vec<Zone>,
    /// v1's "everyone" group of this customer: `all-<uuid>`, fixed per seed.
    pub v1_group_id: String,
    /// Every v1 group with the share of the people it counts: the `all-` group (1.0) first,
    /// then a `visitors-` subset (0.15). A v1 tenant has several groups, and a client that
    /// does not keep them apart mixes their rows.
    pub v1_groups: Vec<(String, f64)>,
    seed: u64,
}

impl Catalog {
    /// The first `count` named buildings, then generated ones up to `count` (deterministic
    /// per seed: varied time zones, hemispheres and sizes).
    pub fn with_buildings(seed: u64, count: usize) -> Catalog {
        let specs = BUILDINGS
            .into_iter()
            .take(count)
            .chain((0..count.saturating_sub(NAMED_BUILDINGS)).map(|n| generated(seed, n)));
        let mut buildings = Vec::new();
        let mut floors = Vec::new();
        let mut sites = Vec::new();
        let mut zones = Vec::new();
        let mut next_site = FIRST_SITE_ID;
        for spec in specs {
            let main_site = next_site;
            for level in 1..=spec.floors {
                let floor_id = spec.id * 1000 + level;
                floors.push(Floor {
                    id: floor_id,
                    building_id: spec.id,
                    name: format!("Level {level}"),
                    floor_code: format!("L{level:02}"),
                    level,
                });
                let site_id = next_site;
                next_site += 1;
                sites.push(Site {
                    id: site_id,
                    building_id: spec.id,
                    floor_id,
                    site_code: format!("B{}-L{level:02}", spec.id),
                    altitude: spec.alt + 4.0 * (level - 1) as f64,
                });
                for (k, (name, zone_type, lo, hi)) in ZONE_TEMPLATE.iter().enumerate() {
                    let id = (spec.id * 100 + level) * 100 + k as i64 + 1;
                    let h = noise::hash(&[seed, noise::hash_str("zone-capacity"), id as u64]);
                    zones.push(Zone {
                        id,
                        building_id: spec.id,
                        floor_id,
                        site_id,
                        name: format!("{name} {level}.{}", k + 1),
                        zone_type,
                        capacity: noise::range(h, *lo, *hi + 1.0).floor(),
                    });
                }
            }
            buildings.push(Building {
                id: spec.id,
                name: spec.name.into_owned(),
                tz: spec.tz,
                latitude: spec.lat,
                longitude: spec.lon,
                main_site,
                holidays: spec.holidays,
                key: noise::hash(&[seed, noise::hash_str("building"), spec.id as u64]),
            });
        }
        let v1_group_id = format!("all-{}", group_uuid(seed, "v1-group"));
        let v1_groups = vec![
            (v1_group_id.clone(), 1.0),
            (
                format!("visitors-{}", group_uuid(seed, "v1-visitors")),
                VISITOR_SHARE,
            ),
        ];
        Catalog {
            buildings,
            floors,
            sites,
            zones,
            v1_group_id,
            v1_groups,
            seed,
        }
    }

    pub fn building_index(&self, id: i64) -> Option<usize> {
        self.buildings.iter().position(|b| b.id == id)
    }

    pub fn building(&self, id: i64) -> Option<&Building> {
        self.buildings.iter().find(|b| b.id == id)
    }

    /// Zone types present in a building, in first-seen order.
    pub fn zone_types(&self, building_id: i64) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for z in self.zones.iter().filter(|z| z.building_id == building_id) {
            if !out.contains(&z.zone_type) {
                out.push(z.zone_type);
            }
        }
        out
    }

    fn capacity_where(&self, f: impl Fn(&Zone) -> bool) -> f64 {
        self.zones.iter().filter(|z| f(z)).map(|z| z.capacity).sum()
    }

    fn entity(
        &self,
        building_id: i64,
        what: &str,
        id: u64,
        capacity: f64,
        profile: Profile,
    ) -> Entity {
        let key = noise::hash(&[self.seed, noise::hash_str(what), id]);
        let util = match profile {
            Profile::Office => noise::range(noise::mix(key), 0.42, 0.72),
            Profile::Room => noise::range(noise::mix(key), 0.35, 0.65),
            Profile::Amenity => noise::range(noise::mix(key), 0.25, 0.55),
        };
        Entity {
            building: self.building_index(building_id).unwrap_or(0),
            capacity: capacity.max(1.0),
            peak_util: util,
            profile,
            key,
        }
    }

    pub fn building_entity(&self, b: &Building, rooms_only: bool) -> Entity {
        let cap =
            self.capacity_where(|z| z.building_id == b.id && (!rooms_only || is_room(z.zone_type)));
        let (what, profile) = if rooms_only {
            ("building-rooms", Profile::Room)
        } else {
            ("building", Profile::Office)
        };
        self.entity(b.id, what, b.id as u64, cap, profile)
    }

    pub fn site_entity(&self, s: &Site, rooms_only: bool) -> Entity {
        let cap =
            self.capacity_where(|z| z.site_id == s.id && (!rooms_only || is_room(z.zone_type)));
        let (what, profile) = if rooms_only {
            ("site-rooms", Profile::Room)
        } else {
            ("site", Profile::Office)
        };
        self.entity(s.building_id, what, s.id as u64, cap, profile)
    }

    pub fn zone_entity(&self, z: &Zone) -> Entity {
        self.entity(
            z.building_id,
            "zone",
            z.id as u64,
            z.capacity,
            profile_of(z.zone_type),
        )
    }

    pub fn zone_type_entity(&self, building_id: i64, zone_type: &str) -> Entity {
        let cap = self.capacity_where(|z| z.building_id == building_id && z.zone_type == zone_type);
        let id = noise::hash(&[building_id as u64, noise::hash_str(zone_type)]);
        self.entity(building_id, "zone-type", id, cap, profile_of(zone_type))
    }
}

pub fn is_room(zone_type: &str) -> bool {
    ROOM_TYPES.contains(&zone_type)
}

fn profile_of(zone_type: &str) -> Profile {
    if is_room(zone_type) {
        Profile::Room
    } else if zone_type == "OPEN_WORKSPACE" {
        Profile::Office
    } else {
        Profile::Amenity
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn a_larger_portfolio_is_deterministic_and_varied() {
        let big = Catalog::with_buildings(42, 40);
        assert_eq!(big.buildings.len(), 40);
        let ids: BTreeSet<i64> = big.buildings.iter().map(|b| b.id).collect();
        assert_eq!(ids.len(), 40, "ids are unique");
        let names: BTreeSet<&str> = big.buildings.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names.len(), 40, "names are unique");
        // The named five come first, unchanged.
        assert_eq!(big.buildings[0].name, "Chicago Loop HQ");
        let zones: BTreeSet<&str> = big.buildings.iter().map(|b| b.tz.name()).collect();
        assert!(zones.len() >= 12, "{zones:?}");
        assert!(big.buildings.iter().any(|b| b.latitude < 0.0));
        assert!(big.buildings.iter().any(|b| b.latitude > 0.0));
        let floors = |id: i64| big.floors.iter().filter(|f| f.building_id == id).count();
        let sizes: BTreeSet<usize> = big.buildings.iter().map(|b| floors(b.id)).collect();
        assert!(sizes.len() >= 4, "sizes vary: {sizes:?}");
        // Same seed, same portfolio; a smaller one is its first buildings.
        let again = Catalog::with_buildings(42, 40);
        assert_eq!(format!("{:?}", again.zones), format!("{:?}", big.zones));
        assert_eq!(Catalog::with_buildings(42, 3).buildings.len(), 3);
    }
}

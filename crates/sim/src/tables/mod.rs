//! Table definitions of both InnerSpace APIs: names, columns, types.
//!
//! Each column has a [`Role`] so one generic engine can build rows for every
//! table (see `generate`), filter them and sort them.

pub mod cell;
pub mod generate;
pub mod realtime;

use crate::config::SchemaProfile;

pub use cell::Cell;

/// Column types, named after the Hasura scalars the schema exposes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColType {
    Int,
    Float,
    String,
    Timestamptz,
    Jsonb,
}

impl ColType {
    pub fn scalar(self) -> &'static str {
        match self {
            ColType::Int => "Int",
            ColType::Float => "Float",
            ColType::String => "String",
            ColType::Timestamptz => "timestamptz",
            ColType::Jsonb => "jsonb",
        }
    }

    /// Hasura comparison input type; `None` for columns that cannot be filtered.
    pub fn comparison_exp(self) -> Option<&'static str> {
        match self {
            ColType::Int => Some("Int_comparison_exp"),
            ColType::Float => Some("Float_comparison_exp"),
            ColType::String => Some("String_comparison_exp"),
            ColType::Timestamptz => Some("timestamptz_comparison_exp"),
            ColType::Jsonb => None,
        }
    }
}

/// Metrics of an insight period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Mean,
    Max,
    Min,
    PosMean,
    PctMean,
    PctMax,
    PctMin,
    PosPctMean,
    Capacity,
}

/// What a column holds; drives row generation and query planning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    DatePartition,
    Start,
    BuildingId,
    SiteId,
    FloorId,
    ZoneId,
    ZoneType,
    GroupId,
    Granularity,
    Metric(Metric),
    MetricName,
    MetricValue,
    FeatureName,
    FeatureValue,
    /// Entity tables: the row's own id.
    Id,
    Name,
    TimeZone,
    Latitude,
    Longitude,
    Altitude,
    SiteCode,
    FloorCode,
    Level,
}

#[derive(Clone, Debug)]
pub struct Column {
    pub name: &'static str,
    pub ty: ColType,
    pub role: Role,
    pub nullable: bool,
}

/// Which entities a time-series table is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Building,
    Site,
    Zone,
    ZoneType,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntityKind {
    Building,
    Floor,
    Site,
    Zone,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableKind {
    /// v2 wide insight rows: one row per period, one column per metric.
    Insights(Level),
    /// v2 entity lists.
    Entities(EntityKind),
    /// v1 long rows: one row per period and metric.
    Metrics(Level),
    /// v1 long rows: one row per period and feature (JSON value).
    Features(Level),
    /// v1 `zone_occupancy`: people per zone, realtime readings and hourly history.
    Occupancy,
}

#[derive(Clone, Debug)]
pub struct Table {
    pub name: &'static str,
    pub kind: TableKind,
    pub columns: Vec<Column>,
}

impl Table {
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    pub fn column_with_role(&self, role: Role) -> Option<usize> {
        self.columns.iter().position(|c| c.role == role)
    }
}

fn col(name: &'static str, ty: ColType, role: Role) -> Column {
    Column {
        name,
        ty,
        role,
        nullable: false,
    }
}

fn v2_insights(name: &'static str, level: Level, profile: SchemaProfile) -> Table {
    use ColType::*;
    let mut columns = vec![
        col("DATE_PARTITION", Int, Role::DatePartition),
        col("BUILDING_ID", Int, Role::BuildingId),
        col("SITE_ID", Int, Role::SiteId),
    ];
    match level {
        Level::Zone => columns.push(col("ZONE_ID", Int, Role::ZoneId)),
        Level::ZoneType => columns.push(col("ZONE_TYPE", String, Role::ZoneType)),
        Level::Building | Level::Site => {}
    }
    columns.extend([
        col("GROUP_ID", String, Role::GroupId),
        col("GRANULARITY", String, Role::Granularity),
        col("DATE_TIME_START", Timestamptz, Role::Start),
        col("OCCUPANCY_MEAN", Float, Role::Metric(Metric::Mean)),
        col("OCCUPANCY_MAX", Float, Role::Metric(Metric::Max)),
    ]);
    let full = profile == SchemaProfile::Full;
    if full {
        columns.push(col("OCCUPANCY_MIN", Float, Role::Metric(Metric::Min)));
    }
    columns.extend([
        col("OCCUPANCY_POS_MEAN", Float, Role::Metric(Metric::PosMean)),
        col(
            "OCCUPANCY_PERCENT_CAPACITY_MEAN",
            Float,
            Role::Metric(Metric::PctMean),
        ),
    ]);
    if full {
        columns.push(col(
            "OCCUPANCY_PERCENT_CAPACITY_MAX",
            Float,
            Role::Metric(Metric::PctMax),
        ));
    }
    if full && matches!(level, Level::Zone | Level::ZoneType) {
        columns.push(col("CAPACITY", Int, Role::Metric(Metric::Capacity)));
    }
    Table {
        name,
        kind: TableKind::Insights(level),
        columns,
    }
}

/// Tables of the v2 API (`POST /v2/api`) in `profile`.
pub fn v2_tables(profile: SchemaProfile) -> Vec<Table> {
    use ColType::*;
    let mut lat = col("LATITUDE", Float, Role::Latitude);
    lat.nullable = true;
    let mut lon = col("LONGITUDE", Float, Role::Longitude);
    lon.nullable = true;
    let mut alt = col("ALTITUDE", Float, Role::Altitude);
    alt.nullable = true;
    let full = profile == SchemaProfile::Full;
    vec![
        v2_insights("BUILDING_INSIGHTS", Level::Building, profile),
        v2_insights("ZONE_INSIGHTS", Level::Zone, profile),
        v2_insights("ZONE_TYPE_INSIGHTS", Level::ZoneType, profile),
        Table {
            name: "BUILDING",
            kind: TableKind::Entities(EntityKind::Building),
            columns: [
                col("ID", Int, Role::Id),
                col("NAME", String, Role::Name),
                col("TIME_ZONE", String, Role::TimeZone),
            ]
            .into_iter()
            .chain(
                full.then(|| [lat.clone(), lon.clone()])
                    .into_iter()
                    .flatten(),
            )
            .collect(),
        },
        Table {
            name: "FLOOR",
            kind: TableKind::Entities(EntityKind::Floor),
            columns: vec![
                col("ID", Int, Role::Id),
                col("BUILDING_ID", Int, Role::BuildingId),
                col("NAME", String, Role::Name),
                col("FLOOR_CODE", String, Role::FloorCode),
                col("LEVEL", Int, Role::Level),
                col("TIME_ZONE", String, Role::TimeZone),
            ],
        },
        Table {
            name: "SITE",
            kind: TableKind::Entities(EntityKind::Site),
            columns: vec![
                col("ID", Int, Role::Id),
                col("BUILDING_ID", Int, Role::BuildingId),
                col("FLOOR_ID", Int, Role::FloorId),
                col("SITE_CODE", String, Role::SiteCode),
                col("TIME_ZONE", String, Role::TimeZone),
                lat,
                lon,
                alt,
            ],
        },
        Table {
            name: "ZONE",
            kind: TableKind::Entities(EntityKind::Zone),
            // A zone's floor is not in the contract: it is its site's `FLOOR_ID`.
            columns: [
                col("ID", Int, Role::Id),
                col("BUILDING_ID", Int, Role::BuildingId),
            ]
            .into_iter()
            .chain(full.then(|| col("FLOOR_ID", Int, Role::FloorId)))
            .chain([
                col("SITE_ID", Int, Role::SiteId),
                col("NAME", String, Role::Name),
                col("ZONE_TYPE", String, Role::ZoneType),
                col("CAPACITY", Int, Role::Metric(Metric::Capacity)),
            ])
            .collect(),
        },
    ]
}

fn v1_long(name: &'static str, level: Level, features: bool) -> Table {
    use ColType::*;
    let mut columns = vec![col("building_id", Int, Role::BuildingId)];
    if matches!(level, Level::Site | Level::Zone) {
        columns.push(col("site_id", Int, Role::SiteId));
    }
    if level == Level::Zone {
        columns.push(col("zone_id", Int, Role::ZoneId));
    }
    columns.extend([
        col("group_id", String, Role::GroupId),
        col("granularity", String, Role::Granularity),
        col("date_time_start", Timestamptz, Role::Start),
    ]);
    let kind = if features {
        columns.push(col("feature_name", String, Role::FeatureName));
        columns.push(col("feature_value", Jsonb, Role::FeatureValue));
        TableKind::Features(level)
    } else {
        columns.push(col("metric_name", String, Role::MetricName));
        columns.push(col("metric_value", Float, Role::MetricValue));
        TableKind::Metrics(level)
    };
    Table {
        name,
        kind,
        columns,
    }
}

/// `zone_occupancy` as api.md §1.4 decides it: one row per zone and time with the number of
/// people, plus `granularity` like every v1 table (`PT1M` realtime readings, `PT1H` history).
fn zone_occupancy() -> Table {
    use ColType::*;
    Table {
        name: "zone_occupancy",
        kind: TableKind::Occupancy,
        columns: vec![
            col("building_id", Int, Role::BuildingId),
            col("site_id", Int, Role::SiteId),
            col("zone_id", Int, Role::ZoneId),
            col("granularity", String, Role::Granularity),
            col("date_time_start", Timestamptz, Role::Start),
            col("occupancy", Float, Role::Metric(Metric::Mean)),
        ],
    }
}

/// Tables of the v1 API (`POST /`); `zone_occupancy` only for a tenant that has it.
pub fn v1_tables(with_zone_occupancy: bool) -> Vec<Table> {
    let mut tables = vec![
        v1_long("building_metrics", Level::Building, false),
        v1_long("building_features", Level::Building, true),
        v1_long("site_metrics", Level::Site, false),
        v1_long("site_features", Level::Site, true),
        v1_long("zone_metrics", Level::Zone, false),
        v1_long("zone_features", Level::Zone, true),
    ];
    if with_zone_occupancy {
        tables.push(zone_occupancy());
    }
    tables
}

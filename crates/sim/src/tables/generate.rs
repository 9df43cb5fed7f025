//! Row generation: walks the entities and periods a query can match, computing
//! values on the fly, and hands matching rows to a sink.
//!
//! Nothing is materialised up front; the `where` clause is evaluated first on
//! the static part of each row (entity, granularity, metric name) to skip whole
//! series, and its bounds on time and date columns limit the days visited.

use std::sync::Arc;

use chrono::NaiveDate;

use super::{Cell, EntityKind, Level, Metric, Role, Table, TableKind};
use crate::data::calendar::{
    self, DayRange, Granularity, History, date_partition, local_day_start, partition_to_date,
};
use crate::data::catalog::{Building, Catalog, Entity, Zone};
use crate::data::model::{Acc, Model, SLOT_SECS, Slot, Stats};
use crate::data::noise;
use crate::graphql::filter::{self, Bounds, Pred, Tri};

pub type Row = Vec<Cell>;

/// The nil UUID: v2's "everyone" group.
pub const V2_GROUP_ID: &str = "00000000-0000-0000-0000-000000000000";

/// Everything generation depends on.
pub struct DataCtx<'a> {
    pub catalog: &'a Catalog,
    pub history: History,
    /// The realtime feed and the real time now (Unix seconds), for `zone_occupancy`.
    pub live: (&'a super::realtime::LiveFeed, i64),
}

/// Receives rows in generation order; returns `false` to stop early.
pub type Sink<'s> = dyn FnMut(Row) -> bool + 's;

/// v1 metric names and where their values come from (`true` = rooms only).
const V1_METRICS: [(&str, Metric, bool); 12] = [
    ("occupancy_mean", Metric::Mean, false),
    ("occupancy_max", Metric::Max, false),
    ("occupancy_min", Metric::Min, false),
    ("occupancy_pos_mean", Metric::PosMean, false),
    ("occupancy_percent_capacity_mean", Metric::PctMean, false),
    ("occupancy_percent_capacity_max", Metric::PctMax, false),
    ("occupancy_percent_capacity_min", Metric::PctMin, false),
    ("occupancy_mean_room", Metric::Mean, true),
    ("occupancy_pos_mean_room", Metric::PosMean, true),
    ("occupancy_percent_capacity_max_room", Metric::PctMax, true),
    ("occupancy_percent_capacity_min_room", Metric::PctMin, true),
    (
        "occupancy_pos_percent_capacity_mean_room",
        Metric::PosPctMean,
        true,
    ),
];

/// v1 features and the granularity each is published at.
pub const V1_FEATURES: [(&str, Granularity); 1] = [("weekly_frequency_dist", Granularity::P1w)];

/// Static description of one series' subject.
struct Subject<'a> {
    building: &'a Building,
    site_id: i64,
    zone: Option<&'a Zone>,
    zone_type: Option<&'static str>,
    entity: Entity,
    /// Rooms-only twin for the `_room` metrics (buildings and sites).
    rooms: Option<Entity>,
}

/// The time-dependent part of one row.
struct Dynamic<'a> {
    start_ms: i64,
    partition: i64,
    stats: &'a Stats,
    value: Option<Cell>,
}

/// Names shared by many rows, allocated once per query.
struct Names {
    group: Arc<str>,
    granularity: [Arc<str>; 5],
    zone_types: Vec<(&'static str, Arc<str>)>,
}

impl Names {
    fn new(group: &str, catalog: &Catalog) -> Names {
        let mut zone_types: Vec<(&'static str, Arc<str>)> = Vec::new();
        for z in &catalog.zones {
            if !zone_types.iter().any(|(t, _)| *t == z.zone_type) {
                zone_types.push((z.zone_type, z.zone_type.into()));
            }
        }
        Names {
            group: group.into(),
            granularity: Granularity::ALL.map(|g| Arc::from(g.as_str())),
            zone_types,
        }
    }

    fn gran(&self, g: Granularity) -> Arc<str> {
        let i = Granularity::ALL.iter().position(|x| *x == g).unwrap_or(0);
        self.granularity[i].clone()
    }

    fn zone_type(&self, t: &str) -> Cell {
        self.zone_types
            .iter()
            .find(|(n, _)| *n == t)
            .map_or_else(|| Cell::Str(t.into()), |(_, a)| Cell::Str(a.clone()))
    }
}

/// Generates the rows of `table` that may match `pred`, in natural order
/// (entity, granularity, time). Rows handed to `sink` do match `pred`.
pub fn generate(table: &Table, ctx: &DataCtx<'_>, pred: Option<&Pred>, sink: &mut Sink<'_>) {
    match table.kind {
        TableKind::Entities(kind) => entities(table, ctx.catalog, kind, pred, sink),
        TableKind::Insights(level) => {
            series(table, ctx, level, V2_GROUP_ID, 1.0, pred, sink);
        }
        TableKind::Occupancy => {
            let (feed, now) = ctx.live;
            if super::realtime::rows(table, ctx, feed, now, pred, sink) {
                series(table, ctx, Level::Zone, "", 1.0, pred, sink);
            }
        }
        TableKind::Metrics(level) | TableKind::Features(level) => {
            for (group, share) in &ctx.catalog.v1_groups {
                if !series(table, ctx, level, group, *share, pred, sink) {
                    return;
                }
            }
        }
    }
}

fn matches(pred: Option<&Pred>, row: &[Cell]) -> bool {
    pred.is_none_or(|p| filter::eval(p, row) == Tri::True)
}

fn entities(
    table: &Table,
    c: &Catalog,
    kind: EntityKind,
    pred: Option<&Pred>,
    sink: &mut Sink<'_>,
) {
    let s = |v: &str| Cell::Str(v.into());
    let rows: Vec<Row> = match kind {
        EntityKind::Building => c
            .buildings
            .iter()
            .map(|b| {
                table
                    .columns
                    .iter()
                    .map(|col| match col.role {
                        Role::Id => Cell::Int(b.id),
                        Role::Name => s(&b.name),
                        Role::TimeZone => s(b.tz.name()),
                        Role::Latitude => Cell::Float(b.latitude),
                        Role::Longitude => Cell::Float(b.longitude),
                        _ => Cell::Null,
                    })
                    .collect()
            })
            .collect(),
        EntityKind::Floor => c
            .floors
            .iter()
            .map(|f| {
                let tz = c.building(f.building_id).map_or("UTC", |b| b.tz.name());
                table
                    .columns
                    .iter()
                    .map(|col| match col.role {
                        Role::Id => Cell::Int(f.id),
                        Role::BuildingId => Cell::Int(f.building_id),
                        Role::Name => s(&f.name),
                        Role::FloorCode => s(&f.floor_code),
                        Role::Level => Cell::Int(f.level),
                        Role::TimeZone => s(tz),
                        _ => Cell::Null,
                    })
                    .collect()
            })
            .collect(),
        EntityKind::Site => c
            .sites
            .iter()
            .map(|site| {
                let b = c.building(site.building_id);
                table
                    .columns
                    .iter()
                    .map(|col| match col.role {
                        Role::Id => Cell::Int(site.id),
                        Role::BuildingId => Cell::Int(site.building_id),
                        Role::FloorId => Cell::Int(site.floor_id),
                        Role::SiteCode => s(&site.site_code),
                        Role::TimeZone => s(b.map_or("UTC", |b| b.tz.name())),
                        Role::Latitude => b.map_or(Cell::Null, |b| Cell::Float(b.latitude)),
                        Role::Longitude => b.map_or(Cell::Null, |b| Cell::Float(b.longitude)),
                        Role::Altitude => Cell::Float(site.altitude),
                        _ => Cell::Null,
                    })
                    .collect()
            })
            .collect(),
        EntityKind::Zone => c
            .zones
            .iter()
            .map(|z| {
                table
                    .columns
                    .iter()
                    .map(|col| match col.role {
                        Role::Id => Cell::Int(z.id),
                        Role::BuildingId => Cell::Int(z.building_id),
                        Role::FloorId => Cell::Int(z.floor_id),
                        Role::SiteId => Cell::Int(z.site_id),
                        Role::Name => s(&z.name),
                        Role::ZoneType => s(z.zone_type),
                        Role::Metric(Metric::Capacity) => Cell::Int(z.capacity as i64),
                        _ => Cell::Null,
                    })
                    .collect()
            })
            .collect(),
    };
    for row in rows {
        if matches(pred, &row) && !sink(row) {
            return;
        }
    }
}

fn subjects<'c>(c: &'c Catalog, level: Level, with_rooms: bool) -> Vec<Subject<'c>> {
    let mut out = Vec::new();
    match level {
        Level::Building => {
            for b in &c.buildings {
                out.push(Subject {
                    building: b,
                    site_id: b.main_site,
                    zone: None,
                    zone_type: None,
                    entity: c.building_entity(b, false),
                    rooms: with_rooms.then(|| c.building_entity(b, true)),
                });
            }
        }
        Level::Site => {
            for s in &c.sites {
                if let Some(b) = c.building(s.building_id) {
                    out.push(Subject {
                        building: b,
                        site_id: s.id,
                        zone: None,
                        zone_type: None,
                        entity: c.site_entity(s, false),
                        rooms: with_rooms.then(|| c.site_entity(s, true)),
                    });
                }
            }
        }
        Level::Zone => {
            for z in &c.zones {
                if let Some(b) = c.building(z.building_id) {
                    out.push(Subject {
                        building: b,
                        site_id: z.site_id,
                        zone: Some(z),
                        zone_type: Some(z.zone_type),
                        entity: c.zone_entity(z),
                        rooms: None,
                    });
                }
            }
        }
        Level::ZoneType => {
            for b in &c.buildings {
                for t in c.zone_types(b.id) {
                    out.push(Subject {
                        building: b,
                        site_id: b.main_site,
                        zone: None,
                        zone_type: Some(t),
                        entity: c.zone_type_entity(b.id, t),
                        rooms: None,
                    });
                }
            }
        }
    }
    out
}

/// A cell that depends only on the series, or `None` if it depends on time.
fn static_cell(
    role: Role,
    subj: &Subject<'_>,
    names: &Names,
    gran: Granularity,
    name: Option<&Arc<str>>,
) -> Option<Cell> {
    Some(match role {
        Role::BuildingId => Cell::Int(subj.building.id),
        Role::SiteId => Cell::Int(subj.site_id),
        Role::ZoneId => Cell::Int(subj.zone.map_or(0, |z| z.id)),
        Role::ZoneType => names.zone_type(subj.zone_type.unwrap_or("")),
        Role::GroupId => Cell::Str(names.group.clone()),
        Role::Granularity => Cell::Str(names.gran(gran)),
        Role::Metric(Metric::Capacity) => Cell::Int(subj.entity.capacity as i64),
        Role::MetricName | Role::FeatureName => Cell::Str(name?.clone()),
        _ => return None,
    })
}

fn dynamic_cell(role: Role, d: &Dynamic<'_>) -> Cell {
    match role {
        Role::DatePartition => Cell::Int(d.partition),
        Role::Start => Cell::Time(d.start_ms),
        Role::Metric(m) => Cell::Float(metric(d.stats, m)),
        Role::MetricValue | Role::FeatureValue => d.value.clone().unwrap_or(Cell::Null),
        _ => Cell::Null,
    }
}

fn metric(s: &Stats, m: Metric) -> f64 {
    match m {
        Metric::Mean => s.mean,
        Metric::Max => s.max,
        Metric::Min => s.min,
        Metric::PosMean => s.pos_mean,
        Metric::PctMean => s.pct_mean,
        Metric::PctMax => s.pct_max,
        Metric::PctMin => s.pct_min,
        Metric::PosPctMean => s.pos_pct_mean,
        Metric::Capacity => s.capacity,
    }
}

/// One named value a long-format row carries, or `None` for wide rows.
#[derive(Clone)]
struct Measure {
    name: Arc<str>,
    metric: Metric,
    rooms: bool,
}

/// The rows of one group, which counts `share` of the people. Returns `false` when the sink
/// wants no more rows.
fn series(
    table: &Table,
    ctx: &DataCtx<'_>,
    level: Level,
    group: &str,
    share: f64,
    pred: Option<&Pred>,
    sink: &mut Sink<'_>,
) -> bool {
    let c = ctx.catalog;
    let names = Names::new(group, c);
    let model = Model {
        catalog: c,
        origin: ctx.history.first,
    };
    let long_metrics = matches!(table.kind, TableKind::Metrics(_));
    let features = matches!(table.kind, TableKind::Features(_));
    let measures: Vec<Measure> = if long_metrics {
        let mut v: Vec<Measure> = V1_METRICS
            .iter()
            .filter(|(_, _, rooms)| !rooms || level != Level::Zone)
            .map(|(n, m, rooms)| Measure {
                name: (*n).into(),
                metric: *m,
                rooms: *rooms,
            })
            .collect();
        if level == Level::Zone {
            v.push(Measure {
                name: "capacity".into(),
                metric: Metric::Capacity,
                rooms: false,
            });
        }
        v
    } else {
        Vec::new()
    };
    let feature_names: Vec<(Arc<str>, Granularity)> = V1_FEATURES
        .iter()
        .map(|(n, g)| (Arc::from(*n), *g))
        .collect();
    let start_col = table.column_with_role(Role::Start);
    let start_bounds = start_col.map_or(Bounds::ALL, |i| filter::bounds(pred, i));
    let part_bounds = table
        .column_with_role(Role::DatePartition)
        .map_or(Bounds::ALL, |i| filter::bounds(pred, i));
    if start_bounds.lo > start_bounds.hi || part_bounds.lo > part_bounds.hi {
        return true;
    }
    let with_rooms = long_metrics && level != Level::Zone;
    let mut buf: Vec<Slot> = Vec::with_capacity(100);
    for subj in subjects(c, level, with_rooms) {
        let Some(range) = day_range(subj.building, ctx.history, start_bounds, part_bounds) else {
            continue;
        };
        // `zone_occupancy`'s history is hourly.
        let grans: &[Granularity] = if table.kind == TableKind::Occupancy {
            &[Granularity::Pt1h]
        } else {
            &Granularity::ALL
        };
        for &gran in grans {
            // Which named values of this series can still match?
            let static_row = |name: Option<&Arc<str>>| -> Vec<Option<Cell>> {
                table
                    .columns
                    .iter()
                    .map(|col| static_cell(col.role, &subj, &names, gran, name))
                    .collect()
            };
            let alive =
                |row: &[Option<Cell>]| pred.is_none_or(|p| filter::eval(p, row) != Tri::False);
            let wanted: Vec<Measure> = if long_metrics {
                measures
                    .iter()
                    .filter(|m| alive(&static_row(Some(&m.name))))
                    .cloned()
                    .collect()
            } else if features {
                feature_names
                    .iter()
                    .filter(|(n, g)| *g == gran && alive(&static_row(Some(n))))
                    .map(|(n, _)| Measure {
                        name: n.clone(),
                        metric: Metric::Mean,
                        rooms: false,
                    })
                    .collect()
            } else if alive(&static_row(None)) {
                vec![Measure {
                    name: Arc::from(""),
                    metric: Metric::Mean,
                    rooms: false,
                }]
            } else {
                Vec::new()
            };
            if wanted.is_empty() {
                continue;
            }
            let base: Vec<Option<Cell>> = static_row(None);
            let need_rooms = wanted.iter().any(|m| m.rooms);
            let keep_going = for_each_period(
                &model,
                &subj,
                gran,
                ctx.history,
                range,
                start_bounds,
                need_rooms,
                &mut buf,
                &mut |start, date, stats, room_stats| {
                    let partition = date_partition(date);
                    let (stats, room_stats) =
                        (&scaled(stats, share), room_stats.map(|r| scaled(r, share)));
                    let room_stats = room_stats.as_ref();
                    for m in &wanted {
                        let value = if long_metrics {
                            let s = if m.rooms {
                                room_stats.unwrap_or(stats)
                            } else {
                                stats
                            };
                            Some(Cell::Float(metric(s, m.metric)))
                        } else if features {
                            Some(Cell::Json(Arc::new(weekly_frequency(
                                subj.entity.key,
                                date,
                                stats,
                            ))))
                        } else {
                            None
                        };
                        let d = Dynamic {
                            start_ms: start * 1000,
                            partition,
                            stats,
                            value,
                        };
                        let row: Row = table
                            .columns
                            .iter()
                            .zip(&base)
                            .map(|(col, b)| match col.role {
                                Role::MetricName | Role::FeatureName => Cell::Str(m.name.clone()),
                                _ => match b {
                                    Some(cell) => cell.clone(),
                                    None => dynamic_cell(col.role, &d),
                                },
                            })
                            .collect();
                        if matches(pred, &row) && !sink(row) {
                            return false;
                        }
                    }
                    true
                },
            );
            if !keep_going {
                return false;
            }
        }
    }
    true
}

/// The figures of a group that counts `share` of the people: counts and percentages scale,
/// capacity does not.
fn scaled(s: &Stats, share: f64) -> Stats {
    if share == 1.0 {
        return *s;
    }
    Stats {
        mean: s.mean * share,
        max: s.max * share,
        min: s.min * share,
        pos_mean: s.pos_mean * share,
        pct_mean: s.pct_mean * share,
        pct_max: s.pct_max * share,
        pct_min: s.pct_min * share,
        pos_pct_mean: s.pos_pct_mean * share,
        capacity: s.capacity,
    }
}

/// Local dates whose periods may match the time and partition bounds.
fn day_range(b: &Building, history: History, start: Bounds, part: Bounds) -> Option<DayRange> {
    let mut first = history.first;
    let mut last = history.last;
    if start.lo != i64::MIN
        && let Some(d) = calendar::local_date(b.tz, start.lo.div_euclid(1000))
    {
        first = first.max(d);
    }
    if start.hi != i64::MAX
        && let Some(d) = calendar::local_date(b.tz, start.hi.div_euclid(1000))
    {
        last = last.min(d);
    }
    if part.lo != i64::MIN {
        first = first.max(partition_to_date(part.lo)?);
    }
    if part.hi != i64::MAX {
        last = last.min(partition_to_date(part.hi)?);
    }
    (first <= last).then_some(DayRange { first, last })
}

type PeriodFn<'f> = dyn FnMut(i64, NaiveDate, &Stats, Option<&Stats>) -> bool + 'f;

/// Calls `f(start_secs, local_start_date, stats, room_stats)` for each period.
#[allow(clippy::too_many_arguments)]
fn for_each_period(
    model: &Model<'_>,
    subj: &Subject<'_>,
    gran: Granularity,
    history: History,
    range: DayRange,
    start_bounds: Bounds,
    need_rooms: bool,
    buf: &mut Vec<Slot>,
    f: &mut PeriodFn<'_>,
) -> bool {
    let e = &subj.entity;
    let rooms = subj.rooms.as_ref().filter(|_| need_rooms);
    let in_bounds = |start: i64| {
        let ms = start.saturating_mul(1000);
        ms >= start_bounds.lo && ms <= start_bounds.hi
    };
    let mut room_buf: Vec<Slot> = Vec::new();
    match gran {
        Granularity::Pt15m | Granularity::Pt1h => {
            let per = if gran == Granularity::Pt15m {
                1
            } else {
                (3600 / SLOT_SECS) as usize
            };
            for date in range.days() {
                buf.clear();
                model.day_slots(e, date, buf);
                if let Some(r) = rooms {
                    room_buf.clear();
                    model.day_slots(r, date, &mut room_buf);
                }
                for (i, chunk) in buf.chunks(per).enumerate() {
                    let start = chunk[0].start;
                    if !in_bounds(start) {
                        continue;
                    }
                    let stats = acc_of(chunk).stats(e.capacity);
                    let room_stats = rooms.and_then(|r| {
                        room_buf
                            .chunks(per)
                            .nth(i)
                            .map(|ch| acc_of(ch).stats(r.capacity))
                    });
                    if !f(start, date, &stats, room_stats.as_ref()) {
                        return false;
                    }
                }
            }
        }
        Granularity::P1d | Granularity::P1w | Granularity::P1m => {
            for (first, last) in calendar::period_starts(gran, history, range) {
                let start = local_day_start(subj.building.tz, first);
                if !in_bounds(start) {
                    continue;
                }
                let span = DayRange { first, last };
                let mut acc = Acc::default();
                let mut room_acc = Acc::default();
                for d in span.days() {
                    acc.merge(&model.day_acc(e, d, buf));
                    if let Some(r) = rooms {
                        room_acc.merge(&model.day_acc(r, d, &mut room_buf));
                    }
                }
                let stats = acc.stats(e.capacity);
                let room_stats = rooms.map(|r| room_acc.stats(r.capacity));
                if !f(start, first, &stats, room_stats.as_ref()) {
                    return false;
                }
            }
        }
    }
    true
}

fn acc_of(slots: &[Slot]) -> Acc {
    let mut acc = Acc::default();
    for s in slots {
        acc.add(s);
    }
    acc
}

/// `weekly_frequency_dist`: share of the week's distinct visitors who came on
/// exactly 1, 2, ..., 7 days. Keys "1".."7", values sum to 1. Busier weeks
/// shift the distribution towards more days.
fn weekly_frequency(key: u64, week_start: NaiveDate, s: &Stats) -> serde_json::Value {
    let busy = (s.pct_mean / 25.0).clamp(0.0, 1.0);
    let centre = 1.2 + 2.6 * busy;
    let mut w = [0.0f64; 7];
    for (i, wi) in w.iter_mut().enumerate() {
        let days = (i + 1) as f64;
        let weekend_penalty = if i >= 5 { 0.08 } else { 1.0 };
        let jitter = 1.0
            + 0.15
                * noise::signed(noise::hash(&[
                    key,
                    u64::from(week_start.to_epoch_days().unsigned_abs()),
                    i as u64,
                ]));
        *wi = (-((days - centre) / 1.1).powi(2)).exp() * weekend_penalty * jitter;
    }
    let total: f64 = w.iter().sum();
    let mut map = serde_json::Map::new();
    for (i, wi) in w.iter().enumerate() {
        let share = if total > 0.0 { wi / total } else { 0.0 };
        map.insert(
            (i + 1).to_string(),
            serde_json::json!((share * 10_000.0).round() / 10_000.0),
        );
    }
    serde_json::Value::Object(map)
}

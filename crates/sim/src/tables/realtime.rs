//! The realtime half of `zone_occupancy` (api.md §1.4): one reading per zone and minute, the
//! newest [`LAG_SECS`] old, the last [`KEPT_READINGS`] of them kept. Readings run on the real
//! clock (like tokens), so they are minutes old whenever the tests run; the nightly half is
//! hourly history up to the day before `today`.
//!
//! A reading is the zone's modelled mean for its 15-minute slot, moved by a per-minute
//! jitter, so values change from one poll to the next. Tests can add people to every reading
//! ([`LiveFeed::set_extra_people`]) to see a change on demand, and can have the feed read as
//! if it were a given local time of a working day ([`LiveFeed::set_time_of_day`]) so a
//! screenshot taken at night still shows a working office.

use std::sync::Mutex;

use chrono::{Datelike, NaiveTime, Timelike, Weekday};

use super::generate::{DataCtx, Row, Sink};
use super::{Cell, Role, Table};
use crate::data::calendar::local_date;
use crate::data::model::{Model, SLOT_SECS, Slot};
use crate::data::noise;
use crate::graphql::filter::{self, Pred, Tri};

/// Seconds between readings.
pub const READING_SECS: i64 = 60;
/// The newest reading is this old: the feed takes a moment to publish.
pub const LAG_SECS: i64 = 120;
/// Readings kept per zone.
pub const KEPT_READINGS: i64 = 15;
/// The granularity column of a realtime row.
pub const REALTIME_GRANULARITY: &str = "PT1M";

/// What tests change about the feed.
#[derive(Debug, Default)]
pub struct LiveFeed {
    extra_people: Mutex<f64>,
    time_of_day: Mutex<Option<NaiveTime>>,
}

impl LiveFeed {
    pub fn set_extra_people(&self, people: f64) {
        if let Ok(mut v) = self.extra_people.lock() {
            *v = people;
        }
    }

    pub fn set_time_of_day(&self, at: Option<NaiveTime>) {
        if let Ok(mut v) = self.time_of_day.lock() {
            *v = at;
        }
    }

    fn extra_people(&self) -> f64 {
        self.extra_people.lock().map_or(0.0, |v| *v)
    }

    fn time_of_day(&self) -> Option<NaiveTime> {
        self.time_of_day.lock().ok().and_then(|v| *v)
    }
}

/// The times of the readings kept at `now` (Unix seconds), newest first.
pub fn reading_times(now: i64) -> impl Iterator<Item = i64> {
    let newest = (now - LAG_SECS).div_euclid(READING_SECS) * READING_SECS;
    (0..KEPT_READINGS).map(move |i| newest - i * READING_SECS)
}

/// Hands the realtime rows of `table` that match `pred` to `sink`; `false` when it wants no
/// more.
pub fn rows(
    table: &Table,
    ctx: &DataCtx<'_>,
    feed: &LiveFeed,
    now: i64,
    pred: Option<&Pred>,
    sink: &mut Sink<'_>,
) -> bool {
    let model = Model {
        catalog: ctx.catalog,
        origin: ctx.history.first,
    };
    let extra = feed.extra_people();
    let as_if = feed.time_of_day();
    let mut slots: Vec<Slot> = Vec::with_capacity(100);
    for zone in &ctx.catalog.zones {
        let Some(building) = ctx.catalog.building(zone.building_id) else {
            continue;
        };
        let entity = ctx.catalog.zone_entity(zone);
        let mut day = None;
        for at in reading_times(now) {
            // The modelled day and slot this reading is taken from.
            let (date, slot_index) = match as_if {
                Some(time) => (
                    last_midweek_day(ctx.history.last),
                    i64::from(time.num_seconds_from_midnight()) / SLOT_SECS,
                ),
                None => {
                    let Some(date) = local_date(building.tz, at) else {
                        continue;
                    };
                    let local = chrono::DateTime::from_timestamp(at, 0)
                        .map(|t| t.with_timezone(&building.tz).time())
                        .unwrap_or_default();
                    (
                        date,
                        i64::from(local.num_seconds_from_midnight()) / SLOT_SECS,
                    )
                }
            };
            if day != Some(date) {
                slots.clear();
                model.day_slots(&entity, date, &mut slots);
                day = Some(date);
            }
            let mean = usize::try_from(slot_index)
                .ok()
                .and_then(|i| slots.get(i))
                .map_or(0.0, |s| s.mean);
            let jitter = 1.0 + 0.25 * noise::signed(noise::hash(&[entity.key, at as u64]));
            let people = (mean * jitter + extra).round().max(0.0);
            let row: Row = table
                .columns
                .iter()
                .map(|col| match col.role {
                    Role::BuildingId => Cell::Int(zone.building_id),
                    Role::SiteId => Cell::Int(zone.site_id),
                    Role::ZoneId => Cell::Int(zone.id),
                    Role::Granularity => Cell::Str(REALTIME_GRANULARITY.into()),
                    Role::Start => Cell::Time(at * 1000),
                    Role::Metric(_) => Cell::Float(people),
                    _ => Cell::Null,
                })
                .collect();
            if pred.is_none_or(|p| filter::eval(p, row.as_slice()) == Tri::True) && !sink(row) {
                return false;
            }
        }
    }
    true
}

/// The last Tuesday, Wednesday or Thursday of the history: a full working day.
fn last_midweek_day(last: chrono::NaiveDate) -> chrono::NaiveDate {
    let mut day = last;
    for _ in 0..7 {
        if matches!(day.weekday(), Weekday::Tue | Weekday::Wed | Weekday::Thu) {
            break;
        }
        day = day.pred_opt().unwrap_or(day);
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_are_minutes_apart_and_the_newest_is_lagging() {
        let times: Vec<i64> = reading_times(10 * 60 + 30).collect();
        assert_eq!(times.len() as i64, KEPT_READINGS);
        assert_eq!(
            times[0],
            8 * 60,
            "10:30 minus the 2-minute lag, on the minute"
        );
        assert_eq!(times[1], 7 * 60);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(); // a Sunday
        assert_eq!(last_midweek_day(day).weekday(), Weekday::Thu);
    }
}

//! The occupancy model: a pure function of (seed, entity, local time).
//!
//! The finest unit is a 15-minute slot. Every coarser value is an aggregate of
//! slots ([`Acc`]), which is what keeps granularities consistent with each other:
//! a mean is the time-weighted mean of the finer means, a max the max of maxes,
//! and `POS_MEAN` (mean over occupied time only) is total person-time divided by
//! total occupied time.

use std::f64::consts::TAU;

use chrono::{Datelike, NaiveDate, NaiveTime, Offset, TimeZone, Weekday};

use super::calendar::local_day_start;
use super::catalog::{Building, Catalog, Entity, Profile};
use super::noise;

pub const SLOT_SECS: i64 = 15 * 60;

/// One 15-minute slot.
#[derive(Clone, Copy, Debug)]
pub struct Slot {
    /// UTC start, Unix seconds.
    pub start: i64,
    pub mean: f64,
    pub max: f64,
    pub min: f64,
    /// Share of the slot during which at least one person was present.
    pub occupied: f64,
}

/// Running aggregate of equal-length slots.
#[derive(Clone, Copy, Debug)]
pub struct Acc {
    pub slots: u32,
    pub sum_mean: f64,
    pub sum_occupied: f64,
    pub max: f64,
    pub min: f64,
}

impl Default for Acc {
    fn default() -> Acc {
        Acc {
            slots: 0,
            sum_mean: 0.0,
            sum_occupied: 0.0,
            max: 0.0,
            min: f64::INFINITY,
        }
    }
}

impl Acc {
    pub fn add(&mut self, s: &Slot) {
        self.slots += 1;
        self.sum_mean += s.mean;
        self.sum_occupied += s.occupied;
        self.max = self.max.max(s.max);
        self.min = self.min.min(s.min);
    }

    pub fn merge(&mut self, o: &Acc) {
        self.slots += o.slots;
        self.sum_mean += o.sum_mean;
        self.sum_occupied += o.sum_occupied;
        self.max = self.max.max(o.max);
        self.min = self.min.min(o.min);
    }

    pub fn stats(&self, capacity: f64) -> Stats {
        let n = f64::from(self.slots.max(1));
        let mean = self.sum_mean / n;
        let min = if self.min.is_finite() { self.min } else { 0.0 };
        let pos_mean = if self.sum_occupied > 0.0 {
            self.sum_mean / self.sum_occupied
        } else {
            0.0
        };
        let pct = |v: f64| v / capacity * 100.0;
        Stats {
            mean,
            max: self.max,
            min,
            pos_mean,
            pct_mean: pct(mean),
            pct_max: pct(self.max),
            pct_min: pct(min),
            pos_pct_mean: pct(pos_mean),
            capacity,
        }
    }
}

/// Published metrics of one period.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stats {
    pub mean: f64,
    pub max: f64,
    pub min: f64,
    pub pos_mean: f64,
    pub pct_mean: f64,
    pub pct_max: f64,
    pub pct_min: f64,
    pub pos_pct_mean: f64,
    pub capacity: f64,
}

/// Generates slots for entities of one catalog.
pub struct Model<'a> {
    pub catalog: &'a Catalog,
    /// First day of history, origin of the slow year-over-year trend.
    pub origin: NaiveDate,
}

impl Model<'_> {
    /// Appends the slots of one local day (92, 96 or 100 of them) to `out`.
    pub fn day_slots(&self, e: &Entity, date: NaiveDate, out: &mut Vec<Slot>) {
        let Some(b) = self.catalog.buildings.get(e.building) else {
            return;
        };
        let start = local_day_start(b.tz, date);
        let end = date
            .succ_opt()
            .map_or(start + 86_400, |next| local_day_start(b.tz, next));
        let naive_midnight = date.and_time(NaiveTime::MIN).and_utc().timestamp();
        let day = self.day_factor(b, date)
            * (1.0 + 0.10 * noise::signed(noise::hash(&[e.key, day_key(date)])));
        let mut t = start;
        while t < end {
            // Offsets here change on whole hours, so one lookup per hour suffices.
            let offset = offset_secs(b, t);
            for q in 0..4 {
                let slot_start = t + q * SLOT_SECS;
                if slot_start >= end {
                    break;
                }
                let local_min = (slot_start + offset - naive_midnight) as f64 / 60.0 + 7.5;
                out.push(self.slot(e, day, local_min / 60.0, slot_start));
            }
            t += 3600;
        }
    }

    /// Aggregate of one local day.
    pub fn day_acc(&self, e: &Entity, date: NaiveDate, buf: &mut Vec<Slot>) -> Acc {
        buf.clear();
        self.day_slots(e, date, buf);
        let mut acc = Acc::default();
        for s in buf.iter() {
            acc.add(s);
        }
        acc
    }

    /// How busy a building is on a date relative to a normal weekday.
    fn day_factor(&self, b: &Building, date: NaiveDate) -> f64 {
        let (m, d) = (date.month(), date.day());
        let mut f = match date.weekday() {
            Weekday::Sat => 0.07,
            Weekday::Sun => 0.035,
            Weekday::Mon => 0.9,
            Weekday::Fri => 0.8,
            _ => 1.0,
        };
        let weekday = f > 0.5;
        if b.holidays.contains(&(m, d)) {
            f = 0.05;
        } else if weekday && ((m == 12 && d >= 24) || (m == 1 && d <= 2)) {
            f *= 0.35;
        }
        // Summer holidays: mid-July in the north, mid-January in the south.
        let dip_day = if b.latitude < 0.0 { 15.0 } else { 200.0 };
        let doy = f64::from(date.ordinal());
        let dist = ((doy - dip_day).rem_euclid(365.25)).min((dip_day - doy).rem_euclid(365.25));
        let season = 1.0 - 0.15 * (-(dist / 22.0).powi(2)).exp()
            + 0.04 * (TAU * (doy - 75.0) / 365.25).cos();
        let years = (date - self.origin).num_days() as f64 / 365.25;
        let trend = 1.0 + 0.06 * years;
        let jitter = 1.0 + 0.07 * noise::signed(noise::hash(&[b.key, day_key(date)]));
        f * season * trend * jitter
    }

    fn slot(&self, e: &Entity, day: f64, hour: f64, start: i64) -> Slot {
        let h = noise::hash(&[e.key, start as u64]);
        let cap = e.capacity;
        let (mean, occupied_hint) = match e.profile {
            Profile::Office => (
                cap * e.peak_util * day * office_curve(hour) * (1.0 + 0.12 * noise::signed(h)),
                None,
            ),
            Profile::Amenity => (
                cap * e.peak_util * day * amenity_curve(hour) * (1.0 + 0.2 * noise::signed(h)),
                None,
            ),
            Profile::Room => {
                // Rooms are booked in half-hour blocks.
                let block = noise::hash(&[e.key, (start.div_euclid(1800)) as u64]);
                let p = (e.peak_util * day * office_curve(hour) * 1.4).clamp(0.0, 0.95);
                if noise::unit(block) < p {
                    let share = noise::range(noise::mix(block), 0.3, 0.9);
                    (
                        cap * share * (1.0 + 0.1 * noise::signed(h)),
                        Some(noise::range(noise::mix(h), 0.75, 1.0)),
                    )
                } else {
                    (0.0, None)
                }
            }
        };
        let mean = mean.clamp(0.0, cap);
        if mean < 1e-3 {
            return Slot {
                start,
                mean: 0.0,
                max: 0.0,
                min: 0.0,
                occupied: 0.0,
            };
        }
        let u = noise::unit(noise::mix(h ^ 0x5151));
        let max = (mean * (1.1 + 0.3 * u)).ceil().min(cap).max(mean);
        let min = (mean * (0.9 - 0.35 * u)).floor().max(0.0);
        let mut occupied = occupied_hint.unwrap_or_else(|| 1.0 - (-mean / 0.8).exp());
        if mean / occupied > max {
            occupied = mean / max;
        }
        Slot {
            start,
            mean,
            max,
            min,
            occupied,
        }
    }
}

fn offset_secs(b: &Building, t: i64) -> i64 {
    chrono::DateTime::from_timestamp(t, 0).map_or(0, |utc| {
        i64::from(
            b.tz.offset_from_utc_datetime(&utc.naive_utc())
                .fix()
                .local_minus_utc(),
        )
    })
}

fn day_key(date: NaiveDate) -> u64 {
    u64::from(date.num_days_from_ce().unsigned_abs())
}

fn smoothstep(e0: f64, e1: f64, x: f64) -> f64 {
    let t = ((x - e0) / (e1 - e0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

fn bump(x: f64, centre: f64, width: f64) -> f64 {
    (-((x - centre) / width).powi(2)).exp()
}

/// Weekday office curve over local hours: arrivals 7–9:30, lunch dip, departures 16–18:30.
fn office_curve(h: f64) -> f64 {
    let presence = smoothstep(7.0, 9.5, h) * (1.0 - smoothstep(16.0, 18.5, h));
    let lunch = 1.0 - 0.22 * bump(h, 12.5, 0.7);
    let peaks = 1.0 + 0.08 * bump(h, 10.5, 1.2) + 0.05 * bump(h, 14.5, 1.0);
    presence * lunch * peaks
}

/// Kitchens and lounges: coffee in the morning and afternoon, a lunch rush.
fn amenity_curve(h: f64) -> f64 {
    let open = smoothstep(7.0, 8.0, h) * (1.0 - smoothstep(18.0, 19.0, h));
    open * (0.2 + 0.9 * bump(h, 12.6, 0.6) + 0.4 * bump(h, 9.0, 0.5) + 0.35 * bump(h, 15.2, 0.5))
}

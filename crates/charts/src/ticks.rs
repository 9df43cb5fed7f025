//! Time-axis ticks in building-local time.
//!
//! The chart's x axis is the continuous UTC instant axis; ticks sit on *local* boundaries
//! (local hours, local midnight, Mondays, the first of a month), each resolved through the
//! time zone rather than by adding 3 600 s, so a DST day gets its 23 or 25 hours, a local
//! time that does not exist (02:00 on a spring-forward night) gets no tick, and one that
//! happens twice gets one tick, at the earlier instant.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Timelike};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// How hours are written: `14:00` (the default) or `2 PM`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Clock {
    #[default]
    #[serde(rename = "24h")]
    H24,
    #[serde(rename = "12h")]
    H12,
}

impl Clock {
    /// An hour tick: `08:00`, or `8 AM` (`12 AM` at midnight, `12 PM` at noon).
    pub fn hour_label(self, hour: u32) -> String {
        match self {
            Clock::H24 => format!("{hour:02}:00"),
            Clock::H12 => {
                let h12 = if hour.is_multiple_of(12) {
                    12
                } else {
                    hour % 12
                };
                format!("{h12} {}", if hour < 12 { "AM" } else { "PM" })
            }
        }
    }

    /// A time of day for a tooltip: `%H:%M`, or `%-I:%M %p` (`12:15 AM`, `12:00 PM`).
    pub fn time_format(self) -> &'static str {
        match self {
            Clock::H24 => "%H:%M",
            Clock::H12 => "%-I:%M %p",
        }
    }
}

/// Spacing between ticks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TickStep {
    /// Every 1, 3, 6 or 12 local hours (ticks on hours divisible by the step).
    Hours(u32),
    /// Every 1 or 2 local days, at local midnight.
    Days(u32),
    /// Mondays at local midnight.
    Week,
    /// The first of every 1 or 3 months (January, April, July, October) at local midnight.
    Months(u32),
}

/// The steps in increasing order.
pub const STEPS: [TickStep; 9] = [
    TickStep::Hours(1),
    TickStep::Hours(3),
    TickStep::Hours(6),
    TickStep::Hours(12),
    TickStep::Days(1),
    TickStep::Days(2),
    TickStep::Week,
    TickStep::Months(1),
    TickStep::Months(3),
];

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

impl TickStep {
    /// Nominal length in milliseconds (a month counts as 30.44 days).
    pub fn approx_ms(self) -> i64 {
        match self {
            TickStep::Hours(n) => i64::from(n) * HOUR_MS,
            TickStep::Days(n) => i64::from(n) * DAY_MS,
            TickStep::Week => 7 * DAY_MS,
            TickStep::Months(n) => i64::from(n) * 2_629_800_000,
        }
    }
}

/// One tick: where (UTC instant) and what it says (local time).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tick {
    pub utc_ms: i64,
    pub label: String,
}

/// The smallest step that fits at most `max_ticks` intervals in `span_ms` (so at most
/// `max_ticks + 1` ticks, both ends included: about 3 to 11 for `max_ticks = 10` and spans
/// from a day to two years); the largest step for longer spans.
pub fn choose_step(span_ms: i64, max_ticks: usize) -> TickStep {
    let max_ticks = max_ticks.max(2) as f64;
    let span = span_ms.max(0) as f64;
    STEPS
        .iter()
        .copied()
        .find(|s| span / s.approx_ms() as f64 <= max_ticks)
        .unwrap_or(TickStep::Months(3))
}

/// Ticks over `[start_ms, end_ms]` with a step chosen by [`choose_step`], on a 24-hour clock.
pub fn time_ticks(start_ms: i64, end_ms: i64, tz: Tz, max_ticks: usize) -> Vec<Tick> {
    time_ticks_on(start_ms, end_ms, tz, max_ticks, Clock::H24)
}

/// [`time_ticks`] with hour labels on the given clock.
pub fn time_ticks_on(
    start_ms: i64,
    end_ms: i64,
    tz: Tz,
    max_ticks: usize,
    clock: Clock,
) -> Vec<Tick> {
    let step = choose_step(end_ms.saturating_sub(start_ms), max_ticks);
    ticks_with_step_on(start_ms, end_ms, tz, step, clock)
}

/// No more than this many ticks are ever made (a tiny step over a huge range).
const MAX_TICKS: usize = 2_000;

/// Ticks over `[start_ms, end_ms]` (both ends included) with the given step, on a 24-hour
/// clock.
pub fn ticks_with_step(start_ms: i64, end_ms: i64, tz: Tz, step: TickStep) -> Vec<Tick> {
    ticks_with_step_on(start_ms, end_ms, tz, step, Clock::H24)
}

/// [`ticks_with_step`] with hour labels on the given clock.
pub fn ticks_with_step_on(
    start_ms: i64,
    end_ms: i64,
    tz: Tz,
    step: TickStep,
    clock: Clock,
) -> Vec<Tick> {
    let (Some(start), Some(end)) = (
        DateTime::from_timestamp_millis(start_ms),
        DateTime::from_timestamp_millis(end_ms),
    ) else {
        return Vec::new();
    };
    if end < start {
        return Vec::new();
    }
    // Spans of more than one local day label midnights with the day, not "00:00".
    let multi_day = end_ms - start_ms > 26 * HOUR_MS;
    let first = start
        .with_timezone(&tz)
        .date_naive()
        .pred_opt()
        .unwrap_or(NaiveDate::MIN);
    let last = end
        .with_timezone(&tz)
        .date_naive()
        .succ_opt()
        .unwrap_or(NaiveDate::MAX);
    let mut out = Vec::new();
    let push = |out: &mut Vec<Tick>, t: DateTime<Tz>, label: String| {
        let ms = t.timestamp_millis();
        if (start_ms..=end_ms).contains(&ms) && out.len() < MAX_TICKS {
            out.push(Tick { utc_ms: ms, label });
        }
    };
    match step {
        TickStep::Hours(n) => {
            let n = n.clamp(1, 24);
            let mut date = first;
            while date <= last && out.len() < MAX_TICKS {
                for h in (0..24).step_by(n as usize) {
                    let naive =
                        date.and_time(NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN));
                    // A local time in a DST gap has no tick; a repeated one has one (earlier).
                    let t = match tz.from_local_datetime(&naive) {
                        LocalResult::Single(t) => t,
                        LocalResult::Ambiguous(t, _) => t,
                        LocalResult::None => continue,
                    };
                    let label = if multi_day && h == 0 {
                        day_label(&t)
                    } else {
                        clock.hour_label(t.hour())
                    };
                    push(&mut out, t, label);
                }
                match date.succ_opt() {
                    Some(d) => date = d,
                    None => break,
                }
            }
        }
        TickStep::Days(_) | TickStep::Week => {
            let mut date = first;
            while date <= last && out.len() < MAX_TICKS {
                let wanted = match step {
                    TickStep::Days(n) => date.num_days_from_ce().rem_euclid(n.max(1) as i32) == 0,
                    _ => date.weekday() == chrono::Weekday::Mon,
                };
                if wanted {
                    let t = local_day_start(tz, date);
                    let label = match step {
                        TickStep::Week => t.format("%b %-d").to_string(),
                        _ => day_label(&t),
                    };
                    push(&mut out, t, label);
                }
                match date.succ_opt() {
                    Some(d) => date = d,
                    None => break,
                }
            }
        }
        TickStep::Months(n) => {
            let n = n.clamp(1, 12) as i32;
            let mut ym = first.year() * 12 + first.month0() as i32;
            let end_ym = last.year() * 12 + last.month0() as i32;
            while ym <= end_ym && out.len() < MAX_TICKS {
                let (y, m0) = (ym.div_euclid(12), ym.rem_euclid(12));
                if m0 % n == 0
                    && let Some(date) = NaiveDate::from_ymd_opt(y, m0 as u32 + 1, 1)
                {
                    let t = local_day_start(tz, date);
                    push(&mut out, t, t.format("%b %Y").to_string());
                }
                ym += 1;
            }
        }
    }
    out
}

fn day_label(t: &DateTime<Tz>) -> String {
    t.format("%a %-d").to_string()
}

/// The first instant of a local date: midnight, or the first local time that exists when
/// midnight falls in a DST gap; the earlier one when it happens twice.
pub fn local_day_start(tz: Tz, date: NaiveDate) -> DateTime<Tz> {
    let mut time = NaiveTime::MIN;
    for _ in 0..(24 * 4) {
        match tz.from_local_datetime(&date.and_time(time)) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => return t,
            LocalResult::None => time += Duration::minutes(15),
        }
    }
    tz.from_utc_datetime(&date.and_time(NaiveTime::MIN))
}

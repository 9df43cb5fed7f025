//! Local-time ticks on DST days in both hemispheres, and long ranges.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use occudesk_charts::{
    Clock, Tick, TickStep, choose_step, ticks_with_step, ticks_with_step_on, time_ticks,
    time_ticks_on,
};

const H: i64 = 3_600_000;

fn utc(s: &str) -> i64 {
    DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis()
}

fn local_midnight(tz: Tz, y: i32, m: u32, d: u32) -> i64 {
    tz.from_local_datetime(
        &NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap(),
    )
    .earliest()
    .unwrap()
    .timestamp_millis()
}

fn labels(ticks: &[Tick]) -> Vec<&str> {
    ticks.iter().map(|t| t.label.as_str()).collect()
}

fn local(tz: Tz, ms: i64) -> DateTime<Tz> {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap()
        .with_timezone(&tz)
}

const THREE_HOURLY: [&str; 9] = [
    "00:00", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00", "00:00",
];

#[test]
fn chicago_spring_forward_day_has_local_hour_ticks_and_no_2am() {
    let tz = chrono_tz::America::Chicago;
    let (start, end) = (
        local_midnight(tz, 2026, 3, 8),
        local_midnight(tz, 2026, 3, 9),
    );
    assert_eq!(start, utc("2026-03-08T06:00:00Z"));
    assert_eq!(end - start, 23 * H);
    let ticks = time_ticks(start, end, tz, 10);
    assert_eq!(choose_step(end - start, 10), TickStep::Hours(3));
    assert_eq!(labels(&ticks), THREE_HOURLY);
    // 00:00 CST to 03:00 CDT is two real hours; later ticks are three apart.
    assert_eq!(ticks[1].utc_ms - ticks[0].utc_ms, 2 * H);
    assert_eq!(ticks[2].utc_ms - ticks[1].utc_ms, 3 * H);
    assert_eq!(ticks[1].utc_ms, utc("2026-03-08T08:00:00Z"));

    let hourly = ticks_with_step(start, end, tz, TickStep::Hours(1));
    assert_eq!(hourly.len(), 24, "23 hours and the closing midnight");
    assert!(!labels(&hourly).contains(&"02:00"));
    assert_eq!(labels(&hourly)[..4], ["00:00", "01:00", "03:00", "04:00"]);
    assert!(hourly.windows(2).all(|w| w[1].utc_ms - w[0].utc_ms == H));
    for t in &hourly {
        assert_eq!(local(tz, t.utc_ms).minute(), 0);
        assert_eq!(format!("{:02}:00", local(tz, t.utc_ms).hour()), t.label);
    }
}

#[test]
fn chicago_fall_back_day_has_25_hours_and_one_1am_tick() {
    let tz = chrono_tz::America::Chicago;
    let (start, end) = (
        local_midnight(tz, 2026, 11, 1),
        local_midnight(tz, 2026, 11, 2),
    );
    assert_eq!(end - start, 25 * H);
    let ticks = time_ticks(start, end, tz, 10);
    assert_eq!(labels(&ticks), THREE_HOURLY);
    assert_eq!(ticks[1].utc_ms - ticks[0].utc_ms, 4 * H);
    let hourly = ticks_with_step(start, end, tz, TickStep::Hours(1));
    assert_eq!(hourly.len(), 25);
    assert_eq!(labels(&hourly).iter().filter(|l| **l == "01:00").count(), 1);
    // The repeated 01:00 gets its earlier (CDT) instant.
    assert_eq!(hourly[1].utc_ms, utc("2026-11-01T06:00:00Z"));
    assert_eq!(hourly[2].label, "02:00");
    assert_eq!(hourly[2].utc_ms, utc("2026-11-01T08:00:00Z"));
}

#[test]
fn sydney_autumn_fall_back_day() {
    let tz = chrono_tz::Australia::Sydney;
    let (start, end) = (
        local_midnight(tz, 2026, 4, 5),
        local_midnight(tz, 2026, 4, 6),
    );
    assert_eq!(start, utc("2026-04-04T13:00:00Z"));
    assert_eq!(end - start, 25 * H);
    let ticks = time_ticks(start, end, tz, 10);
    assert_eq!(labels(&ticks), THREE_HOURLY);
    // 00:00 AEDT to 03:00 AEST: four real hours (02:00–03:00 happens twice).
    assert_eq!(ticks[1].utc_ms - ticks[0].utc_ms, 4 * H);
    let hourly = ticks_with_step(start, end, tz, TickStep::Hours(1));
    assert_eq!(hourly.len(), 25);
    assert_eq!(labels(&hourly).iter().filter(|l| **l == "02:00").count(), 1);
}

#[test]
fn sydney_spring_forward_day() {
    let tz = chrono_tz::Australia::Sydney;
    let (start, end) = (
        local_midnight(tz, 2026, 10, 4),
        local_midnight(tz, 2026, 10, 5),
    );
    assert_eq!(start, utc("2026-10-03T14:00:00Z"));
    assert_eq!(end - start, 23 * H);
    let ticks = time_ticks(start, end, tz, 10);
    assert_eq!(labels(&ticks), THREE_HOURLY);
    assert_eq!(ticks[1].utc_ms - ticks[0].utc_ms, 2 * H);
    let hourly = ticks_with_step(start, end, tz, TickStep::Hours(1));
    assert_eq!(hourly.len(), 24);
    assert!(!labels(&hourly).contains(&"02:00"));
}

#[test]
fn ninety_days_tick_at_local_month_starts() {
    let tz = chrono_tz::America::Chicago;
    let start = local_midnight(tz, 2026, 1, 1);
    let end = start + 90 * 24 * H;
    assert_eq!(choose_step(end - start, 10), TickStep::Months(1));
    let ticks = time_ticks(start, end, tz, 10);
    // Jan 1 + 90 × 24 h is Apr 1, 01:00 CDT: April 1's local midnight is in range.
    assert_eq!(
        labels(&ticks),
        ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"]
    );
    for t in &ticks {
        let l = local(tz, t.utc_ms);
        assert_eq!((l.day(), l.hour(), l.minute()), (1, 0, 0), "{l}");
    }
    // A 90-day range that crosses a month boundary after DST starts: April 1 is CDT (-5).
    let later = time_ticks(start + 10 * 24 * H, end + 10 * 24 * H, tz, 10);
    assert_eq!(later.last().unwrap().label, "Apr 2026");
    assert_eq!(later.last().unwrap().utc_ms, utc("2026-04-01T05:00:00Z"));
}

#[test]
fn two_years_tick_every_three_months_at_local_month_starts() {
    for tz in [chrono_tz::America::Chicago, chrono_tz::Australia::Sydney] {
        let start = local_midnight(tz, 2025, 1, 1);
        let end = local_midnight(tz, 2027, 1, 1);
        let ticks = time_ticks(start, end, tz, 10);
        assert_eq!(
            labels(&ticks),
            [
                "Jan 2025", "Apr 2025", "Jul 2025", "Oct 2025", "Jan 2026", "Apr 2026", "Jul 2026",
                "Oct 2026", "Jan 2027"
            ]
        );
        for t in &ticks {
            let l = local(tz, t.utc_ms);
            assert_eq!((l.day(), l.hour(), l.minute()), (1, 0, 0), "{l}");
            assert!([1, 4, 7, 10].contains(&l.month()));
        }
    }
}

#[test]
fn a_week_ticks_daily_and_three_weeks_on_mondays() {
    let tz = chrono_tz::America::Chicago;
    let start = local_midnight(tz, 2026, 3, 5);
    let end = local_midnight(tz, 2026, 3, 12);
    let ticks = time_ticks(start, end, tz, 10);
    assert_eq!(
        labels(&ticks),
        [
            "Thu 5", "Fri 6", "Sat 7", "Sun 8", "Mon 9", "Tue 10", "Wed 11", "Thu 12"
        ]
    );
    // Local midnights across the DST change: 23 hours between Sun 8 and Mon 9.
    assert_eq!(ticks[4].utc_ms - ticks[3].utc_ms, 23 * H);

    let weeks = ticks_with_step(start, start + 21 * 24 * H, tz, TickStep::Week);
    assert_eq!(labels(&weeks), ["Mar 9", "Mar 16", "Mar 23"]);

    // Two days at 6-hour steps: midnight says the day.
    let two = time_ticks(start, start + 48 * H, tz, 10);
    assert_eq!(
        labels(&two),
        [
            "Thu 5", "06:00", "12:00", "18:00", "Fri 6", "06:00", "12:00", "18:00", "Sat 7"
        ]
    );
}

#[test]
fn every_span_from_a_day_to_two_years_gets_a_readable_tick_count() {
    let tz = chrono_tz::Europe::Berlin;
    let start = local_midnight(tz, 2026, 1, 1);
    let mut span = 24 * H;
    while span <= 731 * 24 * H {
        let n = time_ticks(start, start + span, tz, 10).len();
        assert!((2..=11).contains(&n), "span {} h: {n} ticks", span / H);
        span += 7 * H;
    }
}

#[test]
fn reversed_empty_and_extreme_ranges_do_not_panic() {
    let tz = chrono_tz::UTC;
    assert!(time_ticks(10, 0, tz, 10).is_empty());
    let one = time_ticks(0, 0, tz, 10);
    assert_eq!(labels(&one), ["00:00"]);
    let _ = time_ticks(i64::MIN, i64::MAX, tz, 10);
    let _ = ticks_with_step(0, 400 * 24 * H, tz, TickStep::Hours(1));
    assert!(ticks_with_step(0, 400 * 24 * H, tz, TickStep::Hours(1)).len() <= 2_000);
}

#[test]
fn twelve_hour_ticks_say_12_am_at_midnight_and_12_pm_at_noon_on_both_dst_edges() {
    let tz = chrono_tz::America::Chicago;
    // Spring forward: 23 hours, no 2 AM.
    let (start, end) = (
        local_midnight(tz, 2026, 3, 8),
        local_midnight(tz, 2026, 3, 9),
    );
    let ticks = time_ticks_on(start, end, tz, 10, Clock::H12);
    assert_eq!(
        labels(&ticks),
        [
            "12 AM", "3 AM", "6 AM", "9 AM", "12 PM", "3 PM", "6 PM", "9 PM", "12 AM"
        ]
    );
    assert_eq!(ticks[1].utc_ms - ticks[0].utc_ms, 2 * H);
    let hourly = ticks_with_step_on(start, end, tz, TickStep::Hours(1), Clock::H12);
    assert_eq!(labels(&hourly)[..4], ["12 AM", "1 AM", "3 AM", "4 AM"]);
    // Fall back: 25 hours, 1 AM once (at the earlier instant).
    let (start, end) = (
        local_midnight(tz, 2026, 11, 1),
        local_midnight(tz, 2026, 11, 2),
    );
    assert_eq!(end - start, 25 * H);
    let hourly = ticks_with_step_on(start, end, tz, TickStep::Hours(1), Clock::H12);
    assert_eq!(hourly.len(), 25);
    assert_eq!(labels(&hourly)[..3], ["12 AM", "1 AM", "2 AM"]);
    assert_eq!(hourly[2].utc_ms - hourly[1].utc_ms, 2 * H);
    assert_eq!(labels(&hourly)[12], "12 PM");
}

#[test]
fn the_same_instants_get_ticks_in_the_zone_asked_for() {
    // A Chicago day seen from London: ticks sit on London's hours, not Chicago's.
    let chicago = chrono_tz::America::Chicago;
    let london = chrono_tz::Europe::London;
    let (start, end) = (
        local_midnight(chicago, 2026, 7, 1),
        local_midnight(chicago, 2026, 7, 2),
    );
    let ticks = time_ticks(start, end, london, 10);
    assert_eq!(ticks[0].label, "06:00");
    assert_eq!(ticks[0].utc_ms, start);
    assert!(
        ticks
            .iter()
            .all(|t| local(london, t.utc_ms).hour().is_multiple_of(3))
    );
}

//! Generated data: granularities agree, periods follow local time and DST,
//! and the seed decides everything.

mod common;

use common::*;
use occudesk_sim::{Sim, SimConfig};
use serde_json::{Value, json};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Time-weighted mean of `rows` where each row's weight is its count of finer units.
fn weighted_mean(parts: &[(f64, f64)]) -> f64 {
    let w: f64 = parts.iter().map(|p| p.1).sum();
    parts.iter().map(|p| p.0 * p.1).sum::<f64>() / w
}

fn max_of(rows: &[Value]) -> f64 {
    rows.iter()
        .map(|r| f(&r["OCCUPANCY_MAX"]))
        .fold(0.0, f64::max)
}

#[tokio::test]
async fn granularities_agree_with_each_other() {
    let sim = start(SimConfig::default()).await;
    let s = v2_session(&sim).await;
    // Chicago, the week of the spring DST change (Mon 3 – Sun 9 March 2025, local).
    let (from, to) = ("2025-03-03T06:00:00Z", "2025-03-10T05:00:00Z");
    let quarter = series(&sim, &s, 71, "PT15M", from, to).await;
    let hours = series(&sim, &s, 71, "PT1H", from, to).await;
    let days = series(&sim, &s, 71, "P1D", from, to).await;
    let weeks = series(&sim, &s, 71, "P1W", from, to).await;
    assert_eq!(quarter.len(), 7 * 96 - 4);
    assert_eq!(hours.len(), 7 * 24 - 1);
    assert_eq!(days.len(), 7);
    assert_eq!(weeks.len(), 1);

    // Each hour is the mean (and max) of its four quarters.
    for (h, q) in hours.iter().zip(quarter.chunks(4)) {
        assert_eq!(h["DATE_TIME_START"], q[0]["DATE_TIME_START"]);
        let mean = q.iter().map(|r| f(&r["OCCUPANCY_MEAN"])).sum::<f64>() / 4.0;
        assert!(close(f(&h["OCCUPANCY_MEAN"]), mean));
        assert!(close(f(&h["OCCUPANCY_MAX"]), max_of(q)));
    }
    // Each day is the mean of its hours (23 on the DST day), grouped by DATE_PARTITION.
    let mut busy = false;
    for d in &days {
        let day_hours: Vec<Value> = hours
            .iter()
            .filter(|h| h["DATE_PARTITION"] == d["DATE_PARTITION"])
            .cloned()
            .collect();
        let expected = if d["DATE_PARTITION"] == 20250309 {
            23
        } else {
            24
        };
        assert_eq!(day_hours.len(), expected);
        assert_eq!(d["DATE_TIME_START"], day_hours[0]["DATE_TIME_START"]);
        let parts: Vec<(f64, f64)> = day_hours
            .iter()
            .map(|h| (f(&h["OCCUPANCY_MEAN"]), 1.0))
            .collect();
        assert!(close(f(&d["OCCUPANCY_MEAN"]), weighted_mean(&parts)));
        assert!(close(f(&d["OCCUPANCY_MAX"]), max_of(&day_hours)));
        // POS_MEAN: person-time over occupied time.
        let occupied: f64 = day_hours
            .iter()
            .filter(|h| f(&h["OCCUPANCY_POS_MEAN"]) > 0.0)
            .map(|h| f(&h["OCCUPANCY_MEAN"]) / f(&h["OCCUPANCY_POS_MEAN"]))
            .sum();
        let total: f64 = day_hours.iter().map(|h| f(&h["OCCUPANCY_MEAN"])).sum();
        if occupied > 0.0 {
            assert!(close(f(&d["OCCUPANCY_POS_MEAN"]), total / occupied));
        }
        busy |= f(&d["OCCUPANCY_MEAN"]) > 1.0;
    }
    assert!(busy, "weekdays have people in them");
    // The week is the time-weighted mean of its days.
    let parts: Vec<(f64, f64)> = days
        .iter()
        .map(|d| {
            (
                f(&d["OCCUPANCY_MEAN"]),
                if d["DATE_PARTITION"] == 20250309 {
                    23.0
                } else {
                    24.0
                },
            )
        })
        .collect();
    assert!(close(f(&weeks[0]["OCCUPANCY_MEAN"]), weighted_mean(&parts)));
    assert!(close(f(&weeks[0]["OCCUPANCY_MAX"]), max_of(&days)));
    assert_eq!(weeks[0]["DATE_TIME_START"], "2025-03-03T06:00:00.000Z");

    // A month (Sydney, April 2025: DST ends on the 6th) is the weighted mean of its days.
    let days = series(
        &sim,
        &s,
        73,
        "P1D",
        "2025-03-31T00:00:00Z",
        "2025-04-30T14:00:00Z",
    )
    .await;
    let month = series(
        &sim,
        &s,
        73,
        "P1M",
        "2025-03-31T00:00:00Z",
        "2025-04-30T14:00:00Z",
    )
    .await;
    assert_eq!((days.len(), month.len()), (30, 1));
    assert_eq!(month[0]["DATE_TIME_START"], "2025-03-31T13:00:00.000Z");
    let parts: Vec<(f64, f64)> = days
        .iter()
        .map(|d| {
            (
                f(&d["OCCUPANCY_MEAN"]),
                if d["DATE_PARTITION"] == 20250406 {
                    25.0
                } else {
                    24.0
                },
            )
        })
        .collect();
    assert!(close(f(&month[0]["OCCUPANCY_MEAN"]), weighted_mean(&parts)));
    assert!(close(f(&month[0]["OCCUPANCY_MAX"]), max_of(&days)));
}

async fn hours_on(sim: &Sim, s: &str, building: i64, date: i64) -> Vec<Value> {
    let q = "query h($b: Int!, $d: Int!) { BUILDING_INSIGHTS(where: {BUILDING_ID: {_eq: $b}, DATE_PARTITION: {_eq: $d}, GRANULARITY: {_eq: \"PT1H\"}},
              order_by: {DATE_TIME_START: asc}) { DATE_TIME_START OCCUPANCY_MEAN } }";
    let (_, body) = v2_query(sim, s, q, json!({"b": building, "d": date})).await;
    rows(&body, "BUILDING_INSIGHTS").clone()
}

#[tokio::test]
async fn dst_days_have_23_or_25_hours() {
    let sim = start(SimConfig::default()).await;
    let s = v2_session(&sim).await;
    for (building, date, hours, first) in [
        (71, 20250309, 23, "2025-03-09T06:00:00.000Z"), // Chicago, spring forward
        (71, 20251102, 25, "2025-11-02T05:00:00.000Z"), // Chicago, fall back
        (71, 20250310, 24, "2025-03-10T05:00:00.000Z"),
        (72, 20250330, 23, "2025-03-30T00:00:00.000Z"), // London
        (73, 20250406, 25, "2025-04-05T13:00:00.000Z"), // Sydney, DST ends (southern autumn)
        (73, 20251005, 23, "2025-10-04T14:00:00.000Z"), // Sydney, DST starts
        (74, 20250309, 24, "2025-03-08T16:00:00.000Z"), // Singapore, no DST
        (75, 20250309, 24, "2025-03-09T07:00:00.000Z"), // Phoenix, no DST
    ] {
        let rows = hours_on(&sim, &s, building, date).await;
        assert_eq!(rows.len(), hours, "building {building} on {date}");
        assert_eq!(
            rows[0]["DATE_TIME_START"], first,
            "building {building} on {date}"
        );
    }
    // Lunch dip and quiet night on an ordinary Tuesday in Singapore (UTC+8).
    let day = hours_on(&sim, &s, 74, 20250603).await;
    let at = |h: usize| f(&day[h]["OCCUPANCY_MEAN"]);
    assert!(
        at(3) < 0.5 && at(10) > at(12) && at(15) > at(12) && at(12) > at(3),
        "{day:?}"
    );
    // Weekends are quiet.
    let sunday = hours_on(&sim, &s, 74, 20250601).await;
    assert!(f(&sunday[10]["OCCUPANCY_MEAN"]) < at(10) / 4.0);
}

#[tokio::test]
async fn history_ends_yesterday_and_spans_two_years() {
    let sim = start(SimConfig {
        today: chrono::NaiveDate::from_ymd_opt(2026, 1, 15).expect("date"),
        ..SimConfig::default()
    })
    .await;
    let s = v2_session(&sim).await;
    let q = "{ first: BUILDING_INSIGHTS(where: {BUILDING_ID: {_eq: 75}, GRANULARITY: {_eq: \"P1D\"}}, order_by: {DATE_PARTITION: asc}, limit: 1) { DATE_PARTITION }
               last: BUILDING_INSIGHTS(where: {BUILDING_ID: {_eq: 75}, GRANULARITY: {_eq: \"P1D\"}}, order_by: {DATE_PARTITION: desc}, limit: 1) { DATE_PARTITION } }";
    let (_, body) = v2_query(&sim, &s, q, json!({})).await;
    assert_eq!(rows(&body, "first")[0]["DATE_PARTITION"], 20240115);
    assert_eq!(rows(&body, "last")[0]["DATE_PARTITION"], 20260114);
}

async fn sample(seed: u64) -> Value {
    let sim = start(SimConfig {
        seed,
        ..SimConfig::default()
    })
    .await;
    let s = v2_session(&sim).await;
    let q = "{ ZONE_INSIGHTS(where: {BUILDING_ID: {_eq: 72}, GRANULARITY: {_eq: \"PT1H\"}, DATE_PARTITION: {_eq: 20250604}}) {
                ZONE_ID DATE_TIME_START OCCUPANCY_MEAN OCCUPANCY_MAX CAPACITY } }";
    let (_, body) = v2_query(&sim, &s, q, json!({})).await;
    sim.shutdown().await;
    body
}

#[tokio::test]
async fn the_seed_decides_the_data() {
    let a = sample(7).await;
    let b = sample(7).await;
    let c = sample(8).await;
    assert_eq!(rows(&a, "ZONE_INSIGHTS").len(), 12 * 24);
    assert_eq!(a, b);
    assert_ne!(a, c);
}

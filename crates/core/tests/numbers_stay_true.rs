//! Numbers that stay true: a late publish never freezes empty days, a result that shows
//! provisional days expires, and each table's row cap is its own.

mod insights_support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::Duration as Days;
use insights_support::*;
use occudesk_core::auth::{Clock, ManualClock};
use occudesk_core::cache::DayCache;
use occudesk_core::innerspace::{Granularity, InsightQuery, InsightTable, Insights};
use occudesk_core::insights::InsightResult;
use occudesk_sim::SimConfig;
use tokio_util::sync::CancellationToken;

async fn load(
    insights: &Insights,
    session: &Arc<occudesk_core::auth::Session>,
    q: &InsightQuery,
) -> Arc<InsightResult> {
    insights
        .fetch(session, q, |_| {}, &CancellationToken::new())
        .await
        .unwrap()
}

/// The last 14 days before the simulator's today, by the hour, of building 71.
fn last_fortnight() -> InsightQuery {
    let today = sim_today();
    query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        &(today - Days::days(14)).to_string(),
        &(today - Days::days(1)).to_string(),
    )
}

#[tokio::test]
async fn days_held_back_by_a_late_publish_are_asked_for_again_once_published() {
    let (sim, session) = start_own(SimConfig::default(), Flow::V2).await;
    let dir = tempfile::tempdir().unwrap();
    let q = last_fortnight();

    sim.hold_back(4);
    let early = load(
        &sim_insights().with_cache(DayCache::in_dir(dir.path(), 100)),
        &session,
        &q,
    )
    .await;
    assert_eq!(early.rows.len(), 10 * 24, "four days not published yet");

    // A new engine on the same cache (the next run of the app or the CLI).
    sim.publish();
    let later = load(
        &sim_insights().with_cache(DayCache::in_dir(dir.path(), 100)),
        &session,
        &q,
    )
    .await;
    assert_eq!(later.rows.len(), 14 * 24, "every row once published");
    // Only the days that were not whole (and the last two, still provisional) were asked for.
    assert_eq!(later.source.days_from_cache, 10);
    assert_eq!(later.source.days_fetched, 4);
}

#[tokio::test]
async fn a_result_loaded_before_a_publish_shows_the_new_days_after_it_without_a_restart() {
    let (sim, session) = start_own(SimConfig::default(), Flow::V2).await;
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(clock_on(sim_today()).now()));
    let insights =
        Insights::with_clock(clock.clone()).with_cache(DayCache::in_dir(dir.path(), 100));
    let q = last_fortnight();

    sim.hold_back(1);
    let morning = load(&insights, &session, &q).await;
    assert_eq!(morning.rows.len(), 13 * 24);
    sim.publish();
    // Right after, the same view comes from memory.
    clock.advance(Duration::from_secs(60));
    assert!(Arc::ptr_eq(&load(&insights, &session, &q).await, &morning));
    // A few minutes later the provisional days are asked for again.
    clock.advance(Duration::from_secs(5 * 60));
    let later = load(&insights, &session, &q).await;
    assert_eq!(later.rows.len(), 14 * 24);
    // Through the same engine, a reload asks for every day and changes nothing that was right.
    let reloaded = insights
        .reload(&session, &q, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(reloaded.rows, later.rows);
    assert_eq!(reloaded.source.days_fetched, 14);
}

#[tokio::test]
async fn a_final_day_is_never_asked_for_twice() {
    let (sim, session) = start_own(SimConfig::default(), Flow::V2).await;
    let dir = tempfile::tempdir().unwrap();
    let q = last_fortnight();
    load(
        &sim_insights().with_cache(DayCache::in_dir(dir.path(), 100)),
        &session,
        &q,
    )
    .await;
    sim.clear_requests();
    let again = load(
        &sim_insights().with_cache(DayCache::in_dir(dir.path(), 100)),
        &session,
        &q,
    )
    .await;
    assert_eq!(
        (again.source.days_from_cache, again.source.days_fetched),
        (13, 1)
    );
    // What the service was asked: only yesterday (DATE_PARTITION bounds of every request).
    let yesterday: i64 = (sim_today() - Days::days(1))
        .format("%Y%m%d")
        .to_string()
        .parse()
        .unwrap();
    let bounds: Vec<(Option<i64>, Option<i64>)> = sim
        .requests()
        .iter()
        .filter_map(|r| serde_json::from_slice::<serde_json::Value>(&r.body).ok())
        .filter(|b| b["operationName"] == "Insights")
        .map(|b| {
            (
                b["variables"]["from"].as_i64(),
                b["variables"]["to"].as_i64(),
            )
        })
        .collect();
    assert!(!bounds.is_empty());
    assert!(
        bounds
            .iter()
            .all(|b| *b == (Some(yesterday), Some(yesterday))),
        "{bounds:?}"
    );
}

/// `(start, zone) → mean` of a result.
fn values(result: &InsightResult) -> BTreeMap<(i64, Option<i64>), Option<f64>> {
    result
        .rows
        .iter()
        .map(|r| ((r.start_utc.timestamp_millis(), r.zone_id), r.values[0]))
        .collect()
}

#[tokio::test]
async fn a_page_cut_by_a_second_tables_smaller_cap_is_paged_not_accepted() {
    let caps = [("ZONE_INSIGHTS".to_owned(), 500), ("ZONE".to_owned(), 10)];
    let (_sim, session) = start(
        SimConfig {
            table_row_caps: caps.into_iter().collect(),
            ..SimConfig::default()
        },
        Flow::V2,
    )
    .await;
    let insights = sim_insights();
    // Building 71 has 18 zones, more than the ZONE table's cap: every one is listed.
    let detail = insights.building_detail(&session, 71).await.unwrap();
    assert_eq!(detail.zones.len(), 18);
    // A large answer from BUILDING_INSIGHTS (2,000 rows) proves nothing about ZONE_INSIGHTS,
    // whose answers stop at 500.
    let big = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2025-01-01",
        "2025-03-31",
    );
    assert_eq!(
        load(&insights, &session, &big).await.rows.len(),
        90 * 24 - 1
    );
    let zones = InsightQuery {
        site_id: Some(900000222),
        ..query(
            InsightTable::ZoneInsights,
            71,
            Granularity::Pt1h,
            "2025-01-06",
            "2025-01-12",
        )
    };
    let got = load(&insights, &session, &zones).await;
    assert_eq!(got.rows.len(), 6 * 7 * 24, "six zones, a week of hours");
    assert_eq!(
        insights.row_cap(&session.connection().id, InsightTable::ZoneInsights),
        Some(500)
    );
    assert_eq!(
        insights.row_cap(&session.connection().id, InsightTable::BuildingInsights),
        None
    );

    let (_full, reference_session) = start(SimConfig::default(), Flow::V2).await;
    let reference = load(&sim_insights(), &reference_session, &zones).await;
    assert_eq!(values(&got), values(&reference));
}

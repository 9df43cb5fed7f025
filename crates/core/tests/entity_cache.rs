//! Building lists, building details and metric lists kept in the local cache with their fetch
//! time: a fresh engine (a second CLI run) reuses them for an hour without a request, asks
//! again after it, and serves an old one when the service cannot be reached. A whole second
//! open of a cached year costs no request at all, not even a token.

mod insights_support;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use insights_support::*;
use occudesk_core::auth::{Clock, ManualClock, Session, SystemClock};
use occudesk_core::cache::DayCache;
use occudesk_core::http::{HttpClient, HttpConfig};
use occudesk_core::innerspace::{ENTITY_TTL, Freshness, Granularity, InsightTable, Insights};
use occudesk_core::vault::Vault;
use occudesk_sim::{Sim, SimConfig, demo};
use tokio_util::sync::CancellationToken;

/// A clock at 12:00 UTC on the simulator's "today", moved by the test.
fn clock() -> Arc<ManualClock> {
    let noon = sim_today().and_hms_opt(12, 0, 0).expect("noon").and_utc();
    Arc::new(ManualClock::new(noon.into()))
}

/// A fresh engine (nothing in memory) on the cache in `dir`, reading `clock`.
fn engine(dir: &Path, clock: &Arc<ManualClock>) -> Insights {
    Insights::with_clock(clock.clone()).with_cache(DayCache::in_dir(dir, 500))
}

/// A new session (no token yet) for the same connection: what a second process starts with.
fn fresh_session(session: &Session, flow: Flow) -> Arc<Session> {
    Arc::new(
        Session::new(
            session.connection(),
            secrecy::SecretString::from(flow.secret()),
            HttpClient::new(HttpConfig::for_tests()).expect("http client"),
            Arc::new(SystemClock),
        )
        .expect("session"),
    )
}

fn minutes(n: u64) -> Duration {
    Duration::from_secs(n * 60)
}

/// The paths of every request the simulator received since the last `clear_requests`, token
/// requests included.
fn paths(sim: &Sim) -> Vec<String> {
    sim.requests().into_iter().map(|r| r.path).collect()
}

/// Whether the simulator received a request since the last look; forgets them.
fn asked(sim: &Sim) -> bool {
    let any = !sim.requests().is_empty();
    sim.clear_requests();
    any
}

/// The GraphQL operation names received since the last look; forgets them.
fn operations(sim: &Sim) -> Vec<String> {
    let names = sim
        .requests()
        .iter()
        .filter_map(|r| serde_json::from_slice::<serde_json::Value>(&r.body).ok())
        .filter_map(|b| b["operationName"].as_str().map(str::to_owned))
        .collect();
    sim.clear_requests();
    names
}

fn table_of(flow: Flow) -> InsightTable {
    match flow {
        Flow::V2 => InsightTable::BuildingInsights,
        _ => InsightTable::BuildingMetrics,
    }
}

#[tokio::test]
async fn a_fresh_engine_reuses_what_was_fetched_within_the_hour_without_a_request() {
    for flow in [Flow::V2, Flow::V1TopLevel] {
        let (sim, session) = start_own(SimConfig::default(), flow).await;
        let dir = tempfile::tempdir().unwrap();
        let clock = clock();
        let table = table_of(flow);
        let first = engine(dir.path(), &clock);
        let buildings = first.buildings(&session).await.unwrap();
        let detail = first.building_detail(&session, 71).await.unwrap();
        let metrics = first.metrics(&session, table).await.unwrap();
        assert!(!paths(&sim).is_empty(), "{flow:?}: the first time asks");

        clock.advance(minutes(59));
        sim.clear_requests();
        let session = fresh_session(&session, flow);
        let second = engine(dir.path(), &clock);
        assert_eq!(second.buildings(&session).await.unwrap(), buildings);
        let again = second.building_detail(&session, 71).await.unwrap();
        // The whole detail, the time zone (not stored, set from its name) included.
        assert_eq!(again, detail, "{flow:?}");
        assert_ne!(again.tz, chrono_tz::Tz::UTC, "{flow:?}");
        assert_eq!(second.metrics(&session, table).await.unwrap(), metrics);
        assert_eq!(paths(&sim), Vec::<String>::new(), "{flow:?}");
        assert_eq!(
            session.token_requests(),
            0,
            "{flow:?}: no request, no token"
        );
    }
}

#[tokio::test]
async fn after_the_hour_they_are_asked_for_again_and_kept_anew() {
    let (sim, session) = start_own(SimConfig::default(), Flow::V2).await;
    let dir = tempfile::tempdir().unwrap();
    let clock = clock();
    let table = InsightTable::BuildingInsights;
    let long_running = engine(dir.path(), &clock);
    long_running.building_detail(&session, 71).await.unwrap();
    long_running.metrics(&session, table).await.unwrap();
    long_running.buildings(&session).await.unwrap();

    // Memory follows the same hour: within it the app asks nothing, after it the detail again.
    clock.advance(minutes(30));
    sim.clear_requests();
    long_running.building_detail(&session, 71).await.unwrap();
    assert!(paths(&sim).is_empty(), "{:?}", paths(&sim));
    clock.advance(ENTITY_TTL.to_std().unwrap() - minutes(30) + minutes(1));
    long_running.building_detail(&session, 71).await.unwrap();
    assert!(
        !paths(&sim).is_empty(),
        "a detail older than an hour is asked again"
    );

    // A fresh engine an hour after that: the stored list, metrics and detail are stale too.
    clock.advance(minutes(60));
    sim.clear_requests();
    let later = engine(dir.path(), &clock);
    later.building_detail(&session, 71).await.unwrap();
    assert!(asked(&sim), "the detail is asked again");
    later.metrics(&session, table).await.unwrap();
    assert_eq!(
        operations(&sim),
        ["Columns"],
        "the metric list is asked again"
    );
    later.buildings(&session).await.unwrap();
    assert!(asked(&sim), "the building list is asked again");

    // Kept with the new fetch time: the next fresh engine asks nothing.
    sim.clear_requests();
    let next = engine(dir.path(), &clock);
    next.building_detail(&session, 71).await.unwrap();
    next.metrics(&session, table).await.unwrap();
    next.buildings(&session).await.unwrap();
    assert!(paths(&sim).is_empty(), "{:?}", paths(&sim));

    // A clock set back before the fetch is not trusted to keep the entry fresh.
    let behind = Arc::new(ManualClock::new(clock.now() - minutes(10)));
    engine(dir.path(), &behind)
        .building_detail(&session, 71)
        .await
        .unwrap();
    assert!(
        !paths(&sim).is_empty(),
        "a fetch time in the future is stale"
    );
}

#[tokio::test]
async fn offline_a_stale_entry_is_served_and_a_missing_one_is_the_network_error() {
    let (sim, session) = start_own(SimConfig::default(), Flow::V2).await;
    let dir = tempfile::tempdir().unwrap();
    let clock = clock();
    let table = InsightTable::BuildingInsights;
    let online = engine(dir.path(), &clock);
    let buildings = online.buildings(&session).await.unwrap();
    let detail = online.building_detail(&session, 71).await.unwrap();
    let metrics = online.metrics(&session, table).await.unwrap();
    let q = query(table, 71, Granularity::P1d, "2025-01-01", "2025-01-31");
    online
        .fetch(&session, &q, |_| {}, &CancellationToken::new())
        .await
        .unwrap();

    clock.advance(minutes(120));
    let session = fresh_session(&session, Flow::V2);
    sim.shutdown().await;
    let offline = engine(dir.path(), &clock);
    assert_eq!(offline.buildings(&session).await.unwrap(), buildings);
    assert_eq!(offline.building_detail(&session, 71).await.unwrap(), detail);
    assert_eq!(offline.metrics(&session, table).await.unwrap(), metrics);
    let r = offline
        .fetch(&session, &q, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert!(r.source.offline, "{:?}", r.notice);
    assert_eq!(r.source.days_from_cache, 31);

    // Never fetched: nothing to stand in, the network error.
    let err = offline.building_detail(&session, 72).await.unwrap_err();
    assert_eq!(err.code(), "net.offline");
}

#[tokio::test]
async fn a_second_open_of_a_cached_year_in_a_fresh_process_sends_no_request() {
    let (sim, _) = start_own(SimConfig::default(), Flow::V2).await;
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::memory();
    let first = desk_on(dir.path(), &vault).await;
    let id = connect(&first, &sim, Flow::V2).await;
    let year = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2025-01-01",
        "2025-12-31",
    );
    let r = first
        .fetch_insights(&id, &year, Freshness::Usual, "a", |_| {})
        .await
        .unwrap();
    assert_eq!(r.source.days_fetched, 365);
    drop(first);

    // What `occudesk-cli insights` does on its second run: a new desk, a new session.
    sim.clear_requests();
    let tokens = sim.counters(demo::V2_CLIENT_ID).token_requests;
    let second = desk_on(dir.path(), &vault).await;
    let r = second
        .fetch_insights(&id, &year, Freshness::Usual, "b", |_| {})
        .await
        .unwrap();
    assert_eq!((r.requests, r.source.days_from_cache), (0, 365));
    assert!(!r.source.offline);
    assert_eq!(paths(&sim), Vec::<String>::new());
    assert_eq!(sim.counters(demo::V2_CLIENT_ID).token_requests, tokens);
}

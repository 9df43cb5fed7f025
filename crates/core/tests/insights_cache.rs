//! The local cache of fetched days against the simulator: repeat views send no insight
//! request, overlaps ask only for the missing days, results equal fetches without the cache,
//! recent days are asked again, offline views, damaged files, two writers, clearing.

mod insights_support;

use std::path::Path;
use std::sync::Arc;

use insights_support::*;
use occudesk_core::auth::Session;
use occudesk_core::cache::{CACHE_FILE_NAME, DayCache};
use occudesk_core::connections::ConnectionDraft;
use occudesk_core::http::HttpConfig;
use occudesk_core::innerspace::{
    FetchProgress, Freshness, Granularity, InsightQuery, InsightTable, Insights,
};
use occudesk_core::insights::InsightResult;
use occudesk_core::vault::Vault;
use occudesk_sim::{Sim, SimConfig, demo};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

fn no_progress(_: FetchProgress) {}

/// A fresh engine (empty memory, so only the cache can save requests) on the cache in `dir`,
/// on the simulator's calendar (today 2026-11-23: its history ends on 11-22).
fn engine(dir: &Path) -> Insights {
    sim_insights().with_cache(DayCache::in_dir(dir, 500))
}

async fn fetch(
    insights: &Insights,
    session: &Arc<Session>,
    q: &InsightQuery,
) -> Arc<InsightResult> {
    insights
        .fetch(session, q, no_progress, &CancellationToken::new())
        .await
        .expect("fetch")
}

/// The `(from, to)` variables of every insight request the simulator received since the
/// last `clear_requests` (DATE_PARTITION bounds on v2).
fn insight_bounds(sim: &Sim) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = sim
        .requests()
        .iter()
        .filter_map(|r| serde_json::from_slice::<Value>(&r.body).ok())
        .filter(|b| b["operationName"] == "Insights")
        .map(|b| {
            (
                b["variables"]["from"].as_i64().unwrap_or(-1),
                b["variables"]["to"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    out.sort_unstable();
    // A chunk whose rows fall short of the prediction (today has none yet) is verified with
    // a second request for the same bounds.
    out.dedup();
    out
}

/// Everything an analyst sees of a result (not how many requests it took).
fn seen(r: &InsightResult) -> impl PartialEq + std::fmt::Debug + '_ {
    (
        &r.time_zone,
        r.time_zone_known,
        &r.table,
        &r.granularity,
        &r.columns,
        &r.rows,
        &r.notice,
    )
}

#[tokio::test]
async fn a_repeat_view_sends_no_insight_request_and_equals_a_fetch_without_the_cache() {
    let (sim, session) = start_own(SimConfig::default(), Flow::V2).await;
    let dir = tempfile::tempdir().unwrap();
    let q = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2025-01-01",
        "2025-03-31",
    );
    let first = fetch(&engine(dir.path()), &session, &q).await;
    assert_eq!(first.source.days_fetched, 90);
    assert!(first.requests > 0);

    sim.clear_requests();
    let again = fetch(&engine(dir.path()), &session, &q).await;
    assert!(
        insight_bounds(&sim).is_empty(),
        "{:?}",
        insight_bounds(&sim)
    );
    assert_eq!((again.requests, again.source.days_from_cache), (0, 90));
    assert!(!again.source.offline);

    let uncached = fetch(&sim_insights(), &session, &q).await;
    assert_eq!(seen(&again), seen(&uncached));
    assert_eq!(seen(&first), seen(&uncached));
    assert_eq!(uncached.rows.len(), 90 * 24 - 1, "one 23-hour day");
}

#[tokio::test]
async fn an_overlapping_range_asks_only_for_the_missing_days() {
    let (sim, session) = start_own(SimConfig::default(), Flow::V2).await;
    let dir = tempfile::tempdir().unwrap();
    let q = |from, to| {
        query(
            InsightTable::BuildingInsights,
            71,
            Granularity::Pt1h,
            from,
            to,
        )
    };
    fetch(
        &engine(dir.path()),
        &session,
        &q("2025-02-01", "2025-03-31"),
    )
    .await;
    fetch(
        &engine(dir.path()),
        &session,
        &q("2025-05-01", "2025-05-10"),
    )
    .await;

    // January, then a hole in April, are missing; February, March and May 1-10 are kept.
    sim.clear_requests();
    let wide = q("2025-01-01", "2025-05-10");
    let merged = fetch(&engine(dir.path()), &session, &wide).await;
    let bounds = insight_bounds(&sim);
    assert!(!bounds.is_empty());
    let in_january = |(a, b): &(i64, i64)| *a >= 20250101 && *b <= 20250131;
    let in_april = |(a, b): &(i64, i64)| *a >= 20250401 && *b <= 20250430;
    assert!(
        bounds.iter().all(|r| in_january(r) || in_april(r)),
        "{bounds:?}"
    );
    assert_eq!(bounds.iter().map(|r| r.0).min(), Some(20250101));
    assert_eq!(
        bounds.iter().filter(|r| in_april(r)).map(|r| r.1).max(),
        Some(20250430)
    );
    assert_eq!(
        (merged.source.days_from_cache, merged.source.days_fetched),
        (69, 61)
    );

    let uncached = fetch(&sim_insights(), &session, &wide).await;
    assert_eq!(seen(&merged), seen(&uncached));
}

#[tokio::test]
async fn v1_long_tables_merge_from_the_cache_exactly_as_fetched() {
    let (sim, session) = start_own(SimConfig::default(), Flow::V1TopLevel).await;
    let dir = tempfile::tempdir().unwrap();
    let metrics = |mut q: InsightQuery| {
        q.metrics = vec!["occupancy_mean".into(), "occupancy_max".into()];
        q
    };
    let part = metrics(query(
        InsightTable::SiteMetrics,
        71,
        Granularity::P1d,
        "2025-03-01",
        "2025-03-20",
    ));
    let whole = metrics(query(
        InsightTable::SiteMetrics,
        71,
        Granularity::P1d,
        "2025-02-20",
        "2025-04-10",
    ));
    fetch(&engine(dir.path()), &session, &part).await;
    sim.clear_requests();
    let merged = fetch(&engine(dir.path()), &session, &whole).await;
    assert!(!insight_bounds(&sim).is_empty());
    let uncached = fetch(&sim_insights(), &session, &whole).await;
    assert_eq!(seen(&merged), seen(&uncached));
    assert_eq!(merged.source.days_from_cache, 20);

    let weekly = query(
        InsightTable::BuildingFeatures,
        71,
        Granularity::P1w,
        "2025-01-01",
        "2025-03-31",
    );
    let first = fetch(&engine(dir.path()), &session, &weekly).await;
    let again = fetch(&engine(dir.path()), &session, &weekly).await;
    assert_eq!(again.requests, 0);
    assert_eq!(seen(&first), seen(&again));
    assert!(first.columns.len() > 1, "feature members became columns");
}

#[tokio::test]
async fn today_and_yesterday_are_always_asked_again() {
    let (sim, session) = start_own(SimConfig::default(), Flow::V2).await;
    let dir = tempfile::tempdir().unwrap();
    let q = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2026-11-01",
        "2026-11-23",
    );
    fetch(&engine(dir.path()), &session, &q).await;
    sim.clear_requests();
    let again = fetch(&engine(dir.path()), &session, &q).await;
    assert_eq!(insight_bounds(&sim), [(20261122, 20261123)]);
    assert_eq!(
        (again.source.days_from_cache, again.source.days_fetched),
        (21, 2)
    );
}

#[tokio::test]
async fn offline_a_kept_view_opens_from_the_cache_and_a_partial_one_is_refused() {
    let (sim, session) = start_own(SimConfig::default(), Flow::V2).await;
    let dir = tempfile::tempdir().unwrap();
    // Up to today: the last two days are kept only provisionally, and used offline.
    let q = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2026-10-01",
        "2026-11-23",
    );
    let online = fetch(&engine(dir.path()), &session, &q).await;
    assert!(online.notice.is_none());
    let offline_session = Arc::new(session_like(&session));
    sim.shutdown().await;

    let offline = fetch(&engine(dir.path()), &offline_session, &q).await;
    assert!(offline.source.offline);
    assert!(offline.source.fetched_at.is_some());
    let notice = offline.notice.clone().unwrap();
    assert!(
        notice.starts_with("Offline: cached data, fetched on "),
        "{notice}"
    );
    assert_eq!(offline.rows, online.rows);
    assert_eq!(offline.columns, online.columns);

    let wider = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2026-09-25",
        "2026-11-23",
    );
    let err = engine(dir.path())
        .fetch(
            &offline_session,
            &wider,
            no_progress,
            &CancellationToken::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "cache.incomplete");
    let msg = err.to_string();
    assert!(
        msg.contains("2026-09-25 to 2026-09-30") && msg.contains("6 day(s)"),
        "{msg}"
    );
    assert!(msg.contains("Could not reach"), "{msg}");

    // Without a cache, offline is simply the network error.
    let err = sim_insights()
        .fetch(&offline_session, &q, no_progress, &CancellationToken::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "net.offline");
}

/// A new session (no token yet) for the same connection and secret.
fn session_like(session: &Session) -> Session {
    Session::new(
        session.connection(),
        secrecy::SecretString::from(Flow::V2.secret()),
        occudesk_core::http::HttpClient::new(HttpConfig::for_tests()).unwrap(),
        Arc::new(occudesk_core::auth::SystemClock),
    )
    .unwrap()
}

#[tokio::test]
async fn a_damaged_cache_file_is_moved_aside_and_rebuilt() {
    let (_sim, session) = start_own(SimConfig::default(), Flow::V2).await;
    let q = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2025-01-01",
        "2025-03-31",
    );
    let reference = fetch(&sim_insights(), &session, &q).await;

    // Garbage.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(CACHE_FILE_NAME);
    std::fs::write(
        &file,
        b"this is not a database, just some bytes ".repeat(200),
    )
    .unwrap();
    let cache = DayCache::in_dir(dir.path(), 500);
    let insights = sim_insights().with_cache(cache.clone());
    let recovered = fetch(&insights, &session, &q).await;
    assert_eq!(seen(&recovered), seen(&reference));
    let notice = cache.take_notice().expect("a notice");
    assert!(
        notice.contains("damaged") && notice.contains("moved aside"),
        "{notice}"
    );
    assert_eq!(cache.take_notice(), None, "shown once");
    assert_eq!(damaged_files(dir.path()), 1);
    assert_eq!(cache.info(true).await.unwrap().days, 90);

    // Truncated: a real cache cut to a fraction of its size.
    drop(insights);
    drop(cache);
    let len = std::fs::metadata(&file).unwrap().len();
    assert!(len > 64 * 1024, "{len}");
    let f = std::fs::OpenOptions::new().write(true).open(&file).unwrap();
    f.set_len(len / 3).unwrap();
    drop(f);
    let cache = DayCache::in_dir(dir.path(), 500);
    let insights = sim_insights().with_cache(cache.clone());
    let recovered = fetch(&insights, &session, &q).await;
    assert_eq!(seen(&recovered), seen(&reference));
    assert!(cache.take_notice().is_some());
    assert_eq!(damaged_files(dir.path()), 2);
    let again = fetch(&engine(dir.path()), &session, &q).await;
    assert_eq!(again.requests, 0, "rebuilt and refilled");
}

fn damaged_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with("cache.sqlite3.damaged-")
                && !name.ends_with("-wal")
                && !name.ends_with("-shm")
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_desks_on_one_folder_write_at_once_and_lose_nothing_then_clear_and_delete() {
    let (sim, _) = start_own(SimConfig::default(), Flow::V2).await;
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::memory();
    let app = desk_on(dir.path(), &vault).await;
    let draft = ConnectionDraft {
        id: None,
        name: "HQ".into(),
        kind: "innerspace-v2".into(),
        base_url: Some(sim.url()),
        client_id: demo::V2_CLIENT_ID.into(),
        audience: None,
        group_id: None,
        auth_method: None,
    };
    let id = app
        .save_connection(&draft, Some(demo::V2_CLIENT_SECRET.to_owned().into()))
        .await
        .unwrap()
        .connection
        .id;
    // The "CLI": another desk on the same folder (settings and cache).
    let cli = desk_on(dir.path(), &vault).await;
    let year = |b| {
        query(
            InsightTable::BuildingInsights,
            b,
            Granularity::Pt1h,
            "2025-01-01",
            "2025-12-31",
        )
    };
    let (q71, q72, q73, q74) = (year(71), year(72), year(73), year(74));
    let (a1, b1, a2, b2) = tokio::join!(
        app.fetch_insights(&id, &q71, Freshness::Usual, "a1", no_progress),
        cli.fetch_insights(&id, &q72, Freshness::Usual, "b1", no_progress),
        app.fetch_insights(&id, &q73, Freshness::Usual, "a2", no_progress),
        cli.fetch_insights(&id, &q74, Freshness::Usual, "b2", no_progress),
    );
    for r in [a1, b1, a2, b2] {
        assert_eq!(r.unwrap().source.days_fetched, 365);
    }
    let info = app.cache_info().await.unwrap();
    assert_eq!((info.days, info.views), (4 * 365, 4));
    assert!(info.path.ends_with(CACHE_FILE_NAME));
    let third = desk_on(dir.path(), &vault).await;
    for b in [71, 72, 73, 74] {
        let r = third
            .fetch_insights(&id, &year(b), Freshness::Usual, "c", no_progress)
            .await
            .unwrap();
        assert_eq!(
            (r.requests, r.source.days_from_cache),
            (0, 365),
            "building {b}"
        );
    }

    // Clearing empties it; the next view asks the service again.
    let cleared = cli.clear_cache().await.unwrap();
    assert_eq!(cleared.days, 0);
    let fresh = desk_on(dir.path(), &vault).await;
    let r = fresh
        .fetch_insights(&id, &year(71), Freshness::Usual, "d", no_progress)
        .await
        .unwrap();
    assert_eq!(r.source.days_fetched, 365);
    assert_eq!(fresh.cache_info().await.unwrap().days, 365);

    // Deleting the connection deletes its rows.
    fresh.delete_connection(&id).await.unwrap();
    assert_eq!(app.cache_info().await.unwrap().days, 0);
}

#[tokio::test]
async fn the_cache_holds_no_secret_token_or_session_id() {
    let (sim, session) = start_own(SimConfig::default(), Flow::V2).await;
    let dir = tempfile::tempdir().unwrap();
    let insights = engine(dir.path());
    insights.buildings(&session).await.unwrap();
    let q = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2025-01-01",
        "2025-01-31",
    );
    fetch(&insights, &session, &q).await;
    drop(insights);
    let session_ids: Vec<String> = sim
        .requests()
        .iter()
        .filter_map(|r| {
            r.headers
                .iter()
                .find(|(k, _)| k == "x-session-id")
                .map(|(_, v)| v.clone())
        })
        .collect();
    assert!(!session_ids.is_empty());
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("Chicago Loop HQ"),
        "the building list is kept for offline use"
    );
    assert!(!text.contains(demo::V2_CLIENT_SECRET));
    for id in session_ids {
        assert!(!text.contains(&id), "a session id is in the cache");
    }
}

#[tokio::test]
async fn least_recently_used_days_go_first_over_the_size_limit() {
    let (_sim, session) = start_own(SimConfig::default(), Flow::V2).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = DayCache::in_dir(dir.path(), 1);
    let insights = sim_insights().with_cache(cache.clone());
    // Half a year of PT15M is most of 1 MB: the second building's days push out the first's.
    let q = |b| {
        query(
            InsightTable::BuildingInsights,
            b,
            Granularity::Pt15m,
            "2025-01-01",
            "2025-06-30",
        )
    };
    fetch(&insights, &session, &q(71)).await;
    assert_eq!(cache.info(true).await.unwrap().days, 181);
    fetch(&insights, &session, &q(72)).await;
    let info = cache.info(true).await.unwrap();
    assert!(info.days > 181 && info.days < 362, "{info:?}");
    let newest = fetch(&engine(dir.path()), &session, &q(72)).await;
    assert_eq!(newest.requests, 0, "the most recently used view is whole");
    let oldest = fetch(&engine(dir.path()), &session, &q(71)).await;
    assert!(
        oldest.source.days_fetched > 0,
        "the least recently used days went first"
    );
    assert_eq!(cache.limit_mb(), 1);
}

#[tokio::test]
async fn demo_connections_are_cached_whatever_port_their_simulator_has() {
    // The demo simulator listens on a new port at every start and answers the same rows for
    // the same days: a demo view reopens from the cache after a restart, as a real one does.
    let (_first_run, demo_session) = start(SimConfig::default(), Flow::V2).await;
    assert!(demo_session.connection().demo);
    let dir = tempfile::tempdir().unwrap();
    let q = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2025-01-01",
        "2025-01-31",
    );
    let first = fetch(&engine(dir.path()), &demo_session, &q).await;
    let (next_run, next_session) = start(SimConfig::default(), Flow::V2).await;
    assert_ne!(
        next_session.connection().base_url,
        demo_session.connection().base_url
    );
    let again = fetch(&engine(dir.path()), &next_session, &q).await;
    assert_eq!(again.source.days_from_cache, 31);
    assert!(insight_bounds(&next_run).is_empty(), "asked the new run");
    assert_eq!(again.rows, first.rows);
}

#[tokio::test]
async fn a_failing_service_falls_back_to_the_cache() {
    let (sim, session) = start_own(SimConfig::default(), Flow::V2).await;
    let dir = tempfile::tempdir().unwrap();
    let q = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        "2026-11-01",
        "2026-11-23",
    );
    fetch(&engine(dir.path()), &session, &q).await;
    let warm = || async {
        let e = engine(dir.path());
        e.building_detail(&session, 71).await.unwrap();
        e.metrics(&session, InsightTable::BuildingInsights)
            .await
            .unwrap();
        e
    };
    // Only today and yesterday are asked for; the service answers 503 every time.
    let e = warm().await;
    sim.script_faults("/v2/api", vec![occudesk_sim::Fault::Status(503); 12]);
    let r = fetch(&e, &session, &q).await;
    assert!(r.source.offline, "{:?}", r.notice);
    assert!(
        r.notice
            .as_deref()
            .unwrap()
            .contains("Offline: cached data")
    );
}

//! The local cache of fetched days: one year of PT1H for one building against the simulator
//! with 50 ms added latency.
//!
//! (a) first fetch, cache empty (every day asked for, then stored);
//! (b) second fetch by a fresh engine (empty in-memory memo, so only the cache can help);
//! (c) a fetch that adds one new day to the cached year.
//! Then the database size of one building-year at PT1H and at PT15M.
//!
//! The building detail and metric list are loaded before each timed fetch, as in the app,
//! where picking the building loads them before Load is pressed; the cold figure of (b)
//! including those two look-ups and the token is printed too.
//!
//! `CARGO_TARGET_DIR=... cargo bench -p occudesk-core --bench cache`

mod support;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use occudesk_core::auth::Session;
use occudesk_core::cache::{CACHE_FILE_NAME, DayCache};
use occudesk_core::innerspace::{Granularity, InsightQuery, InsightTable, Insights};
use occudesk_core::insights::InsightResult;
use occudesk_sim::{Sim, SimConfig};
use support::building_query;
use tokio_util::sync::CancellationToken;

const LATENCY: Duration = Duration::from_millis(50);
const RUNS: usize = 5;
const METRICS: &[&str] = &["OCCUPANCY_MEAN"];

const FROM: &str = "2025-11-21";
const TO: &str = "2026-11-20";
const TO_PLUS_ONE: &str = "2026-11-21";

/// A fresh engine on the cache in `dir`, with the building and metrics already loaded.
async fn warm_engine(dir: &Path, session: &Arc<Session>) -> Insights {
    let insights = support::sim_insights().with_cache(DayCache::in_dir(dir, 500));
    insights.building_detail(session, 71).await.expect("detail");
    insights
        .metrics(session, InsightTable::BuildingInsights)
        .await
        .expect("metrics");
    insights
}

async fn timed(
    insights: &Insights,
    session: &Arc<Session>,
    q: &InsightQuery,
) -> (Duration, Arc<InsightResult>) {
    let start = Instant::now();
    let r = insights
        .fetch(session, q, |_| {}, &CancellationToken::new())
        .await
        .expect("fetch");
    (start.elapsed(), r)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The database file after its last connection closed (the WAL folded in).
fn file_size(dir: &Path) -> u64 {
    std::fs::metadata(dir.join(CACHE_FILE_NAME))
        .map(|m| m.len())
        .unwrap_or(0)
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let sim = Sim::start(
            "127.0.0.1:0".parse().expect("addr"),
            SimConfig {
                latency: LATENCY,
                ..SimConfig::default()
            },
        )
        .await
        .expect("sim");
        let session = support::session(&sim, false);
        let q = building_query(Granularity::Pt1h, FROM, TO, METRICS);
        let q_plus = building_query(Granularity::Pt1h, FROM, TO_PLUS_ONE, METRICS);
        let (mut first, mut second, mut plus_one, mut cold) = (vec![], vec![], vec![], vec![]);
        let mut rows = 0;
        let mut pt1h_bytes = 0;
        for _ in 0..RUNS {
            let dir = tempfile::tempdir().expect("dir");
            let a = warm_engine(dir.path(), &session).await;
            let (t1, r1) = timed(&a, &session, &q).await;
            drop(a);
            let b = warm_engine(dir.path(), &session).await;
            let (t2, r2) = timed(&b, &session, &q).await;
            assert_eq!(r2.requests, 0, "the second fetch asked the service");
            assert_eq!(r1.rows, r2.rows);
            drop(b);
            let c = warm_engine(dir.path(), &session).await;
            let (t3, r3) = timed(&c, &session, &q_plus).await;
            assert_eq!(r3.source.days_fetched, 1);
            drop(c);
            // Cold: a new session (token), building and metrics not loaded yet.
            let fresh = support::session(&sim, false);
            let d = support::sim_insights().with_cache(DayCache::in_dir(dir.path(), 500));
            let (t4, _) = timed(&d, &fresh, &q).await;
            drop(d);
            rows = r1.rows.len();
            pt1h_bytes = file_size(dir.path());
            first.push(t1);
            second.push(t2);
            plus_one.push(t3);
            cold.push(t4);
        }
        let (f, s) = (median(first), median(second));
        println!(
            "one building, PT1H, {FROM}..{TO} ({rows} rows), {} ms latency, median of {RUNS}:",
            LATENCY.as_millis()
        );
        println!("  (a) first fetch, empty cache:           {:8.1} ms", ms(f));
        println!(
            "  (b) second fetch, fresh engine:         {:8.1} ms  ({:.0}x faster)",
            ms(s),
            f.as_secs_f64() / s.as_secs_f64()
        );
        println!(
            "      (b) cold: + token, building, metrics {:6.1} ms",
            ms(median(cold))
        );
        println!(
            "  (c) the cached year plus one new day:   {:8.1} ms",
            ms(median(plus_one))
        );

        // PT15M: no latency needed for a size.
        let fast = Sim::start("127.0.0.1:0".parse().expect("addr"), SimConfig::default())
            .await
            .expect("sim");
        let fast_session = support::session(&fast, false);
        let dir = tempfile::tempdir().expect("dir");
        let e = support::sim_insights().with_cache(DayCache::in_dir(dir.path(), 500));
        let (_, r) = timed(
            &e,
            &fast_session,
            &building_query(Granularity::Pt15m, FROM, TO, METRICS),
        )
        .await;
        drop(e);
        println!("database size of one building-year (file after closing):");
        println!(
            "  PT1H : {:7.1} KiB ({rows} rows)",
            pt1h_bytes as f64 / 1024.0
        );
        println!(
            "  PT15M: {:7.1} KiB ({} rows)",
            file_size(dir.path()) as f64 / 1024.0,
            r.rows.len()
        );
        fast.shutdown().await;
        sim.shutdown().await;
    });
}

//! The portfolio against the simulator with 50 ms added latency per request, over a year of
//! 52 weeks by the hour (the preceding 52 weeks, for the trend, inside the simulator's two
//! years of history, so every day fetched is final and the cache keeps it):
//!
//! (B) each of the simulator's default buildings alone: a fresh Desk on an empty cache fetches
//!     the building's year (the same query a portfolio row sends); the slowest of them;
//! (V) the same building's year as a view (`open_view`, with every part its tabs read);
//! (P) the portfolio of all default buildings, fresh Desk, empty cache (each building's year
//!     and the year before it);
//! (W) the same portfolio again, fresh Desk, the same data folder: time and the insight
//!     requests the simulator saw meanwhile;
//! (X) scale: `OCCUDESK_BENCH_BUILDINGS` buildings (default 200), cold and warm, with the
//!     process's peak RSS (VmHWM; the simulator runs in this process too) and the cache's
//!     size on disk per building-year.
//!
//! `cargo bench -p occudesk-core --bench portfolio`

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use occudesk_core::innerspace::{Freshness, Granularity, InsightQuery, InsightTable};
use occudesk_core::insights::portfolio::TargetBand;
use occudesk_core::vault::Vault;
use occudesk_core::{Desk, Portfolio, PortfolioRequest, VIEW_METRICS};
use occudesk_sim::{Sim, SimConfig, demo};
use support::{connect, desk, median, ms};

const LATENCY: Duration = Duration::from_millis(50);
const RUNS: usize = 3;
/// 52 weeks; the 52 before start on the simulator's first day of history (TODAY − 24 months).
const FROM: &str = "2025-12-02";
const TO: &str = "2026-11-30";
const TODAY: &str = "2026-12-03";

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn insight_requests(sim: &Sim) -> u64 {
    sim.counters(demo::V2_CLIENT_ID).api_requests
}

async fn start_sim(buildings: usize) -> Sim {
    Sim::start(
        "127.0.0.1:0".parse().expect("addr"),
        SimConfig {
            latency: LATENCY,
            today: date(TODAY),
            buildings,
            ..SimConfig::default()
        },
    )
    .await
    .expect("sim")
}

fn year_of(building: i64) -> InsightQuery {
    InsightQuery {
        table: InsightTable::BuildingInsights,
        building_id: building,
        site_id: None,
        zone_id: None,
        zone_type: None,
        group_id: None,
        granularity: Granularity::Pt1h,
        from: date(FROM),
        to: date(TO),
        metrics: VIEW_METRICS.iter().map(|m| (*m).to_owned()).collect(),
    }
}

fn request() -> PortfolioRequest {
    PortfolioRequest {
        from: date(FROM),
        to: date(TO),
        buffer: 0.1,
        target: TargetBand::default(),
        freshness: Freshness::Usual,
    }
}

/// A fresh Desk on an empty folder, connected; the folder lives as long as the Desk is used.
async fn fresh(sim: &Sim) -> (tempfile::TempDir, Vault, Desk, String) {
    let dir = tempfile::tempdir().expect("dir");
    let vault = Vault::memory();
    let desk = desk(dir.path(), &vault, date(TODAY)).await;
    let connection = connect(&desk, sim).await;
    // The token and the building list, as the window has them when Portfolio is opened.
    desk.buildings(&connection).await.expect("buildings");
    (dir, vault, desk, connection)
}

/// The portfolio of [`request`] on `desk`, and how long it took.
async fn timed_portfolio(desk: &Desk, connection: &str) -> (Portfolio, Duration) {
    let start = Instant::now();
    let portfolio = desk
        .portfolio(connection, request(), "bench", |_| {}, None)
        .await
        .expect("portfolio");
    (portfolio, start.elapsed())
}

/// (P) then (W): the portfolio cold, then warm by a fresh Desk on the same folder. Returns
/// (cold, warm, insight requests during warm, buildings, folder size in bytes).
async fn cold_and_warm(sim: &Sim) -> (Duration, Duration, u64, usize, u64) {
    let (dir, vault, first, connection) = fresh(sim).await;
    let (cold, cold_time) = timed_portfolio(&first, &connection).await;
    assert!(cold.buildings.iter().all(|r| r.error.is_none()));
    drop(first);
    let second = desk(dir.path(), &vault, date(TODAY)).await;
    second.buildings(&connection).await.expect("buildings");
    let before = insight_requests(sim);
    let (warm, warm_time) = timed_portfolio(&second, &connection).await;
    assert_eq!(warm.buildings, cold.buildings);
    let requests = insight_requests(sim) - before;
    (
        cold_time,
        warm_time,
        requests,
        cold.buildings.len(),
        folder_size(dir.path()),
    )
}

fn folder_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => folder_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// The process's peak resident set (VmHWM), in MB.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    if support::only_tested() {
        return;
    }
    let scale: usize = std::env::var("OCCUDESK_BENCH_BUILDINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let rt = support::runtime(4);
    rt.block_on(async {
        let sim = start_sim(SimConfig::default().buildings).await;
        let ids = [71, 72, 73, 74, 75];
        let (mut slowest, mut slowest_view, mut cold, mut warm) = (vec![], vec![], vec![], vec![]);
        let mut warm_requests = 0;
        for _ in 0..RUNS {
            let mut alone = Duration::ZERO;
            let mut view = Duration::ZERO;
            for id in ids {
                let (_dir, _vault, desk, connection) = fresh(&sim).await;
                let start = Instant::now();
                desk.fetch_insights(&connection, &year_of(id), Freshness::Usual, "b", |_| {})
                    .await
                    .expect("year");
                alone = alone.max(start.elapsed());
                let (_dir, _vault, desk, connection) = fresh(&sim).await;
                let start = Instant::now();
                desk.open_view(&connection, &year_of(id), Freshness::Usual, "v", |_| {})
                    .await
                    .expect("view");
                view = view.max(start.elapsed());
            }
            slowest.push(alone);
            slowest_view.push(view);
            let (c, w, requests, _, _) = cold_and_warm(&sim).await;
            cold.push(c);
            warm.push(w);
            warm_requests = warm_requests.max(requests);
        }
        sim.shutdown().await;
        let (b, v, p, w) = (
            median(slowest),
            median(slowest_view),
            median(cold),
            median(warm),
        );
        println!(
            "portfolio: {} default buildings, PT1H, {FROM}..{TO} (and the 52 weeks before, for the trend), {} ms added latency per request, median of {RUNS}:",
            ids.len(),
            LATENCY.as_millis()
        );
        println!("  (B) slowest building's year alone, rows only   {:8.1} ms", ms(b));
        println!("  (V) slowest building's year alone, as a view  {:8.1} ms", ms(v));
        println!("  (P) portfolio, fresh Desk, empty cache        {:8.1} ms", ms(p));
        println!(
            "  (W) portfolio again, fresh Desk, same cache   {:8.1} ms  ({warm_requests} insight requests)",
            ms(w)
        );
        println!("P/B = {:.2} (target <= 1.5)", p.as_secs_f64() / b.as_secs_f64());
        println!("P/V = {:.2}", p.as_secs_f64() / v.as_secs_f64());
        println!("W = {:.1} ms (target <= 100 ms, 0 requests)", ms(w));

        let sim = start_sim(scale).await;
        let (c, w, requests, buildings, bytes) = cold_and_warm(&sim).await;
        sim.shutdown().await;
        println!(
            "scale: {buildings} buildings x 52 weeks of PT1H (and the 52 weeks before): cold {:.1} s, warm {:.1} ms ({requests} insight requests), peak RSS {:.0} MB (this process, simulator included), data folder {:.1} MB = {:.0} kB per building-year",
            c.as_secs_f64(),
            ms(w),
            peak_rss_mb(),
            bytes as f64 / 1e6,
            bytes as f64 / 1e3 / (2.0 * buildings as f64)
        );
    });
}

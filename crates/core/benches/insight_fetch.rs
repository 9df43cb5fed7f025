//! One year of PT1H rows for one building against the simulator with 50 ms added latency:
//! (a) the vendor docs' way, one `DATE_PARTITION: {_eq: day}` request per day in sequence;
//! (b) our fetch engine; (c) the limit, one token request and one request for the whole year.
//! Then the engine under a 1,000-row cap (paging), and the peak RSS of a two-year PT15M fetch.
//!
//! `CARGO_TARGET_DIR=... cargo bench -p occudesk-core --bench insight_fetch`

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use occudesk_core::auth::Session;
use occudesk_core::innerspace::{Granularity, graphql};
use occudesk_core::insights::time::parse_utc;
use occudesk_sim::{Sim, SimConfig, demo};
use serde_json::{Value, json};
use support::building_query;
use tokio_util::sync::CancellationToken;

const LATENCY: Duration = Duration::from_millis(50);
const RUNS: usize = 3;

type Pairs = Vec<(i64, f64)>;

fn pairs(rows: &Value) -> Pairs {
    rows.as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            let t = parse_utc(r["DATE_TIME_START"].as_str().expect("start")).expect("time");
            (t.timestamp(), r["OCCUPANCY_MEAN"].as_f64().expect("mean"))
        })
        .collect()
}

fn partition(d: NaiveDate) -> i64 {
    d.format("%Y%m%d").to_string().parse().expect("partition")
}

const FROM: &str = "2025-01-01";
const TO: &str = "2025-12-31";

async fn baseline(session: &Session) -> Pairs {
    const Q: &str = "query Day($b: Int!, $day: Int!) { BUILDING_INSIGHTS(where: {BUILDING_ID: {_eq: $b}, GRANULARITY: {_eq: \"PT1H\"},
        GROUP_ID: {_eq: \"00000000-0000-0000-0000-000000000000\"}, DATE_PARTITION: {_eq: $day}}, order_by: [{DATE_TIME_START: asc}]) { DATE_TIME_START OCCUPANCY_MEAN } }";
    let mut out = Vec::new();
    let (from, to): (NaiveDate, NaiveDate) = (FROM.parse().expect("from"), TO.parse().expect("to"));
    for day in from.iter_days().take_while(|d| *d <= to) {
        let data = graphql::execute(session, "Day", Q, json!({"b": 71, "day": partition(day)}))
            .await
            .expect("day");
        out.extend(pairs(&data["BUILDING_INSIGHTS"]));
    }
    out
}

async fn limit(session: &Session) -> Pairs {
    const Q: &str = "query Year($b: Int!, $from: Int!, $to: Int!) { BUILDING_INSIGHTS(where: {BUILDING_ID: {_eq: $b}, GRANULARITY: {_eq: \"PT1H\"},
        GROUP_ID: {_eq: \"00000000-0000-0000-0000-000000000000\"}, DATE_PARTITION: {_gte: $from, _lte: $to}}, order_by: [{DATE_TIME_START: asc}], limit: 10000) { DATE_TIME_START OCCUPANCY_MEAN } }";
    let data = graphql::execute(
        session,
        "Year",
        Q,
        json!({"b": 71, "from": 20250101, "to": 20251231}),
    )
    .await
    .expect("year");
    pairs(&data["BUILDING_INSIGHTS"])
}

async fn engine(session: &Arc<Session>) -> (Pairs, u32) {
    // A fresh engine each time: no memo, no learned metric list, building or row cap.
    let insights = support::sim_insights();
    let result = insights
        .fetch(
            session,
            &building_query(Granularity::Pt1h, FROM, TO, &[]),
            |_| {},
            &CancellationToken::new(),
        )
        .await
        .expect("engine");
    let rows = result
        .rows
        .iter()
        .map(|r| (r.start_utc.timestamp(), r.values[0].expect("value")))
        .collect();
    (rows, result.requests)
}

struct Figures {
    wall: Duration,
    requests: u64,
    rows: usize,
}

/// Runs `f` on a fresh session `RUNS` times; the median wall time, with the requests (token
/// and API) the simulator counted for one run.
async fn measure<F, Fut>(sim: &Sim, mut f: F) -> (Figures, Pairs)
where
    F: FnMut(Arc<Session>) -> Fut,
    Fut: std::future::Future<Output = Pairs>,
{
    let mut walls = Vec::new();
    let mut last = (0, Vec::new());
    for _ in 0..RUNS {
        let s = support::session(sim, true);
        let before = sim.counters(demo::V2_CLIENT_ID);
        let start = Instant::now();
        let rows = f(s).await;
        walls.push(start.elapsed());
        let after = sim.counters(demo::V2_CLIENT_ID);
        last = (
            (after.api_requests + after.token_requests)
                - (before.api_requests + before.token_requests),
            rows,
        );
    }
    walls.sort();
    let figures = Figures {
        wall: walls[walls.len() / 2],
        requests: last.0,
        rows: last.1.len(),
    };
    (figures, last.1)
}

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn print(label: &str, f: &Figures) {
    println!(
        "{label:<48} {:>9.1} ms {:>6} requests {:>7} rows",
        f.wall.as_secs_f64() * 1000.0,
        f.requests,
        f.rows
    );
}

fn main() {
    // `cargo test --benches` runs benches with `--bench`-less args; keep that quick.
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        // Peak memory first, before the other runs raise the high-water mark.
        let quick = Sim::start("127.0.0.1:0".parse().expect("addr"), SimConfig::default()).await.expect("sim");
        let s = support::session(&quick, true);
        let hwm_before = vm_hwm_kib().unwrap_or(0);
        let insights = support::sim_insights();
        let two_years = building_query(Granularity::Pt15m, "2024-11-23", "2026-11-22", &[]);
        let start = Instant::now();
        let result = insights.fetch(&s, &two_years, |_| {}, &CancellationToken::new()).await.expect("two years");
        let wall = start.elapsed();
        let hwm_after = vm_hwm_kib().unwrap_or(0);
        println!(
            "two years of PT15M, one building: {} rows, {} requests in {} chunks, {:.0} ms (no added latency)",
            result.rows.len(),
            result.requests,
            result.chunks,
            wall.as_secs_f64() * 1000.0
        );
        println!(
            "peak RSS (VmHWM, whole process incl. the in-process simulator): {:.1} MiB before, {:.1} MiB after (+{:.1} MiB)",
            hwm_before as f64 / 1024.0,
            hwm_after as f64 / 1024.0,
            hwm_after.saturating_sub(hwm_before) as f64 / 1024.0
        );
        drop(result);
        quick.shutdown().await;

        let sim = Sim::start(
            "127.0.0.1:0".parse().expect("addr"),
            SimConfig { latency: LATENCY, ..SimConfig::default() },
        )
        .await
        .expect("sim");
        println!("\none year of PT1H, building 71, {} ms added latency per request, median of {RUNS}:", LATENCY.as_millis());
        let (lim, lim_rows) = measure(&sim, |s| async move { limit(&s).await }).await;
        let (eng, eng_rows) = measure(&sim, |s| async move { engine(&s).await.0 }).await;
        let (base, base_rows) = measure(&sim, |s| async move { baseline(&s).await }).await;
        print("(a) baseline: one _eq day per request, in order", &base);
        print("(b) engine", &eng);
        print("(c) limit: token + one request for the year", &lim);
        let identical = eng_rows == lim_rows && eng_rows == base_rows;
        println!("rows identical across (a), (b), (c): {identical}");
        let ratio = |a: &Figures, b: &Figures| a.wall.as_secs_f64() / b.wall.as_secs_f64();
        println!("baseline / engine = {:.1}x (target >= 40x)", ratio(&base, &eng));
        println!("engine / limit    = {:.2}x (target <= 2x)", ratio(&eng, &lim));
        sim.shutdown().await;

        let capped = Sim::start(
            "127.0.0.1:0".parse().expect("addr"),
            SimConfig { latency: LATENCY, row_cap: 1_000, ..SimConfig::default() },
        )
        .await
        .expect("sim");
        let (cap, cap_rows) = measure(&capped, |s| async move { engine(&s).await.0 }).await;
        print("(b') engine, row cap 1,000 (pages)", &cap);
        println!("rows identical to (c): {}", cap_rows == lim_rows);
        if !identical || cap_rows != lim_rows {
            std::process::exit(1);
        }
    });
}

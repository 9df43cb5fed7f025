//! A loaded view of one year of PT1H for building 71 (InnerSpace v2) against the simulator
//! with 50 ms added latency, median of a few runs, each figure on the same server in the same
//! run:
//!
//! (L) the limit: one token request and one request for the whole year's rows;
//! (F) the fetch: `open_view` of the year by a fresh Desk on an empty cache (every part of
//!     the view: the rows, the eight weeks before, every zone, every zone type, and the
//!     token, metric and building look-ups before them);
//! (F') the same, the building picked first (its detail and its table's metric list loaded,
//!     with the token, as the window does when a building is chosen): the view's own cost;
//! (D) everything drawn: F, then the summary, every chart (SVG), the plan, the plans by zone
//!     type, the unusual days and the first page of rows;
//! (S) the same view opened again by a fresh Desk on the same data folder (the cache the
//!     first open filled), with the requests the simulator saw meanwhile.
//!
//! `CARGO_TARGET_DIR=... cargo bench -p occudesk-core --bench view`

mod support;

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use occudesk_core::innerspace::{FetchProgress, Freshness, Granularity, InsightTable, graphql};
use occudesk_core::insights::shown::Times;
use occudesk_core::vault::Vault;
use occudesk_core::{ChartKind, Desk, MAX_PAGE_ROWS, ViewInfo};
use occudesk_sim::{Sim, SimConfig, demo};
use serde_json::json;
use support::{building_query, connect, desk, median, ms};

const LATENCY: Duration = Duration::from_millis(50);
const RUNS: usize = 5;
const FROM: &str = "2025-01-01";
const TO: &str = "2025-12-31";
/// "Today" for the simulator and the Desk: after the year, with the year and the eight weeks
/// before it inside the simulator's two years of history, and every day of them final.
const TODAY: &str = "2026-03-01";

const EVERY_CHART: [ChartKind; 7] = [
    ChartKind::TimeSeries,
    ChartKind::Heatmap,
    ChartKind::HeatmapOfficeHours,
    ChartKind::Compare,
    ChartKind::Ranking,
    ChartKind::Planning,
    ChartKind::WeeklyVisits,
];

fn today() -> NaiveDate {
    TODAY.parse().expect("today")
}

/// Token and API requests the simulator has counted for the demo v2 client.
fn requests(sim: &Sim) -> u64 {
    let c = sim.counters(demo::V2_CLIENT_ID);
    c.api_requests + c.token_requests
}

/// (L): a fresh session (so one token request), then the year's rows with the columns the
/// view's main part reads, in one request. Returns the row count.
async fn limit(sim: &Sim) -> usize {
    const Q: &str = "query Year($b: Int!, $from: Int!, $to: Int!) { BUILDING_INSIGHTS(where: {BUILDING_ID: {_eq: $b}, GRANULARITY: {_eq: \"PT1H\"},
        GROUP_ID: {_eq: \"00000000-0000-0000-0000-000000000000\"}, DATE_PARTITION: {_gte: $from, _lte: $to}}, order_by: [{DATE_TIME_START: asc}], limit: 10000) { DATE_TIME_START OCCUPANCY_MEAN OCCUPANCY_MAX } }";
    let session = support::session(sim, false);
    let data = graphql::execute(
        &session,
        "Year",
        Q,
        json!({"b": 71, "from": 20250101, "to": 20251231}),
    )
    .await
    .expect("year");
    data["BUILDING_INSIGHTS"].as_array().expect("rows").len()
}

/// Opens the year's view; its info, and when the first and last insight answers came (from
/// `start`).
async fn open(desk: &Desk, connection: &str, start: Instant) -> (ViewInfo, Duration, Duration) {
    let q = building_query(Granularity::Pt1h, FROM, TO, &[]);
    let answers = std::sync::Mutex::new(Vec::new());
    let info = desk
        .open_view(
            connection,
            &q,
            Freshness::Usual,
            "bench",
            |_: FetchProgress| {
                if let Ok(mut a) = answers.lock() {
                    a.push(start.elapsed());
                }
            },
        )
        .await
        .expect("view");
    let answers = answers.into_inner().unwrap_or_default();
    let first = answers.iter().min().copied().unwrap_or_default();
    let last = answers.iter().max().copied().unwrap_or_default();
    (info, first, last)
}

/// Everything the window draws from a view. Returns the number of charts drawn.
fn draw_everything(desk: &Desk, view: &str) -> usize {
    // The default size and theme (named by inference: the options type is the Desk's).
    let options = Default::default();
    desk.view_summary(view, Times::AsSet).expect("summary");
    let mut drawn = 0;
    for kind in EVERY_CHART {
        match desk.view_chart(view, kind, &options, Times::AsSet) {
            Ok(chart) => {
                assert!(chart.svg().starts_with("<svg"), "{kind:?}");
                drawn += 1;
            }
            // Weekly visits are published by InnerSpace v1 only.
            Err(_) if kind == ChartKind::WeeklyVisits => {}
            Err(e) => panic!("{kind:?}: {e}"),
        }
    }
    assert!(!desk.view_plan(view, 0.1).expect("plan").is_empty());
    assert!(
        !desk
            .view_plans_by_zone_type(view, 0.1)
            .expect("plans by zone type")
            .is_empty()
    );
    desk.view_anomalies(view).expect("anomalies");
    let page = desk.view_rows(view, 0, MAX_PAGE_ROWS, None).expect("rows");
    assert_eq!(page.rows.len(), MAX_PAGE_ROWS);
    drawn
}

fn main() {
    if support::only_tested() {
        return;
    }
    let rt = support::runtime(2);
    rt.block_on(async {
        let sim = Sim::start(
            "127.0.0.1:0".parse().expect("addr"),
            SimConfig {
                latency: LATENCY,
                today: today(),
                ..SimConfig::default()
            },
        )
        .await
        .expect("sim");
        let (mut l, mut f, mut picked, mut d, mut s) = (vec![], vec![], vec![], vec![], vec![]);
        let (mut first_answer, mut last_answer) = (vec![], vec![]);
        let (mut l_requests, mut f_requests, mut s_requests, mut view_requests) = (0, 0, 0, 0);
        let (mut rows, mut charts, mut from_cache) = (0, 0, false);
        for _ in 0..RUNS {
            let before = requests(&sim);
            let start = Instant::now();
            let limit_rows = limit(&sim).await;
            l.push(start.elapsed());
            l_requests = requests(&sim) - before;

            let dir = tempfile::tempdir().expect("dir");
            let vault = Vault::memory();
            let first = desk(dir.path(), &vault, today()).await;
            let connection = connect(&first, &sim).await;
            let before = requests(&sim);
            let start = Instant::now();
            let (info, a, b) = open(&first, &connection, start).await;
            f.push(start.elapsed());
            f_requests = requests(&sim) - before;
            view_requests = info.requests;
            first_answer.push(a);
            last_answer.push(b);
            assert_eq!(info.rows, limit_rows, "the view holds the year's rows");
            rows = info.rows;
            charts = draw_everything(&first, &info.id);
            d.push(start.elapsed());
            drop(first);

            // The connection and its secret are found again in the settings and the vault.
            let second = desk(dir.path(), &vault, today()).await;
            let before = requests(&sim);
            let start = Instant::now();
            let (again, _, _) = open(&second, &connection, start).await;
            s.push(start.elapsed());
            // The most any run saw.
            s_requests = s_requests.max(requests(&sim) - before);
            from_cache = again.provenance.from_cache;
            assert_eq!(again.rows, rows);
            drop(second);

            let dir = tempfile::tempdir().expect("dir");
            let third = desk(dir.path(), &vault, today()).await;
            let connection = connect(&third, &sim).await;
            third.building_detail(&connection, 71).await.expect("detail");
            third
                .metrics(&connection, InsightTable::BuildingInsights)
                .await
                .expect("metrics");
            let start = Instant::now();
            open(&third, &connection, start).await;
            picked.push(start.elapsed());
        }
        let (l, f, d, s) = (median(l), median(f), median(d), median(s));
        let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
        println!(
            "one view: building 71, PT1H, {FROM}..{TO} ({rows} rows), {} ms added latency per request, median of {RUNS}:",
            LATENCY.as_millis()
        );
        println!(
            "  (L) limit: token + one request for the year   {:8.1} ms  ({l_requests} requests)",
            ms(l)
        );
        println!(
            "  (F) open_view, fresh Desk, empty cache         {:8.1} ms  ({f_requests} requests: {view_requests} for insight rows, the rest token and look-ups; first insight answer at {:.0} ms, last at {:.0} ms)",
            ms(f),
            ms(median(first_answer)),
            ms(median(last_answer))
        );
        println!(
            "  (F') the same, building picked first           {:8.1} ms  (detail, metrics and token already loaded)",
            ms(median(picked))
        );
        println!(
            "  (D) F + summary, {charts} charts (SVG), plan, plans by zone type, unusual days, first page of rows {:8.1} ms",
            ms(d)
        );
        println!(
            "  (S) open_view again, fresh Desk, same cache    {:8.1} ms  ({s_requests} requests, from cache: {from_cache})",
            ms(s)
        );
        println!("F/L = {:.2} (target <= 1.5)", ratio(f, l));
        println!("D/F = {:.2} (target <= 1.2)", ratio(d, f));
        println!("F/S = {:.1} (target >= 20)", ratio(f, s));
        println!("requests during S = {s_requests} (target 0)");
        sim.shutdown().await;
    });
}

//! The fetch engine under a silent row cap, expiring sessions, random faults and
//! cancellation: a complete result or a clear error, never a partial one.

mod insights_support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use insights_support::*;
use occudesk_core::innerspace::{FetchProgress, FetchTuning, Granularity, InsightTable};
use occudesk_sim::{SimConfig, demo};
use tokio_util::sync::CancellationToken;

fn no_progress(_: FetchProgress) {}

const YEAR: (&str, &str) = ("2025-01-01", "2025-12-31");

async fn year_reference() -> Vec<(String, f64)> {
    year_reference_for(SimConfig::default().seed).await
}

async fn year_reference_for(seed: u64) -> Vec<(String, f64)> {
    let (_sim, session) = start(
        SimConfig {
            seed,
            ..SimConfig::default()
        },
        Flow::V2,
    )
    .await;
    whole_range_reference(&session, 71, Granularity::Pt1h, YEAR.0, YEAR.1).await
}

#[tokio::test]
async fn a_low_row_cap_makes_the_engine_page_and_the_year_is_complete() {
    let reference = year_reference().await;
    assert_eq!(reference.len(), 8760);
    // 1,440 = 60 days of hours: just under a 61-day chunk, so the first page is cut by a few rows.
    for cap in [500usize, 1_000, 1_440] {
        let (sim, session) = start(
            SimConfig {
                row_cap: cap,
                ..SimConfig::default()
            },
            Flow::V2,
        )
        .await;
        let insights = sim_insights();
        let q = query(
            InsightTable::BuildingInsights,
            71,
            Granularity::Pt1h,
            YEAR.0,
            YEAR.1,
        );
        // The building detail and metric list come first; count only the fetch's requests.
        insights.building_detail(&session, 71).await.unwrap();
        insights
            .metrics(&session, InsightTable::BuildingInsights)
            .await
            .unwrap();
        let before = sim.counters(demo::V2_CLIENT_ID);
        let result = insights
            .fetch(&session, &q, no_progress, &CancellationToken::new())
            .await
            .unwrap();
        let after = sim.counters(demo::V2_CLIENT_ID);
        assert_eq!(engine_pairs(&result), reference, "cap {cap}");
        let sent = after.api_requests - before.api_requests;
        assert_eq!(u64::from(result.requests), sent);
        // Every chunk was cut at the cap, so more than one request per chunk: paging kicked in.
        assert!(
            sent > u64::from(result.chunks),
            "cap {cap}: {sent} requests for {} chunks",
            result.chunks
        );
        assert!(sent as usize >= 8760 / cap, "cap {cap}: {sent}");
        assert_eq!(
            insights.row_cap(&session.connection().id, q.table),
            Some(cap)
        );
        assert_eq!(after.rows - before.rows, 8760, "no row fetched twice");

        // Now the cap is known: chunks are planned to fit one page each.
        let q2 = query(
            InsightTable::BuildingInsights,
            72,
            Granularity::Pt1h,
            YEAR.0,
            YEAR.1,
        );
        insights.building_detail(&session, 72).await.unwrap();
        let before = sim.counters(demo::V2_CLIENT_ID).api_requests;
        let result = insights
            .fetch(&session, &q2, no_progress, &CancellationToken::new())
            .await
            .unwrap();
        assert_eq!(result.rows.len(), 8760);
        assert_eq!(
            sim.counters(demo::V2_CLIENT_ID).api_requests - before,
            u64::from(result.chunks)
        );
    }
}

#[tokio::test]
async fn an_expiring_session_mid_fetch_still_gives_every_row() {
    let reference = year_reference().await;
    // Sessions good for 4 uses, at most 3 requests in flight: every few requests the session
    // expires (401) and is renewed while other chunks are running.
    let (sim, session) = start(
        SimConfig {
            session_max_uses: Some(4),
            ..SimConfig::default()
        },
        Flow::V2,
    )
    .await;
    let insights = sim_insights().with_tuning(FetchTuning {
        concurrency: 3,
        ..FetchTuning::default()
    });
    let q = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt1h,
        YEAR.0,
        YEAR.1,
    );
    let result = insights
        .fetch(&session, &q, no_progress, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(engine_pairs(&result), reference);
    let counters = sim.counters(demo::V2_CLIENT_ID);
    // Sixteen requests on sessions of four uses, so renewed several times: the entity fields
    // (one introspection), four entity tables (each a page and the proof that it is whole),
    // the metric columns and six chunks.
    assert!(counters.token_requests >= 4, "{counters:?}");
    assert_eq!(counters.api_requests, 16, "{counters:?}");
}

#[tokio::test]
async fn random_faults_give_a_complete_result_or_a_clear_error() {
    let mut outcomes = Vec::new();
    for seed in [7u64, 8, 9, 10] {
        let reference = year_reference_for(seed).await;
        let (_sim, session) = start(
            SimConfig {
                fault_rate: 0.2,
                seed,
                ..SimConfig::default()
            },
            Flow::V2,
        )
        .await;
        let insights = sim_insights();
        let q = query(
            InsightTable::BuildingInsights,
            71,
            Granularity::Pt1h,
            YEAR.0,
            YEAR.1,
        );
        match insights
            .fetch(&session, &q, no_progress, &CancellationToken::new())
            .await
        {
            Ok(result) => {
                assert_eq!(engine_pairs(&result), reference, "complete, never partial");
                outcomes.push("complete".to_owned());
            }
            Err(err) => {
                let code = err.code();
                assert!(
                    [
                        "api.unexpected_response",
                        "api.server_error",
                        "api.rate_limited",
                        "net.timeout",
                        "net.offline"
                    ]
                    .contains(&code),
                    "{code}: {err}"
                );
                let text = err.to_string();
                assert!(
                    !text.contains('<')
                        && !text.contains("Network login")
                        && !text.contains("simulated"),
                    "{text}"
                );
                outcomes.push(code.to_owned());
            }
        }
    }
    eprintln!("outcomes under 20% faults: {outcomes:?}");
}

#[tokio::test]
async fn cancel_halfway_returns_cancelled_and_requests_stop() {
    let (sim, session) = start(
        SimConfig {
            latency: Duration::from_millis(30),
            ..SimConfig::default()
        },
        Flow::V2,
    )
    .await;
    let insights = sim_insights();
    insights.building_detail(&session, 71).await.unwrap();
    let q = query(
        InsightTable::BuildingInsights,
        71,
        Granularity::Pt15m,
        "2024-12-01",
        "2026-11-22",
    );
    let cancel = CancellationToken::new();
    let fired = AtomicBool::new(false);
    let result = insights
        .fetch(
            &session,
            &q,
            |p: FetchProgress| {
                if p.chunks_done * 2 >= p.chunks_total && !fired.swap(true, Ordering::Relaxed) {
                    cancel.cancel();
                }
            },
            &cancel,
        )
        .await;
    assert_eq!(result.unwrap_err().code(), "query.cancelled");
    assert!(fired.load(Ordering::Relaxed));
    assert!(
        insights.cached(&session, &q).is_none(),
        "nothing partial is kept"
    );
    // Requests already at the server may still be counted; then the count stops.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let settled = sim.counters(demo::V2_CLIENT_ID).api_requests;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sim.counters(demo::V2_CLIENT_ID).api_requests, settled);

    // A token cancelled before the start sends nothing.
    let before = sim.counters(demo::V2_CLIENT_ID).api_requests;
    let err = insights
        .fetch(&session, &q, no_progress, &cancel)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "query.cancelled");
    assert_eq!(sim.counters(demo::V2_CLIENT_ID).api_requests, before);
}

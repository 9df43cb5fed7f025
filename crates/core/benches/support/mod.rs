//! What the benchmarks share: a session on the simulator's demo v2 client, a Desk connected
//! to it, a year's query, and how runs are run and reported.

// Each bench is its own crate and uses a part of this module.
#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use occudesk_core::auth::{FixedClock, Session, SystemClock};
use occudesk_core::connections::{
    Connection, ConnectionDraft, ConnectionKind, DEFAULT_INNERSPACE_AUDIENCE,
};
use occudesk_core::http::{HttpClient, HttpConfig};
use occudesk_core::innerspace::{Granularity, InsightQuery, InsightTable, Insights};
use occudesk_core::vault::Vault;
use occudesk_core::{Desk, DeskConfig};
use occudesk_sim::{Sim, SimConfig, demo};

/// Whether `cargo test --benches` (or `--list`) started this bench rather than `cargo bench`:
/// then it measures nothing, to keep that quick.
pub fn only_tested() -> bool {
    std::env::args().any(|a| a == "--test" || a == "--list")
}

/// A multi-threaded runtime with `threads` workers.
pub fn runtime(threads: usize) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .expect("runtime")
}

pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A fresh Desk on `dir` (cache on, no demo data, "today" pinned). The vault is shared between
/// the Desks of one run, as the keyring is between processes.
pub async fn desk(dir: &Path, vault: &Vault, today: NaiveDate) -> Desk {
    Desk::open(DeskConfig {
        data_dir: Some(dir.to_owned()),
        vault: vault.clone(),
        http: HttpConfig::default(),
        force_demo: false,
        use_cache: true,
        today: Some(today),
        demo: None,
    })
    .await
    .expect("desk")
}

/// Saves the simulator's v2 connection (no request); its id.
pub async fn connect(desk: &Desk, sim: &Sim) -> String {
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
    desk.save_connection(&draft, Some(demo::V2_CLIENT_SECRET.to_owned().into()))
        .await
        .expect("connection")
        .connection
        .id
}

/// A fresh engine whose "today" is the simulator's (2026-11-23), never the wall clock's.
pub fn sim_insights() -> Insights {
    Insights::with_clock(Arc::new(FixedClock::noon_utc(SimConfig::default().today)))
}

/// A v2 session on `sim`. `demo` marks the connection as demo data, which the insight engine
/// never caches: the fetch benchmark measures the network path alone.
pub fn session(sim: &Sim, demo: bool) -> Arc<Session> {
    let connection = Connection {
        id: "bench".into(),
        name: "bench".into(),
        base_url: sim.url(),
        client_id: demo::V2_CLIENT_ID.into(),
        kind: ConnectionKind::InnerspaceV2 {
            audience: DEFAULT_INNERSPACE_AUDIENCE.into(),
            group_id: None,
        },
        demo,
    };
    let http = HttpClient::new(HttpConfig::default()).expect("http");
    Arc::new(
        Session::new(
            &connection,
            demo::V2_CLIENT_SECRET.into(),
            http,
            Arc::new(SystemClock),
        )
        .expect("session"),
    )
}

/// Building 71's `BUILDING_INSIGHTS` from `from` to `to` (local dates, both included).
pub fn building_query(g: Granularity, from: &str, to: &str, metrics: &[&str]) -> InsightQuery {
    InsightQuery {
        table: InsightTable::BuildingInsights,
        building_id: 71,
        site_id: None,
        zone_id: None,
        zone_type: None,
        group_id: None,
        granularity: g,
        from: from.parse().expect("from"),
        to: to.parse().expect("to"),
        metrics: metrics.iter().map(|m| (*m).to_owned()).collect(),
    }
}

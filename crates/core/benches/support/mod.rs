//! What the benchmarks share: a session on the simulator's demo v2 client and a year's query.

use std::sync::Arc;

use occudesk_core::auth::{FixedClock, Session, SystemClock};
use occudesk_core::connections::{Connection, ConnectionKind, DEFAULT_INNERSPACE_AUDIENCE};
use occudesk_core::http::{HttpClient, HttpConfig};
use occudesk_core::innerspace::{Granularity, InsightQuery, InsightTable, Insights};
use occudesk_sim::{Sim, SimConfig, demo};

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

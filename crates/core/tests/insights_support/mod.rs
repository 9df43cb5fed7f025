//! Helpers for the insight tests: a simulator, a session, queries, and reference fetches that
//! bypass the engine (one request per day, or one request for a whole range).
#![allow(dead_code)]

use std::sync::Arc;

use chrono::NaiveDate;
use occudesk_core::auth::{FixedClock, Session};
use occudesk_core::innerspace::{Granularity, InsightQuery, InsightTable, Insights, graphql};
use occudesk_sim::{Sim, SimConfig};
use serde_json::{Value, json};

#[path = "../auth_support/mod.rs"]
pub mod auth_support;
pub use auth_support::{Flow, session, sim_with};

pub fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// The simulator's "today" (its default config, 2026-11-23): its history ends the day before.
/// Tests never read the wall clock; they pin this date for both the simulator and the client.
pub fn sim_today() -> NaiveDate {
    SimConfig::default().today
}

/// A clock fixed at 12:00 UTC on `day` (the same date in every building's zone).
pub fn clock_on(day: NaiveDate) -> Arc<FixedClock> {
    Arc::new(FixedClock::noon_utc(day))
}

/// An engine whose "today" is the simulator's ([`sim_today`]).
pub fn sim_insights() -> Insights {
    insights_on(sim_today())
}

/// An engine whose "today" is `day` (pair it with a simulator started with `today: day`).
pub fn insights_on(day: NaiveDate) -> Insights {
    Insights::with_clock(clock_on(day))
}

pub async fn start(config: SimConfig, flow: Flow) -> (Sim, Arc<Session>) {
    let sim = sim_with(config).await;
    let session = Arc::new(session(&sim, flow));
    (sim, session)
}

pub fn query(
    table: InsightTable,
    building: i64,
    g: Granularity,
    from: &str,
    to: &str,
) -> InsightQuery {
    InsightQuery {
        table,
        building_id: building,
        site_id: None,
        zone_id: None,
        zone_type: None,
        group_id: None,
        granularity: g,
        from: date(from),
        to: date(to),
        metrics: vec![],
    }
}

/// `(DATE_TIME_START, OCCUPANCY_MEAN)` of one building, one request per local day (`_eq`),
/// as the vendor's example does.
pub async fn per_day_reference(
    session: &Session,
    building: i64,
    g: Granularity,
    from: &str,
    to: &str,
) -> Vec<(String, f64)> {
    const Q: &str = "query Day($b: Int!, $g: String!, $day: Int!) {
      BUILDING_INSIGHTS(where: {BUILDING_ID: {_eq: $b}, GRANULARITY: {_eq: $g}, GROUP_ID: {_eq: \"00000000-0000-0000-0000-000000000000\"}, DATE_PARTITION: {_eq: $day}},
                        order_by: [{DATE_TIME_START: asc}]) { DATE_TIME_START OCCUPANCY_MEAN } }";
    let mut out = Vec::new();
    let mut day = date(from);
    while day <= date(to) {
        let partition: i64 = day.format("%Y%m%d").to_string().parse().expect("partition");
        let data = graphql::execute(
            session,
            "Day",
            Q,
            json!({"b": building, "g": g.as_str(), "day": partition}),
        )
        .await
        .expect("day");
        out.extend(pairs(&data["BUILDING_INSIGHTS"]));
        day = day.succ_opt().expect("next day");
    }
    out
}

/// The same in one request for the whole range (fine under the default 10,000-row cap).
pub async fn whole_range_reference(
    session: &Session,
    building: i64,
    g: Granularity,
    from: &str,
    to: &str,
) -> Vec<(String, f64)> {
    const Q: &str = "query Range($b: Int!, $g: String!, $from: Int!, $to: Int!) {
      BUILDING_INSIGHTS(where: {BUILDING_ID: {_eq: $b}, GRANULARITY: {_eq: $g}, DATE_PARTITION: {_gte: $from, _lte: $to}},
                        order_by: [{DATE_TIME_START: asc}], limit: 10000) { DATE_TIME_START OCCUPANCY_MEAN } }";
    let p = |s: &str| -> i64 { s.replace('-', "").parse().expect("partition") };
    let data = graphql::execute(
        session,
        "Range",
        Q,
        json!({"b": building, "g": g.as_str(), "from": p(from), "to": p(to)}),
    )
    .await
    .expect("range");
    pairs(&data["BUILDING_INSIGHTS"])
}

fn pairs(rows: &Value) -> Vec<(String, f64)> {
    rows.as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            let start = occudesk_core::insights::time::parse_utc(
                r["DATE_TIME_START"].as_str().expect("start"),
            )
            .expect("time");
            (
                start.to_rfc3339(),
                r["OCCUPANCY_MEAN"].as_f64().expect("mean"),
            )
        })
        .collect()
}

/// The engine's rows in the same shape (first value column).
pub fn engine_pairs(result: &occudesk_core::insights::InsightResult) -> Vec<(String, f64)> {
    result
        .rows
        .iter()
        .map(|r| (r.start_utc.to_rfc3339(), r.values[0].expect("value")))
        .collect()
}

/// A simulator and a session of a user's own connection: the support module's connections
/// are marked demo, and demo data is never cached.
pub async fn start_own(config: SimConfig, flow: Flow) -> (Sim, Arc<Session>) {
    let (sim, demo_session) = start(config, flow).await;
    let mut connection = demo_session.connection().clone();
    connection.demo = false;
    let session = Session::new(
        &connection,
        secrecy::SecretString::from(flow.secret()),
        occudesk_core::http::HttpClient::new(occudesk_core::http::HttpConfig::for_tests())
            .expect("http client"),
        Arc::new(occudesk_core::auth::SystemClock),
    )
    .expect("session");
    (sim, Arc::new(session))
}

/// A Desk on demo data in `dir` (secrets in memory, no cache), its calendar pinned to
/// [`sim_today`].
pub async fn demo_desk(dir: &std::path::Path) -> occudesk_core::Desk {
    occudesk_core::Desk::open(occudesk_core::DeskConfig {
        data_dir: Some(dir.to_owned()),
        vault: occudesk_core::vault::Vault::memory(),
        http: occudesk_core::http::HttpConfig::for_tests(),
        force_demo: true,
        use_cache: false,
        today: Some(sim_today()),
        demo: Some(occudesk_demo::simulated()),
    })
    .await
    .expect("demo desk")
}

/// Loads a view of `query` on `desk` and returns its id.
pub async fn open_view(
    desk: &occudesk_core::Desk,
    connection_id: &str,
    query: &InsightQuery,
) -> String {
    desk.open_view(
        connection_id,
        query,
        occudesk_core::innerspace::Freshness::Usual,
        "test",
        |_| {},
    )
    .await
    .unwrap_or_else(|e| panic!("view of {query:?}: {e}"))
    .id
}

/// A Desk on `dir` with secrets in `vault`: the cache on, no demo data, the calendar pinned to
/// [`sim_today`].
pub async fn desk_on(
    dir: &std::path::Path,
    vault: &occudesk_core::vault::Vault,
) -> occudesk_core::Desk {
    occudesk_core::Desk::open(occudesk_core::DeskConfig {
        data_dir: Some(dir.to_owned()),
        vault: vault.clone(),
        http: occudesk_core::http::HttpConfig::for_tests(),
        force_demo: false,
        use_cache: true,
        today: Some(sim_today()),
        demo: None,
    })
    .await
    .expect("desk")
}

/// Saves a connection named "HQ" to `sim` with `flow`'s credentials; returns its id.
pub async fn connect(desk: &occudesk_core::Desk, sim: &Sim, flow: Flow) -> String {
    let draft = occudesk_core::connections::ConnectionDraft {
        id: None,
        name: "HQ".into(),
        kind: if flow == Flow::V2 {
            "innerspace-v2"
        } else {
            "innerspace-v1"
        }
        .into(),
        base_url: Some(sim.url()),
        client_id: flow.client_id().into(),
        audience: None,
        group_id: None,
        auth_method: None,
    };
    desk.save_connection(&draft, Some(flow.secret().to_owned().into()))
        .await
        .expect("connection")
        .connection
        .id
}

/// A fresh simulator with `config` and, on a fresh Desk in a new temp folder (secrets in
/// memory), a user's own connection to it with `flow`'s credentials. The folder lives as long
/// as the returned `TempDir`; the last item is the connection's id.
pub async fn own_desk(
    config: SimConfig,
    flow: Flow,
) -> (Sim, tempfile::TempDir, occudesk_core::Desk, String) {
    let (sim, _) = start_own(config, flow).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = desk_on(dir.path(), &occudesk_core::vault::Vault::memory()).await;
    let connection = connect(&desk, &sim, flow).await;
    (sim, dir, desk, connection)
}

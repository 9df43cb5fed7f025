//! One GraphQL query returning a year of PT1H rows for one building
//! (8,760 rows), served by the simulator in-process over loopback.

use criterion::{Criterion, criterion_group, criterion_main};
use occudesk_sim::{Sim, SimConfig, demo};
use serde_json::{Value, json};

const QUERY: &str = "query year($b: Int!, $from: Int!, $to: Int!) {
  BUILDING_INSIGHTS(where: {BUILDING_ID: {_eq: $b}, GRANULARITY: {_eq: \"PT1H\"},
                            DATE_PARTITION: {_gte: $from, _lte: $to}},
                    order_by: {DATE_TIME_START: asc}) {
    BUILDING_ID SITE_ID GROUP_ID GRANULARITY DATE_PARTITION DATE_TIME_START
    OCCUPANCY_MEAN OCCUPANCY_MAX OCCUPANCY_POS_MEAN OCCUPANCY_PERCENT_CAPACITY_MEAN
  }
}";

fn year_query(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (sim, session, http) = rt.block_on(async {
        let sim = Sim::start("127.0.0.1:0".parse().expect("addr"), SimConfig::default()).await.expect("sim");
        let http = reqwest::Client::new();
        let token: Value = http
            .post(format!("{}/v2/oauth/token", sim.url()))
            .json(&json!({"client_id": demo::V2_CLIENT_ID, "client_secret": demo::V2_CLIENT_SECRET, "audience": demo::V2_AUDIENCE}))
            .send()
            .await
            .expect("token")
            .json()
            .await
            .expect("json");
        let session = token["session_id"].as_str().expect("session").to_owned();
        (sim, session, http)
    });
    // 2025 in Chicago: 8,760 hours (DST changes cancel out).
    let body = json!({"query": QUERY, "variables": {"b": 71, "from": 20250101, "to": 20251231}});
    // Measured: request sent until the whole response body has arrived
    // (the client's own JSON parsing is not the simulator's time).
    let run = || async {
        http.post(format!("{}/v2/api", sim.url()))
            .header("X-Session-Id", &session)
            .json(&body)
            .send()
            .await
            .expect("query")
            .bytes()
            .await
            .expect("body")
    };
    let first: Value = serde_json::from_slice(&rt.block_on(run())).expect("json");
    assert_eq!(
        first["data"]["BUILDING_INSIGHTS"].as_array().map(Vec::len),
        Some(8760)
    );
    c.bench_function("year of PT1H rows, one building (8760 rows)", |b| {
        b.to_async(&rt).iter(run)
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = year_query
}
criterion_main!(benches);

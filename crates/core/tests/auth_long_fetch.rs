//! A long fetch (a year of hourly rows in monthly chunks) while the InnerSpace v2 session
//! expires every few uses: every chunk is renewed transparently and no row is lost.

mod auth_support;

use std::collections::BTreeSet;

use auth_support::*;
use occudesk_core::auth::Session;
use occudesk_sim::{SimConfig, demo};
use serde_json::{Value, json};

const QUERY: &str = "query Chunk($building: Int!, $from: Int!, $to: Int!) {
  BUILDING_INSIGHTS(
    where: {BUILDING_ID: {_eq: $building}, GRANULARITY: {_eq: \"PT1H\"},
            DATE_PARTITION: {_gte: $from, _lte: $to}},
    order_by: {DATE_TIME_START: asc}
  ) { DATE_TIME_START OCCUPANCY_MEAN }
}";

async fn fetch(session: &Session, from: u32, to: u32) -> Vec<String> {
    let url = format!("{}/v2/api", session.connection().base_url);
    let body = json!({
        "operationName": "Chunk",
        "query": QUERY,
        "variables": {"building": 71, "from": from, "to": to},
    });
    let response = session
        .send_authorized(|c| c.post(&url).json(&body))
        .await
        .expect("chunk");
    let value: Value = response.json_value().expect("json");
    assert!(value.get("errors").is_none(), "{value}");
    value["data"]["BUILDING_INSIGHTS"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            row["DATE_TIME_START"]
                .as_str()
                .expect("timestamp")
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn session_expiry_during_a_long_fetch_loses_no_rows() {
    let sim = sim_with(SimConfig {
        session_max_uses: Some(5),
        ..SimConfig::default()
    })
    .await;
    let session = session(&sim, Flow::V2);

    let mut chunked = Vec::new();
    for month in 1..=12u32 {
        let from = 20250000 + month * 100 + 1; // YYYYMMDD
        chunked.extend(fetch(&session, from, from + 30).await);
    }
    let whole = fetch(&session, 20250101, 20251231).await;

    assert_eq!(whole.len(), 8760, "a year of hours in building-local days");
    assert_eq!(
        chunked, whole,
        "chunks must add up to the whole year, in order"
    );
    assert_eq!(
        chunked.iter().collect::<BTreeSet<_>>().len(),
        8760,
        "no duplicates"
    );
    // 13 queries with sessions good for 5 uses: renewed on each 401, so 3 sessions in all.
    let counters = sim.counters(demo::V2_CLIENT_ID);
    assert_eq!(counters.token_requests, 3, "{counters:?}");
}

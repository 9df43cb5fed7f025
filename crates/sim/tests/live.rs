//! Issue 26: personal bearer tokens (accepted until their `exp`, then 401) and
//! `zone_occupancy` (realtime readings minutes old that move, hourly history, learnable by
//! introspection, absent from a tenant without it and from v2).

mod common;

use std::time::Duration;

use common::*;
use occudesk_sim::{Sim, SimConfig, demo};
use serde_json::{Value, json};

const LIVE: &str = "query Live($b: Int!) {
  rows: zone_occupancy(where: {building_id: {_eq: $b}, granularity: {_eq: \"PT1M\"}}, order_by: [{date_time_start: desc}, {zone_id: asc}]) {
    zone_id site_id date_time_start occupancy
  }
}";

const COLUMNS: &str = "query C($n: String!) { __type(name: $n) { fields { name } } }";

async fn live_rows(sim: &Sim, token: &str) -> Vec<Value> {
    let (status, body) = v1_query(sim, token, LIVE, json!({"b": 71})).await;
    assert_eq!(status, 200, "{body}");
    rows(&body, "rows").clone()
}

#[tokio::test]
async fn a_personal_token_works_until_its_exp_and_is_refused_after() {
    let sim = start(SimConfig::default()).await;
    let token = sim.personal_token(Duration::from_secs(3600), Duration::from_secs(8 * 3600));
    let claims = exp_claim(&token);
    assert!(claims > 0);
    assert!(!live_rows(&sim, &token).await.is_empty());
    assert_eq!(sim.counters(demo::PERSONAL_USER).api_requests, 1);

    let expired = sim.expired_personal_token(Duration::from_secs(60));
    let (status, body) = v1_query(&sim, &expired, LIVE, json!({"b": 71})).await;
    assert_eq!(status, 401);
    assert!(body.to_string().contains("JWTExpired"), "{body}");

    // Revoked before its exp (the sim's way to end every credential): 401 as well.
    sim.expire_sessions();
    let (status, _) = v1_query(&sim, &token, LIVE, json!({"b": 71})).await;
    assert_eq!(status, 401);
}

/// The `exp` claim, read the way any client can (no key needed).
fn exp_claim(token: &str) -> i64 {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    let claims: Value = serde_json::from_slice(&bytes).unwrap();
    claims["exp"].as_i64().unwrap()
}

#[tokio::test]
async fn realtime_readings_are_one_per_zone_and_minute_and_move_on_demand() {
    let sim = start(SimConfig::default()).await;
    let token = v1_token(&sim).await;
    let before = live_rows(&sim, &token).await;
    // Building 71: 3 floors of 6 zones, 15 readings each.
    assert_eq!(before.len(), 18 * 15);
    let newest = &before[0];
    let zones: std::collections::BTreeSet<i64> = before
        .iter()
        .map(|r| r["zone_id"].as_i64().unwrap())
        .collect();
    assert_eq!(zones.len(), 18);
    assert!(newest["occupancy"].as_f64().unwrap() >= 0.0);

    sim.set_live_extra_people(500.0);
    let after = live_rows(&sim, &token).await;
    for row in after.iter().take(18) {
        assert!(row["occupancy"].as_f64().unwrap() >= 500.0, "{row}");
    }

    // The same table answers introspection, like every other.
    let (_, body) = v1_query(&sim, &token, COLUMNS, json!({"n": "zone_occupancy"})).await;
    let names: Vec<&str> = body["data"]["__type"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "building_id",
            "site_id",
            "zone_id",
            "granularity",
            "date_time_start",
            "occupancy"
        ]
    );
}

#[tokio::test]
async fn the_nightly_history_is_hourly_and_ends_the_day_before_today() {
    let sim = start(SimConfig::default()).await;
    let token = v1_token(&sim).await;
    let query = "query H($z: Int!) {
      rows: zone_occupancy(where: {zone_id: {_eq: $z}, granularity: {_eq: \"PT1H\"}, date_time_start: {_gte: \"2026-11-22T00:00:00Z\"}}, order_by: [{date_time_start: asc}]) { date_time_start occupancy }
    }";
    let zone = live_rows(&sim, &token).await[0]["zone_id"]
        .as_i64()
        .unwrap();
    let (status, body) = v1_query(&sim, &token, query, json!({"z": zone})).await;
    assert_eq!(status, 200, "{body}");
    let hours = rows(&body, "rows");
    // Chicago's 2026-11-22 from 00:00Z (18:00 local the day before) to the end of the day.
    assert!(!hours.is_empty() && hours.len() <= 30, "{}", hours.len());
    let last = hours.last().unwrap()["date_time_start"].as_str().unwrap();
    assert!(last < "2026-11-23T06:00:00", "{last}");
}

#[tokio::test]
async fn a_tenant_without_the_table_and_the_v2_api_do_not_have_it() {
    let sim = start(SimConfig {
        zone_occupancy: false,
        ..Default::default()
    })
    .await;
    let token = v1_token(&sim).await;
    let (_, body) = v1_query(&sim, &token, COLUMNS, json!({"n": "zone_occupancy"})).await;
    assert_eq!(body["data"]["__type"], Value::Null, "{body}");
    let (status, body) = v1_query(&sim, &token, LIVE, json!({"b": 71})).await;
    assert_eq!(status, 200);
    assert!(error_code(&body).contains("validation"), "{body}");

    let full = start(SimConfig::default()).await;
    let session = v2_session(&full).await;
    let (_, body) = v2_query(&full, &session, COLUMNS, json!({"n": "ZONE_OCCUPANCY"})).await;
    assert_eq!(body["data"]["__type"], Value::Null, "{body}");
}

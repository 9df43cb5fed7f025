//! Helpers shared by the integration tests.
#![allow(dead_code)]

use occudesk_sim::{Sim, SimConfig, demo};
use serde_json::{Value, json};

pub async fn start(config: SimConfig) -> Sim {
    Sim::start("127.0.0.1:0".parse().expect("addr"), config)
        .await
        .expect("sim starts")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

pub async fn v2_session(sim: &Sim) -> String {
    let resp = client()
        .post(format!("{}/v2/oauth/token", sim.url()))
        .json(&json!({"client_id": demo::V2_CLIENT_ID, "client_secret": demo::V2_CLIENT_SECRET, "audience": demo::V2_AUDIENCE}))
        .send()
        .await
        .expect("token request");
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.expect("json");
    body["session_id"].as_str().expect("session_id").to_owned()
}

pub async fn v1_token(sim: &Sim) -> String {
    let resp = client()
        .post(format!("{}/api/rest/oauth/token", sim.url()))
        .form(&[
            ("client_id", demo::V1_CLIENT_ID),
            ("client_secret", demo::V1_CLIENT_SECRET),
        ])
        .send()
        .await
        .expect("token request");
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.expect("json");
    body["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

/// POSTs a query to v2 and returns (status, body).
pub async fn v2_query(sim: &Sim, session: &str, query: &str, variables: Value) -> (u16, Value) {
    let resp = client()
        .post(format!("{}/v2/api", sim.url()))
        .header("X-Session-Id", session)
        .json(&json!({"operationName": null, "query": query, "variables": variables}))
        .send()
        .await
        .expect("api request");
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("json body"))
}

pub async fn v1_query(sim: &Sim, token: &str, query: &str, variables: Value) -> (u16, Value) {
    let resp = client()
        .post(format!("{}/", sim.url()))
        .bearer_auth(token)
        .json(&json!({"query": query, "variables": variables}))
        .send()
        .await
        .expect("api request");
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("json body"))
}

/// Rows of root field `key`, failing on GraphQL errors.
pub fn rows<'a>(body: &'a Value, key: &str) -> &'a Vec<Value> {
    assert!(body.get("errors").is_none(), "unexpected errors: {body}");
    body["data"][key]
        .as_array()
        .unwrap_or_else(|| panic!("no rows for {key}: {body}"))
}

pub fn error_code(body: &Value) -> String {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

pub fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Building-insight rows of one building and granularity between two UTC instants.
pub async fn series(
    sim: &Sim,
    session: &str,
    building: i64,
    gran: &str,
    from: &str,
    to: &str,
) -> Vec<Value> {
    let q = "query s($b: Int!, $g: String!, $from: timestamptz!, $to: timestamptz!) {
        BUILDING_INSIGHTS(where: {BUILDING_ID: {_eq: $b}, GRANULARITY: {_eq: $g}, DATE_TIME_START: {_gte: $from, _lt: $to}},
                          order_by: [{DATE_TIME_START: asc}]) {
            DATE_PARTITION DATE_TIME_START OCCUPANCY_MEAN OCCUPANCY_MAX OCCUPANCY_POS_MEAN OCCUPANCY_PERCENT_CAPACITY_MEAN
        } }";
    let (status, body) = v2_query(
        sim,
        session,
        q,
        json!({"b": building, "g": gran, "from": from, "to": to}),
    )
    .await;
    assert_eq!(status, 200);
    rows(&body, "BUILDING_INSIGHTS").clone()
}

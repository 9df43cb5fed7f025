//! Fault injection, request recording, counters and lifecycle.

mod common;

use std::time::{Duration, Instant};

use common::*;
use occudesk_sim::{Fault, SimConfig, demo};
use serde_json::{Value, json};

const Q: &str = "{ BUILDING(limit: 1) { ID } }";

#[tokio::test]
async fn scripted_faults_happen_in_order_then_service_resumes() {
    let sim = start(SimConfig::default()).await;
    let session = v2_session(&sim).await;
    sim.script_faults(
        "/v2/api",
        vec![
            Fault::Status(503),
            Fault::RateLimited {
                retry_after_secs: 7,
            },
            Fault::HtmlError(502),
            Fault::HtmlPage,
            Fault::Malformed,
            Fault::Drop,
            Fault::Delay(Duration::from_millis(300)),
            Fault::Status(500),
        ],
    );
    let send = || {
        client()
            .post(format!("{}/v2/api", sim.url()))
            .header("X-Session-Id", &session)
            .json(&json!({"query": Q}))
            .send()
    };
    let r = send().await.expect("503");
    assert_eq!(r.status(), 503);
    assert!(r.json::<Value>().await.is_ok());
    let r = send().await.expect("429");
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "7");
    let r = send().await.expect("502");
    assert_eq!(r.status(), 502);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/html")
    );
    let r = send().await.expect("html 200");
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/html")
    );
    let r = send().await.expect("malformed");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/json");
    assert!(r.json::<Value>().await.is_err());
    // The connection is closed with no response at all.
    let err = send().await.expect_err("dropped connection");
    assert!(!err.is_status() && !err.is_timeout(), "{err:?}");
    let t = Instant::now();
    let r = send().await.expect("delayed");
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(r.status(), 200);
    assert_eq!(send().await.expect("500").status(), 500);
    let r = send().await.expect("normal");
    assert_eq!(r.status(), 200);
    assert!(r.json::<Value>().await.expect("json")["data"]["BUILDING"].is_array());

    // Other paths were never affected, and a client timeout sees a slow answer.
    sim.script_faults("/v2/oauth", vec![Fault::Delay(Duration::from_secs(5))]);
    let err = client()
        .post(format!("{}/v2/oauth/token", sim.url()))
        .timeout(Duration::from_millis(200))
        .json(&json!({}))
        .send()
        .await
        .expect_err("timeout");
    assert!(err.is_timeout());
}

#[tokio::test]
async fn random_faults_are_deterministic_per_seed() {
    async fn outcomes(seed: u64) -> Vec<String> {
        let sim = start(SimConfig {
            seed,
            fault_rate: 0.5,
            ..SimConfig::default()
        })
        .await;
        let mut out = Vec::new();
        for _ in 0..12 {
            let r = client()
                .get(format!("{}/api/v1/auth/jwt/token/basic", sim.url()))
                .timeout(Duration::from_millis(500))
                .send()
                .await;
            out.push(match r {
                Ok(r) => format!("{} {:?}", r.status(), r.headers().get("content-type")),
                Err(e) if e.is_timeout() => "timeout".to_owned(),
                Err(_) => "dropped".to_owned(),
            });
        }
        sim.shutdown().await;
        out
    }
    let a = outcomes(3).await;
    assert_eq!(a, outcomes(3).await);
    assert!(
        a.iter().any(|o| o.starts_with("401")),
        "some requests are served: {a:?}"
    );
    assert!(
        a.iter().any(|o| !o.starts_with("401")),
        "some requests fail: {a:?}"
    );
}

#[tokio::test]
async fn requests_are_recorded_and_counted() {
    let sim = start(SimConfig::default()).await;
    let token = v1_token(&sim).await;
    let (_, body) = v1_query(
        &sim,
        &token,
        "{ building_metrics(limit: 5) { metric_value } }",
        json!({}),
    )
    .await;
    assert_eq!(rows(&body, "building_metrics").len(), 5);

    let recorded = sim.requests();
    assert_eq!(recorded.len(), 2);
    assert_eq!(
        (recorded[0].method.as_str(), recorded[0].path.as_str()),
        ("POST", "/api/rest/oauth/token")
    );
    let body = String::from_utf8_lossy(&recorded[0].body).into_owned();
    assert!(
        body.contains("client_id=demo-v1-client") && body.contains("client_secret="),
        "{body}"
    );
    assert!(
        recorded[1]
            .headers
            .iter()
            .any(|(k, v)| k == "authorization" && *v == format!("Bearer {token}"))
    );
    assert!(
        recorded[1]
            .headers
            .iter()
            .all(|(k, _)| *k == k.to_lowercase())
    );
    sim.clear_requests();
    assert!(sim.requests().is_empty());

    let c = sim.counters(demo::V1_CLIENT_ID);
    assert_eq!((c.token_requests, c.api_requests, c.rows), (1, 1, 5));
    assert_eq!(sim.counters("nobody"), Default::default());
    let all: Value = client()
        .get(format!("{}/__sim/counters", sim.url()))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(
        all[demo::V1_CLIENT_ID],
        json!({"token_requests": 1, "api_requests": 1, "rows": 5})
    );
    assert!(sim.requests().is_empty(), "reserved paths are not recorded");
}

#[tokio::test]
async fn dropping_the_last_handle_stops_the_server() {
    let sim = start(SimConfig::default()).await;
    let url = sim.url();
    assert!(url.starts_with("http://127.0.0.1:") && !url.ends_with('/'));
    let clone = sim.clone();
    drop(sim);
    assert!(
        client()
            .get(format!("{url}/__sim/counters"))
            .send()
            .await
            .is_ok(),
        "a clone keeps it alive"
    );
    drop(clone);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(
        reqwest::Client::new()
            .get(format!("{url}/__sim/counters"))
            .send()
            .await
            .is_err()
    );

    let sim = start(SimConfig::default()).await;
    let url = sim.url();
    sim.shutdown().await;
    assert!(
        reqwest::Client::new()
            .get(format!("{url}/__sim/counters"))
            .send()
            .await
            .is_err()
    );
}

//! InnerSpace token endpoints and session/token checks.

mod common;

use std::time::Duration;

use common::*;
use occudesk_sim::{SimConfig, V1Shape, demo};
use serde_json::{Value, json};

const Q: &str = "{ BUILDING(limit: 1) { ID } }";

async fn v2_token_raw(sim: &occudesk_sim::Sim, body: Value) -> (u16, Value) {
    let resp = client()
        .post(format!("{}/v2/oauth/token", sim.url()))
        .json(&body)
        .send()
        .await
        .expect("send");
    (resp.status().as_u16(), resp.json().await.expect("json"))
}

#[tokio::test]
async fn v2_rejects_wrong_secret_and_wrong_audience_distinctly() {
    let sim = start(SimConfig::default()).await;
    let (s, b) = v2_token_raw(&sim, json!({"client_id": demo::V2_CLIENT_ID, "client_secret": "nope", "audience": demo::V2_AUDIENCE})).await;
    assert_eq!((s, b["error"].as_str()), (401, Some("access_denied")));
    assert_eq!(b["error_description"], "Unauthorized");

    let (s, b) = v2_token_raw(&sim, json!({"client_id": "someone", "client_secret": demo::V2_CLIENT_SECRET, "audience": demo::V2_AUDIENCE})).await;
    assert_eq!(s, 401, "{b}");

    let (s, b) = v2_token_raw(&sim, json!({"client_id": demo::V2_CLIENT_ID, "client_secret": demo::V2_CLIENT_SECRET, "audience": "https://elsewhere"})).await;
    assert_eq!(s, 403);
    assert_eq!(b["error"], "access_denied");
    assert_eq!(
        b["error_description"],
        "Service not enabled within domain: https://elsewhere"
    );

    let (s, b) = v2_token_raw(
        &sim,
        json!({"client_id": demo::V2_CLIENT_ID, "client_secret": demo::V2_CLIENT_SECRET}),
    )
    .await;
    assert_eq!((s, b["error"].as_str()), (400, Some("invalid_request")));

    // Form bodies are not accepted by v2.
    let resp = client()
        .post(format!("{}/v2/oauth/token", sim.url()))
        .form(&[
            ("client_id", demo::V2_CLIENT_ID),
            ("client_secret", demo::V2_CLIENT_SECRET),
            ("audience", demo::V2_AUDIENCE),
        ])
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 415);

    let (s, b) = v2_token_raw(&sim, json!({"client_id": demo::V2_CLIENT_ID, "client_secret": demo::V2_CLIENT_SECRET, "audience": demo::V2_AUDIENCE})).await;
    assert_eq!(s, 200);
    assert!(b["session_id"].is_string());
    assert_eq!(b["expires_in"], 3600);
    assert_eq!(sim.counters(demo::V2_CLIENT_ID).token_requests, 4);
}

#[tokio::test]
async fn v2_api_requires_a_live_session() {
    let sim = start(SimConfig {
        session_ttl: Duration::from_millis(400),
        ..SimConfig::default()
    })
    .await;
    let resp = client()
        .post(format!("{}/v2/api", sim.url()))
        .json(&json!({"query": Q}))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 401);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(error_code(&body), "access-denied");

    let (s, b) = v2_query(&sim, "made-up", Q, json!({})).await;
    assert_eq!((s, error_code(&b)), (401, "invalid-session".to_owned()));

    let session = v2_session(&sim).await;
    let (s, _) = v2_query(&sim, &session, Q, json!({})).await;
    assert_eq!(s, 200);
    // A v1 token is not a session.
    let token = v1_token(&sim).await;
    assert_eq!(v2_query(&sim, &token, Q, json!({})).await.0, 401);

    tokio::time::sleep(Duration::from_millis(500)).await;
    let (s, b) = v2_query(&sim, &session, Q, json!({})).await;
    assert_eq!((s, error_code(&b)), (401, "session-expired".to_owned()));
}

#[tokio::test]
async fn v2_session_expires_after_max_uses_and_on_demand() {
    let sim = start(SimConfig {
        session_max_uses: Some(2),
        ..SimConfig::default()
    })
    .await;
    let session = v2_session(&sim).await;
    assert_eq!(v2_query(&sim, &session, Q, json!({})).await.0, 200);
    assert_eq!(v2_query(&sim, &session, Q, json!({})).await.0, 200);
    assert_eq!(v2_query(&sim, &session, Q, json!({})).await.0, 401);

    let fresh = v2_session(&sim).await;
    assert_eq!(v2_query(&sim, &fresh, Q, json!({})).await.0, 200);
    sim.expire_sessions();
    assert_eq!(v2_query(&sim, &fresh, Q, json!({})).await.0, 401);
    let c = sim.counters(demo::V2_CLIENT_ID);
    assert_eq!((c.token_requests, c.api_requests), (2, 3));
}

#[tokio::test]
async fn v2_api_checks_content_type_and_body() {
    let sim = start(SimConfig::default()).await;
    let session = v2_session(&sim).await;
    let resp = client()
        .post(format!("{}/v2/api", sim.url()))
        .header("X-Session-Id", &session)
        .header("Content-Type", "text/plain")
        .body(format!("{{\"query\": \"{Q}\"}}"))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 415);
    let resp = client()
        .post(format!("{}/v2/api", sim.url()))
        .header("X-Session-Id", &session)
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(error_code(&body), "invalid-json");
}

async fn v1_token_raw(sim: &occudesk_sim::Sim, content_type: &str, body: String) -> (u16, Value) {
    let resp = client()
        .post(format!("{}/api/rest/oauth/token", sim.url()))
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .expect("send");
    (resp.status().as_u16(), resp.json().await.expect("json"))
}

#[tokio::test]
async fn v1_token_shapes_and_encodings() {
    let sim = start(SimConfig::default()).await;
    let form = |id: &str, secret: &str| format!("client_id={id}&client_secret={secret}");
    let (s, b) = v1_token_raw(
        &sim,
        "application/x-www-form-urlencoded",
        form(demo::V1_CLIENT_ID, demo::V1_CLIENT_SECRET),
    )
    .await;
    assert_eq!(s, 200);
    assert!(b["access_token"].is_string() && b["oauth_token"].is_null());
    assert_eq!(b["token_type"], "Bearer");
    assert_eq!(b["expires_in"], 3600);

    let (s, b) = v1_token_raw(
        &sim,
        "application/x-www-form-urlencoded",
        form(demo::V1_NESTED_CLIENT_ID, demo::V1_NESTED_CLIENT_SECRET),
    )
    .await;
    assert_eq!(s, 200);
    assert!(b["oauth_token"]["access_token"].is_string() && b["access_token"].is_null());

    // JSON is accepted too; form data under a JSON content type is not.
    let json_body =
        json!({"client_id": demo::V1_CLIENT_ID, "client_secret": demo::V1_CLIENT_SECRET})
            .to_string();
    assert_eq!(
        v1_token_raw(&sim, "application/json", json_body.clone())
            .await
            .0,
        200
    );
    assert_eq!(
        v1_token_raw(
            &sim,
            "application/json",
            form(demo::V1_CLIENT_ID, demo::V1_CLIENT_SECRET)
        )
        .await
        .0,
        400
    );
    assert_eq!(v1_token_raw(&sim, "text/plain", json_body).await.0, 415);

    let (s, b) = v1_token_raw(
        &sim,
        "application/x-www-form-urlencoded",
        form(demo::V1_CLIENT_ID, "wrong"),
    )
    .await;
    assert_eq!((s, b["error"].as_str()), (401, Some("access_denied")));
    let (s, _) = v1_token_raw(
        &sim,
        "application/x-www-form-urlencoded",
        "client_id=x".into(),
    )
    .await;
    assert_eq!(s, 400);

    let forced = start(SimConfig {
        v1_shape: V1Shape::Nested,
        ..SimConfig::default()
    })
    .await;
    let (_, b) = v1_token_raw(
        &forced,
        "application/x-www-form-urlencoded",
        form(demo::V1_CLIENT_ID, demo::V1_CLIENT_SECRET),
    )
    .await;
    assert!(b["oauth_token"]["access_token"].is_string());
}

#[tokio::test]
async fn v1_api_requires_a_live_bearer_token() {
    let sim = start(SimConfig {
        token_ttl: Duration::from_secs(1),
        ..SimConfig::default()
    })
    .await;
    let q = "{ building_metrics(limit: 1) { building_id } }";
    let resp = client()
        .post(format!("{}/", sim.url()))
        .json(&json!({"query": q}))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 401);
    assert_eq!(v1_query(&sim, "bogus", q, json!({})).await.0, 401);

    let token = v1_token(&sim).await;
    // The token is a JWT whose exp matches the lifetime.
    assert_eq!(token.split('.').count(), 3);
    let (s, b) = v1_query(&sim, &token, q, json!({})).await;
    assert_eq!(s, 200, "{b}");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (s, b) = v1_query(&sim, &token, q, json!({})).await;
    assert_eq!((s, error_code(&b)), (401, "invalid-jwt".to_owned()));

    let token = v1_token(&sim).await;
    sim.expire_sessions();
    assert_eq!(v1_query(&sim, &token, q, json!({})).await.0, 401);
}

//! The HTTP layer against the simulator (and a raw server for what the simulator cannot do):
//! retries, give-up errors, size limit, timeouts, insecure URLs, redirects.

#[path = "auth_support/mod.rs"]
mod support;

use std::time::Duration;

use occudesk_core::auth::Authorization;
use occudesk_core::http::{HttpClient, HttpConfig, Idempotency, RetryPolicy};
use occudesk_sim::Fault;
use support::*;

const PATH: &str = "/__no_such_path";

async fn get(http: &HttpClient, url: &str) -> occudesk_core::Result<occudesk_core::http::Response> {
    http.send(|c| c.get(url)).await
}

#[tokio::test]
async fn retries_503_three_times_then_succeeds() {
    let sim = sim().await;
    sim.script_faults(PATH, vec![Fault::Status(503); 3]);
    let url = format!("{}{PATH}", sim.url());
    let response = get(&http(), &url).await.expect("fourth attempt answers");
    assert_eq!(response.status(), 404);
    assert_eq!(requests_to(&sim, PATH).len(), 4);
}

#[tokio::test]
async fn gives_up_after_max_attempts_with_server_error() {
    let sim = sim().await;
    sim.script_faults(PATH, vec![Fault::HtmlError(502); 5]);
    let err = get(&http(), &format!("{}{PATH}", sim.url()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "api.server_error");
    assert!(err.to_string().contains("502"), "{err}");
    assert!(
        !err.to_string().contains("nginx"),
        "no body in messages: {err}"
    );
    assert_eq!(requests_to(&sim, PATH).len(), 4);
}

#[tokio::test]
async fn honours_retry_after_capped_and_reports_rate_limit_when_exhausted() {
    let sim = sim().await;
    let url = format!("{}{PATH}", sim.url());
    // Retry-After: 30 s, capped by the test policy's 20 ms: the test stays fast.
    sim.script_faults(
        PATH,
        vec![Fault::RateLimited {
            retry_after_secs: 30,
        }],
    );
    let started = std::time::Instant::now();
    assert_eq!(get(&http(), &url).await.expect("then served").status(), 404);
    assert!(started.elapsed() < Duration::from_secs(5));

    sim.script_faults(
        PATH,
        vec![
            Fault::RateLimited {
                retry_after_secs: 1
            };
            4
        ],
    );
    let err = get(&http(), &url).await.unwrap_err();
    assert_eq!(err.code(), "api.rate_limited");
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let sim = sim().await;
    sim.script_faults(PATH, vec![Fault::Drop, Fault::Drop]);
    let response = get(&http(), &format!("{}{PATH}", sim.url()))
        .await
        .expect("third attempt answers");
    assert_eq!(response.status(), 404);
    assert_eq!(requests_to(&sim, PATH).len(), 3);
}

#[tokio::test]
async fn posts_the_caller_declares_repeatable_are_retried_with_their_body() {
    let sim = sim().await;
    sim.script_faults(PATH, vec![Fault::Drop, Fault::Status(500)]);
    let url = format!("{}{PATH}", sim.url());
    let http = http();
    http.send_as(http.config().retry, Idempotency::Repeatable, |c| {
        c.post(&url).json(&serde_json::json!({"n": 1}))
    })
    .await
    .expect("answered");
    let sent = requests_to(&sim, PATH);
    assert_eq!(sent.len(), 3);
    assert!(
        sent.iter()
            .all(|r| r.method == "POST" && r.body == br#"{"n":1}"#)
    );
}

/// App Credentials of the SpatiaFi demo user, listed with `bearer`.
async fn credential_count(sim: &occudesk_sim::Sim, bearer: &Authorization) -> usize {
    let url = format!("{}/api/v1/clients", sim.url());
    http()
        .send(|c| bearer.apply(c.get(&url)))
        .await
        .expect("listed")
        .json::<Vec<serde_json::Value>>()
        .expect("a list")
        .len()
}

#[tokio::test]
async fn a_post_whose_answer_is_lost_after_the_server_acted_is_not_sent_again() {
    let sim = sim().await;
    // A bearer from the SpatiaFi basic sign-in, as for creating App Credentials.
    let bearer = session(&sim, Flow::SpatiafiBasic)
        .authorization()
        .await
        .expect("signed in");
    let before = credential_count(&sim, &bearer).await;
    sim.script_faults("/api/v1/clients", vec![Fault::DropAfterService]);
    let url = format!("{}/api/v1/clients", sim.url());
    let err = http()
        .send(|c| bearer.apply(c.post(&url).json(&serde_json::json!({}))))
        .await
        .expect_err("the answer never arrived");
    assert_eq!(err.code(), "net.outcome_unknown");
    let message = err.to_string();
    assert!(message.contains("before trying again"), "{message}");
    assert_eq!(
        credential_count(&sim, &bearer).await,
        before + 1,
        "exactly one credential created"
    );
    let posts = requests_to(&sim, "/api/v1/clients")
        .into_iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 1);
}

#[tokio::test]
async fn a_post_answered_with_a_server_error_is_not_sent_again() {
    let sim = sim().await;
    let url = format!("{}{PATH}", sim.url());
    for status in [500, 502, 503, 504] {
        sim.clear_requests();
        sim.script_faults(PATH, vec![Fault::Status(status)]);
        let err = http().send(|c| c.post(&url)).await.unwrap_err();
        assert_eq!(err.code(), "net.outcome_unknown", "{status}");
        assert!(err.to_string().contains(&status.to_string()), "{err}");
        assert_eq!(requests_to(&sim, PATH).len(), 1, "{status}");
    }
}

#[tokio::test]
async fn a_rate_limited_post_is_retried_because_the_server_refused_it() {
    let sim = sim().await;
    sim.script_faults(
        PATH,
        vec![Fault::RateLimited {
            retry_after_secs: 1,
        }],
    );
    let url = format!("{}{PATH}", sim.url());
    let response = http().send(|c| c.post(&url)).await.expect("then served");
    assert_eq!(response.status(), 404);
    assert_eq!(requests_to(&sim, PATH).len(), 2);
}

#[tokio::test]
async fn no_retry_policy_sends_once() {
    let sim = sim().await;
    sim.script_faults(PATH, vec![Fault::Status(503)]);
    let url = format!("{}{PATH}", sim.url());
    let err = http()
        .send_with(RetryPolicy::no_retry(), |c| c.get(&url))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "api.server_error");
    assert_eq!(requests_to(&sim, PATH).len(), 1);
}

#[tokio::test]
async fn a_create_through_the_session_is_sent_once_and_says_to_check_the_list() {
    let sim = sim().await;
    let session = session(&sim, Flow::SpatiafiBasic);
    let url = format!("{}/api/v1/clients", sim.url());
    let count = || async {
        session
            .send_authorized(|c| c.get(&url))
            .await
            .expect("listed")
            .json::<Vec<serde_json::Value>>()
            .expect("a list")
            .len()
    };
    let before = count().await;
    sim.script_faults("/api/v1/clients", vec![Fault::DropAfterService]);
    let err = session
        .send_authorized_create(|c| c.post(&url).json(&serde_json::json!({})))
        .await
        .expect_err("the answer never arrived");
    assert_eq!(err.code(), "net.outcome_unknown");
    assert!(err.to_string().contains("App Credentials"), "{err}");
    assert_eq!(count().await, before + 1, "exactly one credential created");

    // Refusals are still retried: the server did nothing.
    sim.script_faults(
        "/api/v1/clients",
        vec![Fault::RateLimited {
            retry_after_secs: 1,
        }],
    );
    let created = session
        .send_authorized_create(|c| c.post(&url).json(&serde_json::json!({})))
        .await
        .expect("created after the 429");
    assert_eq!(created.status(), 200);
    assert_eq!(count().await, before + 2);
}

#[tokio::test]
async fn read_only_graphql_posts_through_the_session_are_still_retried() {
    let sim = sim().await;
    let session = session(&sim, Flow::V2);
    session.authorization().await.expect("signed in");
    sim.script_faults("/v2/api", vec![Fault::Drop, Fault::Status(502)]);
    let response = api_call(&session).await.expect("third attempt answers");
    assert_eq!(response.status(), 200);
    assert_eq!(requests_to(&sim, "/v2/api").len(), 3);
}

#[tokio::test]
async fn a_post_that_times_out_may_have_been_carried_out() {
    let sim = sim().await;
    sim.script_faults(PATH, vec![Fault::Delay(Duration::from_secs(3))]);
    let http = HttpClient::new(HttpConfig {
        request_timeout: Duration::from_millis(300),
        ..HttpConfig::for_tests()
    })
    .expect("client");
    let url = format!("{}{PATH}", sim.url());
    let err = http.send(|c| c.post(&url)).await.unwrap_err();
    assert_eq!(err.code(), "net.outcome_unknown");
    assert!(err.to_string().contains("in time"), "{err}");
    assert_eq!(requests_to(&sim, PATH).len(), 1);
}

#[tokio::test]
async fn html_and_malformed_bodies_are_unexpected_responses() {
    let sim = sim().await;
    let url = format!("{}{PATH}", sim.url());
    sim.script_faults(PATH, vec![Fault::HtmlPage, Fault::Malformed]);
    let html = get(&http(), &url).await.expect("200 page");
    let err = html.json_value().unwrap_err();
    assert_eq!(err.code(), "api.unexpected_response");
    assert!(err.to_string().contains("HTML"), "{err}");
    assert!(!err.to_string().contains("Network login"), "{err}");
    let broken = get(&http(), &url).await.expect("200 broken json");
    let err = broken.json_value().unwrap_err();
    assert_eq!(err.code(), "api.unexpected_response");
    assert!(!err.to_string().contains("BUILDING_ID"), "{err}");
}

#[tokio::test]
async fn server_down_is_offline() {
    let err = get(&http(), &format!("{}/x", dead_url()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "net.offline");
    assert!(err.to_string().contains("127.0.0.1"), "{err}");
}

#[tokio::test]
async fn a_slow_service_times_out() {
    let sim = sim().await;
    sim.script_faults(PATH, vec![Fault::Delay(Duration::from_secs(3))]);
    let http = HttpClient::new(HttpConfig {
        request_timeout: Duration::from_millis(300),
        ..HttpConfig::for_tests()
    })
    .expect("client");
    let err = get(&http, &format!("{}{PATH}", sim.url()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "net.timeout");
    assert_eq!(requests_to(&sim, PATH).len(), 1, "timeouts are not retried");
}

#[tokio::test]
async fn plain_http_is_refused_unless_loopback() {
    let err = get(&http(), "http://api.innerspace.io/v2/api")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "net.insecure_url");
    assert!(err.to_string().contains("api.innerspace.io"));
    let err = get(&http(), "http://localhost.example.com:1/")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "net.insecure_url");
}

#[tokio::test]
async fn a_redirect_to_plain_http_elsewhere_is_refused() {
    let url = raw_server(vec![
        b"HTTP/1.1 307 Temporary Redirect\r\nLocation: http://example.com/steal\r\nContent-Length: 0\r\n\r\n"
            .to_vec(),
    ])
    .await;
    let err = get(&http(), &format!("{url}/a")).await.unwrap_err();
    assert_eq!(err.code(), "net.insecure_url");
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed() {
    // Loopback on another port is "secure" but a different origin: credentials in headers
    // such as X-Session-Id, or in the body, must not follow.
    let elsewhere = raw_server(vec![
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".to_vec(),
    ])
    .await;
    let url = raw_server(vec![format!(
        "HTTP/1.1 307 Temporary Redirect\r\nLocation: {elsewhere}/steal\r\nContent-Length: 0\r\n\r\n"
    )
    .into_bytes()])
    .await;
    let err = get(&http(), &format!("{url}/a")).await.unwrap_err();
    assert_eq!(err.code(), "api.unexpected_response");
    assert!(
        err.to_string().contains("redirect to another address"),
        "{err}"
    );
}

fn limited(bytes: usize) -> HttpClient {
    HttpClient::new(HttpConfig {
        max_body_bytes: bytes,
        ..HttpConfig::for_tests()
    })
    .expect("client")
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused_declared_or_streamed() {
    let declared = raw_server(vec![
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n"
            .to_vec(),
    ])
    .await;
    let err = get(&limited(1024), &declared).await.unwrap_err();
    assert_eq!(err.code(), "api.too_large");

    // Chunked, no length announced: stopped while streaming.
    let mut chunked =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            .to_vec();
    for _ in 0..8 {
        chunked.extend_from_slice(b"200\r\n");
        chunked.extend_from_slice(&[b'x'; 0x200]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let streamed = raw_server(vec![chunked.clone(), chunked]).await;
    let err = get(&limited(1024), &streamed).await.unwrap_err();
    assert_eq!(err.code(), "api.too_large");
    assert!(err.to_string().contains("MiB"), "{err}");
    // Within the limit it is read whole.
    let ok = get(&limited(8192), &streamed).await.expect("fits");
    assert_eq!(ok.body().len(), 8 * 0x200);
}

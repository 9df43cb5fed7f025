//! Every flow logged at debug level, including a 401 renewal: the log must say what happened
//! and must never contain a secret, a token, a session id or a client assertion.

mod auth_support;

use std::sync::Arc;

use auth_support::*;
use occudesk_sim::Fault;

/// Everything that must stay out of logs, read from what the simulator actually received.
fn credentials_sent(sim: &occudesk_sim::Sim) -> Vec<String> {
    let mut found = Vec::new();
    for request in sim.requests() {
        if let Some(v) = header(&request, "x-session-id") {
            found.push(v.to_owned());
        }
        if let Some(v) = header(&request, "authorization") {
            // "Bearer <token>" or "Basic <base64>": the part after the scheme is the secret.
            if let Some((_, value)) = v.split_once(' ') {
                found.push(value.to_owned());
            }
        }
        for key in ["client_assertion", "client_secret", "password"] {
            if let Some(v) = form_get(&form(&request), key) {
                found.push(v.to_owned());
            }
        }
    }
    found
}

#[tokio::test]
async fn debug_logs_never_contain_credentials() {
    let (capture, _guard) = Capture::debug_log();

    let sim = sim().await;
    for flow in ALL_FLOWS {
        let session = session(&sim, flow);
        api_call(&session).await.expect("first call");
        // Force the renew-once-on-401 path too: its log lines must be as clean.
        sim.expire_sessions();
        api_call(&session).await.expect("call after expiry");
    }
    // A failure path logs as well; the wrong secret must not show either.
    sim.script_faults("/v2/oauth/token", vec![Fault::Status(503)]);
    let bad = session_with(
        &sim,
        Flow::V2,
        "wrong-secret-value",
        Arc::new(occudesk_core::auth::SystemClock),
    );
    assert!(api_call(&bad).await.is_err());

    let log = capture.text();
    assert!(log.contains("DEBUG"), "nothing was logged at debug level");
    let mut secrets = credentials_sent(&sim);
    secrets.extend(ALL_FLOWS.iter().map(|f| f.secret().to_owned()));
    secrets.push("wrong-secret-value".into());
    assert!(
        secrets.len() > 20,
        "expected credentials from every flow, got {}",
        secrets.len()
    );
    for secret in secrets {
        assert!(
            !log.contains(&secret),
            "the log contains a credential ({} chars)",
            secret.len()
        );
    }
}

//! Every token flow against the simulator: what is sent, what comes back, and a clear error
//! code for each way it can fail.

#[path = "auth_support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use occudesk_core::auth::{
    SystemClock, TokenClient, client_assertion, spatiafi::exchange_assertion, unix_secs,
};
use occudesk_core::connections::{ConnectionKind, SpatiafiAuthMethod};
use occudesk_core::{Error, auth::Session};
use occudesk_sim::{Fault, demo};
use secrecy::SecretString;
use support::*;

fn assert_clean(err: &Error, code: &str, secret: &str) {
    assert_eq!(err.code(), code, "{err}");
    let message = err.to_string();
    assert!(!message.contains(secret), "secret in message: {message}");
    assert!(
        !format!("{err:?}").contains(secret),
        "secret in debug: {err:?}"
    );
}

#[tokio::test]
async fn every_flow_gets_a_token_and_authorises_an_api_call() {
    let sim = sim().await;
    for flow in ALL_FLOWS {
        let session = session(&sim, flow);
        let response = api_call(&session).await.expect("api call");
        assert_eq!(response.status(), 200, "{flow:?}");
        assert_eq!(session.token_requests(), 1, "{flow:?}");
        assert!(sim.counters(flow.client_id()).api_requests >= 1);
        let status = session.status().await.expect("token cached");
        let expected = match flow {
            Flow::V2 | Flow::V1TopLevel | Flow::V1Nested => 3600,
            _ => 900,
        };
        assert!(
            status.lifetime_secs.abs_diff(expected) <= 2,
            "{flow:?}: lifetime {}",
            status.lifetime_secs
        );
        assert!(status.remaining_secs > 0);
    }
}

#[tokio::test]
async fn v2_sends_json_and_presents_the_session_header() {
    let sim = sim().await;
    let session = session(&sim, Flow::V2);
    api_call(&session).await.expect("api call");
    let token = &requests_to(&sim, "/v2/oauth/token")[0];
    assert_eq!(token.method, "POST");
    assert!(
        header(token, "content-type")
            .unwrap()
            .starts_with("application/json")
    );
    let body: serde_json::Value = serde_json::from_slice(&token.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "client_id": demo::V2_CLIENT_ID,
            "client_secret": demo::V2_CLIENT_SECRET,
            "audience": demo::V2_AUDIENCE,
        })
    );
    let api = &requests_to(&sim, "/v2/api")[0];
    assert!(header(api, "x-session-id").is_some_and(|s| !s.is_empty()));
    assert!(header(api, "authorization").is_none());
}

#[tokio::test]
async fn v1_sends_a_form_and_presents_a_bearer_token_for_both_shapes() {
    let sim = sim().await;
    for flow in [Flow::V1TopLevel, Flow::V1Nested] {
        sim.clear_requests();
        let session = session(&sim, flow);
        assert_eq!(api_call(&session).await.unwrap().status(), 200);
        let token = &requests_to(&sim, "/api/rest/oauth/token")[0];
        assert_eq!(
            header(token, "content-type"),
            Some("application/x-www-form-urlencoded")
        );
        let fields = form(token);
        assert_eq!(form_get(&fields, "client_id"), Some(flow.client_id()));
        assert_eq!(form_get(&fields, "client_secret"), Some(flow.secret()));
        let api = &requests_to(&sim, "/")[0];
        assert!(
            header(api, "authorization")
                .unwrap()
                .starts_with("Bearer ey")
        );
    }
}

#[tokio::test]
async fn v1_falls_back_to_json_once_when_the_form_is_refused() {
    let sim = sim().await;
    sim.script_faults("/api/rest/oauth/token", vec![Fault::Status(415)]);
    let session = session(&sim, Flow::V1TopLevel);
    assert_eq!(api_call(&session).await.unwrap().status(), 200);
    let tokens = requests_to(&sim, "/api/rest/oauth/token");
    assert_eq!(tokens.len(), 2);
    assert_eq!(
        header(&tokens[0], "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(
        header(&tokens[1], "content-type")
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(session.token_requests(), 2);
}

#[tokio::test]
async fn spatiafi_personal_flows_send_email_and_password_as_documented() {
    let sim = sim().await;
    let basic = session(&sim, Flow::SpatiafiBasic);
    api_call(&basic).await.unwrap();
    let sent = &requests_to(&sim, "/api/v1/auth/jwt/token/basic")[0];
    assert_eq!(sent.method, "GET");
    let expected = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        demo::SPATIAFI_EMAIL,
        demo::SPATIAFI_PASSWORD
    ));
    assert_eq!(
        header(sent, "authorization"),
        Some(&*format!("Basic {expected}"))
    );

    let password = session(&sim, Flow::SpatiafiPassword);
    api_call(&password).await.unwrap();
    let sent = &requests_to(&sim, "/api/v1/auth/jwt/token")[0];
    assert_eq!(
        header(sent, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let fields = form(sent);
    assert_eq!(form_get(&fields, "grant_type"), Some("password"));
    assert_eq!(form_get(&fields, "username"), Some(demo::SPATIAFI_EMAIL));
    assert_eq!(form_get(&fields, "password"), Some(demo::SPATIAFI_PASSWORD));
    let api = requests_to(&sim, "/api/v1/clients");
    assert!(
        api.iter()
            .all(|r| header(r, "authorization").unwrap().starts_with("Bearer "))
    );
}

#[tokio::test]
async fn spatiafi_client_secret_basic_and_post() {
    let sim = sim().await;
    api_call(&session(&sim, Flow::ClientSecretBasic))
        .await
        .unwrap();
    let sent = &requests_to(&sim, "/api/v1/auth/jwt/token")[0];
    let fields = form(sent);
    assert_eq!(
        fields,
        vec![("grant_type".into(), "client_credentials".into())]
    );
    let expected = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        demo::SPATIAFI_CLIENT_ID,
        demo::SPATIAFI_CLIENT_SECRET
    ));
    assert_eq!(
        header(sent, "authorization"),
        Some(&*format!("Basic {expected}"))
    );

    sim.clear_requests();
    api_call(&session(&sim, Flow::ClientSecretPost))
        .await
        .unwrap();
    let sent = &requests_to(&sim, "/api/v1/auth/jwt/token")[0];
    let fields = form(sent);
    assert_eq!(form_get(&fields, "grant_type"), Some("client_credentials"));
    assert_eq!(
        form_get(&fields, "client_id"),
        Some(demo::SPATIAFI_CLIENT_ID)
    );
    assert_eq!(
        form_get(&fields, "client_secret"),
        Some(demo::SPATIAFI_CLIENT_SECRET)
    );
    assert!(header(sent, "authorization").is_none());
}

#[tokio::test]
async fn spatiafi_client_secret_jwt_sends_a_verifiable_single_use_assertion() {
    let sim = sim().await;
    let before = unix_secs(SystemTime::now());
    api_call(&session(&sim, Flow::ClientSecretJwt))
        .await
        .unwrap();
    let sent = &requests_to(&sim, "/api/v1/auth/jwt/token")[0];
    let fields = form(sent);
    assert_eq!(form_get(&fields, "grant_type"), Some("client_credentials"));
    assert_eq!(
        form_get(&fields, "client_assertion_type"),
        Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
    );
    assert!(form_get(&fields, "client_secret").is_none());
    assert!(header(sent, "authorization").is_none());
    let jwt = form_get(&fields, "client_assertion").expect("assertion");
    let token_url = format!("{}/api/v1/auth/jwt/token", sim.url());
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&[&token_url]);
    validation.set_issuer(&[demo::SPATIAFI_CLIENT_ID]);
    validation.sub = Some(demo::SPATIAFI_CLIENT_ID.into());
    let claims = jsonwebtoken::decode::<serde_json::Value>(
        jwt,
        &DecodingKey::from_secret(demo::SPATIAFI_CLIENT_SECRET.as_bytes()),
        &validation,
    )
    .expect("signature and claims verify")
    .claims;
    let iat = claims["iat"].as_u64().unwrap();
    assert!(iat >= before && iat <= before + 5);
    assert_eq!(claims["exp"].as_u64().unwrap() - iat, 300);
    assert!(uuid::Uuid::parse_str(claims["jti"].as_str().unwrap()).is_ok());

    // The same assertion twice: the simulator refuses the replayed jti.
    let client = TokenClient::new(http(), Arc::new(SystemClock));
    let secret = SecretString::from(demo::SPATIAFI_CLIENT_SECRET);
    let assertion = client_assertion(
        demo::SPATIAFI_CLIENT_ID,
        &secret,
        &token_url,
        SystemTime::now(),
    )
    .unwrap();
    exchange_assertion(&client, &sim.url(), &assertion)
        .await
        .expect("first use");
    let err = exchange_assertion(&client, &sim.url(), &assertion)
        .await
        .unwrap_err();
    assert_clean(&err, "auth.invalid_client", demo::SPATIAFI_CLIENT_SECRET);
    assert_eq!(client.requests(), 2, "sent once each, never retried");
}

#[tokio::test]
async fn a_retried_jwt_request_carries_a_fresh_assertion() {
    let sim = sim().await;
    // The first attempt is dropped. A real server may already have consumed its jti, so the
    // retry must carry a new assertion.
    sim.script_faults("/api/v1/auth/jwt/token", vec![Fault::Drop]);
    api_call(&session(&sim, Flow::ClientSecretJwt))
        .await
        .unwrap();
    let sent = requests_to(&sim, "/api/v1/auth/jwt/token");
    assert_eq!(sent.len(), 2);
    let a = form_get(&form(&sent[0]), "client_assertion").map(str::to_owned);
    let b = form_get(&form(&sent[1]), "client_assertion").map(str::to_owned);
    assert_ne!(a, b);
}

#[tokio::test]
async fn wrong_secrets_are_invalid_client_or_credentials() {
    let sim = sim().await;
    let wrong = "wrong-secret-value-1234";
    for flow in ALL_FLOWS {
        let session = session_with(&sim, flow, wrong, Arc::new(SystemClock));
        let err = api_call(&session).await.unwrap_err();
        let code = match flow {
            Flow::SpatiafiBasic | Flow::SpatiafiPassword => "auth.invalid_credentials",
            _ => "auth.invalid_client",
        };
        assert_clean(&err, code, wrong);
        assert!(session.status().await.is_none());
    }
}

#[tokio::test]
async fn v2_wrong_audience() {
    let sim = sim().await;
    let mut connection = connection(&sim.url(), Flow::V2);
    connection.kind = ConnectionKind::InnerspaceV2 {
        audience: "https://wrong.example".into(),
        group_id: None,
    };
    let session = Session::new(
        &connection,
        demo::V2_CLIENT_SECRET.into(),
        http(),
        Arc::new(SystemClock),
    )
    .unwrap();
    let err = session.authorization().await.unwrap_err();
    assert_clean(&err, "auth.wrong_audience", demo::V2_CLIENT_SECRET);
    assert!(err.to_string().contains("https://wrong.example"));
}

#[tokio::test]
async fn expired_passwords_say_so() {
    let sim = sim().await;
    for method in [SpatiafiAuthMethod::Basic, SpatiafiAuthMethod::Password] {
        let mut connection = connection(&sim.url(), Flow::SpatiafiBasic);
        connection.client_id = demo::SPATIAFI_EXPIRED_EMAIL.into();
        connection.kind = ConnectionKind::Spatiafi {
            auth_method: method,
        };
        let session = Session::new(
            &connection,
            demo::SPATIAFI_EXPIRED_PASSWORD.into(),
            http(),
            Arc::new(SystemClock),
        )
        .unwrap();
        let err = session.test().await.unwrap_err();
        assert_clean(
            &err,
            "auth.password_expired",
            demo::SPATIAFI_EXPIRED_PASSWORD,
        );
    }
}

#[tokio::test]
async fn broken_token_answers_are_unexpected_responses() {
    let sim = sim().await;
    for flow in ALL_FLOWS {
        sim.script_faults(flow.token_path(), vec![Fault::Malformed]);
        let err = session(&sim, flow).test().await.unwrap_err();
        assert_clean(&err, "api.unexpected_response", flow.secret());
        assert!(err.to_string().contains("JSON"), "{flow:?}: {err}");

        sim.script_faults(flow.token_path(), vec![Fault::HtmlPage]);
        let err = session(&sim, flow).test().await.unwrap_err();
        assert_clean(&err, "api.unexpected_response", flow.secret());
        assert!(err.to_string().contains("HTML"), "{flow:?}: {err}");
    }
}

#[tokio::test]
async fn token_requests_survive_transient_failures() {
    let sim = sim().await;
    for flow in ALL_FLOWS {
        let path = flow.token_path();
        sim.script_faults(
            path,
            vec![Fault::RateLimited {
                retry_after_secs: 1,
            }],
        );
        let session = session(&sim, flow);
        assert!(session.test().await.is_ok(), "{flow:?} after 429");
        sim.script_faults(path, vec![Fault::Status(503); 3]);
        assert!(session.test().await.is_ok(), "{flow:?} after 3 × 503");
        sim.script_faults(path, vec![Fault::Drop]);
        assert!(
            session.test().await.is_ok(),
            "{flow:?} after a dropped connection"
        );
        // Every attempt counts: 2 + 4 + 2.
        assert_eq!(session.token_requests(), 8, "{flow:?}");
    }
}

#[tokio::test]
async fn exhausted_retries_and_a_dead_server_give_clear_codes() {
    let sim = sim().await;
    let flow = Flow::V2;
    sim.script_faults(flow.token_path(), vec![Fault::Status(503); 4]);
    let err = session(&sim, flow).test().await.unwrap_err();
    assert_clean(&err, "api.server_error", flow.secret());
    sim.script_faults(
        flow.token_path(),
        vec![
            Fault::RateLimited {
                retry_after_secs: 1
            };
            4
        ],
    );
    let err = session(&sim, flow).test().await.unwrap_err();
    assert_clean(&err, "api.rate_limited", flow.secret());

    let dead = dead_url();
    for flow in ALL_FLOWS {
        let session = Session::new(
            &connection(&dead, flow),
            flow.secret().into(),
            http(),
            Arc::new(SystemClock),
        )
        .unwrap();
        let err = session.authorization().await.unwrap_err();
        assert_clean(&err, "net.offline", flow.secret());
    }
}

#[tokio::test]
async fn an_insecure_base_url_is_refused_before_anything_is_sent() {
    let connection = connection("http://api.innerspace.io", Flow::V2);
    let err = Session::new(&connection, "s".into(), http(), Arc::new(SystemClock)).unwrap_err();
    assert_eq!(err.code(), "net.insecure_url");
}

#[tokio::test]
async fn creating_app_credentials_follows_the_307_with_method_and_body() {
    let sim = sim().await;
    let session = session(&sim, Flow::ClientSecretJwt);
    let base = sim.url();
    let response = session
        .send_authorized(|c| {
            c.post(format!("{base}/api/v1/clients/"))
                .json(&serde_json::json!({}))
        })
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let created: serde_json::Value = response.json().unwrap();
    assert!(created["client_secret"].is_string());
    let posts: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/v1/clients"))
        .collect();
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0].path, "/api/v1/clients/");
    assert_eq!(posts[1].path, "/api/v1/clients");
    assert!(posts.iter().all(|r| r.method == "POST" && r.body == b"{}"));
    assert!(posts.iter().all(|r| header(r, "authorization").is_some()));
    // The token lifetime shown by status is the SpatiaFi 15 minutes.
    let status = session.status().await.unwrap();
    assert!(status.remaining_secs <= Duration::from_secs(900).as_secs());
}

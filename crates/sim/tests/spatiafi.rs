//! SpatiaFi token endpoint (all grant types and client authentication
//! methods) and App Credentials.

mod common;

use std::time::Duration;

use base64::Engine;
use common::*;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use occudesk_sim::{Fault, Sim, SimConfig, demo};
use serde_json::{Value, json};

fn basic(user: &str, pass: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    )
}

async fn basic_token(sim: &Sim, user: &str, pass: &str) -> (u16, Value) {
    let resp = client()
        .get(format!("{}/api/v1/auth/jwt/token/basic", sim.url()))
        .header("Authorization", basic(user, pass))
        .send()
        .await
        .expect("send");
    (resp.status().as_u16(), resp.json().await.expect("json"))
}

async fn token_form(sim: &Sim, form: &[(&str, &str)], auth: Option<String>) -> (u16, Value) {
    let mut req = client()
        .post(format!("{}/api/v1/auth/jwt/token", sim.url()))
        .form(form);
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    let resp = req.send().await.expect("send");
    (resp.status().as_u16(), resp.json().await.expect("json"))
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn assertion(secret: &str, claims: &Value) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("sign")
}

fn good_claims(sim: &Sim, jti: &str) -> Value {
    json!({
        "iss": demo::SPATIAFI_CLIENT_ID, "sub": demo::SPATIAFI_CLIENT_ID,
        "aud": format!("{}/api/v1/auth/jwt/token", sim.url()),
        "iat": now(), "exp": now() + 300, "jti": jti,
    })
}

async fn jwt_grant(sim: &Sim, jwt: &str) -> (u16, Value) {
    token_form(
        sim,
        &[
            ("grant_type", "client_credentials"),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", jwt),
        ],
        None,
    )
    .await
}

#[tokio::test]
async fn basic_and_password_logins() {
    let sim = start(SimConfig::default()).await;
    let (s, b) = basic_token(&sim, demo::SPATIAFI_EMAIL, demo::SPATIAFI_PASSWORD).await;
    assert_eq!(s, 200);
    assert_eq!(b["token_type"], "bearer");
    let exp = b["expires_at"].as_i64().expect("expires_at");
    assert!((exp - now() - 900).abs() <= 2, "15-minute token, got {exp}");

    assert_eq!(
        basic_token(&sim, demo::SPATIAFI_EMAIL, "wrong").await,
        (400, json!({"detail": "LOGIN_BAD_CREDENTIALS"}))
    );
    assert_eq!(
        basic_token(
            &sim,
            demo::SPATIAFI_EXPIRED_EMAIL,
            demo::SPATIAFI_EXPIRED_PASSWORD
        )
        .await,
        (400, json!({"detail": "PASSWORD_EXPIRED"}))
    );
    let resp = client()
        .get(format!("{}/api/v1/auth/jwt/token/basic", sim.url()))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 401);

    let (s, b) = token_form(
        &sim,
        &[
            ("grant_type", "password"),
            ("username", demo::SPATIAFI_EMAIL),
            ("password", demo::SPATIAFI_PASSWORD),
            ("scope", ""),
        ],
        None,
    )
    .await;
    assert_eq!(s, 200, "{b}");
    let (s, b) = token_form(
        &sim,
        &[
            ("grant_type", "password"),
            ("username", demo::SPATIAFI_EXPIRED_EMAIL),
            ("password", demo::SPATIAFI_EXPIRED_PASSWORD),
        ],
        None,
    )
    .await;
    assert_eq!((s, b["detail"].as_str()), (400, Some("PASSWORD_EXPIRED")));
    let (s, b) = token_form(
        &sim,
        &[
            ("grant_type", "password"),
            ("username", demo::SPATIAFI_EMAIL),
        ],
        None,
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(b["detail"][0]["loc"], json!(["body", "password"]));
    let (s, _) = token_form(&sim, &[("grant_type", "implicit")], None).await;
    assert_eq!(s, 400);

    // JSON instead of a form: FastAPI finds no form fields.
    let resp = client()
        .post(format!("{}/api/v1/auth/jwt/token", sim.url()))
        .json(&json!({"grant_type": "password", "username": demo::SPATIAFI_EMAIL, "password": demo::SPATIAFI_PASSWORD}))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 422);
    let b: Value = resp.json().await.expect("json");
    assert_eq!(b["detail"][0]["loc"], json!(["body", "grant_type"]));
    // Requests rejected before credentials are read (422) are not counted.
    assert_eq!(sim.counters(demo::SPATIAFI_EMAIL).token_requests, 3);
}

#[tokio::test]
async fn client_secret_basic_and_post() {
    let sim = start(SimConfig::default()).await;
    let (s, b) = token_form(
        &sim,
        &[("grant_type", "client_credentials")],
        Some(basic(
            demo::SPATIAFI_CLIENT_ID,
            demo::SPATIAFI_CLIENT_SECRET,
        )),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    let (s, b) = token_form(
        &sim,
        &[("grant_type", "client_credentials")],
        Some(basic(demo::SPATIAFI_CLIENT_ID, "wrong")),
    )
    .await;
    assert_eq!((s, b["detail"].as_str()), (400, Some("INVALID_CLIENT")));

    let (s, _) = token_form(
        &sim,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", demo::SPATIAFI_CLIENT_ID),
            ("client_secret", demo::SPATIAFI_CLIENT_SECRET),
        ],
        None,
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = token_form(
        &sim,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", demo::SPATIAFI_CLIENT_ID),
            ("client_secret", "x"),
        ],
        None,
    )
    .await;
    assert_eq!(s, 400);
    // No authentication, or two methods at once.
    assert_eq!(
        token_form(&sim, &[("grant_type", "client_credentials")], None)
            .await
            .0,
        400
    );
    let (s, b) = token_form(
        &sim,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", demo::SPATIAFI_CLIENT_ID),
            ("client_secret", demo::SPATIAFI_CLIENT_SECRET),
        ],
        Some(basic(
            demo::SPATIAFI_CLIENT_ID,
            demo::SPATIAFI_CLIENT_SECRET,
        )),
    )
    .await;
    assert_eq!((s, b["detail"].as_str()), (400, Some("INVALID_CLIENT")));
    assert_eq!(sim.counters(demo::SPATIAFI_CLIENT_ID).token_requests, 4);
}

#[tokio::test]
async fn client_secret_jwt_is_verified_strictly() {
    let sim = start(SimConfig::default()).await;
    let (s, b) = jwt_grant(
        &sim,
        &assertion(demo::SPATIAFI_CLIENT_SECRET, &good_claims(&sim, "jti-1")),
    )
    .await;
    assert_eq!(s, 200, "{b}");

    let reason = |b: &Value| b["reason"].as_str().unwrap_or_default().to_owned();
    // Replayed jti.
    let (s, b) = jwt_grant(
        &sim,
        &assertion(demo::SPATIAFI_CLIENT_SECRET, &good_claims(&sim, "jti-1")),
    )
    .await;
    assert_eq!(
        (s, b["detail"].as_str()),
        (400, Some("INVALID_CLIENT_ASSERTION"))
    );
    assert!(reason(&b).contains("jti"), "{b}");
    // Wrong signature.
    let (s, b) = jwt_grant(
        &sim,
        &assertion("not-the-secret", &good_claims(&sim, "jti-2")),
    )
    .await;
    assert_eq!(s, 400);
    assert!(reason(&b).contains("signature"), "{b}");
    // Wrong audience (the token URL without the path).
    let mut c = good_claims(&sim, "jti-3");
    c["aud"] = json!(sim.url());
    let (s, b) = jwt_grant(&sim, &assertion(demo::SPATIAFI_CLIENT_SECRET, &c)).await;
    assert_eq!(s, 400);
    assert!(reason(&b).contains("aud"), "{b}");
    // exp more than an hour away.
    let mut c = good_claims(&sim, "jti-4");
    c["exp"] = json!(now() + 7200);
    let (s, b) = jwt_grant(&sim, &assertion(demo::SPATIAFI_CLIENT_SECRET, &c)).await;
    assert_eq!(s, 400);
    assert!(reason(&b).contains("exp"), "{b}");
    // Already expired.
    let mut c = good_claims(&sim, "jti-5");
    c["exp"] = json!(now() - 10);
    assert_eq!(
        jwt_grant(&sim, &assertion(demo::SPATIAFI_CLIENT_SECRET, &c))
            .await
            .0,
        400
    );
    // sub differs from iss.
    let mut c = good_claims(&sim, "jti-6");
    c["sub"] = json!("someone-else");
    assert_eq!(
        jwt_grant(&sim, &assertion(demo::SPATIAFI_CLIENT_SECRET, &c))
            .await
            .0,
        400
    );
    // Missing jti.
    let mut c = good_claims(&sim, "unused");
    c.as_object_mut().expect("object").remove("jti");
    assert_eq!(
        jwt_grant(&sim, &assertion(demo::SPATIAFI_CLIENT_SECRET, &c))
            .await
            .0,
        400
    );
    // Garbage and a wrong assertion type.
    assert_eq!(jwt_grant(&sim, "not.a.jwt").await.0, 400);
    let (s, _) = token_form(
        &sim,
        &[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", "urn:other"),
            ("client_assertion", "x"),
        ],
        None,
    )
    .await;
    assert_eq!(s, 400);
    // A fresh jti works again.
    assert_eq!(
        jwt_grant(
            &sim,
            &assertion(demo::SPATIAFI_CLIENT_SECRET, &good_claims(&sim, "jti-7"))
        )
        .await
        .0,
        200
    );
}

#[tokio::test]
async fn app_credentials_lifecycle() {
    let sim = start(SimConfig {
        spatiafi_token_ttl: Duration::from_secs(60),
        ..SimConfig::default()
    })
    .await;
    let (_, b) = basic_token(&sim, demo::SPATIAFI_EMAIL, demo::SPATIAFI_PASSWORD).await;
    let token = b["access_token"].as_str().expect("token").to_owned();
    assert_eq!(
        b["expires_at"]
            .as_i64()
            .map(|e| (e - now() - 60).abs() <= 2),
        Some(true)
    );
    let url = format!("{}/api/v1/clients", sim.url());
    let http = client();

    assert_eq!(http.get(&url).send().await.expect("send").status(), 401);
    assert_eq!(
        http.get(&url)
            .bearer_auth("nope")
            .send()
            .await
            .expect("send")
            .status(),
        401
    );

    let list: Value = http
        .get(&url)
        .bearer_auth(&token)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(
        list,
        json!([{"user_id": "9221ffc9-640f-4372-86d3-ce642cba5603", "client_id": demo::SPATIAFI_CLIENT_ID}])
    );
    let slash: Value = http
        .get(format!("{url}/"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(slash, list);

    // POST with a trailing slash redirects (307) to the canonical path.
    let resp = http
        .post(format!("{url}/"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 307);
    assert_eq!(resp.headers()["location"], url.as_str());

    let resp = http
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 200);
    let created: Value = resp.json().await.expect("json");
    let id = created["client_id"].as_str().expect("client_id").to_owned();
    let secret = created["client_secret"]
        .as_str()
        .expect("client_secret")
        .to_owned();
    let resp = http
        .post(&url)
        .bearer_auth(&token)
        .header("Content-Type", "application/json")
        .body("{oops")
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 422);

    // The new credential works at the token endpoint, and is listed without its secret.
    let (s, _) = token_form(
        &sim,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &id),
            ("client_secret", &secret),
        ],
        None,
    )
    .await;
    assert_eq!(s, 200);
    let list: Value = http
        .get(&url)
        .bearer_auth(&token)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    assert!(list.to_string().find(&secret).is_none());

    assert_eq!(
        http.delete(format!("{url}/not-a-uuid"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("send")
            .status(),
        422
    );
    let resp = http
        .delete(format!("{url}/{id}/"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 307);
    assert_eq!(resp.headers()["location"], format!("{url}/{id}").as_str());
    assert_eq!(
        http.delete(format!("{url}/{id}"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("send")
            .status(),
        204
    );
    assert_eq!(
        http.delete(format!("{url}/{id}"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("send")
            .status(),
        404
    );
    let (s, _) = token_form(
        &sim,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &id),
            ("client_secret", &secret),
        ],
        None,
    )
    .await;
    assert_eq!(s, 400);

    // Tokens expire on demand too.
    sim.expire_sessions();
    assert_eq!(
        http.get(&url)
            .bearer_auth(&token)
            .send()
            .await
            .expect("send")
            .status(),
        401
    );
}

#[tokio::test]
async fn redirects_are_followed_by_a_normal_client() {
    let sim = start(SimConfig::default()).await;
    let (_, b) = basic_token(&sim, demo::SPATIAFI_EMAIL, demo::SPATIAFI_PASSWORD).await;
    let token = b["access_token"].as_str().expect("token").to_owned();
    // reqwest's default policy follows 307 keeping method and body.
    let resp = reqwest::Client::new()
        .post(format!("{}/api/v1/clients/", sim.url()))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), 200);
    let created: Value = resp.json().await.expect("json");
    assert!(created["client_secret"].is_string());
}

#[tokio::test]
async fn a_response_dropped_after_service_still_created_the_credential() {
    let sim = start(SimConfig::default()).await;
    let (_, b) = basic_token(&sim, demo::SPATIAFI_EMAIL, demo::SPATIAFI_PASSWORD).await;
    let token = b["access_token"].as_str().expect("token").to_owned();
    let url = format!("{}/api/v1/clients", sim.url());
    let http = client();
    let list = |http: reqwest::Client| {
        let (url, token) = (url.clone(), token.clone());
        async move {
            let r = http
                .get(&url)
                .bearer_auth(&token)
                .send()
                .await
                .expect("list");
            assert_eq!(r.status(), 200);
            r.json::<Vec<Value>>().await.expect("json").len()
        }
    };
    let before = list(http.clone()).await;
    sim.script_faults("/api/v1/clients", vec![Fault::DropAfterService]);
    let err = http
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .expect_err("no response at all");
    assert!(!err.is_status() && !err.is_timeout(), "{err:?}");
    // The server acted although the client heard nothing.
    assert_eq!(list(http.clone()).await, before + 1);
}

#[tokio::test]
async fn with_trailing_slash_routes_the_slashless_forms_redirect_with_307() {
    let sim = start(SimConfig {
        clients_trailing_slash: true,
        ..SimConfig::default()
    })
    .await;
    let (_, b) = basic_token(&sim, demo::SPATIAFI_EMAIL, demo::SPATIAFI_PASSWORD).await;
    let token = b["access_token"].as_str().expect("token").to_owned();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let url = sim.url();
    for (method, path, to) in [
        (
            reqwest::Method::POST,
            "/api/v1/clients".to_owned(),
            "/api/v1/clients/".to_owned(),
        ),
        (
            reqwest::Method::GET,
            "/api/v1/clients".to_owned(),
            "/api/v1/clients/".to_owned(),
        ),
        (
            reqwest::Method::DELETE,
            format!("/api/v1/clients/{}", demo::SPATIAFI_CLIENT_ID),
            format!("/api/v1/clients/{}/", demo::SPATIAFI_CLIENT_ID),
        ),
    ] {
        let r = http
            .request(method.clone(), format!("{url}{path}"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("answer");
        assert_eq!(r.status(), 307, "{method} {path}");
        assert_eq!(
            r.headers()["location"].to_str().expect("ascii"),
            format!("{url}{to}")
        );
    }
    let served = http
        .get(format!("{url}/api/v1/clients/"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("answer");
    assert_eq!(served.status(), 200);
}

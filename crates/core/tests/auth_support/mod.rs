//! Helpers shared by the auth and HTTP integration tests: a simulator per test, connections
//! for every flow, one authorised API call per service, and a raw TCP server for answers the
//! simulator does not give.
#![allow(dead_code)]

use std::sync::Arc;

use occudesk_core::Result;
use occudesk_core::auth::{Clock, Session, SystemClock};
use occudesk_core::connections::{
    Connection, ConnectionKind, DEFAULT_INNERSPACE_AUDIENCE, SpatiafiAuthMethod,
};
use occudesk_core::http::{HttpClient, HttpConfig, Response};
use occudesk_sim::{RecordedRequest, Sim, SimConfig, demo};
use secrecy::SecretString;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A tracing writer that appends to a shared buffer (what a debug log would hold).
#[derive(Clone, Default)]
pub struct Capture(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    /// Captures this thread's log at debug level until the guard is dropped.
    pub fn debug_log() -> (Capture, tracing::subscriber::DefaultGuard) {
        let capture = Capture::default();
        let writer = capture.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        (capture, tracing::subscriber::set_default(subscriber))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

pub async fn sim() -> Sim {
    sim_with(SimConfig::default()).await
}

pub async fn sim_with(config: SimConfig) -> Sim {
    Sim::start("127.0.0.1:0".parse().expect("address"), config)
        .await
        .expect("simulator starts")
}

pub fn http() -> HttpClient {
    HttpClient::new(HttpConfig::for_tests()).expect("http client")
}

/// Every flow the app supports, with the simulator's demo credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    V2,
    V1TopLevel,
    V1Nested,
    SpatiafiBasic,
    SpatiafiPassword,
    ClientSecretBasic,
    ClientSecretPost,
    ClientSecretJwt,
}

pub const ALL_FLOWS: [Flow; 8] = [
    Flow::V2,
    Flow::V1TopLevel,
    Flow::V1Nested,
    Flow::SpatiafiBasic,
    Flow::SpatiafiPassword,
    Flow::ClientSecretBasic,
    Flow::ClientSecretPost,
    Flow::ClientSecretJwt,
];

impl Flow {
    /// The client id (or email) the simulator counts requests under.
    pub fn client_id(self) -> &'static str {
        match self {
            Flow::V2 => demo::V2_CLIENT_ID,
            Flow::V1TopLevel => demo::V1_CLIENT_ID,
            Flow::V1Nested => demo::V1_NESTED_CLIENT_ID,
            Flow::SpatiafiBasic | Flow::SpatiafiPassword => demo::SPATIAFI_EMAIL,
            Flow::ClientSecretBasic | Flow::ClientSecretPost | Flow::ClientSecretJwt => {
                demo::SPATIAFI_CLIENT_ID
            }
        }
    }

    pub fn secret(self) -> &'static str {
        match self {
            Flow::V2 => demo::V2_CLIENT_SECRET,
            Flow::V1TopLevel => demo::V1_CLIENT_SECRET,
            Flow::V1Nested => demo::V1_NESTED_CLIENT_SECRET,
            Flow::SpatiafiBasic | Flow::SpatiafiPassword => demo::SPATIAFI_PASSWORD,
            Flow::ClientSecretBasic | Flow::ClientSecretPost | Flow::ClientSecretJwt => {
                demo::SPATIAFI_CLIENT_SECRET
            }
        }
    }

    pub fn kind(self) -> ConnectionKind {
        let spatiafi = |auth_method| ConnectionKind::Spatiafi { auth_method };
        match self {
            Flow::V2 => ConnectionKind::InnerspaceV2 {
                audience: DEFAULT_INNERSPACE_AUDIENCE.into(),
                group_id: None,
            },
            Flow::V1TopLevel | Flow::V1Nested => ConnectionKind::InnerspaceV1 { group_id: None },
            Flow::SpatiafiBasic => spatiafi(SpatiafiAuthMethod::Basic),
            Flow::SpatiafiPassword => spatiafi(SpatiafiAuthMethod::Password),
            Flow::ClientSecretBasic => spatiafi(SpatiafiAuthMethod::ClientSecretBasic),
            Flow::ClientSecretPost => spatiafi(SpatiafiAuthMethod::ClientSecretPost),
            Flow::ClientSecretJwt => spatiafi(SpatiafiAuthMethod::ClientSecretJwt),
        }
    }

    /// The path of this flow's token request.
    pub fn token_path(self) -> &'static str {
        match self {
            Flow::V2 => "/v2/oauth/token",
            Flow::V1TopLevel | Flow::V1Nested => "/api/rest/oauth/token",
            Flow::SpatiafiBasic => "/api/v1/auth/jwt/token/basic",
            _ => "/api/v1/auth/jwt/token",
        }
    }
}

pub fn connection(base_url: &str, flow: Flow) -> Connection {
    connection_as(base_url, flow, flow.client_id())
}

pub fn connection_as(base_url: &str, flow: Flow, client_id: &str) -> Connection {
    Connection {
        id: format!("test-{flow:?}"),
        name: format!("{flow:?}"),
        base_url: base_url.to_owned(),
        client_id: client_id.to_owned(),
        kind: flow.kind(),
        demo: true,
    }
}

pub fn session(sim: &Sim, flow: Flow) -> Session {
    session_with(sim, flow, flow.secret(), Arc::new(SystemClock))
}

pub fn session_with(sim: &Sim, flow: Flow, secret: &str, clock: Arc<dyn Clock>) -> Session {
    Session::new(
        &connection(&sim.url(), flow),
        SecretString::from(secret),
        http(),
        clock,
    )
    .expect("session")
}

/// One authorised API call: a tiny GraphQL query on InnerSpace, the App Credentials list on
/// SpatiaFi.
pub async fn api_call(session: &Session) -> Result<Response> {
    let base = session.connection().base_url.clone();
    let body = json!({"operationName": null, "variables": {}, "query": "{ __typename }"});
    match session.connection().kind {
        ConnectionKind::InnerspaceV2 { .. } => {
            session
                .send_authorized(|c| c.post(format!("{base}/v2/api")).json(&body))
                .await
        }
        ConnectionKind::InnerspaceV1 { .. } | ConnectionKind::InnerspaceToken { .. } => {
            session
                .send_authorized(|c| c.post(format!("{base}/")).json(&body))
                .await
        }
        ConnectionKind::Spatiafi { .. } => {
            session
                .send_authorized(|c| c.get(format!("{base}/api/v1/clients")))
                .await
        }
    }
}

pub fn header<'a>(request: &'a RecordedRequest, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

pub fn form(request: &RecordedRequest) -> Vec<(String, String)> {
    url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect()
}

pub fn form_get<'a>(fields: &'a [(String, String)], key: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Requests whose path (without query) is `path`.
pub fn requests_to(sim: &Sim, path: &str) -> Vec<RecordedRequest> {
    sim.requests()
        .into_iter()
        .filter(|r| r.path.split('?').next() == Some(path))
        .collect()
}

/// A loopback URL where nothing listens: bind a port, then let it go.
pub fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// A server that answers each connection with the next canned response (raw HTTP bytes), for
/// answers the simulator does not give (huge bodies, redirects elsewhere).
pub async fn raw_server(responses: Vec<Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        for response in responses {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            // Read until the end of the headers; the tests send no bodies here.
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
            }
            let _ = stream.write_all(&response).await;
            let _ = stream.shutdown().await;
        }
    });
    url
}

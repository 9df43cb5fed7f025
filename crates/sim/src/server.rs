//! The running simulator: a TCP accept loop serving HTTP/1.1 with hyper.
//!
//! Serving with hyper directly (rather than `axum::serve`) lets a request end
//! its connection with no response at all: the service returns an error and
//! hyper closes the socket. Recording, latency and faults wrap the axum router.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::SimConfig;
use crate::counters::Counters;
use crate::fault::{self, Fault};
use crate::http_util::json;
use crate::recorder::RecordedRequest;
use crate::routes;
use crate::state::AppState;

/// Handle to a running simulator. Clones share the server; it stops when the
/// last handle is dropped or on [`Sim::shutdown`].
#[derive(Clone)]
pub struct Sim {
    inner: Arc<Inner>,
}

struct Inner {
    state: Arc<AppState>,
    url: String,
    stop: watch::Sender<bool>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Returned by the service to make hyper drop the connection unanswered.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for DropConnection {}

/// Paths under this prefix are the simulator's own (not recorded, never faulted).
pub const RESERVED_PREFIX: &str = "/__sim/";

impl Sim {
    /// Binds `addr` (use `127.0.0.1:0` in tests) and serves all three APIs on it.
    pub async fn start(addr: SocketAddr, config: SimConfig) -> io::Result<Sim> {
        let state = Arc::new(AppState::new(config).map_err(io::Error::other)?);
        let listener = TcpListener::bind(addr).await?;
        let url = format!("http://{}", listener.local_addr()?);
        let router = routes::router(state.clone());
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, state.clone(), router, stopped));
        Ok(Sim {
            inner: Arc::new(Inner {
                state,
                url,
                stop,
                task: Mutex::new(Some(task)),
            }),
        })
    }

    /// Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn url(&self) -> String {
        self.inner.url.clone()
    }

    pub fn counters(&self, client_id: &str) -> Counters {
        self.inner.state.counters.get(client_id)
    }

    /// Every request received (except `/__sim/` ones), in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.inner.state.recorder.all()
    }

    pub fn clear_requests(&self) {
        self.inner.state.recorder.clear();
    }

    /// The next requests whose path starts with `path_prefix` get these faults,
    /// one each, in order; then service is normal again.
    pub fn script_faults(&self, path_prefix: &str, faults: Vec<Fault>) {
        self.inner.state.faults.script(path_prefix, faults);
    }

    /// Holds back the last `days` days of the history: they are not published (a nightly
    /// publish that is late) until [`Sim::publish`].
    pub fn hold_back(&self, days: u32) {
        self.inner
            .state
            .held_back
            .store(days, std::sync::atomic::Ordering::Relaxed);
    }

    /// Publishes every day held back.
    pub fn publish(&self) {
        self.hold_back(0);
    }

    /// Every v2 session, v1 token and SpatiaFi token issued so far is expired.
    pub fn expire_sessions(&self) {
        self.inner.state.grants.expire_all();
    }

    /// A personal bearer token (a JWT, as a person's InnerSpace web session holds) that the v1
    /// API accepts for `valid_for` from now, issued `lifetime` before it expires. Counted
    /// under [`crate::demo::PERSONAL_USER`].
    pub fn personal_token(&self, valid_for: Duration, lifetime: Duration) -> String {
        let secs = i64::try_from(valid_for.as_secs()).unwrap_or(i64::MAX / 2);
        crate::auth::personal::issue(&self.inner.state, secs, lifetime)
    }

    /// A personal token whose `exp` passed `ago` ago: the v1 API answers it with 401.
    pub fn expired_personal_token(&self, ago: Duration) -> String {
        let secs = i64::try_from(ago.as_secs()).unwrap_or(i64::MAX / 2);
        crate::auth::personal::issue(&self.inner.state, -secs, Duration::from_secs(3600))
    }

    /// Adds `people` to every realtime `zone_occupancy` reading from now on (0: none).
    pub fn set_live_extra_people(&self, people: f64) {
        self.inner.state.live.set_extra_people(people);
    }

    /// Realtime readings take their values from this local time of a working day (`None`: the
    /// real time), still stamped with real reading times: a screenshot at night shows a day.
    pub fn set_live_time_of_day(&self, at: Option<chrono::NaiveTime>) {
        self.inner.state.live.set_time_of_day(at);
    }

    /// v1's "everyone" group id (`all-<uuid>`), fixed per seed.
    pub fn v1_group_id(&self) -> String {
        self.inner.state.catalog.v1_group_id.clone()
    }

    /// Every v1 group: the `all-` group first, then the `visitors-` subset.
    pub fn v1_groups(&self) -> Vec<String> {
        self.inner
            .state
            .catalog
            .v1_groups
            .iter()
            .map(|(g, _)| g.clone())
            .collect()
    }

    pub fn config(&self) -> &SimConfig {
        &self.inner.state.config
    }

    /// Stops accepting, closes open connections and waits for the server task.
    pub async fn shutdown(self) {
        let _ = self.inner.stop.send(true);
        let task = self.inner.task.lock().ok().and_then(|mut t| t.take());
        if let Some(task) = task {
            let _ = task.await;
        }
    }
}

async fn accept_loop(
    listener: TcpListener,
    state: Arc<AppState>,
    router: Router,
    mut stopped: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            _ = stopped.changed() => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of file descriptors and the like: back off briefly.
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let (st, router) = (state.clone(), router.clone());
                let service = hyper::service::service_fn(move |req| handle(st.clone(), router.clone(), req));
                let mut conn_stopped = stopped.clone();
                tokio::spawn(async move {
                    let conn = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
                    tokio::select! {
                        _ = conn => {}
                        _ = conn_stopped.changed() => {}
                    }
                });
            }
        }
    }
}

async fn handle(
    st: Arc<AppState>,
    router: Router,
    req: Request<Incoming>,
) -> Result<Response<Body>, DropConnection> {
    let (parts, body) = req.into_parts();
    let bytes = body.collect().await.map_err(|_| DropConnection)?.to_bytes();
    let path = parts.uri.path().to_owned();
    if path.starts_with(RESERVED_PREFIX) {
        return Ok(internal(&st, &path));
    }
    st.recorder.record(RecordedRequest {
        method: parts.method.to_string(),
        path: parts
            .uri
            .path_and_query()
            .map_or_else(|| path.clone(), |p| p.as_str().to_owned()),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: bytes.to_vec(),
    });
    if !st.config.latency.is_zero() {
        tokio::time::sleep(st.config.latency).await;
    }
    let fault = st.faults.next(&path, st.config.seed, st.config.fault_rate);
    match &fault {
        Some(Fault::Drop) => return Err(DropConnection),
        Some(Fault::Delay(d)) => tokio::time::sleep(*d).await,
        Some(f) => {
            if let Some(resp) = fault::response(f) {
                return Ok(resp);
            }
        }
        None => {}
    }
    let mut router = router;
    let resp: Result<Response<Body>, Infallible> =
        tower_service::Service::call(&mut router, Request::from_parts(parts, Body::from(bytes)))
            .await;
    if fault == Some(Fault::DropAfterService) {
        // The work is done (and the response built, so e.g. the body was fully consumed);
        // the client just never hears about it.
        return Err(DropConnection);
    }
    Ok(resp.unwrap_or_else(|never| match never {}))
}

fn internal(st: &AppState, path: &str) -> Response<Body> {
    match path {
        "/__sim/counters" => json(
            StatusCode::OK,
            &serde_json::to_value(st.counters.all()).unwrap_or_default(),
        ),
        _ => json(
            StatusCode::NOT_FOUND,
            &serde_json::json!({"detail": "Not Found"}),
        ),
    }
}

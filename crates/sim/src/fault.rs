//! Injected failures: scripted per path prefix, or random at `fault_rate`.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode, header};

use crate::data::noise;

/// A failure the simulator can inject instead of (or before) normal service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// This status (500/502/503/504...) with a small JSON body.
    Status(u16),
    /// 429 with `Retry-After: <secs>`.
    RateLimited { retry_after_secs: u64 },
    /// Close the connection without sending a response, before the request is served.
    Drop,
    /// Serve the request (the service acts on it: a credential is created, a grant issued),
    /// then close the connection without sending the response. To the client this looks like
    /// [`Fault::Drop`]; it tests that non-idempotent requests are not blindly sent again.
    /// Never chosen at random.
    DropAfterService,
    /// Wait this long, then serve normally.
    Delay(Duration),
    /// 200 with an HTML page (a proxy or captive portal answering instead of the API).
    HtmlPage,
    /// This status with an HTML error page (a gateway error page).
    HtmlError(u16),
    /// 200 `application/json` whose body is not valid JSON.
    Malformed,
}

/// How long a random "slow response" fault waits: longer than a sane client timeout.
pub const SLOW_RESPONSE: Duration = Duration::from_secs(35);

#[derive(Default)]
pub struct FaultPlan {
    scripted: Mutex<Vec<(String, VecDeque<Fault>)>>,
    counter: AtomicU64,
}

impl FaultPlan {
    pub fn script(&self, prefix: &str, faults: Vec<Fault>) {
        if let Ok(mut s) = self.scripted.lock() {
            match s.iter_mut().find(|(p, _)| p == prefix) {
                Some((_, q)) => q.extend(faults),
                None => s.push((prefix.to_owned(), faults.into())),
            }
        }
    }

    /// The fault for the next request to `path`, if any: scripted ones first,
    /// then random ones (deterministic per seed and request number).
    pub fn next(&self, path: &str, seed: u64, rate: f64) -> Option<Fault> {
        if let Ok(mut s) = self.scripted.lock()
            && let Some((_, q)) = s
                .iter_mut()
                .find(|(p, q)| path.starts_with(p.as_str()) && !q.is_empty())
        {
            return q.pop_front();
        }
        if rate <= 0.0 {
            return None;
        }
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let h = noise::hash(&[seed, noise::hash_str("fault"), n]);
        if noise::unit(h) >= rate {
            return None;
        }
        Some(match noise::mix(h) % 9 {
            0 => Fault::Status(500),
            1 => Fault::Status(502),
            2 => Fault::Status(503),
            3 => Fault::RateLimited {
                retry_after_secs: 1 + noise::mix(h ^ 1) % 3,
            },
            4 => Fault::Drop,
            5 => Fault::Delay(SLOW_RESPONSE),
            6 => Fault::HtmlError(502),
            7 => Fault::HtmlPage,
            _ => Fault::Malformed,
        })
    }
}

/// The response a fault produces, or `None` for `Drop`, `DropAfterService` and `Delay`.
pub fn response(fault: &Fault) -> Option<Response<Body>> {
    let (status, content_type, body) = match fault {
        Fault::Status(code) => {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let reason = status.canonical_reason().unwrap_or("Error");
            (status, "application/json", serde_json::json!({"error": reason, "message": format!("simulated {code}")}).to_string())
        }
        Fault::RateLimited { retry_after_secs } => {
            let mut r = json_response(
                StatusCode::TOO_MANY_REQUESTS,
                serde_json::json!({"error": "Too Many Requests", "message": "rate limit exceeded"}).to_string(),
            );
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return Some(r);
        }
        Fault::Drop | Fault::DropAfterService | Fault::Delay(_) => return None,
        Fault::HtmlPage => (
            StatusCode::OK,
            "text/html; charset=utf-8",
            "<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Network login required</h1><form><input name=\"user\"></form></body></html>".to_owned(),
        ),
        Fault::HtmlError(code) => {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::BAD_GATEWAY);
            let line = format!("{} {}", status.as_u16(), status.canonical_reason().unwrap_or("Error"));
            (
                status,
                "text/html",
                format!("<html>\r\n<head><title>{line}</title></head>\r\n<body>\r\n<center><h1>{line}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"),
            )
        }
        Fault::Malformed => (StatusCode::OK, "application/json", "{\"data\": {\"BUILDING_INSIGHTS\": [{\"BUILDING_ID\": 71,".to_owned()),
    };
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    Some(r)
}

fn json_response(status: StatusCode, body: String) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

//! The one HTTP client of the app: timeouts, retries with backoff, a response size limit, and
//! errors people can act on.
//!
//! Callers describe a request with a closure that builds it. The closure runs once per attempt,
//! so every attempt gets a fresh body (a SpatiaFi client assertion must carry a fresh `jti`
//! each time) and no body ever has to be cloned.
//!
//! A request is sent again after a failure only if that cannot do harm: a 429 (the server
//! refused it) always; a dropped connection, a 5xx or a timeout (the server may have acted)
//! only for requests that are safe to repeat, see [`Idempotency`]. A POST that may have been
//! carried out ends as `net.outcome_unknown`, which tells the user to look before retrying.

mod failure;
mod response;
mod retry;
mod secure;

use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use reqwest::header::{CONTENT_LENGTH, RETRY_AFTER};
use tracing::debug;

pub use response::Response;
pub use retry::{
    MAX_RETRY_AFTER, MAX_SERVER_JITTER, RetryPolicy, is_retryable_status, parse_retry_after,
    parse_retry_after_at,
};
pub use secure::{ensure_secure, host_of, is_secure};

use crate::{Error, Result};
use failure::{CrossOriginRedirect, Failure, InsecureRedirect, classify};

/// Whether a request may be sent again once the server may have acted on it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Idempotency {
    /// Judged by the method: GET, HEAD, PUT, DELETE, OPTIONS and TRACE are idempotent
    /// (RFC 9110 §9.2.2) and repeated; POST, PATCH and the rest are not.
    #[default]
    ByMethod,
    /// The caller vouches that running it twice does no harm whatever the method: token
    /// requests (an extra token costs little), read-only GraphQL queries sent as POST.
    Repeatable,
    /// Never repeated once the server may have acted, whatever the method: creates.
    NotRepeatable,
}

impl Idempotency {
    /// True when `method` may be sent again after the server may have acted on it.
    pub fn allows_repeat(self, method: &Method) -> bool {
        match self {
            Idempotency::Repeatable => true,
            Idempotency::NotRepeatable => false,
            Idempotency::ByMethod => matches!(
                *method,
                Method::GET
                    | Method::HEAD
                    | Method::PUT
                    | Method::DELETE
                    | Method::OPTIONS
                    | Method::TRACE
            ),
        }
    }
}

/// Redirects followed per request; FastAPI's trailing-slash redirect needs one.
const MAX_REDIRECTS: usize = 5;

/// Limits and timeouts for [`HttpClient`].
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// Time to open a TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// Time for one whole attempt, body included.
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
    /// Bodies larger than this are refused with `api.too_large`.
    pub max_body_bytes: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            max_body_bytes: 32 * 1024 * 1024,
        }
    }
}

impl HttpConfig {
    /// Short timeouts and millisecond backoff, for test suites.
    pub fn for_tests() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(2),
            request_timeout: Duration::from_secs(5),
            retry: RetryPolicy::fast_for_tests(),
            ..Self::default()
        }
    }
}

/// The shared client. Cloning is cheap and shares the connection pool.
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

struct Inner {
    client: reqwest::Client,
    config: HttpConfig,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    pub fn new(config: HttpConfig) -> Result<HttpClient> {
        // Redirects stay on the origin the request was sent to (FastAPI's trailing-slash
        // redirect does), on https or loopback. reqwest keeps method and body for 307/308.
        let redirects = reqwest::redirect::Policy::custom(|attempt| {
            let same_origin = attempt
                .previous()
                .first()
                .is_none_or(|first| first.origin() == attempt.url().origin());
            if attempt.previous().len() >= MAX_REDIRECTS {
                attempt.error("too many redirects")
            } else if !is_secure(attempt.url()) {
                attempt.error(InsecureRedirect)
            } else if !same_origin {
                attempt.error(CrossOriginRedirect)
            } else {
                attempt.follow()
            }
        });
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .redirect(redirects)
            .user_agent(concat!("OccupancyDesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|_| Error::HttpSetup)?;
        Ok(HttpClient {
            inner: Arc::new(Inner { client, config }),
        })
    }

    /// The underlying client, for building requests.
    pub fn client(&self) -> &reqwest::Client {
        &self.inner.client
    }

    pub fn config(&self) -> &HttpConfig {
        &self.inner.config
    }

    /// Sends with the configured retry policy. Returns every answer except 429 and the
    /// retryable 5xx, which are retried and become `api.rate_limited` / `api.server_error`
    /// when attempts run out. A 401 or 404 is returned for the caller to judge.
    ///
    /// Whether a failure after the request may have reached the server is retried depends on
    /// the method ([`Idempotency::ByMethod`]): a POST is not, and ends as
    /// `net.outcome_unknown`. Use [`HttpClient::send_as`] to decide otherwise.
    pub async fn send<F>(&self, build: F) -> Result<Response>
    where
        F: Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    {
        self.send_as(self.inner.config.retry, Idempotency::ByMethod, build)
            .await
    }

    /// Sends with an explicit retry policy (e.g. [`RetryPolicy::no_retry`] for requests that
    /// must not run twice), judging repeats by the method.
    pub async fn send_with<F>(&self, policy: RetryPolicy, build: F) -> Result<Response>
    where
        F: Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    {
        self.send_as(policy, Idempotency::ByMethod, build).await
    }

    /// Sends with an explicit retry policy and an explicit answer to "may this run twice?".
    pub async fn send_as<F>(
        &self,
        policy: RetryPolicy,
        idempotency: Idempotency,
        build: F,
    ) -> Result<Response>
    where
        F: Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    {
        let attempts = policy.max_attempts.max(1);
        let mut attempt = 1;
        loop {
            let Failed {
                failure,
                host,
                method,
            } = match self.attempt(&build, attempt).await {
                Ok(response) => return Ok(response),
                Err(failed) => failed,
            };
            if failure.server_may_have_acted() && !idempotency.allows_repeat(&method) {
                // Sending it again could do it twice (two App Credentials); giving up with
                // "try again" could too. Say what is known, and what to check.
                debug!(%method, attempt, host, "may have been carried out; not repeated");
                return Err(failure.into_outcome_unknown(&host));
            }
            let retry_after = match &failure {
                Failure::Fatal(_) | Failure::TimedOut => return Err(failure.into_error(&host)),
                Failure::Dropped => None,
                Failure::Status { retry_after, .. } => *retry_after,
            };
            if attempt >= attempts {
                debug!(attempt, host, "giving up");
                return Err(failure.into_error(&host));
            }
            attempt += 1;
            let wait = policy.delay(attempt, retry_after);
            debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt.
    async fn attempt<F>(&self, build: &F, attempt: u32) -> std::result::Result<Response, Failed>
    where
        F: Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    {
        let request = build(&self.inner.client).build().map_err(|e| Failed {
            failure: classify(&e, "the service"),
            host: "the service".to_owned(),
            method: Method::GET,
        })?;
        let url = request.url();
        let host = host_of(url);
        let method = request.method().clone();
        let failed = |failure| Failed {
            failure,
            host: host.clone(),
            method: method.clone(),
        };
        if let Err(e) = ensure_secure(url) {
            return Err(failed(Failure::Fatal(e)));
        }
        let path = url.path().to_owned();
        debug!(%method, path, attempt, "sending");
        let response = match self.inner.client.execute(request).await {
            Ok(r) => r,
            Err(e) => {
                let failure = classify(&e, &host);
                debug!(%method, path, attempt, failure = ?FailureKind(&failure), "failed");
                return Err(failed(failure));
            }
        };
        let status = response.status();
        debug!(%method, path, attempt, status = status.as_u16(), "answered");
        if is_retryable_status(status.as_u16()) {
            let retry_after = parse_retry_after(
                response
                    .headers()
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok()),
            );
            return Err(failed(Failure::Status {
                status: status.as_u16(),
                retry_after,
            }));
        }
        let headers = response.headers().clone();
        let body = self.read_limited(response, &host).await.map_err(failed)?;
        Ok(Response {
            status,
            headers,
            body,
            host,
        })
    }

    /// Reads the body chunk by chunk and stops as soon as it passes the limit, so a runaway
    /// answer cannot exhaust memory.
    async fn read_limited(
        &self,
        mut response: reqwest::Response,
        host: &str,
    ) -> std::result::Result<Vec<u8>, Failure> {
        let limit = self.inner.config.max_body_bytes;
        let too_large = || {
            Failure::Fatal(Error::ResponseTooLarge {
                host: host.to_owned(),
                limit_mib: (limit as u64).div_ceil(1024 * 1024),
            })
        };
        let declared = response
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        let mut body = Vec::with_capacity(declared.map_or(0, |n| n as usize));
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > limit {
                        return Err(too_large());
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(body),
                Err(e) => return Err(classify(&e, host)),
            }
        }
    }
}

/// A failed attempt: what went wrong, the host for the message, and the method (which decides,
/// with [`Idempotency`], whether it may be sent again).
struct Failed {
    failure: Failure,
    host: String,
    method: Method,
}

/// Logs the kind of failure without the error's text (which can quote a URL's query).
struct FailureKind<'a>(&'a Failure);

impl std::fmt::Debug for FailureKind<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Failure::Dropped => f.write_str("dropped"),
            Failure::Status { status, .. } => write!(f, "status {status}"),
            Failure::TimedOut => f.write_str("timed out"),
            Failure::Fatal(e) => f.write_str(e.code()),
        }
    }
}

//! Turning transport failures into errors people can act on, and deciding which are worth
//! another attempt.

use std::error::Error as StdError;
use std::io;

use crate::Error;

/// What went wrong with one attempt.
#[derive(Debug)]
pub enum Failure {
    /// The connection broke before a full answer arrived (reset, closed early): worth a retry,
    /// a pooled keep-alive connection the server already closed looks exactly like this.
    Dropped,
    /// A retryable status (429, 5xx); `retry_after` from the server's header.
    Status {
        status: u16,
        retry_after: Option<std::time::Duration>,
    },
    /// No answer within the request timeout, after the connection was open (so the request
    /// may have been received). Not retried, like every timeout.
    TimedOut,
    /// Not worth retrying.
    Fatal(Error),
}

impl Failure {
    /// The error to report once no attempts are left.
    pub fn into_error(self, host: &str) -> Error {
        match self {
            Failure::Dropped => Error::NetOffline {
                host: host.to_owned(),
            },
            Failure::Status { status: 429, .. } => Error::RateLimited,
            Failure::Status { status, .. } => Error::ServerError { status },
            Failure::TimedOut => Error::NetTimeout {
                host: host.to_owned(),
            },
            Failure::Fatal(e) => e,
        }
    }

    /// True when the server may have acted on the request: it was (possibly) received, and
    /// what came back does not say it was refused. A 429 is a refusal; a 5xx is not (a
    /// gateway's 502/504 can come after the service did the work, a 500 half-way through).
    pub fn server_may_have_acted(&self) -> bool {
        match self {
            Failure::Dropped | Failure::TimedOut => true,
            Failure::Status { status, .. } => *status != 429,
            Failure::Fatal(_) => false,
        }
    }

    /// The error for a request that must not run twice and may have been carried out.
    pub fn into_outcome_unknown(self, host: &str) -> Error {
        let what = match self {
            Failure::Dropped => "the connection broke before the answer arrived".to_owned(),
            Failure::TimedOut => "no answer arrived in time".to_owned(),
            Failure::Status { status, .. } => {
                format!("the service answered with an error (HTTP {status})")
            }
            Failure::Fatal(e) => return e,
        };
        Error::OutcomeUnknown {
            host: host.to_owned(),
            what,
        }
    }
}

/// Raised by our redirect policy when a redirect would leave https for plain http.
#[derive(Debug)]
pub struct InsecureRedirect;

impl std::fmt::Display for InsecureRedirect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("redirect to an insecure address refused")
    }
}

impl StdError for InsecureRedirect {}

/// Raised by our redirect policy when a redirect would go to another origin. Requests carry
/// credentials outside the `Authorization` header (`X-Session-Id`, client secrets and
/// assertions in bodies), which reqwest would forward to any host.
#[derive(Debug)]
pub struct CrossOriginRedirect;

impl std::fmt::Display for CrossOriginRedirect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("redirect to another origin refused")
    }
}

impl StdError for CrossOriginRedirect {}

/// Classifies a `reqwest` error from sending a request or reading its body.
pub fn classify(err: &reqwest::Error, host: &str) -> Failure {
    let host = host.to_owned();
    if err.is_timeout() {
        // Not retried: a service that took the whole timeout will likely take it again, and
        // four timeouts in a row would keep the user waiting for minutes. A connect timeout
        // means nothing was sent; any other may have left the request with the server.
        if err.is_connect() {
            return Failure::Fatal(Error::NetTimeout { host });
        }
        return Failure::TimedOut;
    }
    if has_source::<InsecureRedirect>(err) {
        return Failure::Fatal(Error::InsecureUrl { host });
    }
    if has_source::<CrossOriginRedirect>(err) {
        return Failure::Fatal(Error::UnexpectedResponse {
            host,
            what: "a redirect to another address, not followed so that your credentials are only sent where you configured".into(),
        });
    }
    if err.is_redirect() {
        return Failure::Fatal(Error::UnexpectedResponse {
            host,
            what: "too many redirects".into(),
        });
    }
    if err.is_connect() {
        // Refused, unresolvable or unreachable: the server is down or the URL is wrong. A
        // retry a few hundred milliseconds later rarely helps and delays the message.
        return Failure::Fatal(Error::NetOffline { host });
    }
    if is_dropped(err) {
        return Failure::Dropped;
    }
    if err.is_builder() {
        return Failure::Fatal(Error::invalid(
            "baseUrl",
            "The request could not be built from the base URL. Check it in the connection settings.",
        ));
    }
    if err.is_decode() || err.is_body() {
        return Failure::Fatal(Error::UnexpectedResponse {
            host,
            what: "a body that could not be read".into(),
        });
    }
    Failure::Fatal(Error::NetOffline { host })
}

/// Connection reset, closed before the answer was complete, or cut mid-body.
fn is_dropped(err: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn StdError + 'static)> = err.source();
    while let Some(e) = source {
        if let Some(h) = e.downcast_ref::<hyper::Error>()
            && (h.is_incomplete_message() || h.is_canceled() || h.is_closed())
        {
            return true;
        }
        if let Some(io) = e.downcast_ref::<io::Error>()
            && matches!(
                io.kind(),
                io::ErrorKind::ConnectionReset
                    | io::ErrorKind::ConnectionAborted
                    | io::ErrorKind::BrokenPipe
                    | io::ErrorKind::UnexpectedEof
            )
        {
            return true;
        }
        source = e.source();
    }
    false
}

fn has_source<T: StdError + 'static>(err: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn StdError + 'static)> = err.source();
    while let Some(e) = source {
        if e.is::<T>() {
            return true;
        }
        source = e.source();
    }
    false
}

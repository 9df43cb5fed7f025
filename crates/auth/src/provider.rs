//! The one interface every flow implements, and what a flow gets to work with.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use secrecy::SecretString;
use serde_json::Value;

use super::clock::{Clock, ShowTime, show_utc};
use super::is_header_safe;
use super::token::{Token, TokenKind, expiry};
use occudesk_net::Result;
use occudesk_net::http::{HttpClient, Idempotency, Response, RetryPolicy};

/// The future a provider returns (boxed, so providers can sit behind `dyn`).
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Token>> + Send + 'a>>;

/// A way to obtain a fresh token. Implementations make the token request and map failures to
/// actionable errors; caching is not their job.
pub trait TokenProvider: Send + Sync + std::fmt::Debug {
    fn fetch<'a>(&'a self, client: &'a TokenClient) -> TokenFuture<'a>;

    /// What to say when the API refuses (401) a token this provider gave. `None`: fetch a
    /// new token and try once more, the right thing for every flow that can get one.
    fn refused(&self, _client: &TokenClient) -> Option<occudesk_net::Error> {
        None
    }
}

/// The HTTP client and clock a provider uses, and a count of the token requests it sent
/// (every attempt, retries included: each may count against the service's token quota).
pub struct TokenClient {
    http: HttpClient,
    clock: Arc<dyn Clock>,
    show: ShowTime,
    requests: AtomicU64,
}

impl std::fmt::Debug for TokenClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenClient")
            .field("http", &self.http)
            .field("clock", &self.clock)
            .field("requests", &self.requests)
            .finish_non_exhaustive()
    }
}

impl TokenClient {
    pub fn new(http: HttpClient, clock: Arc<dyn Clock>) -> TokenClient {
        TokenClient {
            http,
            clock,
            show: show_utc(),
            requests: AtomicU64::new(0),
        }
    }

    /// Messages write times the way `show` does (the user's time display).
    pub fn with_show_time(mut self, show: ShowTime) -> TokenClient {
        self.show = show;
        self
    }

    /// A moment as messages write it.
    pub fn show(&self, t: SystemTime) -> String {
        (self.show)(t)
    }

    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    pub fn now(&self) -> SystemTime {
        self.clock.now()
    }

    /// Token requests sent so far.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Sends a token request with the HTTP layer's retries, counting each attempt. Token
    /// requests are repeated even when the server may have acted (they are POSTs): the worst
    /// case is one extra token, which costs little next to failing the user's request.
    pub async fn send<F>(&self, build: F) -> Result<Response>
    where
        F: Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    {
        self.send_with(self.http.config().retry, build).await
    }

    /// As [`TokenClient::send`] with an explicit retry policy.
    pub async fn send_with<F>(&self, policy: RetryPolicy, build: F) -> Result<Response>
    where
        F: Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    {
        self.http
            .send_as(policy, Idempotency::Repeatable, |client| {
                self.requests.fetch_add(1, Ordering::Relaxed);
                build(client)
            })
            .await
    }

    /// Reads a successful token response: the credential under `field`, at the top level or
    /// nested in `oauth_token` (InnerSpace's transitional shape), and its expiry.
    pub fn token_from(&self, response: &Response, field: &str, kind: TokenKind) -> Result<Token> {
        let body = response.json_value()?;
        let fields = match body.get("oauth_token") {
            Some(nested @ Value::Object(_)) => nested,
            _ => &body,
        };
        let Some(value) = fields.get(field).and_then(Value::as_str) else {
            return Err(response.unexpected(format!("a token response without \"{field}\"")));
        };
        if !is_header_safe(value) {
            return Err(response.unexpected("a token with characters a header cannot carry"));
        }
        let now = self.now();
        let token = Token::new(
            SecretString::from(value),
            kind,
            now,
            expiry(fields, value, now),
        );
        tracing::debug!(lifetime_secs = token.lifetime().as_secs(), "token received");
        Ok(token)
    }
}

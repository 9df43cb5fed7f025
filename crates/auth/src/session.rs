//! A connection's authorised access: its provider, its cached token, and the 401 handling.

use std::sync::Arc;
use std::time::SystemTime;

use serde::Serialize;
use tracing::debug;

use super::Authorization;
use super::cache::{Lease, TokenCache, Want};
use super::clock::{Clock, unix_secs};
use super::provider::{TokenClient, TokenProvider};
use super::provider_for;
use super::token::Token;
use crate::connections::Connection;
use occudesk_net::http::{HttpClient, Idempotency, Response, RetryPolicy, ensure_secure};
use occudesk_net::{Error, Result};

/// What the window may know about a token: when it expires, never the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenStatus {
    /// Unix seconds.
    pub expires_at: u64,
    /// Seconds left from now (0 once expired).
    pub remaining_secs: u64,
    /// The token's whole lifetime in seconds, as issued.
    pub lifetime_secs: u64,
}

impl TokenStatus {
    fn of(token: &Token, now: SystemTime) -> TokenStatus {
        TokenStatus {
            expires_at: unix_secs(token.expires_at()),
            remaining_secs: token.remaining(now).as_secs(),
            lifetime_secs: token.lifetime().as_secs(),
        }
    }
}

/// One connection's provider and token cache. Share it (`Arc`) between all queries of the
/// connection, so they share one token.
pub struct Session {
    connection: Connection,
    provider: Box<dyn TokenProvider>,
    client: TokenClient,
    cache: TokenCache,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("connection", &self.connection.id)
            .field("kind", &self.connection.kind.service().id())
            .field("token_requests", &self.token_requests())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session for `connection`, authenticating with `secret` (client secret or password).
    /// Refuses a non-loopback `http://` base URL before any secret is sent.
    pub fn new(
        connection: &Connection,
        secret: secrecy::SecretString,
        http: HttpClient,
        clock: Arc<dyn Clock>,
    ) -> Result<Session> {
        let provider = provider_for(connection, secret)?;
        Session::with_provider(connection, provider, http, clock)
    }

    /// A session with a provider of the caller's choice (tests, future flows).
    pub fn with_provider(
        connection: &Connection,
        provider: Box<dyn TokenProvider>,
        http: HttpClient,
        clock: Arc<dyn Clock>,
    ) -> Result<Session> {
        let url = url::Url::parse(&connection.base_url).map_err(|_| {
            Error::invalid(
                "baseUrl",
                "The connection's base URL is not a valid URL. Edit the connection and fix it.",
            )
        })?;
        ensure_secure(&url)?;
        Ok(Session {
            connection: connection.clone(),
            provider,
            client: TokenClient::new(http, clock),
            cache: TokenCache::default(),
        })
    }

    /// Messages of this session write times the way `show` does (the user's time display).
    pub fn with_show_time(mut self, show: super::clock::ShowTime) -> Session {
        self.client = self.client.with_show_time(show);
        self
    }

    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    pub fn http(&self) -> &HttpClient {
        self.client.http()
    }

    /// A cached credential, or a fresh one if none is cached or it is due for refresh.
    pub async fn authorization(&self) -> Result<Authorization> {
        Ok(self.lease(Want::Fresh).await?.token.authorization())
    }

    /// Sends a read-only API request (a GraphQL query, a list) with the connection's
    /// credential, using the HTTP layer's retries, repeated after failures even as a POST.
    /// For a request that must not run twice, use [`Session::send_authorized_create`].
    ///
    /// `build` makes the request without credentials; the session adds them. On a 401 the
    /// token is dropped, a new one fetched once (shared with concurrent callers that were
    /// refused the same token) and the request retried once; a second 401 is `auth.rejected`.
    pub async fn send_authorized<F>(&self, build: F) -> Result<Response>
    where
        F: Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    {
        self.send_authorized_as(self.http().config().retry, Idempotency::Repeatable, build)
            .await
    }

    /// Sends a request that must not run twice (creating an App Credential): it is sent again
    /// only after answers that say it was refused (429, 401), never after a dropped connection,
    /// a timeout or a 5xx, which end as `net.outcome_unknown`.
    pub async fn send_authorized_create<F>(&self, build: F) -> Result<Response>
    where
        F: Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    {
        self.send_authorized_as(
            self.http().config().retry,
            Idempotency::NotRepeatable,
            build,
        )
        .await
    }

    /// Sends with an explicit retry policy and an explicit answer to "may this run twice?".
    /// A 401 is always renewed and retried once: the API refused it, so nothing was done.
    pub async fn send_authorized_as<F>(
        &self,
        policy: RetryPolicy,
        idempotency: Idempotency,
        build: F,
    ) -> Result<Response>
    where
        F: Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    {
        let lease = self.lease(Want::Fresh).await?;
        let response = self
            .send_with_lease(policy, idempotency, &lease, &build)
            .await?;
        if response.status() != reqwest::StatusCode::UNAUTHORIZED {
            return Ok(response);
        }
        // A token nothing can renew (a personal one) ends here, saying what to do.
        if let Some(refused) = self.provider.refused(&self.client) {
            debug!(
                connection = self.connection.id,
                "API refused a token that cannot be renewed"
            );
            return Err(refused);
        }
        debug!(
            connection = self.connection.id,
            "API answered 401; renewing the token once"
        );
        let renewed = self.lease(Want::Replacing(lease.generation)).await?;
        let response = self
            .send_with_lease(policy, idempotency, &renewed, &build)
            .await?;
        if response.status() == reqwest::StatusCode::UNAUTHORIZED {
            debug!(
                connection = self.connection.id,
                "API refused a renewed token too"
            );
            return Err(Error::AuthRejected);
        }
        Ok(response)
    }

    /// The current token's expiry, if a token is cached. Never the token itself.
    pub async fn status(&self) -> Option<TokenStatus> {
        let token = self.cache.current().await?;
        Some(TokenStatus::of(&token, self.client.now()))
    }

    /// Token requests this session has sent (attempts, retries included), for quota display.
    pub fn token_requests(&self) -> u64 {
        self.client.requests()
    }

    /// "Test connection": fetches a new token whatever is cached and reports its lifetime.
    pub async fn test(&self) -> Result<TokenStatus> {
        let lease = self.lease(Want::New).await?;
        Ok(TokenStatus::of(&lease.token, self.client.now()))
    }

    async fn lease(&self, want: Want) -> Result<Lease> {
        let lease = self
            .cache
            .lease(
                || self.client.now(),
                want,
                || self.provider.fetch(&self.client),
            )
            .await?;
        Ok(lease)
    }

    async fn send_with_lease<F>(
        &self,
        policy: RetryPolicy,
        idempotency: Idempotency,
        lease: &Lease,
        build: &F,
    ) -> Result<Response>
    where
        F: Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    {
        let authorization = lease.token.authorization();
        self.http()
            .send_as(policy, idempotency, |http| authorization.apply(build(http)))
            .await
    }
}

//! Token exchange: providers for InnerSpace v1/v2 and SpatiaFi behind one interface, and a
//! per-connection cache with refresh-before-expiry, single-flight and retry-once-on-401.
//!
//! Query code asks a [`Session`] to send a request; which flow produces the credential and how
//! it is presented (`X-Session-Id` or `Authorization: Bearer`) stays in here.

mod assertion;
mod cache;
mod clock;
pub mod connections;
mod denial;
pub mod innerspace;
pub mod personal;
mod pool;
mod provider;
mod session;
pub mod spatiafi;
mod token;
pub mod vault;

use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use crate::connections::{Connection, ConnectionKind};
use occudesk_net::{Error, Result};

pub use assertion::{ASSERTION_LIFETIME, CLIENT_ASSERTION_TYPE, client_assertion};
pub use clock::{Clock, FixedClock, ManualClock, ShowTime, SystemClock, show_utc, unix_secs};
pub use pool::SessionPool;
pub use provider::{TokenClient, TokenFuture, TokenProvider};
pub use session::{Session, TokenStatus};
pub use token::{DEFAULT_LIFETIME, MAX_SKEW, Token, TokenKind, jwt_claim, jwt_exp};

/// The InnerSpace v2 session header.
pub const SESSION_HEADER: &str = "x-session-id";

/// How to authorise one API request. `Debug` shows `[REDACTED]` instead of the credential.
#[derive(Clone, Debug)]
pub enum Authorization {
    /// InnerSpace v2: `X-Session-Id: <session id>`.
    SessionHeader(SecretString),
    /// `Authorization: Bearer <token>`.
    Bearer(SecretString),
}

impl Authorization {
    /// Adds the credential to a request. The header is marked sensitive so HTTP/2 never
    /// indexes it and debug output of the request hides it.
    pub fn apply(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self.header() {
            Some((name, value)) => request.header(name, value),
            // Unreachable in practice: tokens are checked to be header-safe when received.
            // Sending without a credential gets a 401, which ends as `auth.rejected`.
            None => request,
        }
    }

    /// The header this authorisation adds, if the credential is a valid header value.
    pub fn header(&self) -> Option<(HeaderName, HeaderValue)> {
        let (name, text) = match self {
            Authorization::SessionHeader(s) => (
                HeaderName::from_static(SESSION_HEADER),
                s.expose_secret().to_owned(),
            ),
            Authorization::Bearer(s) => (AUTHORIZATION, format!("Bearer {}", s.expose_secret())),
        };
        let mut value = HeaderValue::from_str(&text).ok()?;
        value.set_sensitive(true);
        Some((name, value))
    }
}

/// The provider for a connection's kind, holding its secret.
pub fn provider_for(
    connection: &Connection,
    secret: SecretString,
) -> Result<Box<dyn TokenProvider>> {
    let base_url = connection.base_url.trim_end_matches('/').to_owned();
    let client_id = || {
        if connection.client_id.trim().is_empty() {
            return Err(Error::invalid(
                "clientId",
                "The connection has no client id (or email). Edit the connection and enter it.",
            ));
        }
        Ok(connection.client_id.clone())
    };
    Ok(match &connection.kind {
        ConnectionKind::InnerspaceV2 { audience, .. } => Box::new(innerspace::V2Provider {
            base_url,
            client_id: client_id()?,
            secret,
            audience: audience.clone(),
        }),
        ConnectionKind::InnerspaceV1 { .. } => Box::new(innerspace::V1Provider {
            base_url,
            client_id: client_id()?,
            secret,
        }),
        // The pasted token is the whole credential: no client id, no token request.
        ConnectionKind::InnerspaceToken { .. } => Box::new(personal::PersonalTokenProvider {
            connection_id: connection.id.clone(),
            secret,
        }),
        ConnectionKind::Spatiafi { auth_method } => Box::new(spatiafi::SpatiafiProvider {
            base_url,
            client_id: client_id()?,
            secret,
            method: *auth_method,
        }),
    })
}

/// True when a token can travel in a header unchanged (visible ASCII, no spaces).
pub(crate) fn is_header_safe(token: &str) -> bool {
    !token.is_empty() && token.bytes().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_sensitive_and_debug_redacts() {
        let bearer = Authorization::Bearer("abc.def".into());
        let (name, value) = bearer.header().unwrap();
        assert_eq!(name, AUTHORIZATION);
        assert_eq!(value.to_str().unwrap(), "Bearer abc.def");
        assert!(value.is_sensitive());
        assert!(!format!("{bearer:?}").contains("abc.def"));

        let session = Authorization::SessionHeader("sess-1".into());
        let (name, value) = session.header().unwrap();
        assert_eq!(name.as_str(), "x-session-id");
        assert_eq!(value.to_str().unwrap(), "sess-1");
    }

    #[test]
    fn header_safety() {
        assert!(is_header_safe("eyJ.abc-_~+/="));
        assert!(!is_header_safe(""));
        assert!(!is_header_safe("a b"));
        assert!(!is_header_safe("a\nb"));
    }
}

//! An access token or session with its expiry, and how the expiry is learnt.

use std::time::{Duration, SystemTime};

use base64::Engine;
use secrecy::SecretString;
use serde_json::Value;

use super::Authorization;
use super::clock::unix_secs;

/// Assumed lifetime when the server says nothing and the token is not a JWT (api.md §1.1).
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);
/// Upper bound of the refresh-before-expiry margin.
pub const MAX_SKEW: Duration = Duration::from_secs(60);

/// How a token is presented to the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// InnerSpace v2: `X-Session-Id: <session>`.
    Session,
    /// `Authorization: Bearer <token>`.
    Bearer,
}

/// A credential the API accepts, valid until `expires_at`.
///
/// Its value lives in a `SecretString`: `Debug` shows `[REDACTED]`, and it cannot be serialized.
#[derive(Clone)]
pub struct Token {
    value: SecretString,
    kind: TokenKind,
    obtained_at: SystemTime,
    expires_at: SystemTime,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("value", &"[REDACTED]")
            .field("kind", &self.kind)
            .field("expires_at_unix", &unix_secs(self.expires_at))
            .finish()
    }
}

impl Token {
    pub fn new(
        value: SecretString,
        kind: TokenKind,
        obtained_at: SystemTime,
        expires_at: SystemTime,
    ) -> Token {
        Token {
            value,
            kind,
            obtained_at,
            expires_at,
        }
    }

    pub fn kind(&self) -> TokenKind {
        self.kind
    }

    pub fn obtained_at(&self) -> SystemTime {
        self.obtained_at
    }

    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }

    pub fn lifetime(&self) -> Duration {
        self.expires_at
            .duration_since(self.obtained_at)
            .unwrap_or_default()
    }

    /// How early to refresh: min(60 s, 10 % of the lifetime), so a 5-minute token is renewed
    /// 30 s early and an hour-long one a minute early.
    pub fn skew(&self) -> Duration {
        (self.lifetime() / 10).min(MAX_SKEW)
    }

    /// The moment from which a new token is fetched instead of this one.
    pub fn refresh_at(&self) -> SystemTime {
        self.expires_at
            .checked_sub(self.skew())
            .unwrap_or(self.expires_at)
    }

    pub fn needs_refresh(&self, now: SystemTime) -> bool {
        now >= self.refresh_at()
    }

    pub fn remaining(&self, now: SystemTime) -> Duration {
        self.expires_at.duration_since(now).unwrap_or_default()
    }

    /// How to present this token on an API request.
    pub fn authorization(&self) -> Authorization {
        match self.kind {
            TokenKind::Session => Authorization::SessionHeader(self.value.clone()),
            TokenKind::Bearer => Authorization::Bearer(self.value.clone()),
        }
    }
}

/// When a token obtained at `now` expires: `expires_in` (seconds from now), else `expires_at`
/// (Unix seconds), else the JWT's `exp`, else [`DEFAULT_LIFETIME`]. Values already in the past
/// (a server clock far from ours) are skipped, so a bad hint cannot make every request fetch a
/// new token; a token that dies early anyway is caught by the 401 → renew path.
pub fn expiry(fields: &Value, token: &str, now: SystemTime) -> SystemTime {
    let from_expires_in = number(fields.get("expires_in"))
        .filter(|s| *s > 0.0)
        .map(|s| now + Duration::from_secs_f64(s.min(1e9)));
    let from_expires_at = number(fields.get("expires_at")).and_then(|t| absolute(t, now));
    let from_jwt = jwt_exp(token).and_then(|t| absolute(t as f64, now));
    from_expires_in
        .or(from_expires_at)
        .or(from_jwt)
        .unwrap_or(now + DEFAULT_LIFETIME)
}

/// A number, or a string holding one (some servers quote `expires_in`).
fn number(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Unix seconds (or milliseconds, recognised by size) as a time, if still in the future.
fn absolute(t: f64, now: SystemTime) -> Option<SystemTime> {
    if !t.is_finite() || t <= 0.0 {
        return None;
    }
    let secs = if t > 1e11 { t / 1000.0 } else { t };
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs_f64(secs.min(1e11));
    (at > now).then_some(at)
}

/// The `exp` claim of a JWT, read without verifying the signature: we only use it to decide
/// when to ask for a new token, never to trust the token's contents.
pub fn jwt_exp(token: &str) -> Option<i64> {
    jwt_claim(token, "exp")
}

/// A numeric claim of a JWT (`exp`, `iat`), read without verifying the signature (see
/// [`jwt_exp`]).
pub fn jwt_claim(token: &str, name: &str) -> Option<i64> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    number(claims.get(name)).map(|e| e as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use serde_json::json;

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    fn jwt(claims: Value) -> String {
        let enc = |v: &Value| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string().as_bytes())
        };
        format!("{}.{}.sig", enc(&json!({"alg": "HS256"})), enc(&claims))
    }

    #[test]
    fn expiry_prefers_expires_in_then_expires_at_then_jwt_then_an_hour() {
        const T: u64 = 1_700_000_000;
        let now = at(T);
        let token = jwt(json!({"exp": T + 500}));
        assert_eq!(
            expiry(
                &json!({"expires_in": 120, "expires_at": T + 900}),
                &token,
                now
            ),
            at(T + 120)
        );
        assert_eq!(
            expiry(&json!({"expires_in": "90"}), "opaque", now),
            at(T + 90)
        );
        assert_eq!(
            expiry(&json!({"expires_at": T + 900}), &token, now),
            at(T + 900)
        );
        // Milliseconds are recognised by their size.
        assert_eq!(
            expiry(&json!({"expires_at": (T + 900) * 1000}), &token, now),
            at(T + 900)
        );
        assert_eq!(expiry(&json!({}), &token, now), at(T + 500));
        assert_eq!(expiry(&json!({}), "opaque", now), at(T + 3600));
        // Hints in the past are ignored rather than trusted.
        assert_eq!(
            expiry(
                &json!({"expires_in": 0, "expires_at": T - 5}),
                "opaque",
                now
            ),
            at(T + 3600)
        );
    }

    #[test]
    fn jwt_exp_is_read_without_verification_and_garbage_is_ignored() {
        assert_eq!(jwt_exp(&jwt(json!({"exp": 42}))), Some(42));
        assert_eq!(jwt_exp("a.b"), None);
        assert_eq!(jwt_exp("a.!!!.c"), None);
        assert_eq!(jwt_exp("a.b.c.d"), None);
        assert_eq!(jwt_exp(&jwt(json!({"sub": "x"}))), None);
    }

    #[test]
    fn skew_is_ten_percent_capped_at_a_minute() {
        let short = Token::new("t".into(), TokenKind::Bearer, at(0), at(300));
        assert_eq!(short.skew(), Duration::from_secs(30));
        assert_eq!(short.refresh_at(), at(270));
        assert!(!short.needs_refresh(at(269)));
        assert!(short.needs_refresh(at(270)));
        let long = Token::new("t".into(), TokenKind::Bearer, at(0), at(3600));
        assert_eq!(long.skew(), MAX_SKEW);
        assert_eq!(long.remaining(at(3000)), Duration::from_secs(600));
        assert_eq!(long.remaining(at(4000)), Duration::ZERO);
    }

    #[test]
    fn debug_redacts_the_value() {
        let t = Token::new("tok-secret-1".into(), TokenKind::Session, at(0), at(60));
        let shown = format!("{t:?} {:?}", t.authorization());
        assert!(!shown.contains("tok-secret-1"), "{shown}");
        match t.authorization() {
            Authorization::SessionHeader(v) => assert_eq!(v.expose_secret(), "tok-secret-1"),
            other => panic!("unexpected {other:?}"),
        }
    }
}

//! A personal bearer token (api.md §1.4: "API access is available to users via their JWT bearer
//! token"): the person pastes the JWT InnerSpace's web app gave them, it is kept in the
//! keyring like every secret and sent as `Authorization: Bearer`.
//!
//! Nothing here can renew it: there is no client secret to ask for another. So its end is
//! never a generic failure but [`Error::TokenExpired`], which tells the person to paste a new
//! one: once its `exp` has passed, in its last minute, and when the service refuses it (401).

use std::time::{Duration, SystemTime};

use secrecy::{ExposeSecret, SecretString};

use super::clock::unix_secs;
use super::is_header_safe;
use super::provider::{TokenClient, TokenFuture, TokenProvider};
use super::token::{MAX_SKEW, Token, TokenKind, jwt_claim};
use occudesk_net::{Error, Result, TokenEnd};

/// When a pasted token was issued and when it ends, from its claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenTimes {
    pub issued_at: Option<SystemTime>,
    pub expires_at: SystemTime,
}

impl TokenTimes {
    /// The `iat` and `exp` claims of `token`. The signature is NOT verified, on purpose: we
    /// are not the token's audience and hold no key to check it with; the service that is
    /// its audience checks it on every request. We read `exp` only to know when to ask the
    /// person for a new one, never to trust anything the token says.
    pub fn read(token: &str) -> Result<TokenTimes> {
        let at = |secs: i64| SystemTime::UNIX_EPOCH + Duration::from_secs(secs.max(0) as u64);
        let Some(exp) = jwt_claim(token, "exp") else {
            return Err(Error::invalid(
                "secret",
                "This is not a JWT with an expiry (an \"exp\" claim), so Occupancy Desk cannot tell when it ends. Copy the whole bearer token from InnerSpace's web app: three parts separated by dots, usually starting with eyJ.",
            ));
        };
        Ok(TokenTimes {
            issued_at: jwt_claim(token, "iat").map(at),
            expires_at: at(exp),
        })
    }

    /// How early before `exp` a request is no longer started: min(60 s, 10 % of the issued
    /// lifetime), the margin every other flow refreshes by.
    pub fn margin(&self, now: SystemTime) -> Duration {
        let from = self.issued_at.unwrap_or(now);
        let lifetime = self.expires_at.duration_since(from).unwrap_or_default();
        (lifetime / 10).min(MAX_SKEW)
    }
}

/// Checks a token the person pasted before it is stored: a JWT with `exp` that a header can
/// carry. An expired one is still accepted (the connection will say so when used).
pub fn check_pasted(token: &str) -> Result<TokenTimes> {
    let token = token.trim();
    if !is_header_safe(token) {
        return Err(Error::invalid(
            "secret",
            "Paste the token alone: no spaces, line breaks or \"Bearer \" in front.",
        ));
    }
    TokenTimes::read(token)
}

#[derive(Debug)]
pub struct PersonalTokenProvider {
    /// Named in the errors, so the window can open this connection's edit form.
    pub connection_id: String,
    pub secret: SecretString,
}

impl PersonalTokenProvider {
    fn times(&self) -> Result<TokenTimes> {
        TokenTimes::read(self.secret.expose_secret().trim())
    }

    fn ended(&self, client: &TokenClient, times: TokenTimes, end: TokenEnd) -> Error {
        Error::TokenExpired {
            connection_id: self.connection_id.clone(),
            expires_at: unix_secs(times.expires_at),
            when: client.show(times.expires_at),
            end,
        }
    }
}

impl TokenProvider for PersonalTokenProvider {
    /// "Fetching" is reading the pasted token: no request is sent.
    fn fetch<'a>(&'a self, client: &'a TokenClient) -> TokenFuture<'a> {
        Box::pin(async move {
            let times = self.times()?;
            let now = client.now();
            if now >= times.expires_at {
                return Err(self.ended(client, times, TokenEnd::Expired));
            }
            if now + times.margin(now) >= times.expires_at {
                return Err(self.ended(client, times, TokenEnd::Expiring));
            }
            let value = SecretString::from(self.secret.expose_secret().trim());
            Ok(Token::new(
                value,
                TokenKind::Bearer,
                times.issued_at.filter(|t| *t <= now).unwrap_or(now),
                times.expires_at,
            ))
        })
    }

    fn refused(&self, client: &TokenClient) -> Option<Error> {
        let times = match self.times() {
            Ok(times) => times,
            Err(e) => return Some(e),
        };
        let end = if client.now() >= times.expires_at {
            TokenEnd::Expired
        } else {
            TokenEnd::Refused
        };
        Some(self.ended(client, times, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use serde_json::{Value, json};

    fn jwt(claims: Value) -> String {
        let enc = |v: &Value| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string().as_bytes())
        };
        format!(
            "{}.{}.not-checked",
            enc(&json!({"alg": "RS256"})),
            enc(&claims)
        )
    }

    #[test]
    fn times_come_from_the_claims_and_a_token_without_exp_is_refused_clearly() {
        let t = TokenTimes::read(&jwt(json!({"iat": 1000, "exp": 4600}))).unwrap();
        assert_eq!(unix_secs(t.expires_at), 4600);
        assert_eq!(t.margin(t.expires_at), MAX_SKEW);
        let short = TokenTimes::read(&jwt(json!({"iat": 1000, "exp": 1300}))).unwrap();
        assert_eq!(short.margin(short.expires_at), Duration::from_secs(30));
        let err = TokenTimes::read("opaque-token").unwrap_err();
        assert_eq!(err.code(), "input.invalid");
        assert!(err.to_string().contains("\"exp\""), "{err}");
        assert!(check_pasted("Bearer eyJ.a.b").is_err());
    }
}

//! The `client_secret_jwt` client assertion (RFC 7523 §3, OpenID Connect Core §9).

use std::time::{Duration, SystemTime};

use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use super::clock::unix_secs;
use occudesk_net::{Error, Result};

pub const CLIENT_ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Well under the one-hour maximum: an assertion is used once, right away.
pub const ASSERTION_LIFETIME: Duration = Duration::from_secs(5 * 60);

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    iat: u64,
    exp: u64,
    jti: String,
}

/// An HS256 assertion signed with the client secret: `iss` = `sub` = the client id, `aud` =
/// the full token endpoint URL, a five-minute `exp` and a fresh random `jti`, so it can be used
/// once only.
///
/// `now` should be the real time: the server compares `iat`/`exp` with its own clock.
pub fn client_assertion(
    client_id: &str,
    secret: &SecretString,
    token_url: &str,
    now: SystemTime,
) -> Result<SecretString> {
    let iat = unix_secs(now);
    let claims = Claims {
        iss: client_id,
        sub: client_id,
        aud: token_url,
        iat,
        exp: iat + ASSERTION_LIFETIME.as_secs(),
        jti: uuid::Uuid::new_v4().to_string(),
    };
    let key = EncodingKey::from_secret(secret.expose_secret().as_bytes());
    encode(&Header::new(Algorithm::HS256), &claims, &key)
        .map(SecretString::from)
        // HMAC signing of a small JSON object does not fail in practice; say what to check.
        .map_err(|_| {
            Error::invalid(
                "secret",
                "Could not sign the client assertion with this client secret. Enter the secret again.",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{DecodingKey, Validation, decode};
    use std::collections::HashSet;

    #[test]
    fn claims_and_signature() {
        let secret = SecretString::from("s3cret");
        let now = SystemTime::now();
        let url = "https://auth.spatiafi.com/api/v1/auth/jwt/token";
        let jwt = client_assertion("client-1", &secret, url, now).unwrap();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[url]);
        validation.set_issuer(&["client-1"]);
        validation.sub = Some("client-1".into());
        let data = decode::<serde_json::Value>(
            jwt.expose_secret(),
            &DecodingKey::from_secret(b"s3cret"),
            &validation,
        )
        .unwrap();
        let c = data.claims;
        assert_eq!(c["iat"].as_u64().unwrap(), unix_secs(now));
        assert_eq!(c["exp"].as_u64().unwrap() - c["iat"].as_u64().unwrap(), 300);
        assert_eq!(c["jti"].as_str().unwrap().len(), 36);

        let jtis: HashSet<String> = (0..20)
            .map(|_| {
                let jwt = client_assertion("client-1", &secret, url, now).unwrap();
                let d = decode::<serde_json::Value>(
                    jwt.expose_secret(),
                    &DecodingKey::from_secret(b"s3cret"),
                    &validation,
                )
                .unwrap();
                d.claims["jti"].as_str().unwrap().to_owned()
            })
            .collect();
        assert_eq!(jtis.len(), 20, "every assertion gets a fresh jti");
    }
}

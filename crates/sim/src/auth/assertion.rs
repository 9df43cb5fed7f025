//! Verification of `client_secret_jwt` client assertions (RFC 7523 §3,
//! OpenID Connect Core §9): HS256 signed with the client secret; `iss` = `sub`
//! = client id; `aud` = the token endpoint URL the client posted to; `exp` in
//! the future and at most one hour away; `iat` present; a `jti` never seen before.

use std::collections::HashSet;
use std::sync::Mutex;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;

use super::tokens::now_unix;

/// The longest lifetime an assertion may claim.
pub const MAX_LIFETIME_SECS: i64 = 3600;
/// Tolerated clock difference between client and simulator.
const SKEW_SECS: i64 = 5;

#[derive(Debug, PartialEq, Eq)]
pub enum AssertionError {
    /// The client id is unknown (answered like a wrong secret).
    UnknownClient(String),
    /// Anything else; the reason goes into the error body.
    Invalid(String),
}

#[derive(Deserialize)]
struct Claims {
    exp: i64,
    iat: Option<i64>,
    jti: Option<String>,
}

#[derive(Deserialize)]
struct Unverified {
    iss: Option<String>,
}

/// Returns the authenticated client id.
pub fn verify(
    assertion: &str,
    form_client_id: Option<&str>,
    token_url: &str,
    secret_of: impl Fn(&str) -> Option<String>,
    used_jti: &Mutex<HashSet<(String, String)>>,
) -> Result<String, AssertionError> {
    let invalid = |s: &str| AssertionError::Invalid(s.to_owned());
    let header = decode_header(assertion).map_err(|_| invalid("client_assertion is not a JWT"))?;
    if header.alg != Algorithm::HS256 {
        return Err(invalid("client_assertion must be signed with HS256"));
    }
    // The issuer names the client whose secret verifies the signature.
    let unverified = jsonwebtoken::dangerous::insecure_decode::<Unverified>(assertion)
        .map_err(|_| invalid("client_assertion claims are not valid JSON"))?;
    let iss = unverified
        .claims
        .iss
        .ok_or_else(|| invalid("iss claim missing"))?;
    if let Some(id) = form_client_id
        && id != iss
    {
        return Err(invalid("iss does not match client_id"));
    }
    let secret = secret_of(&iss).ok_or_else(|| AssertionError::UnknownClient(iss.clone()))?;

    let mut v = Validation::new(Algorithm::HS256);
    v.leeway = 0;
    v.set_audience(&[token_url]);
    v.set_issuer(&[iss.as_str()]);
    v.sub = Some(iss.clone());
    v.set_required_spec_claims(&["exp", "iss", "sub", "aud"]);
    let data = decode::<Claims>(assertion, &DecodingKey::from_secret(secret.as_bytes()), &v)
        .map_err(|e| {
            AssertionError::Invalid(match e.kind() {
                ErrorKind::InvalidSignature => {
                    "signature does not verify with the client secret".to_owned()
                }
                ErrorKind::ExpiredSignature => "assertion has expired".to_owned(),
                ErrorKind::InvalidAudience => format!("aud must be {token_url}"),
                ErrorKind::InvalidIssuer => "iss must be the client id".to_owned(),
                ErrorKind::InvalidSubject => "sub must be the client id".to_owned(),
                ErrorKind::MissingRequiredClaim(c) => format!("{c} claim missing"),
                _ => format!("invalid client_assertion: {e}"),
            })
        })?;
    let now = now_unix();
    let claims = data.claims;
    if claims.exp - now > MAX_LIFETIME_SECS + SKEW_SECS {
        return Err(invalid("exp is more than 1 hour in the future"));
    }
    match claims.iat {
        None => return Err(invalid("iat claim missing")),
        Some(iat) if iat > now + SKEW_SECS => return Err(invalid("iat is in the future")),
        Some(_) => {}
    }
    let jti = claims
        .jti
        .filter(|j| !j.is_empty())
        .ok_or_else(|| invalid("jti claim missing"))?;
    let mut used = used_jti.lock().map_err(|_| invalid("internal error"))?;
    if !used.insert((iss.clone(), jti)) {
        return Err(invalid("jti has already been used"));
    }
    Ok(iss)
}

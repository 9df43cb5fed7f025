//! Minting access tokens. v1 and SpatiaFi tokens are HS256 JWTs (as the real
//! services' are), so clients can read `exp`; v2 sessions are opaque ids.

use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};

pub fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Signs `claims` (a JSON object); falls back to an opaque id if signing fails.
pub fn mint_jwt(key: &[u8], claims: &serde_json::Value) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(key),
    )
    .unwrap_or_else(|_| opaque())
}

pub fn opaque() -> String {
    uuid::Uuid::new_v4().to_string()
}

//! Credentials the simulator accepts (also printed by the binary).

/// InnerSpace v2 (`POST /v2/oauth/token`, JSON).
pub const V2_CLIENT_ID: &str = "demo-v2-client";
pub const V2_CLIENT_SECRET: &str = "demo-v2-secret";
pub const V2_AUDIENCE: &str = "https://global-config.innerspace.io";

/// InnerSpace v1, deprecated top-level token shape.
pub const V1_CLIENT_ID: &str = "demo-v1-client";
pub const V1_CLIENT_SECRET: &str = "demo-v1-secret";
/// InnerSpace v1, transitional `oauth_token` token shape.
pub const V1_NESTED_CLIENT_ID: &str = "demo-v1-nested-client";
pub const V1_NESTED_CLIENT_SECRET: &str = "demo-v1-nested-secret";

/// The person personal bearer tokens are issued to ([`crate::Sim::personal_token`]); their
/// requests are counted under this name.
pub const PERSONAL_USER: &str = "analyst@innerspace.example";

/// SpatiaFi user with a valid password.
pub const SPATIAFI_EMAIL: &str = "demo@spatiafi.example";
pub const SPATIAFI_PASSWORD: &str = "demo-password";
/// SpatiaFi user whose password has expired: token requests answer
/// 400 `{"detail":"PASSWORD_EXPIRED"}`.
pub const SPATIAFI_EXPIRED_EMAIL: &str = "expired@spatiafi.example";
pub const SPATIAFI_EXPIRED_PASSWORD: &str = "expired-password";
/// A pre-existing App Credential of the demo user.
pub const SPATIAFI_CLIENT_ID: &str = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
pub const SPATIAFI_CLIENT_SECRET: &str = "demo-spatiafi-client-secret";

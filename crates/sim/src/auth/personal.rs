//! Personal bearer tokens (api.md §1.4): the JWT a person's InnerSpace web session holds,
//! which they paste into a client. The simulator has no web app, so tests ask it for one with
//! the `exp` they want ([`crate::Sim::personal_token`]); the v1 API accepts it until then and
//! answers 401 `JWTExpired` after, like every v1 token.

use std::time::Duration;

use serde_json::json;

use super::grants::GrantKind;
use super::tokens::{mint_jwt, now_unix, opaque};
use crate::demo;
use crate::state::AppState;

/// A token expiring `valid_for_secs` from now (negative: already expired), issued `lifetime`
/// before that.
pub fn issue(st: &AppState, valid_for_secs: i64, lifetime: Duration) -> String {
    let now = now_unix();
    let exp = now + valid_for_secs;
    let lifetime = i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX / 2);
    let token = mint_jwt(
        &st.signing_key,
        &json!({
            "iss": "https://innerspace.sim/",
            "sub": demo::PERSONAL_USER,
            "aud": "https://api.innerspace.io",
            "iat": exp.saturating_sub(lifetime),
            "exp": exp,
            "jti": opaque(),
        }),
    );
    let ttl = Duration::from_secs(u64::try_from(valid_for_secs).unwrap_or(0));
    st.grants.insert(
        &token,
        GrantKind::V1Token,
        demo::PERSONAL_USER,
        None,
        ttl,
        None,
    );
    token
}

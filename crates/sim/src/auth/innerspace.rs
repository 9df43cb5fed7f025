//! InnerSpace token endpoints (v2 sessions, v1 bearer tokens).
//!
//! They behave like Auth0's client-credentials flow, which the vendor docs
//! point to. Error bodies follow Auth0:
//!
//! | case | status | body |
//! |---|---|---|
//! | unknown client id or wrong secret | 401 | `{"error":"access_denied","error_description":"Unauthorized"}` |
//! | v2: wrong audience | 403 | `{"error":"access_denied","error_description":"Service not enabled within domain: <aud>"}` |
//! | missing field, bad JSON/form | 400 | `{"error":"invalid_request","error_description":"..."}` |
//! | unsupported `grant_type` | 400 | `{"error":"unsupported_grant_type","error_description":"..."}` |
//! | v2: body not `application/json`; v1: neither form nor JSON | 415 | `{"error":"invalid_request","error_description":"..."}` |
//!
//! v2 answers `{"session_id", "expires_in"}`. v1 answers
//! `{"access_token","token_type":"Bearer","expires_in"}` (deprecated shape) or
//! `{"oauth_token":{...the same...}}` (transitional shape), per client id or
//! as configured ([`crate::V1Shape`]).

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Response, StatusCode};
use serde_json::{Value, json};

use super::grants::GrantKind;
use super::tokens::{mint_jwt, now_unix, opaque};
use crate::config::V1Shape;
use crate::demo;
use crate::http_util::{form_get, is_form, is_json, json, parse_form};
use crate::state::AppState;

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response<Body> {
    json(
        status,
        &json!({"error": error, "error_description": description}),
    )
}

fn unauthorized() -> Response<Body> {
    oauth_error(StatusCode::UNAUTHORIZED, "access_denied", "Unauthorized")
}

/// Credentials from a body: `Err` is the error response.
struct TokenRequest {
    client_id: String,
    client_secret: String,
    audience: Option<String>,
    grant_type: Option<String>,
}

fn field(fields: &[(String, String)], name: &str) -> Result<String, Response<Body>> {
    form_get(fields, name).map(str::to_owned).ok_or_else(|| {
        oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            &format!("Missing required parameter: {name}"),
        )
    })
}

/// Flattens a JSON object of strings into form-like pairs.
fn json_fields(body: &[u8]) -> Result<Vec<(String, String)>, Response<Body>> {
    let bad = || {
        oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Request body must be a JSON object",
        )
    };
    let v: Value = serde_json::from_slice(body).map_err(|_| bad())?;
    let obj = v.as_object().ok_or_else(bad)?;
    let mut out = Vec::new();
    for (k, v) in obj {
        match v {
            Value::String(s) => out.push((k.clone(), s.clone())),
            Value::Null => {}
            _ => {
                return Err(oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    &format!("Parameter {k} must be a string"),
                ));
            }
        }
    }
    Ok(out)
}

fn token_request(fields: &[(String, String)]) -> Result<TokenRequest, Response<Body>> {
    Ok(TokenRequest {
        client_id: field(fields, "client_id")?,
        client_secret: field(fields, "client_secret")?,
        audience: form_get(fields, "audience").map(str::to_owned),
        grant_type: form_get(fields, "grant_type").map(str::to_owned),
    })
}

fn check_grant_type(req: &TokenRequest) -> Result<(), Response<Body>> {
    match req.grant_type.as_deref() {
        None | Some("client_credentials") => Ok(()),
        Some(other) => Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            &format!("Unsupported grant type: {other}"),
        )),
    }
}

/// `POST /v2/oauth/token`: JSON only.
pub async fn v2_token(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    if !is_json(&headers) {
        return oauth_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "invalid_request",
            "Content-Type must be application/json",
        );
    }
    let req = match json_fields(&body).and_then(|f| token_request(&f)) {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    st.counters.token_request(&req.client_id);
    if let Err(resp) = check_grant_type(&req) {
        return resp;
    }
    if req.client_id != demo::V2_CLIENT_ID || req.client_secret != demo::V2_CLIENT_SECRET {
        return unauthorized();
    }
    let Some(audience) = req.audience else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Missing required parameter: audience",
        );
    };
    if audience != demo::V2_AUDIENCE {
        return oauth_error(
            StatusCode::FORBIDDEN,
            "access_denied",
            &format!("Service not enabled within domain: {audience}"),
        );
    }
    let session = opaque();
    let ttl = st.config.session_ttl;
    st.grants.insert(
        &session,
        GrantKind::V2Session,
        &req.client_id,
        None,
        ttl,
        st.config.session_max_uses,
    );
    json(
        StatusCode::OK,
        &json!({"session_id": session, "expires_in": ttl.as_secs()}),
    )
}

/// `POST /api/rest/oauth/token`: form-urlencoded (JSON accepted too).
pub async fn v1_token(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let fields = if is_form(&headers) {
        match parse_form(&body) {
            Some(f) => Ok(f),
            None => Err(oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "Malformed form body",
            )),
        }
    } else if is_json(&headers) {
        json_fields(&body)
    } else {
        Err(oauth_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "invalid_request",
            "Content-Type must be application/x-www-form-urlencoded or application/json",
        ))
    };
    let req = match fields.and_then(|f| token_request(&f)) {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    st.counters.token_request(&req.client_id);
    if let Err(resp) = check_grant_type(&req) {
        return resp;
    }
    let known = [
        (demo::V1_CLIENT_ID, demo::V1_CLIENT_SECRET),
        (demo::V1_NESTED_CLIENT_ID, demo::V1_NESTED_CLIENT_SECRET),
    ];
    if !known
        .iter()
        .any(|(id, secret)| *id == req.client_id && *secret == req.client_secret)
    {
        return unauthorized();
    }
    let ttl = st.config.token_ttl;
    let now = now_unix();
    let token = mint_jwt(
        &st.signing_key,
        &json!({
            "iss": "https://innerspace.sim/",
            "sub": format!("{}@clients", req.client_id),
            "aud": "https://metrics-api.innrspc.com",
            "iat": now,
            "exp": now + i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2),
            "gty": "client-credentials",
            "jti": opaque(),
        }),
    );
    st.grants
        .insert(&token, GrantKind::V1Token, &req.client_id, None, ttl, None);
    let inner = json!({"access_token": token, "token_type": "Bearer", "expires_in": ttl.as_secs()});
    let nested = match st.config.v1_shape {
        V1Shape::TopLevel => false,
        V1Shape::Nested => true,
        V1Shape::PerClient => req.client_id == demo::V1_NESTED_CLIENT_ID,
    };
    json(
        StatusCode::OK,
        &if nested {
            json!({"oauth_token": inner})
        } else {
            inner
        },
    )
}

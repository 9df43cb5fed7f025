//! SpatiaFi token endpoints (a FastAPI service using fastapi-users).
//!
//! | case | status | body |
//! |---|---|---|
//! | basic: no or malformed `Authorization: Basic` | 401 | `{"detail":"Not authenticated"}` + `WWW-Authenticate: Basic` |
//! | unknown email or wrong password | 400 | `{"detail":"LOGIN_BAD_CREDENTIALS"}` |
//! | password expired (demo user [`crate::demo::SPATIAFI_EXPIRED_EMAIL`]) | 400 | `{"detail":"PASSWORD_EXPIRED"}` |
//! | token: body not form-urlencoded, or a required field missing | 422 | `{"detail":[{"type":"missing","loc":["body","<field>"],"msg":"Field required","input":null}]}` |
//! | unsupported `grant_type` | 400 | `{"detail":"UNSUPPORTED_GRANT_TYPE"}` |
//! | unknown client or wrong secret; no or several client authentication methods | 400 | `{"detail":"INVALID_CLIENT","reason":"..."}` |
//! | bad `client_secret_jwt` assertion (signature, aud, iss/sub, exp, iat, reused jti) | 400 | `{"detail":"INVALID_CLIENT_ASSERTION","reason":"..."}` |
//!
//! Success: `{"access_token","token_type":"bearer","expires_at"}` (Unix seconds).

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Response, StatusCode, header};
use serde_json::json;

use super::assertion::{self, AssertionError};
use super::grants::GrantKind;
use super::tokens::{mint_jwt, now_unix, opaque};
use crate::http_util::{basic, form_get, is_form, json, origin, parse_form, with_header};
use crate::state::{AppState, SPATIAFI_USERS};

pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
pub const TOKEN_PATH: &str = "/api/v1/auth/jwt/token";

pub fn detail(status: StatusCode, detail: &str) -> Response<Body> {
    json(status, &json!({"detail": detail}))
}

fn detail_reason(detail: &str, reason: &str) -> Response<Body> {
    json(
        StatusCode::BAD_REQUEST,
        &json!({"detail": detail, "reason": reason}),
    )
}

/// FastAPI's 422 for a missing body field.
pub fn missing(field: &str) -> Response<Body> {
    json(
        StatusCode::UNPROCESSABLE_ENTITY,
        &json!({"detail": [{"type": "missing", "loc": ["body", field], "msg": "Field required", "input": null}]}),
    )
}

fn issue(st: &AppState, counter_key: &str, user_id: &str) -> Response<Body> {
    let ttl = st.config.spatiafi_token_ttl;
    let exp = now_unix() + i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2);
    let token = mint_jwt(
        &st.signing_key,
        &json!({"user_id": user_id, "aud": "fastapi-users:auth", "exp": exp, "jti": opaque()}),
    );
    st.grants.insert(
        &token,
        GrantKind::SpatiafiToken,
        counter_key,
        Some(user_id.to_owned()),
        ttl,
        None,
    );
    json(
        StatusCode::OK,
        &json!({"access_token": token, "token_type": "bearer", "expires_at": exp}),
    )
}

/// Password check shared by HTTP Basic and the password grant.
fn login(st: &AppState, email: &str, password: &str) -> Response<Body> {
    st.counters.token_request(email);
    match SPATIAFI_USERS
        .iter()
        .find(|u| u.email.eq_ignore_ascii_case(email))
    {
        Some(u) if u.password == password => {
            if u.password_expired {
                detail(StatusCode::BAD_REQUEST, "PASSWORD_EXPIRED")
            } else {
                issue(st, u.email, u.id)
            }
        }
        _ => detail(StatusCode::BAD_REQUEST, "LOGIN_BAD_CREDENTIALS"),
    }
}

/// `GET /api/v1/auth/jwt/token/basic`
pub async fn basic_token(State(st): State<Arc<AppState>>, headers: HeaderMap) -> Response<Body> {
    match basic(&headers) {
        Some(Ok((email, password))) => login(&st, &email, &password),
        _ => with_header(
            detail(StatusCode::UNAUTHORIZED, "Not authenticated"),
            header::WWW_AUTHENTICATE,
            "Basic",
        ),
    }
}

/// `POST /api/v1/auth/jwt/token`
pub async fn token(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    // FastAPI reads form fields only from a form body; anything else lacks them.
    let form = if is_form(&headers) {
        parse_form(&body)
    } else {
        None
    };
    let Some(form) = form else {
        return missing("grant_type");
    };
    match form_get(&form, "grant_type") {
        None | Some("") => missing("grant_type"),
        Some("password") => {
            let (Some(user), Some(pass)) =
                (form_get(&form, "username"), form_get(&form, "password"))
            else {
                return missing(if form_get(&form, "username").is_none() {
                    "username"
                } else {
                    "password"
                });
            };
            login(&st, user, pass)
        }
        Some("client_credentials") => client_credentials(&st, &headers, &form),
        Some(_) => detail(StatusCode::BAD_REQUEST, "UNSUPPORTED_GRANT_TYPE"),
    }
}

fn secret_of(st: &AppState, client_id: &str) -> Option<(String, String)> {
    let clients = st.app_clients.lock().ok()?;
    clients
        .iter()
        .find(|c| c.client_id == client_id)
        .map(|c| (c.client_secret.clone(), c.user_id.clone()))
}

fn client_credentials(
    st: &AppState,
    headers: &HeaderMap,
    form: &[(String, String)],
) -> Response<Body> {
    let basic_creds = basic(headers);
    let has_post = form_get(form, "client_secret").is_some();
    let has_jwt = form_get(form, "client_assertion").is_some()
        || form_get(form, "client_assertion_type").is_some();
    let methods = usize::from(basic_creds.is_some()) + usize::from(has_post) + usize::from(has_jwt);
    if methods == 0 {
        if let Some(id) = form_get(form, "client_id") {
            st.counters.token_request(id);
        }
        return detail_reason("INVALID_CLIENT", "no client authentication");
    }
    if methods > 1 {
        return detail_reason(
            "INVALID_CLIENT",
            "more than one client authentication method",
        );
    }
    let authenticated: Result<String, Response<Body>> = if let Some(creds) = basic_creds {
        // RFC 6749 §2.3.1: both parts are form-encoded before base64.
        match creds {
            Ok((id, secret)) => {
                let id = decode_component(&id);
                let secret = decode_component(&secret);
                st.counters.token_request(&id);
                check_secret(st, &id, &secret)
            }
            Err(()) => Err(detail_reason(
                "INVALID_CLIENT",
                "malformed Basic credentials",
            )),
        }
    } else if has_post {
        let Some(id) = form_get(form, "client_id") else {
            return missing("client_id");
        };
        st.counters.token_request(id);
        check_secret(st, id, form_get(form, "client_secret").unwrap_or(""))
    } else {
        jwt_client(st, headers, form)
    };
    match authenticated {
        Ok(client_id) => match secret_of(st, &client_id) {
            Some((_, user_id)) => issue(st, &client_id, &user_id),
            None => detail_reason("INVALID_CLIENT", "unknown client"),
        },
        Err(resp) => resp,
    }
}

fn decode_component(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map_or_else(|| s.to_owned(), |(_, v)| v.into_owned())
}

fn check_secret(st: &AppState, id: &str, secret: &str) -> Result<String, Response<Body>> {
    match secret_of(st, id) {
        Some((expected, _)) if expected == secret => Ok(id.to_owned()),
        _ => Err(detail_reason(
            "INVALID_CLIENT",
            "unknown client or wrong secret",
        )),
    }
}

fn jwt_client(
    st: &AppState,
    headers: &HeaderMap,
    form: &[(String, String)],
) -> Result<String, Response<Body>> {
    match form_get(form, "client_assertion_type") {
        Some(JWT_BEARER) => {}
        Some(_) => {
            return Err(detail_reason(
                "INVALID_CLIENT_ASSERTION",
                "unsupported client_assertion_type",
            ));
        }
        None => return Err(missing("client_assertion_type")),
    }
    let Some(jwt) = form_get(form, "client_assertion") else {
        return Err(missing("client_assertion"));
    };
    let form_client = form_get(form, "client_id");
    if let Some(id) = form_client {
        st.counters.token_request(id);
    }
    let token_url = format!("{}{TOKEN_PATH}", origin(headers));
    let counted = form_client.is_some();
    let result = assertion::verify(
        jwt,
        form_client,
        &token_url,
        |id| {
            if !counted {
                st.counters.token_request(id);
            }
            secret_of(st, id).map(|(s, _)| s)
        },
        &st.used_jti,
    );
    result.map_err(|e| match e {
        AssertionError::UnknownClient(_) => detail_reason("INVALID_CLIENT", "unknown client"),
        AssertionError::Invalid(reason) => detail_reason("INVALID_CLIENT_ASSERTION", &reason),
    })
}

//! SpatiaFi App Credentials: list, create, delete (Bearer auth).
//!
//! `POST /api/v1/clients/` and `DELETE /api/v1/clients/{id}/` answer 307 with
//! the slash-less URL, as FastAPI's slash redirect does, so client tests cover
//! redirect handling; `GET` is served on both forms. With
//! `SimConfig::clients_trailing_slash` it is the other way round: the slash forms
//! serve and every slash-less request answers 307 to its slash form.
//!
//! | case | status | body |
//! |---|---|---|
//! | no Bearer token | 401 | `{"detail":"Not authenticated"}` + `WWW-Authenticate: Bearer` |
//! | unknown or expired token | 401 | `{"detail":"Unauthorized"}` |
//! | body not JSON / not an object | 422 | FastAPI validation detail list |
//! | delete: id not a UUID | 422 | `{"detail":[{"type":"uuid_parsing","loc":["path","client_id"],...}]}` |
//! | delete: no such client of this user | 404 | `{"detail":"Not Found"}` |
//! | delete: done | 204 | empty |

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Response, StatusCode, header};
use serde_json::json;

use crate::auth::grants::{GrantKind, Holder};
use crate::auth::spatiafi::detail;
use crate::http_util::{bearer, json, origin, with_header};
use crate::state::{AppClient, AppState};

const CLIENTS_PATH: &str = "/api/v1/clients";

fn authenticate(st: &AppState, headers: &HeaderMap) -> Result<Holder, Response<Body>> {
    let Some(token) = bearer(headers) else {
        return Err(with_header(
            detail(StatusCode::UNAUTHORIZED, "Not authenticated"),
            header::WWW_AUTHENTICATE,
            "Bearer",
        ));
    };
    let holder = st
        .grants
        .use_grant(token, GrantKind::SpatiafiToken)
        .map_err(|_| detail(StatusCode::UNAUTHORIZED, "Unauthorized"))?;
    st.counters.api_request(&holder.client);
    Ok(holder)
}

fn user_of(h: &Holder) -> String {
    h.user_id.clone().unwrap_or_default()
}

pub async fn list(State(st): State<Arc<AppState>>, headers: HeaderMap) -> Response<Body> {
    let holder = match authenticate(&st, &headers) {
        Ok(h) => h,
        Err(r) => return r,
    };
    let user = user_of(&holder);
    let clients: Vec<serde_json::Value> = st
        .app_clients
        .lock()
        .map(|cs| {
            cs.iter()
                .filter(|c| c.user_id == user)
                .map(|c| json!({"user_id": c.user_id, "client_id": c.client_id}))
                .collect()
        })
        .unwrap_or_default();
    json(StatusCode::OK, &serde_json::Value::Array(clients))
}

pub async fn create(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let holder = match authenticate(&st, &headers) {
        Ok(h) => h,
        Err(r) => return r,
    };
    // An empty body or `{}` (owner_id left out) is what the docs ask for.
    if !body.iter().all(u8::is_ascii_whitespace) {
        match serde_json::from_slice::<serde_json::Value>(&body) {
            Ok(serde_json::Value::Object(_)) => {}
            Ok(other) => {
                return json(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &json!({"detail": [{"type": "model_attributes_type", "loc": ["body"], "msg": "Input should be a valid dictionary or object to extract fields from", "input": other}]}),
                );
            }
            Err(e) => {
                return json(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &json!({"detail": [{"type": "json_invalid", "loc": ["body", e.column()], "msg": "JSON decode error", "input": {}, "ctx": {"error": e.to_string()}}]}),
                );
            }
        }
    }
    let client = AppClient {
        client_id: uuid::Uuid::new_v4().to_string(),
        client_secret: format!(
            "{}{}",
            uuid::Uuid::new_v4().simple(),
            uuid::Uuid::new_v4().simple()
        ),
        user_id: user_of(&holder),
    };
    let body = json!({"user_id": client.user_id, "client_id": client.client_id, "client_secret": client.client_secret});
    if let Ok(mut cs) = st.app_clients.lock() {
        cs.push(client);
    }
    json(StatusCode::OK, &body)
}

pub async fn delete(
    State(st): State<Arc<AppState>>,
    Path(client_id): Path<String>,
    headers: HeaderMap,
) -> Response<Body> {
    let holder = match authenticate(&st, &headers) {
        Ok(h) => h,
        Err(r) => return r,
    };
    if uuid::Uuid::parse_str(&client_id).is_err() {
        return json(
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({"detail": [{"type": "uuid_parsing", "loc": ["path", "client_id"], "msg": "Input should be a valid UUID", "input": client_id}]}),
        );
    }
    let user = user_of(&holder);
    let removed = st.app_clients.lock().is_ok_and(|mut cs| {
        let before = cs.len();
        cs.retain(|c| !(c.client_id.eq_ignore_ascii_case(&client_id) && c.user_id == user));
        cs.len() < before
    });
    if removed {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NO_CONTENT;
        r
    } else {
        detail(StatusCode::NOT_FOUND, "Not Found")
    }
}

fn redirect(headers: &HeaderMap, path: &str) -> Response<Body> {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::TEMPORARY_REDIRECT;
    with_header(r, header::LOCATION, &format!("{}{path}", origin(headers)))
}

/// `POST /api/v1/clients/` → 307 to `/api/v1/clients`.
pub async fn create_slash(headers: HeaderMap) -> Response<Body> {
    redirect(&headers, CLIENTS_PATH)
}

/// `DELETE /api/v1/clients/{id}/` → 307 to `/api/v1/clients/{id}`.
pub async fn delete_slash(Path(client_id): Path<String>, headers: HeaderMap) -> Response<Body> {
    let encoded: String = url::form_urlencoded::byte_serialize(client_id.as_bytes()).collect();
    redirect(&headers, &format!("{CLIENTS_PATH}/{encoded}"))
}

/// With [`crate::SimConfig::clients_trailing_slash`]: `GET`/`POST /api/v1/clients` → 307 to
/// `/api/v1/clients/`.
pub async fn to_slash(headers: HeaderMap) -> Response<Body> {
    redirect(&headers, &format!("{CLIENTS_PATH}/"))
}

/// With [`crate::SimConfig::clients_trailing_slash`]: `DELETE /api/v1/clients/{id}` → 307 to
/// `/api/v1/clients/{id}/`.
pub async fn delete_to_slash(Path(client_id): Path<String>, headers: HeaderMap) -> Response<Body> {
    let encoded: String = url::form_urlencoded::byte_serialize(client_id.as_bytes()).collect();
    redirect(&headers, &format!("{CLIENTS_PATH}/{encoded}/"))
}

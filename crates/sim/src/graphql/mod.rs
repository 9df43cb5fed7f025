//! The two InnerSpace GraphQL endpoints: v2 (`POST /v2/api`, `X-Session-Id`)
//! and v1 (`POST /`, `Authorization: Bearer`).
//!
//! Authentication failures are HTTP 401 with a GraphQL-style body:
//!
//! | case | `extensions.code` | message |
//! |---|---|---|
//! | v2: no `X-Session-Id` | `access-denied` | `missing X-Session-Id header` |
//! | v2: unknown session | `invalid-session` | `invalid session` |
//! | v2: session past its lifetime or its maximum uses | `session-expired` | `session expired` |
//! | v1: no Bearer token | `access-denied` | `Missing 'Authorization' or 'Cookie' header in JWT authentication mode` |
//! | v1: unknown token | `invalid-jwt` | `Could not verify JWT: JWSError JWSInvalidSignature` |
//! | v1: expired token | `invalid-jwt` | `Could not verify JWT: JWTExpired` |
//!
//! Then: a body that is not `application/json` answers 415, a body that is not
//! a GraphQL request object 400 (`invalid-json` / `parse-failed`). Everything
//! GraphQL itself rejects (syntax, unknown fields, bad arguments, bad
//! literals) is HTTP 200 with `errors` and no `data`, as Hasura does.

pub mod endpoint;
pub mod error;
pub mod exec;
pub mod filter;
pub mod order;
pub mod response;
pub mod schema;

use std::sync::Arc;

use async_graphql::Variables;
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, Selection};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Response, StatusCode};

use crate::auth::grants::{GrantKind, Holder, Rejection};
use crate::http_util::{bearer, is_json, json_text};
use crate::state::AppState;
pub use endpoint::Endpoint;
use exec::{Collector, QueryEnv};
use response::errors_body;

fn error_response(status: StatusCode, message: &str, code: &str) -> Response<Body> {
    json_text(
        status,
        errors_body(&[(message.to_owned(), code, "$".to_owned())]),
    )
}

/// `POST /v2/api`
pub async fn v2_api(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let Some(session) = headers
        .get("x-session-id")
        .and_then(|v| v.to_str().ok())
        .filter(|s| !s.is_empty())
    else {
        return error_response(
            StatusCode::UNAUTHORIZED,
            "missing X-Session-Id header",
            "access-denied",
        );
    };
    match st.grants.use_grant(session, GrantKind::V2Session) {
        Ok(holder) => serve(&st, &st.v2, &holder, &headers, &body).await,
        Err(Rejection::Unknown) => error_response(
            StatusCode::UNAUTHORIZED,
            "invalid session",
            "invalid-session",
        ),
        Err(Rejection::Expired | Rejection::UsedUp) => error_response(
            StatusCode::UNAUTHORIZED,
            "session expired",
            "session-expired",
        ),
    }
}

/// `POST /`
pub async fn v1_api(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let Some(token) = bearer(&headers) else {
        return error_response(
            StatusCode::UNAUTHORIZED,
            "Missing 'Authorization' or 'Cookie' header in JWT authentication mode",
            "access-denied",
        );
    };
    match st.grants.use_grant(token, GrantKind::V1Token) {
        Ok(holder) => serve(&st, &st.v1, &holder, &headers, &body).await,
        Err(Rejection::Unknown) => error_response(
            StatusCode::UNAUTHORIZED,
            "Could not verify JWT: JWSError JWSInvalidSignature",
            "invalid-jwt",
        ),
        Err(Rejection::Expired | Rejection::UsedUp) => error_response(
            StatusCode::UNAUTHORIZED,
            "Could not verify JWT: JWTExpired",
            "invalid-jwt",
        ),
    }
}

async fn serve(
    st: &AppState,
    ep: &Endpoint,
    holder: &Holder,
    headers: &HeaderMap,
    body: &[u8],
) -> Response<Body> {
    st.counters.api_request(&holder.client);
    if !is_json(headers) {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json",
            "invalid-headers",
        );
    }
    let request = match parse_request(body) {
        Ok(r) => r,
        Err((message, code)) => return error_response(StatusCode::BAD_REQUEST, &message, code),
    };
    let (query, variables, operation) = request;
    let Ok(document) = async_graphql::parser::parse_query(&query) else {
        return json_text(
            StatusCode::OK,
            errors_body(&[(
                "not a valid graphql query".to_owned(),
                "validation-failed",
                "$.query".to_owned(),
            )]),
        );
    };
    if !st.config.introspection
        && let Some(field) = introspection_field(&document)
    {
        // As Hasura answers when introspection is disabled for the role.
        return json_text(
            StatusCode::OK,
            errors_body(&[(
                format!("field '{field}' not found in type: 'query_root'"),
                "validation-failed",
                format!("$.selectionSet.{field}"),
            )]),
        );
    }
    let env = Arc::new(QueryEnv {
        api: ep.api.clone(),
        catalog: st.catalog.clone(),
        history: st.history(),
        row_cap: st.config.row_cap,
        table_row_caps: st.config.table_row_caps.clone(),
        live: st.live.clone(),
        now: chrono::Utc::now().timestamp(),
        collector: Collector::default(),
    });
    let mut req = async_graphql::Request::new(query)
        .variables(variables)
        .data(env.clone());
    if let Some(op) = operation {
        req = req.operation_name(op);
    }
    let resp = ep.schema.execute(req).await;
    let (text, rows) = response::render(&resp, env.collector.take(), &ep.api);
    st.counters.rows(&holder.client, rows);
    json_text(StatusCode::OK, text)
}

/// The first root field of `document` that asks for the schema (`__type`, `__schema`).
fn introspection_field(document: &ExecutableDocument) -> Option<String> {
    let operations: Vec<_> = match &document.operations {
        DocumentOperations::Single(op) => vec![op],
        DocumentOperations::Multiple(ops) => ops.values().collect(),
    };
    operations
        .into_iter()
        .flat_map(|op| &op.node.selection_set.node.items)
        .find_map(|item| match &item.node {
            Selection::Field(f) if matches!(f.node.name.node.as_str(), "__type" | "__schema") => {
                Some(f.node.name.node.to_string())
            }
            _ => None,
        })
}

type ParsedRequest = (String, Variables, Option<String>);

/// `{"query", "variables"?, "operationName"?}`, strictly typed.
fn parse_request(body: &[u8]) -> Result<ParsedRequest, (String, &'static str)> {
    let v: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| (format!("Error in $: {e}"), "invalid-json"))?;
    let obj = v
        .as_object()
        .ok_or_else(|| ("expected a JSON object".to_owned(), "parse-failed"))?;
    let query = match obj.get("query") {
        Some(serde_json::Value::String(q)) => q.clone(),
        Some(_) => {
            return Err((
                "the key 'query' must be a string".to_owned(),
                "parse-failed",
            ));
        }
        None => return Err(("the key 'query' was not present".to_owned(), "parse-failed")),
    };
    let variables = match obj.get("variables") {
        None | Some(serde_json::Value::Null) => Variables::default(),
        Some(v @ serde_json::Value::Object(_)) => Variables::from_json(v.clone()),
        Some(_) => {
            return Err((
                "the key 'variables' must be an object".to_owned(),
                "parse-failed",
            ));
        }
    };
    let operation = match obj.get("operationName") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(_) => {
            return Err((
                "the key 'operationName' must be a string".to_owned(),
                "parse-failed",
            ));
        }
    };
    Ok((query, variables, operation))
}

//! URL map. The three services share one address: their paths do not collide.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Response, StatusCode};
use axum::routing::{delete, get, post};

use crate::auth::{innerspace, spatiafi};
use crate::graphql;
use crate::http_util::json;
use crate::spatiafi_clients as clients;
use crate::state::AppState;

pub fn router(st: Arc<AppState>) -> Router {
    Router::new()
        // InnerSpace v1
        .route("/", post(graphql::v1_api))
        .route("/api/rest/oauth/token", post(innerspace::v1_token))
        // InnerSpace v2
        .route("/v2/oauth/token", post(innerspace::v2_token))
        .route("/v2/api", post(graphql::v2_api))
        // SpatiaFi
        .route("/api/v1/auth/jwt/token/basic", get(spatiafi::basic_token))
        .route(spatiafi::TOKEN_PATH, post(spatiafi::token))
        .merge(clients_routes(st.config.clients_trailing_slash))
        .fallback(not_found)
        .with_state(st)
}

/// App Credentials: one form of each path serves, the other answers 307 to it (FastAPI's
/// slash redirect), so clients are tested against either declaration.
fn clients_routes(trailing_slash: bool) -> Router<Arc<AppState>> {
    if trailing_slash {
        Router::new()
            .route(
                "/api/v1/clients",
                get(clients::to_slash).post(clients::to_slash),
            )
            .route("/api/v1/clients/", get(clients::list).post(clients::create))
            .route(
                "/api/v1/clients/{client_id}",
                delete(clients::delete_to_slash),
            )
            .route("/api/v1/clients/{client_id}/", delete(clients::delete))
    } else {
        Router::new()
            .route("/api/v1/clients", get(clients::list).post(clients::create))
            .route(
                "/api/v1/clients/",
                get(clients::list).post(clients::create_slash),
            )
            .route("/api/v1/clients/{client_id}", delete(clients::delete))
            .route(
                "/api/v1/clients/{client_id}/",
                delete(clients::delete_slash),
            )
    }
}

async fn not_found() -> Response<Body> {
    json(
        StatusCode::NOT_FOUND,
        &serde_json::json!({"detail": "Not Found"}),
    )
}

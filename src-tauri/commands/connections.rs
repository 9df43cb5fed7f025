use occudesk_core::auth::TokenStatus;
use occudesk_core::connections::ConnectionDraft;
use occudesk_core::health::{Health, test_connection as test};
use occudesk_core::registry::ConnectionView;
use secrecy::SecretString;
use serde::Serialize;
use tauri::State;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// A connection card: the non-secret description, whether a secret is stored, and the last
/// test result (absent = never tested).
#[derive(Serialize)]
pub struct ConnectionRow {
    #[serde(flatten)]
    view: ConnectionView,
    health: Option<Health>,
}

/// The connections, and the keyring error if secrets could not be checked (they are still
/// listed, with the secret status unknown).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionList {
    connections: Vec<ConnectionRow>,
    keyring_error: Option<CommandError>,
}

#[tauri::command]
pub async fn list_connections(state: State<'_, AppState>) -> CommandResult<ConnectionList> {
    let (views, keyring_error) = state.registry.list_views().await;
    let connections = views
        .into_iter()
        .map(|view| {
            let health = state.health.get(&view.connection.id);
            ConnectionRow { view, health }
        })
        .collect();
    Ok(ConnectionList {
        connections,
        keyring_error: keyring_error.map(CommandError::from),
    })
}

/// Adds or edits a connection. The secret only travels into Rust; it is never sent back.
#[tauri::command]
pub async fn save_connection(
    state: State<'_, AppState>,
    draft: ConnectionDraft,
    secret: Option<SecretString>,
) -> CommandResult<ConnectionView> {
    let view = state.registry.save(&draft, secret).await?;
    state.forget_credentials(&view.connection.id);
    Ok(view)
}

#[tauri::command]
pub async fn delete_connection(state: State<'_, AppState>, id: String) -> CommandResult<()> {
    state.registry.delete(&id).await?;
    state.forget_credentials(&id);
    Ok(())
}

#[tauri::command]
pub async fn connection_has_secret(state: State<'_, AppState>, id: String) -> CommandResult<bool> {
    Ok(state.registry.has_secret(&id).await?)
}

/// Gets a fresh token and reports how long it lasts (never the token itself).
#[tauri::command]
pub async fn test_connection(state: State<'_, AppState>, id: String) -> CommandResult<TokenStatus> {
    let epoch = state.health.epoch(&id);
    let outcome = test(&state.registry, &state.sessions, &id).await;
    if !state.health.record_if_current(&id, epoch, &outcome) {
        // Edited or deleted meanwhile: the session this test made holds the old secret.
        state.sessions.invalidate(&id);
    }
    Ok(outcome?)
}

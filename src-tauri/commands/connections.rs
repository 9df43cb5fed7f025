use occudesk_core::connections::ConnectionDraft;
use occudesk_core::registry::ConnectionView;
use secrecy::SecretString;
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_connections(state: State<'_, AppState>) -> CommandResult<Vec<ConnectionView>> {
    Ok(state.registry.list_views().await?)
}

/// Adds or edits a connection. The secret only travels into Rust; it is never sent back.
#[tauri::command]
pub async fn save_connection(
    state: State<'_, AppState>,
    draft: ConnectionDraft,
    secret: Option<SecretString>,
) -> CommandResult<ConnectionView> {
    Ok(state.registry.save(&draft, secret).await?)
}

#[tauri::command]
pub async fn delete_connection(state: State<'_, AppState>, id: String) -> CommandResult<()> {
    Ok(state.registry.delete(&id).await?)
}

#[tauri::command]
pub async fn connection_has_secret(state: State<'_, AppState>, id: String) -> CommandResult<bool> {
    Ok(state.registry.has_secret(&id).await?)
}

use occudesk_core::auth::TokenStatus;
use occudesk_core::connections::{Catalog, ConnectionDraft, FieldProblem};
use occudesk_core::registry::ConnectionView;
use occudesk_core::{ConnectionList, Desk, Result};
use secrecy::SecretString;
use tauri::State;

/// The kinds and sign-in methods for the form, from the one table in core.
#[tauri::command]
pub fn connection_catalog(desk: State<'_, Desk>) -> Catalog {
    desk.catalog()
}

#[tauri::command]
pub async fn list_connections(desk: State<'_, Desk>) -> Result<ConnectionList> {
    Ok(desk.connections().await)
}

/// The form's as-you-type check: Rust's own validation, so the window never accepts what
/// saving would refuse.
#[tauri::command]
pub fn check_connection(desk: State<'_, Desk>, draft: ConnectionDraft) -> Vec<FieldProblem> {
    desk.check_connection(&draft)
}

/// Adds or edits a connection. The secret only travels into Rust; it is never sent back.
#[tauri::command]
pub async fn save_connection(
    desk: State<'_, Desk>,
    draft: ConnectionDraft,
    secret: Option<SecretString>,
) -> Result<ConnectionView> {
    desk.save_connection(&draft, secret).await
}

#[tauri::command]
pub async fn delete_connection(desk: State<'_, Desk>, id: String) -> Result<()> {
    desk.delete_connection(&id).await
}

/// Gets a fresh token and reports how long it lasts (never the token itself).
#[tauri::command]
pub async fn test_connection(desk: State<'_, Desk>, id: String) -> Result<TokenStatus> {
    desk.test_connection(&id).await
}

//! Credentials → SpatiaFi App Credentials: each command is one call on the `Desk`. The SpatiaFi
//! token stays in the Desk; the only secret that ever comes back is a newly created client
//! secret, which the service shows just once.

use occudesk_core::{
    CredentialList, DeleteOutcome, Desk, NewCredential, Result, SignInRequest, SpatiafiPanel,
    SpatiafiSignIn, UseAsConnection, UsedAsConnection,
};
use tauri::State;

/// Who is signed in, the address to offer, and saved email connections to sign in with.
#[tauri::command]
pub async fn spatiafi_panel(desk: State<'_, Desk>) -> Result<SpatiafiPanel> {
    Ok(desk.spatiafi_panel().await)
}

/// Signs in with email and password (typed, or a saved connection's); the password goes into
/// Rust and is forgotten after the one token request unless "remember" saves it in the keyring.
#[tauri::command]
pub async fn spatiafi_sign_in(
    desk: State<'_, Desk>,
    request: SignInRequest,
) -> Result<SpatiafiSignIn> {
    desk.spatiafi_sign_in(request).await
}

#[tauri::command]
pub fn spatiafi_sign_out(desk: State<'_, Desk>) {
    desk.spatiafi_sign_out();
}

#[tauri::command]
pub async fn list_app_credentials(desk: State<'_, Desk>) -> Result<CredentialList> {
    desk.spatiafi_credentials().await
}

/// Creates one; the secret is in the keyring (or `saved: false`) before it reaches the window.
#[tauri::command]
pub async fn create_app_credential(
    desk: State<'_, Desk>,
    allow_many: bool,
) -> Result<NewCredential> {
    desk.spatiafi_create(allow_many).await
}

/// "Retry saving" a new secret the keyring refused (Rust still holds it; nothing comes back).
#[tauri::command]
pub async fn retry_save_app_credential(desk: State<'_, Desk>, client_id: String) -> Result<()> {
    desk.spatiafi_retry_save(&client_id).await
}

#[tauri::command]
pub async fn delete_app_credential(
    desk: State<'_, Desk>,
    client_id: String,
) -> Result<DeleteOutcome> {
    desk.spatiafi_delete(&client_id).await
}

/// Saves a SpatiaFi connection with a credential held in the keyring and fetches a token.
#[tauri::command]
pub async fn use_app_credential_as_connection(
    desk: State<'_, Desk>,
    request: UseAsConnection,
) -> Result<UsedAsConnection> {
    desk.spatiafi_use_as_connection(request).await
}

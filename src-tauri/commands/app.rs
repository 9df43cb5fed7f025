use occudesk_core::{Desk, DeskInfo, Result};
use tauri::State;

/// Facts for the Settings page and the status line.
#[tauri::command]
pub async fn app_info(desk: State<'_, Desk>) -> Result<DeskInfo> {
    Ok(desk.info().await)
}

/// "Try with demo data" (and turning it off again). Remembered for the next start.
#[tauri::command]
pub async fn set_demo_data(desk: State<'_, Desk>, enabled: bool) -> Result<()> {
    desk.set_demo_data(enabled).await
}

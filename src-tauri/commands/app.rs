use serde::Serialize;
use tauri::State;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    version: &'static str,
    data_dir: String,
    settings_file: String,
    secrets: String,
    demo_data: bool,
    /// A problem found at start (a damaged settings file), for the banner.
    startup_error: Option<CommandError>,
}

/// Facts for the Settings page and the status line.
#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> CommandResult<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state.data_dir.display().to_string(),
        settings_file: state.registry.settings().location(),
        secrets: state.registry.vault().describe(),
        demo_data: state.demo_running().await,
        startup_error: state.startup_error.clone().map(CommandError::from),
    })
}

/// "Try with demo data" (and turning it off again). Remembered for the next start.
#[tauri::command]
pub async fn set_demo_data(state: State<'_, AppState>, enabled: bool) -> CommandResult<()> {
    state.set_demo(enabled).await?;
    state.registry.settings().update(|s| {
        s.demo_data = enabled;
        Ok(())
    })?;
    Ok(())
}

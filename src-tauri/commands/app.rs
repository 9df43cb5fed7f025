use occudesk_core::cache::CacheInfo;
use occudesk_core::insights::shown::TimeView;
use occudesk_core::settings::{Clock, RestoreReport, Theme, TimeDisplay, UtilizationBasis};
use occudesk_core::{Desk, DeskInfo, OrphanedSecrets, Result};
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

/// The error banner's "Restore last good copy": puts the last good settings back in place of
/// a damaged file (kept beside it).
#[tauri::command]
pub async fn restore_settings(desk: State<'_, Desk>) -> Result<RestoreReport> {
    desk.restore_settings().await
}

/// Keyring entries of this app that no connection uses (Settings shows the count).
#[tauri::command]
pub async fn orphaned_secrets(desk: State<'_, Desk>) -> Result<OrphanedSecrets> {
    desk.orphaned_secrets().await
}

/// Settings' "Remove" next to that count.
#[tauri::command]
pub async fn remove_orphaned_secrets(desk: State<'_, Desk>) -> Result<OrphanedSecrets> {
    desk.remove_orphaned_secrets().await
}

/// System, light or dark; remembered.
#[tauri::command]
pub async fn set_theme(desk: State<'_, Desk>, theme: Theme) -> Result<()> {
    desk.set_theme(theme).await
}

/// Office hours or all hours for the summary's utilization; remembered.
#[tauri::command]
pub async fn set_utilization_basis(desk: State<'_, Desk>, basis: UtilizationBasis) -> Result<()> {
    desk.set_utilization_basis(basis).await
}

/// Times in the building's zone or this computer's, on a 24- or 12-hour clock; remembered.
/// Returns the setting with this computer's zone, for the labels beside times.
#[tauri::command]
pub async fn set_time_display(
    desk: State<'_, Desk>,
    display: TimeDisplay,
    clock: Clock,
) -> Result<TimeView> {
    desk.set_time_display(display, clock).await
}

/// The local cache's place, size and limit (Settings).
#[tauri::command]
pub async fn cache_info(desk: State<'_, Desk>) -> Result<CacheInfo> {
    desk.cache_info().await
}

/// "Clear cache" in Settings.
#[tauri::command]
pub async fn clear_cache(desk: State<'_, Desk>) -> Result<CacheInfo> {
    desk.clear_cache().await
}

/// The cache size limit in Settings, in MB.
#[tauri::command]
pub async fn set_cache_limit(desk: State<'_, Desk>, limit_mb: u64) -> Result<CacheInfo> {
    desk.set_cache_limit(limit_mb).await
}

//! Figures and charts of a loaded view, by its id: drawn in Rust, sent as SVG with a hover
//! map, never as rows.

use std::path::PathBuf;

use occudesk_core::insights::shown::Times;
use occudesk_core::insights::stats::Summary;
use occudesk_core::{Chart, ChartKind, ChartOptions, Desk, Error, ExportFormat, Result};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

#[tauri::command]
pub async fn summary(desk: State<'_, Desk>, view_id: String) -> Result<Summary> {
    desk.view_summary(&view_id, Times::AsSet)
}

#[tauri::command]
pub async fn chart(
    desk: State<'_, Desk>,
    view_id: String,
    kind: ChartKind,
    options: ChartOptions,
) -> Result<Chart> {
    desk.view_chart(&view_id, kind, &options, Times::AsSet)
}

/// Asks where to save with the system's dialog, then writes the chart or its data there.
/// `None` when the user cancelled the dialog.
#[tauri::command]
pub async fn export_chart<R: Runtime>(
    app: AppHandle<R>,
    desk: State<'_, Desk>,
    view_id: String,
    kind: ChartKind,
    options: ChartOptions,
    format: ExportFormat,
) -> Result<Option<String>> {
    let scope = desk.view_info(&view_id)?.scope;
    let extension = format.extension();
    let name = format!("{}-{}-{}.{extension}", kind.stem(), scope.from, scope.to);
    let dialog = app
        .dialog()
        .file()
        .set_title("Export")
        .set_file_name(name)
        .add_filter(extension.to_uppercase(), &[extension]);
    // The dialog blocks until answered: wait for it off the async runtime's threads.
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .map_err(|e| Error::invalid("path", format!("The save dialog failed: {e}")))?;
    let Some(picked) = picked else {
        return Ok(None);
    };
    let path: PathBuf = picked
        .into_path()
        .map_err(|e| Error::invalid("path", format!("That place cannot be saved to: {e}")))?;
    desk.export_view(&view_id, kind, &options, format, &path, Times::AsSet)
        .await?;
    Ok(Some(path.display().to_string()))
}

//! Figures and charts of a loaded view, by its id: drawn in Rust, sent as SVG with a hover
//! map, never as rows.

use std::path::PathBuf;

use occudesk_core::insights::shown::Times;
use occudesk_core::insights::stats::Summary;
use occudesk_core::{
    Chart, ChartKind, ChartOptions, ChartWindow, Desk, Error, ExportFormat, Result,
};
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use super::saved_files::SavedFiles;

/// The summary figures of a view, or of the periods inside `window` (UTC ms, both ends: the
/// zoomed time series' visible range).
#[tauri::command]
pub async fn summary(
    desk: State<'_, Desk>,
    view_id: String,
    window: Option<(i64, i64)>,
) -> Result<Summary> {
    desk.view_summary_in(&view_id, window, Times::AsSet)
}

#[tauri::command]
pub async fn chart(
    desk: State<'_, Desk>,
    view_id: String,
    kind: ChartKind,
    options: ChartOptions,
    window: Option<ChartWindow>,
) -> Result<Chart> {
    let window = window.unwrap_or_default();
    desk.view_chart_in(&view_id, kind, &options, &window, Times::AsSet)
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
    let extension = format.extension();
    let name = view_export_name(&desk, &view_id, kind.stem(), extension).await?;
    let Some(path) = save_path(&app, name, extension).await? else {
        return Ok(None);
    };
    desk.export_view(&view_id, kind, &options, format, &path, Times::AsSet)
        .await?;
    Ok(Some(path.display().to_string()))
}

/// Asks where to save with the system's dialog, then writes the view's report there: one
/// self-contained HTML file (README, "A report to hand on"). `None` when cancelled.
#[tauri::command]
pub async fn export_report<R: Runtime>(
    app: AppHandle<R>,
    desk: State<'_, Desk>,
    view_id: String,
) -> Result<Option<String>> {
    let name = view_export_name(&desk, &view_id, "report", "html").await?;
    let Some(path) = save_path(&app, name, "html").await? else {
        return Ok(None);
    };
    desk.export_report(&view_id, &path, Times::AsSet).await?;
    Ok(Some(path.display().to_string()))
}

/// An export's file name for a view: its building, `stem`, its range and `extension`.
pub(crate) async fn view_export_name(
    desk: &Desk,
    view_id: &str,
    stem: &str,
    extension: &str,
) -> Result<String> {
    let info = desk.view_info(view_id)?;
    let scope = info.scope;
    // The building's name leads (known from the view's fetch; without it, the name is left out).
    let building = desk
        .building_detail(&info.provenance.connection_id, scope.building_id)
        .await
        .map(|d| file_word(&d.building.name))
        .unwrap_or_default();
    Ok(export_name(
        &building, stem, scope.from, scope.to, extension,
    ))
}

/// Where the user chose to save `name` in the system's save dialog; `None` when cancelled.
pub(crate) async fn save_path<R: Runtime>(
    app: &AppHandle<R>,
    name: String,
    extension: &str,
) -> Result<Option<PathBuf>> {
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
    let path = picked
        .into_path()
        .map_err(|e| Error::invalid("path", format!("That place cannot be saved to: {e}")))?;
    app.state::<SavedFiles>().add(&path);
    Ok(Some(path))
}

/// An export's suggested file name: `Chicago-Loop-HQ-timeseries-2026-10-01-2026-10-31.csv`,
/// without the building when its name has no letters or digits.
fn export_name(
    building: &str,
    stem: &str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    extension: &str,
) -> String {
    let lead = if building.is_empty() {
        String::new()
    } else {
        format!("{building}-")
    };
    format!("{lead}{stem}-{from}-{to}.{extension}")
}

/// A name as one word of a file name: letters and digits kept (any script), every other run
/// of characters one `-`, none at the ends; at most 60 characters.
fn file_word(name: &str) -> String {
    let mut word = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else if !word.is_empty() && !word.ends_with('-') {
            word.push('-');
        }
    }
    let word: String = word.chars().take(60).collect();
    word.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_names_lead_with_the_building() {
        let day = |d: &str| d.parse::<chrono::NaiveDate>().unwrap();
        assert_eq!(
            export_name(
                &file_word("Chicago Loop HQ"),
                "timeseries",
                day("2026-10-01"),
                day("2026-10-31"),
                "csv"
            ),
            "Chicago-Loop-HQ-timeseries-2026-10-01-2026-10-31.csv"
        );
        assert_eq!(file_word("  Zürich / Bürohaus #2 "), "Zürich-Bürohaus-2");
        assert_eq!(file_word("../../etc"), "etc");
        assert_eq!(file_word("***"), "");
        assert_eq!(
            export_name("", "heatmap", day("2026-10-01"), day("2026-10-02"), "png"),
            "heatmap-2026-10-01-2026-10-02.png"
        );
    }
}

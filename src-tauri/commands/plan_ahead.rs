//! Plan ahead: a forecast loaded as a view (then recomputed from it as the capacity is typed,
//! with no request), its chart and export, and what-if consolidation.

use occudesk_core::innerspace::{FetchProgress, InsightQuery};
use occudesk_core::insights::forecast::Forecast;
use occudesk_core::insights::whatif::WhatIf;
use occudesk_core::{
    ChartOptions, Desk, ExportFormat, ForecastChart, ForecastOptions, LoadedForecast, Result,
    WhatIfRequest,
};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use super::charts::{save_path, view_export_name};

/// Loads the history a forecast of `query`'s place needs (by the hour, up to `options.asOf`)
/// and forecasts from it; `fetch_id` lets `cancel_fetch` stop it.
#[tauri::command]
pub async fn forecast(
    desk: State<'_, Desk>,
    connection_id: String,
    query: InsightQuery,
    options: ForecastOptions,
    fetch_id: String,
    on_progress: Channel<FetchProgress>,
) -> Result<LoadedForecast> {
    desk.open_forecast(&connection_id, &query, &options, &fetch_id, |p| {
        // The window may have gone away; the fetch finishes regardless.
        let _ = on_progress.send(p);
    })
    .await
}

/// The forecast of a view `forecast` loaded, for other options (a capacity typed in).
#[tauri::command]
pub async fn view_forecast(
    desk: State<'_, Desk>,
    view_id: String,
    options: ForecastOptions,
) -> Result<Forecast> {
    desk.view_forecast(&view_id, &options)
}

#[tauri::command]
pub async fn forecast_chart(
    desk: State<'_, Desk>,
    view_id: String,
    options: ForecastOptions,
    chart: ChartOptions,
) -> Result<ForecastChart> {
    desk.view_forecast_chart(&view_id, &options, &chart)
}

/// Asks where to save with the system's dialog, then writes the forecast chart or its
/// figures there. `None` when the user cancelled the dialog.
#[tauri::command]
pub async fn export_forecast<R: Runtime>(
    app: AppHandle<R>,
    desk: State<'_, Desk>,
    view_id: String,
    options: ForecastOptions,
    chart: ChartOptions,
    format: ExportFormat,
) -> Result<Option<String>> {
    let extension = format.extension();
    let name = view_export_name(&desk, &view_id, "forecast", extension).await?;
    let Some(path) = save_path(&app, name, extension).await? else {
        return Ok(None);
    };
    desk.export_forecast(&view_id, &options, &chart, format, &path)
        .await?;
    Ok(Some(path.display().to_string()))
}

/// Combines floors, zone types or buildings: their combined need beside the separate ones.
#[tauri::command]
pub async fn what_if(
    desk: State<'_, Desk>,
    connection_id: String,
    request: WhatIfRequest,
    fetch_id: String,
    on_progress: Channel<FetchProgress>,
) -> Result<WhatIf> {
    desk.what_if(&connection_id, &request, &fetch_id, |p| {
        let _ = on_progress.send(p);
    })
    .await
}

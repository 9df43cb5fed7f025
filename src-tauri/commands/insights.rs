use std::sync::Arc;

use occudesk_core::innerspace::{
    Building, BuildingDetail, FetchProgress, Freshness, InsightQuery, InsightTable,
};
use occudesk_core::settings::ViewControls;
use occudesk_core::{Desk, Picked, Result, RowSort, RowsPage, ViewInfo};
use tauri::State;
use tauri::ipc::Channel;

/// The table that answers the pickers' selection (one rule, in core).
#[tauri::command]
pub fn insight_table(
    desk: State<'_, Desk>,
    connection_id: String,
    picked: Picked,
) -> Result<InsightTable> {
    desk.insight_table(&connection_id, picked)
}

#[tauri::command]
pub async fn buildings(desk: State<'_, Desk>, connection_id: String) -> Result<Vec<Building>> {
    desk.buildings(&connection_id).await
}

#[tauri::command]
pub async fn building_detail(
    desk: State<'_, Desk>,
    connection_id: String,
    building_id: i64,
) -> Result<Arc<BuildingDetail>> {
    desk.building_detail(&connection_id, building_id).await
}

#[tauri::command]
pub async fn insight_metrics(
    desk: State<'_, Desk>,
    connection_id: String,
    table: InsightTable,
) -> Result<Arc<Vec<String>>> {
    desk.metrics(&connection_id, table).await
}

/// Loads a view (the query's rows and everything its tabs draw from), reporting each
/// response on `on_progress`; `fetch_id` lets `cancel_fetch` stop it. `reload` asks for every
/// day of the range again ("Reload this range"). Returns what the view is, not its rows:
/// the window asks for those a page at a time (`view_rows`).
#[tauri::command]
pub async fn fetch_insights(
    desk: State<'_, Desk>,
    connection_id: String,
    query: InsightQuery,
    reload: Option<bool>,
    fetch_id: String,
    on_progress: Channel<FetchProgress>,
) -> Result<ViewInfo> {
    let freshness = if reload == Some(true) {
        Freshness::Reload
    } else {
        Freshness::Usual
    };
    desk.open_view(&connection_id, &query, freshness, &fetch_id, |progress| {
        // The window may have gone away; the fetch finishes regardless.
        let _ = on_progress.send(progress);
    })
    .await
}

#[tauri::command]
pub fn cancel_fetch(desk: State<'_, Desk>, fetch_id: String) -> bool {
    desk.cancel_fetch(&fetch_id)
}

/// One page of a loaded view's table (at most `MAX_PAGE_ROWS` rows).
#[tauri::command]
pub async fn view_rows(
    desk: State<'_, Desk>,
    view_id: String,
    offset: usize,
    limit: usize,
    sort: Option<RowSort>,
) -> Result<RowsPage> {
    desk.view_rows(&view_id, offset, limit, sort)
}

/// After a load (and a tab change): the Insights view reopens on this connection, building
/// and controls next time.
#[tauri::command]
pub async fn remember_view(
    desk: State<'_, Desk>,
    connection_id: String,
    building_id: i64,
    controls: Option<ViewControls>,
) -> Result<()> {
    desk.remember_view(&connection_id, building_id, controls)
        .await
}

/// Settings' "Insights opens on": a connection, or none for the one last loaded.
#[tauri::command]
pub async fn set_insights_connection(
    desk: State<'_, Desk>,
    connection_id: Option<String>,
) -> Result<()> {
    desk.set_insights_connection(connection_id.as_deref()).await
}

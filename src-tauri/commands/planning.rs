use occudesk_core::innerspace::InsightQuery;
use occudesk_core::insights::anomalies::Anomaly;
use occudesk_core::insights::planning::{DEFAULT_BUFFER, Plan};
use occudesk_core::{Desk, Result};
use tauri::State;

/// Capacity planning for what the query covers (one plan per zone type for a
/// `ZONE_TYPE_INSIGHTS` query without a zone type).
#[tauri::command]
pub async fn plan(
    desk: State<'_, Desk>,
    connection_id: String,
    query: InsightQuery,
    buffer: Option<f64>,
) -> Result<Vec<Plan>> {
    desk.plan(&connection_id, &query, buffer.unwrap_or(DEFAULT_BUFFER))
        .await
}

#[tauri::command]
pub async fn anomalies(
    desk: State<'_, Desk>,
    connection_id: String,
    query: InsightQuery,
) -> Result<Vec<Anomaly>> {
    desk.anomalies(&connection_id, &query).await
}

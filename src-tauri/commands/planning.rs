use occudesk_core::insights::anomalies::Anomaly;
use occudesk_core::insights::planning::{DEFAULT_BUFFER, Plan};
use occudesk_core::{Desk, Result};
use tauri::State;

/// Capacity planning for what a loaded view covers (one plan per zone type for a
/// `ZONE_TYPE_INSIGHTS` view without a zone type); with `by_zone_type`, one plan per zone
/// type of its building (InnerSpace v2).
#[tauri::command]
pub async fn plan(
    desk: State<'_, Desk>,
    view_id: String,
    buffer: Option<f64>,
    by_zone_type: Option<bool>,
) -> Result<Vec<Plan>> {
    let buffer = buffer.unwrap_or(DEFAULT_BUFFER);
    if by_zone_type == Some(true) {
        desk.view_plans_by_zone_type(&view_id, buffer)
    } else {
        desk.view_plan(&view_id, buffer)
    }
}

#[tauri::command]
pub async fn anomalies(desk: State<'_, Desk>, view_id: String) -> Result<Vec<Anomaly>> {
    desk.view_anomalies(&view_id)
}

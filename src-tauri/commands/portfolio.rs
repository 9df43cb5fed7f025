//! The Portfolio view: every building of a connection, its two charts, one building's zone
//! types on the space-use scatter, and the target band the table is coloured against.

use chrono::NaiveDate;
use occudesk_core::innerspace::Freshness;
use occudesk_core::insights::planning::DEFAULT_BUFFER;
use occudesk_core::insights::portfolio::TargetBand;
use occudesk_core::{
    ChartOptions, Desk, Portfolio, PortfolioCharts, PortfolioProgress, PortfolioRequest, Result,
    ZoneTypesView, portfolio_charts,
};
use serde::Serialize;
use tauri::State;
use tauri::ipc::Channel;

/// The rows and the charts drawn from them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PortfolioView {
    pub portfolio: Portfolio,
    pub charts: PortfolioCharts,
}

fn request(desk: &Desk, from: NaiveDate, to: NaiveDate) -> PortfolioRequest {
    PortfolioRequest {
        from,
        to,
        buffer: DEFAULT_BUFFER,
        target: desk.settings().target_band,
        freshness: Freshness::Usual,
    }
}

/// Loads every building of the connection, reporting "n of N buildings" on `on_progress`;
/// `fetch_id` lets `cancel_fetch` stop it all.
#[tauri::command]
pub async fn load_portfolio(
    desk: State<'_, Desk>,
    connection_id: String,
    from: NaiveDate,
    to: NaiveDate,
    options: ChartOptions,
    fetch_id: String,
    on_progress: Channel<PortfolioProgress>,
) -> Result<PortfolioView> {
    let portfolio = desk
        .portfolio(
            &connection_id,
            request(&desk, from, to),
            &fetch_id,
            |p| {
                // A closed window drops the channel; the load goes on regardless.
                let _ = on_progress.send(p);
            },
            None,
        )
        .await?;
    let charts = portfolio_charts(&portfolio, &options)?;
    Ok(PortfolioView { portfolio, charts })
}

/// One building's zone types on the space-use scatter (InnerSpace v2).
#[tauri::command]
pub async fn portfolio_zone_types(
    desk: State<'_, Desk>,
    connection_id: String,
    building_id: i64,
    from: NaiveDate,
    to: NaiveDate,
    options: ChartOptions,
    fetch_id: String,
) -> Result<ZoneTypesView> {
    desk.portfolio_zone_types(
        &connection_id,
        building_id,
        request(&desk, from, to),
        &options,
        &fetch_id,
    )
    .await
}

#[tauri::command]
pub fn target_band(desk: State<'_, Desk>) -> TargetBand {
    desk.settings().target_band
}

#[tauri::command]
pub async fn set_target_band(desk: State<'_, Desk>, band: TargetBand) -> Result<()> {
    desk.set_target_band(band).await
}

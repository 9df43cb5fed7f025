//! The Live view: every zone of a building now. The window polls this while the view is
//! visible; each call is one request once the building is known.

use occudesk_core::insights::shown::Times;
use occudesk_core::{Desk, LiveBoard, Result};
use serde::Serialize;
use tauri::State;

/// Seconds between refreshes while the view is visible.
pub const REFRESH_SECS: u64 = 60;
/// Shortens the refresh for end-to-end tests (1 s or more), which cannot wait minutes.
pub const REFRESH_ENV: &str = "OCCUDESK_LIVE_REFRESH_SECS";

/// A board and how long the window waits before asking again.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveRefresh {
    #[serde(flatten)]
    pub board: LiveBoard,
    pub refresh_secs: u64,
}

#[tauri::command]
pub async fn live(
    desk: State<'_, Desk>,
    connection_id: String,
    building_id: i64,
) -> Result<LiveRefresh> {
    let board = desk.live(&connection_id, building_id, Times::AsSet).await?;
    Ok(LiveRefresh {
        board,
        refresh_secs: refresh_secs(std::env::var(REFRESH_ENV).ok().as_deref()),
    })
}

/// The interval `REFRESH_ENV` asks for, else [`REFRESH_SECS`].
fn refresh_secs(asked: Option<&str>) -> u64 {
    asked
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|s| *s >= 1)
        .unwrap_or(REFRESH_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refresh_is_a_minute_unless_a_test_asks_for_less() {
        assert_eq!(refresh_secs(None), 60);
        assert_eq!(refresh_secs(Some("2")), 2);
        assert_eq!(refresh_secs(Some("0")), 60);
        assert_eq!(refresh_secs(Some("soon")), 60);
    }
}

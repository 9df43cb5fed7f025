//! The rows behind a view or a portfolio as Parquet files (README, "Parquet"): Hive-
//! partitioned by building and local month, written by `occudesk-parquet`.

use std::path::{Path, PathBuf};

use super::Desk;
use crate::innerspace::BuildingDetail;
use crate::insights::InsightResult;
use crate::{Error, Result};

impl Desk {
    /// Writes the rows behind a loaded view under `dir` (a partition's file is replaced);
    /// returns the files written.
    pub async fn export_view_parquet(&self, view_id: &str, dir: &Path) -> Result<Vec<PathBuf>> {
        let view = self.views.get(view_id)?;
        let dir = dir.to_owned();
        tokio::task::spawn_blocking(move || write_rows(&dir, &view.detail, &view.rows))
            .await
            .map_err(|e| Error::invalid("path", format!("The export failed: {e}")))?
    }
}

/// Writes one building's rows under `dir`, zones named from `detail`.
pub fn write_rows(
    dir: &Path,
    detail: &BuildingDetail,
    rows: &InsightResult,
) -> Result<Vec<PathBuf>> {
    let zone_name = |id: i64| detail.zones.iter().find(|z| z.id == id)?.name.clone();
    occudesk_parquet::write_partitioned(dir, rows, &zone_name)
        .map_err(|e| Error::invalid("rowsOut", format!("Could not write the Parquet files: {e}")))
}

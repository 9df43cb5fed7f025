//! Where the app keeps its settings, shared by the desktop app and the CLI.

use std::path::{Path, PathBuf};

use occudesk_net::{Error, Result};

/// Must equal `identifier` in tauri.conf.json (a test checks): Tauri names the app data folder
/// after it, and the CLI has to find the same folder.
pub const APP_IDENTIFIER: &str = "com.occupancydesk.desktop";

/// The settings file's name inside the app's data folder.
pub const SETTINGS_FILE_NAME: &str = "settings.json";

/// Overrides the data folder for both the app and the CLI (tests use it too).
pub const DATA_DIR_ENV: &str = "OCCUDESK_DATA_DIR";

/// `$OCCUDESK_DATA_DIR`, else the platform's data folder + [`APP_IDENTIFIER`]
/// (`~/.local/share/com.occupancydesk.desktop` on Linux).
pub fn data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::data_dir()
        .map(|base| base.join(APP_IDENTIFIER))
        .ok_or_else(|| Error::SettingsIo {
            action: "find",
            path: "the app data folder".into(),
            reason: format!("no home folder is known; set {DATA_DIR_ENV}"),
        })
}

/// The settings file inside a data folder.
pub fn settings_file(data_dir: &Path) -> PathBuf {
    data_dir.join(SETTINGS_FILE_NAME)
}

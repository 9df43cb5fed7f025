//! What the commands share: the connection registry (settings + keyring).

use std::path::PathBuf;
use std::sync::Arc;

use occudesk_core::registry::Registry;
use occudesk_core::settings::{SETTINGS_FILE_NAME, SettingsStore};
use tauri::{Manager, Runtime};

use crate::AppOptions;
use crate::settings_store::PluginSettings;

pub struct AppState {
    pub registry: Registry,
    pub data_dir: PathBuf,
}

impl AppState {
    pub fn open<R: Runtime>(
        app: &tauri::AppHandle<R>,
        options: AppOptions,
    ) -> Result<Self, Box<dyn std::error::Error>> {
        let data_dir = match options.data_dir {
            Some(dir) => dir,
            None => app.path().app_data_dir()?,
        };
        let storage = PluginSettings::open(app, &data_dir.join(SETTINGS_FILE_NAME))?;
        let settings = SettingsStore::open(Arc::new(storage))?;
        Ok(AppState {
            registry: Registry::new(settings, options.vault),
            data_dir,
        })
    }
}

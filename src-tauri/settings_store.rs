//! Settings kept with tauri-plugin-store: the core's `SettingsStorage` over a plugin `Store`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use occudesk_core::settings::{SETTINGS_KEY, SettingsStorage};
use occudesk_core::{Error, Result};
use serde_json::Value;
use tauri::Runtime;
use tauri_plugin_store::{Store, StoreBuilder};

pub struct PluginSettings<R: Runtime> {
    store: Arc<Store<R>>,
    file: PathBuf,
    path: String,
}

impl<R: Runtime> PluginSettings<R> {
    /// Opens the store file. Saving is explicit (right after each change), so auto-save is off.
    pub fn open(app: &tauri::AppHandle<R>, path: &Path) -> Result<Self> {
        let shown = path.display().to_string();
        let store = StoreBuilder::new(app, path)
            .disable_auto_save()
            .build()
            .map_err(|e| Error::SettingsCorrupt {
                path: shown.clone(),
                reason: e.to_string(),
            })?;
        Ok(PluginSettings {
            store,
            file: path.to_owned(),
            path: shown,
        })
    }
}

impl<R: Runtime> SettingsStorage for PluginSettings<R> {
    /// Re-reads the file every time: the plugin ignores a damaged file when it opens (which
    /// would let the next save replace the user's settings with defaults), and the CLI may
    /// have changed the file since.
    fn load(&self) -> Result<Option<Value>> {
        if self.file.exists() {
            self.store.reload_ignore_defaults().map_err(|e| match e {
                tauri_plugin_store::Error::Deserialize(e) => Error::SettingsCorrupt {
                    path: self.path.clone(),
                    reason: e.to_string(),
                },
                other => Error::SettingsIo {
                    action: "read",
                    path: self.path.clone(),
                    reason: other.to_string(),
                },
            })?;
        }
        Ok(self.store.get(SETTINGS_KEY))
    }

    fn save(&self, value: Value) -> Result<()> {
        self.store.set(SETTINGS_KEY, value);
        self.store.save().map_err(|e| Error::SettingsIo {
            action: "write",
            path: self.path.clone(),
            reason: e.to_string(),
        })
    }

    fn location(&self) -> String {
        self.path.clone()
    }
}

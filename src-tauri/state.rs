//! What the commands share: the connection registry (settings + keyring) and, when demo data
//! is on, the running simulator.

use std::path::PathBuf;
use std::sync::Arc;

use occudesk_core::auth::{Sessions, SystemClock};
use occudesk_core::health::HealthBoard;
use occudesk_core::http::{HttpClient, HttpConfig};
use occudesk_core::registry::Registry;
use occudesk_core::settings::{SETTINGS_FILE_NAME, SettingsStore};
use occudesk_sim::Sim;
use tauri::{Manager, Runtime};

use crate::AppOptions;
use crate::demo;
use crate::error::CommandError;
use crate::settings_store::PluginSettings;

pub struct AppState {
    pub registry: Registry,
    /// One token cache per connection, shared by every request the window makes.
    pub sessions: Sessions,
    pub health: HealthBoard,
    pub data_dir: PathBuf,
    /// Why the settings could not be loaded, shown in the window until fixed.
    pub startup_error: Option<occudesk_core::Error>,
    demo: tokio::sync::Mutex<Option<Sim>>,
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
        // A damaged settings file must not stop the app: it opens on defaults that cannot be
        // saved over the file, and the window shows why.
        let path = data_dir.join(SETTINGS_FILE_NAME);
        let (settings, startup_error) = match PluginSettings::open(app, &path) {
            Ok(storage) => SettingsStore::open_or_read_only(Arc::new(storage)),
            Err(e) => (
                SettingsStore::read_only(path.display().to_string(), e.clone()),
                Some(e),
            ),
        };
        let want_demo = options.demo || settings.get().demo_data;
        let http = HttpClient::new(HttpConfig::default())?;
        let state = AppState {
            registry: Registry::new(settings, options.vault),
            sessions: Sessions::new(http, Arc::new(SystemClock)),
            health: HealthBoard::default(),
            data_dir,
            startup_error,
            demo: tokio::sync::Mutex::new(None),
        };
        if want_demo {
            // Binding a loopback port is instant; a failure leaves the app usable without demo data.
            if let Err(e) = tauri::async_runtime::block_on(state.set_demo(true)) {
                tracing::warn!(code = e.code, "{}", e.message);
            }
        }
        Ok(state)
    }

    /// Drops what was learnt about a connection's old credentials (after an edit or delete).
    pub fn forget_credentials(&self, id: &str) {
        self.sessions.invalidate(id);
        self.health.forget(id);
    }

    pub async fn demo_running(&self) -> bool {
        self.demo.lock().await.is_some()
    }

    /// Starts or stops the simulator and its demo connections.
    pub async fn set_demo(&self, enabled: bool) -> Result<(), CommandError> {
        let mut running = self.demo.lock().await;
        match (enabled, running.take()) {
            (true, None) => *running = Some(demo::start(&self.registry).await?),
            (false, Some(sim)) => demo::stop(&self.registry, sim).await?,
            (_, unchanged) => *running = unchanged,
        }
        Ok(())
    }
}

//! The desktop shell: turns window commands into calls on `occudesk_core::Desk`, nothing more.

mod commands;
mod settings_store;

use std::path::PathBuf;
use std::sync::Arc;

use occudesk_core::http::HttpConfig;
use occudesk_core::settings::SettingsStorage;
use occudesk_core::vault::Vault;
use occudesk_core::{Desk, DeskConfig};
use tauri::{Builder, Manager, Runtime};

pub use commands::COMMANDS;

use crate::settings_store::PluginSettings;

/// What differs between a real start, a test start and a demo start.
pub struct AppOptions {
    /// The folder holding `settings.json`; `None` is the app data folder (or `OCCUDESK_DATA_DIR`).
    pub data_dir: Option<PathBuf>,
    /// Where connection secrets go: the OS keyring in the app, memory in command tests.
    pub vault: Vault,
    /// Start on demo data for this run (`occudesk --demo`), whatever the settings say.
    pub demo: bool,
}

impl AppOptions {
    /// The real app: settings in the data folder, secrets in the keyring.
    pub fn from_args() -> Self {
        AppOptions {
            data_dir: None,
            vault: Vault::keyring(),
            demo: std::env::args().skip(1).any(|arg| arg == "--demo"),
        }
    }
}

/// Everything the app registers, on any runtime (the real one, or Tauri's mock in tests).
pub fn build_app<R: Runtime>(builder: Builder<R>, options: AppOptions) -> Builder<R> {
    builder
        .plugin(tauri_plugin_store::Builder::new().build())
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::app::set_demo_data,
            commands::app::cache_info,
            commands::app::clear_cache,
            commands::app::set_cache_limit,
            commands::connections::connection_catalog,
            commands::connections::list_connections,
            commands::connections::check_connection,
            commands::connections::save_connection,
            commands::connections::delete_connection,
            commands::connections::test_connection,
            commands::insights::insight_table,
            commands::insights::buildings,
            commands::insights::building_detail,
            commands::insights::insight_metrics,
            commands::insights::fetch_insights,
            commands::insights::cancel_fetch,
        ])
        .setup(move |app| {
            let handle = app.handle().clone();
            let config = DeskConfig {
                data_dir: options.data_dir,
                vault: options.vault,
                http: HttpConfig::default(),
                force_demo: options.demo,
                use_cache: true,
            };
            let desk = tauri::async_runtime::block_on(Desk::open_with(config, |path| {
                Ok(Arc::new(PluginSettings::open(&handle, path)?) as Arc<dyn SettingsStorage>)
            }))?;
            app.manage(desk);
            Ok(())
        })
}

/// The app's config, assets and capabilities. Generic so command tests run the real ACL on
/// Tauri's mock runtime (the macro may be expanded only once per crate).
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

pub fn run() {
    let app = build_app(tauri::Builder::default(), AppOptions::from_args()).build(context());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => {
            eprintln!("Occupancy Desk could not start: {e}");
            std::process::exit(1);
        }
    }
}
